/**
 * The Nix binary cache protocol as plain Java. This package is its vocabulary: Nix base-32, hashes, store paths and
 * names, keys and signature text; its sub-packages build on it, one concern each: {@code compression},
 * {@code tar}, {@code narinfo}, {@code nar}, {@code channels}, {@code flakes}.
 *
 * Nothing here depends on Nexus, so the rules can be tested against vectors produced by the real Nix client
 * and reused by every repository type. All value types are immutable; parsing is strict because hosted
 * repositories re-serialise what they accept and clients must never see a document Nix would reject.
 */
package org.sonatype.nexus.repository.nix.protocol;
