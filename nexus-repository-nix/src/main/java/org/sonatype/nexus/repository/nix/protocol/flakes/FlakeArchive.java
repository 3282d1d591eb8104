package org.sonatype.nexus.repository.nix.protocol.flakes;

import java.util.Optional;
import org.sonatype.nexus.repository.nix.protocol.compression.Compression;

/**
 * The tarball formats a flake source is published in, by file extension. Nix 2.8 takes a URL as a tarball flake only
 * if its path ends in a tarball extension, and unpacks whatever it downloads by content; a flake keeps the extension
 * it was uploaded with, so every URL served for it ends the way Nix needs.
 */
public enum FlakeArchive
{
  TAR_GZ(".tar.gz", Compression.GZIP, "application/gzip"),
  TAR_XZ(".tar.xz", Compression.XZ, "application/x-xz"),
  TAR_ZST(".tar.zst", Compression.ZSTD, "application/zstd");

  private final String extension;

  private final Compression compression;

  private final String contentType;

  FlakeArchive(final String extension, final Compression compression, final String contentType) {
    this.extension = extension;
    this.compression = compression;
    this.contentType = contentType;
  }

  /** With the leading '.', e.g. {@code .tar.gz}. */
  public String extension() {
    return extension;
  }

  public Compression compression() {
    return compression;
  }

  /**
   * The archive's own type. Never served as a Content-Encoding: Nix would decompress the body and unpack the tar
   * as if it were compressed.
   */
  public String contentType() {
    return contentType;
  }

  /** The format a file name ends in, if any. */
  public static Optional<FlakeArchive> ofFileName(final String fileName) {
    for (FlakeArchive archive : values()) {
      if (fileName.endsWith(archive.extension) && fileName.length() > archive.extension.length()) {
        return Optional.of(archive);
      }
    }
    return Optional.empty();
  }

  /** "{@code .tar.gz}, {@code .tar.xz} or {@code .tar.zst}", for messages. */
  public static String describeAll() {
    return TAR_GZ.extension + ", " + TAR_XZ.extension + " or " + TAR_ZST.extension;
  }
}
