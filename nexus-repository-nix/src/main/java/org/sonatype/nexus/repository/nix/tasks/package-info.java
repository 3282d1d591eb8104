/**
 * The integrity task: checks every stored narinfo and NAR of a repository against each other and its closure, and
 * repairs what it may.
 */
package org.sonatype.nexus.repository.nix.tasks;
