/**
 * Narinfo and nix-cache-info documents: strict parsing and rendering, content addresses, signatures over a narinfo.
 */
package org.sonatype.nexus.repository.nix.protocol.narinfo;
