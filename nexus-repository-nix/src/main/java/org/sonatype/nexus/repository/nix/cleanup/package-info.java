/**
 * Cleanup policy criteria that mean something for Nix content.
 */
package org.sonatype.nexus.repository.nix.cleanup;
