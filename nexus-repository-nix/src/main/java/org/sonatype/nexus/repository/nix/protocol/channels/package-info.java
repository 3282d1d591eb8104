/**
 * Nix channels: names, flavors, snapshot paths and the tarball nix-channel unpacks.
 */
package org.sonatype.nexus.repository.nix.protocol.channels;
