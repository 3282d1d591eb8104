/**
 * Private flakes: names, versions and their order, archive formats, release paths, the registry document, and
 * measuring a flake tarball (NAR hash, last modification).
 */
package org.sonatype.nexus.repository.nix.protocol.flakes;
