/**
 * Search parameters for Nix components (find a component by a store path or its hash part).
 */
package org.sonatype.nexus.repository.nix.search;
