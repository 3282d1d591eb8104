/**
 * Reading tarballs within limits (sizes, counts, names, links), into a tree of names or files.
 */
package org.sonatype.nexus.repository.nix.protocol.tar;
