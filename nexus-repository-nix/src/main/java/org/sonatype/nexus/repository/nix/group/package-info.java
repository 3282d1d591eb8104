/**
 * The group binary cache: answering from members in order, merging what they serve, and writing through to the
 * writable member.
 */
package org.sonatype.nexus.repository.nix.group;
