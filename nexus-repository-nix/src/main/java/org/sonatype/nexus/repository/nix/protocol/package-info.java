/**
 * The Nix binary cache protocol as plain Java: hashes, store paths, narinfo and nix-cache-info documents,
 * NAR compressions, signatures and the request-path grammar.
 *
 * Nothing here depends on Nexus, so the rules can be tested against vectors produced by the real Nix client
 * and reused by every repository type. All value types are immutable; parsing is strict because hosted
 * repositories re-serialise what they accept and clients must never see a document Nix would reject.
 */
package org.sonatype.nexus.repository.nix.protocol;
