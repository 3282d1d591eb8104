/**
 * The nix content store binding (MyBatis DAOs) and the closure queries Nix content needs.
 */
package org.sonatype.nexus.repository.nix.store;
