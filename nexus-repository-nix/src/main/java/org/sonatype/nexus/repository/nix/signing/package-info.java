/**
 * Trust: a repository's own signing key (hosted and group repositories sign what they serve), the keys a hosted
 * repository requires on uploads, and the keys a proxy requires of its upstream.
 */
package org.sonatype.nexus.repository.nix.signing;
