/**
 * The proxy binary cache: fetching from the upstream (origins, redirects, timeouts, the upstream gate), checking
 * what it sends and sharing one NAR transfer among clients.
 */
package org.sonatype.nexus.repository.nix.proxy;
