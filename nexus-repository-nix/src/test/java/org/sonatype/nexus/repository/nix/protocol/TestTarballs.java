package org.sonatype.nexus.repository.nix.protocol;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import com.github.luben.zstd.ZstdOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/**
 * Small tar archives built in memory, entry by entry, for the tarball checks.
 */
public final class TestTarballs
{
  private final List<TarArchiveEntry> entries = new ArrayList<>();

  private final List<byte[]> contents = new ArrayList<>();

  public static TestTarballs tar() {
    return new TestTarballs();
  }

  /** The usual channel: {@code dir/}, {@code dir/default.nix}, {@code dir/.version}. */
  public static TestTarballs channel(final String dir) {
    return tar().directory(dir + "/")
        .file(dir + "/default.nix", "{ ... }: { hello = \"world\"; }\n")
        .file(dir + "/.version", "1.0\n");
  }

  public TestTarballs directory(final String name) {
    return add(new TarArchiveEntry(name), new byte[0]);
  }

  public TestTarballs file(final String name, final String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    TarArchiveEntry entry = new TarArchiveEntry(name);
    entry.setSize(bytes.length);
    return add(entry, bytes);
  }

  /** The usual flake: {@code dir/}, {@code dir/flake.nix}. */
  public static TestTarballs flake(final String dir) {
    return tar().directory(dir + "/")
        .file(dir + "/flake.nix", "{ outputs = { self }: { }; }\n");
  }

  public TestTarballs executable(final String name, final String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    TarArchiveEntry entry = new TarArchiveEntry(name);
    entry.setMode(0100755);
    entry.setSize(bytes.length);
    return add(entry, bytes);
  }

  public TestTarballs fifo(final String name) {
    return add(new TarArchiveEntry(name, TarConstants.LF_FIFO), new byte[0]);
  }

  public TestTarballs symlink(final String name, final String target) {
    TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
    entry.setLinkName(target);
    return add(entry, new byte[0]);
  }

  public TestTarballs hardLink(final String name, final String target) {
    TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_LINK);
    entry.setLinkName(target);
    return add(entry, new byte[0]);
  }

  /** A one-byte file with exactly this name: TarArchiveEntry strips a leading "/" unless told to preserve it. */
  public TestTarballs rawFile(final String name) {
    TarArchiveEntry entry = new TarArchiveEntry(name, true);
    entry.setSize(1);
    return add(entry, new byte[]{'x'});
  }

  private TestTarballs add(final TarArchiveEntry entry, final byte[] content) {
    entries.add(entry);
    contents.add(content);
    return this;
  }

  /** The uncompressed archive. */
  public byte[] toTar() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    writeTo(bytes);
    return bytes.toByteArray();
  }

  public byte[] toTarXz() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (XZOutputStream xz = new XZOutputStream(bytes, new LZMA2Options(1))) {
      writeTo(xz);
    }
    catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  public byte[] toTarGz() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      writeTo(gz);
    }
    catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  public byte[] toTarZst() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZstdOutputStream zst = new ZstdOutputStream(bytes)) {
      writeTo(zst);
    }
    catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  public static byte[] xz(final byte[] data) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (XZOutputStream xz = new XZOutputStream(bytes, new LZMA2Options(1))) {
      xz.write(data);
    }
    catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private void writeTo(final OutputStream out) {
    try {
      TarArchiveOutputStream tar = new TarArchiveOutputStream(out, StandardCharsets.UTF_8.name());
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (int i = 0; i < entries.size(); i++) {
        tar.putArchiveEntry(entries.get(i));
        tar.write(contents.get(i));
        tar.closeArchiveEntry();
      }
      tar.finish();
      tar.flush();
    }
    catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
