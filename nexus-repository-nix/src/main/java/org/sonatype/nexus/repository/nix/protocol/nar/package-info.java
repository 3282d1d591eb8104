/**
 * NARs: measuring one (NarDigester), serialising a source tree as one, and whether a NAR file is the one its
 * narinfo describes (NarCheck).
 */
package org.sonatype.nexus.repository.nix.protocol.nar;
