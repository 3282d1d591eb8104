package org.sonatype.nexus.repository.nix.it.support;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.SplittableRandom;

import org.sonatype.nexus.repository.nix.protocol.NixBase32;
import org.sonatype.nexus.repository.nix.protocol.NixHash;
import org.sonatype.nexus.repository.nix.protocol.NixHashType;

import com.github.luben.zstd.ZstdOutputStream;

/**
 * A store path made up without Nix, for tests that need a NAR of a chosen size and shape fast: a single regular file
 * of zero bytes, serialised as a NAR and zstd-compressed (a few hundred MiB of NAR become a file of a few KiB, which
 * a server verifying NarHash must still decompress and hash whole), with the narinfo that describes it.
 */
public final class SyntheticNar
{
  private final String storePath;

  private final Path file;

  private final String narInfo;

  private SyntheticNar(final String storePath, final Path file, final String narInfo) {
    this.storePath = storePath;
    this.file = file;
    this.narInfo = narInfo;
  }

  /**
   * @param name       the store path's name
   * @param zeroBytes  the size of the file in the NAR
   * @param references store paths (absolute) the narinfo lists as references
   */
  public static SyntheticNar create(final String name, final long zeroBytes, final List<String> references) {
    String hashPart = randomHashPart();
    String storePath = "/nix/store/" + hashPart + "-" + name;
    Path file = ItDirs.newTempDir("synthetic-nar").resolve(hashPart + ".nar.zst");
    try {
      MessageDigest narDigest = MessageDigest.getInstance("SHA-256");
      MessageDigest fileDigest = MessageDigest.getInstance("SHA-256");
      long narSize;
      try (OutputStream out = new DigestOutputStream(Files.newOutputStream(file), fileDigest);
           CountingStream nar = new CountingStream(
               new DigestOutputStream(new ZstdOutputStream(out), narDigest))) {
        writeRegularFileNar(nar, zeroBytes);
        nar.flush();
        narSize = nar.count;
      }
      String fileHash = NixHash.of(NixHashType.SHA256, fileDigest.digest()).toNix32();
      String narHash = NixHash.of(NixHashType.SHA256, narDigest.digest()).toNix32();
      String narInfo = String.join("\n",
          "StorePath: " + storePath,
          "URL: nar/" + fileHash + ".nar.zst",
          "Compression: zstd",
          "FileHash: sha256:" + fileHash,
          "FileSize: " + Files.size(file),
          "NarHash: sha256:" + narHash,
          "NarSize: " + narSize,
          "References: " + String.join(" ", references.stream().map(p -> p.substring("/nix/store/".length()))
              .toList()),
          "");
      return new SyntheticNar(storePath, file, narInfo);
    }
    catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public String storePath() {
    return storePath;
  }

  public String hashPart() {
    return storePath.substring("/nix/store/".length(), "/nix/store/".length() + 32);
  }

  /** {@code <hash part>.narinfo}, relative to a cache's URL. */
  public String narInfoPath() {
    return hashPart() + ".narinfo";
  }

  /** {@code nar/<file hash>.nar.zst}, relative to a cache's URL. */
  public String narPath() {
    return narInfo.lines().filter(l -> l.startsWith("URL: ")).findFirst().orElseThrow().substring(5);
  }

  public Path file() {
    return file;
  }

  public String narInfo() {
    return narInfo;
  }

  private static String randomHashPart() {
    SplittableRandom random = new SplittableRandom();
    StringBuilder hash = new StringBuilder();
    for (int i = 0; i < 32; i++) {
      hash.append(NixBase32.ALPHABET.charAt(random.nextInt(32)));
    }
    return hash.toString();
  }

  /** Nix's NAR serialisation of one regular, non-executable file. */
  private static void writeRegularFileNar(final OutputStream out, final long size) throws IOException {
    for (String token : List.of("nix-archive-1", "(", "type", "regular", "contents")) {
      writeString(out, token.getBytes(StandardCharsets.US_ASCII));
    }
    writeLong(out, size);
    byte[] zeros = new byte[1 << 20];
    for (long left = size; left > 0; left -= zeros.length) {
      out.write(zeros, 0, (int) Math.min(zeros.length, left));
    }
    out.write(new byte[padding(size)]);
    writeString(out, ")".getBytes(StandardCharsets.US_ASCII));
  }

  private static void writeString(final OutputStream out, final byte[] bytes) throws IOException {
    writeLong(out, bytes.length);
    out.write(bytes);
    out.write(new byte[padding(bytes.length)]);
  }

  private static void writeLong(final OutputStream out, final long value) throws IOException {
    out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array());
  }

  private static int padding(final long length) {
    return (int) ((8 - length % 8) % 8);
  }

  private static final class CountingStream
      extends java.io.FilterOutputStream
  {
    private long count;

    CountingStream(final OutputStream out) {
      super(out);
    }

    @Override
    public void write(final int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(final byte[] b, final int off, final int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }
  }
}
