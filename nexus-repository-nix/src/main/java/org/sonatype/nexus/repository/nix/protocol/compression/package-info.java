/**
 * The NAR compressions Nix uses (xz, zstd, bzip2, gzip, brotli, lzip, lz4, lzma, compress) as decoding streams, and
 * the memory all decoding shares.
 */
package org.sonatype.nexus.repository.nix.protocol.compression;
