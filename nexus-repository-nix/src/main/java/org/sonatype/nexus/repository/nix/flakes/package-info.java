/**
 * Private flakes: the flakes facet contract and its hosted, proxy and group implementations, their storage, upload
 * kind and HTTP handler.
 */
package org.sonatype.nexus.repository.nix.flakes;
