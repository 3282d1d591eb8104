/**
 * Permissions: request-path privileges and content selectors, delete and pin permissions.
 */
package org.sonatype.nexus.repository.nix.security;
