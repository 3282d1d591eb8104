/**
 * How to use a repository: client setup snippets, the page a browser gets at a repository's URL.
 */
package org.sonatype.nexus.repository.nix.usage;
