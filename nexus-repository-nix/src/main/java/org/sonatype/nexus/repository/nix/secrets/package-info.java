/**
 * Where the plugin keeps secrets (signing keys): Nexus's database, never a repository's configuration.
 */
package org.sonatype.nexus.repository.nix.secrets;
