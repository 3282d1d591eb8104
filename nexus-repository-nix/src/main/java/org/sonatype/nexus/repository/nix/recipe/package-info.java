/**
 * Recipes that only assemble: which facets and handlers make a nix-hosted, nix-proxy or nix-group repository, and
 * the route table they share. The top of the stack; nothing depends on it.
 */
package org.sonatype.nexus.repository.nix.recipe;
