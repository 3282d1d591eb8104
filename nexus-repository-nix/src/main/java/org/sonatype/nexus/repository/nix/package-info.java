/**
 * The Nix format for Nexus Repository: its name ({@link org.sonatype.nexus.repository.nix.NixFormat}); the layers
 * below are described in ARCHITECTURE.md at the repository root.
 */
package org.sonatype.nexus.repository.nix;
