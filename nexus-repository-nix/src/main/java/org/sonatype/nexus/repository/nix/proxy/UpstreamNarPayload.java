package org.sonatype.nexus.repository.nix.proxy;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.sonatype.nexus.repository.cache.CacheInfo;
import org.sonatype.nexus.repository.content.fluent.FluentAsset;
import org.sonatype.nexus.repository.nix.content.NixAssetKind;
import org.sonatype.nexus.repository.nix.protocol.DecoderMemoryException;
import org.sonatype.nexus.repository.nix.protocol.NarDigest;
import org.sonatype.nexus.repository.nix.protocol.NarDigester;
import org.sonatype.nexus.repository.nix.protocol.NarInfo;
import org.sonatype.nexus.repository.nix.protocol.NixHash;
import org.sonatype.nexus.repository.nix.protocol.NixHashType;
import org.sonatype.nexus.repository.view.Payload;
import org.sonatype.nexus.repository.view.payloads.TempBlob;

import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import org.apache.http.HttpEntity;
import org.apache.http.HttpResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A NAR on its way from the upstream: the client reads it as it arrives while every byte also goes to a temporary
 * file and two digests. When the upstream's body ends, the NAR is checked against its narinfo (FileHash and
 * FileSize, else NarHash and NarSize after decompression) and only then stored; the client's last read waits for
 * that, and a NAR that does not match fails the read, so the client sees a broken transfer (and retries) instead
 * of a complete wrong file, and nothing bad is cached.
 *
 * A client that needs minutes for a gigabyte gets its first bytes as soon as the upstream sends them.
 */
class UpstreamNarPayload
    implements Payload
{
  private static final Logger log = LoggerFactory.getLogger(UpstreamNarPayload.class);

  private final NixProxyFacet proxy;

  private final String path;

  private final NarInfo narInfo;

  private final HttpResponse response;

  private final CacheInfo cacheInfo;

  private final long size;

  private Path file;

  private boolean stored;

  UpstreamNarPayload(
      final NixProxyFacet proxy,
      final String path,
      final NarInfo narInfo,
      final HttpResponse response,
      final CacheInfo cacheInfo)
  {
    this.proxy = proxy;
    this.path = path;
    this.narInfo = narInfo;
    this.response = response;
    this.cacheInfo = cacheInfo;
    HttpEntity entity = response.getEntity();
    long length = entity != null ? entity.getContentLength() : -1;
    this.size = length >= 0 ? length : narInfo.fileSize().orElse(UNKNOWN_SIZE);
  }

  @Override
  public InputStream openInputStream() throws IOException {
    file = Files.createTempFile("nix-upstream-nar-", ".tmp");
    return new TeeInputStream(UpstreamResponses.body(response), Files.newOutputStream(file));
  }

  /** Fetches the whole NAR without a client reading it (for HEAD), verifying and storing it. */
  void drainAndStore() throws IOException {
    try (InputStream in = openInputStream()) {
      byte[] buffer = new byte[64 * 1024];
      while (in.read(buffer) >= 0) {
        // the tee stores it
      }
    }
    finally {
      close();
    }
  }

  @Override
  public long getSize() {
    return size;
  }

  @Override
  public String getContentType() {
    return NixAssetKind.NAR.contentType();
  }

  @Override
  public void close() throws IOException {
    // a client that stopped reading must not make this thread read the rest of the upstream's NAR
    UpstreamResponses.abandon(response);
    if (file != null) {
      Files.deleteIfExists(file);
    }
  }

  private void verifyAndStore(final NixHash sha256, final com.google.common.hash.HashCode sha1, final long count)
      throws IOException
  {
    String problem = mismatch(sha256, count);
    if (problem != null) {
      log.warn("Proxy {}: not caching {}: {}", proxy.repositoryName(), path, problem);
      throw new IOException("NAR " + path.substring(1) + " from the upstream " + problem + "; not cached");
    }
    try (TempBlob blob = proxy.content().ingestFile(file, getContentType(), sha1,
        com.google.common.hash.HashCode.fromBytes(sha256.bytes()))) {
      FluentAsset asset = proxy.content().putFile(path, NixAssetKind.NAR, blob);
      asset.markAsCached(cacheInfo);
      stored = true;
    }
  }

  /** What is wrong with the fetched file, or null if it is the NAR the narinfo describes. */
  private String mismatch(final NixHash sha256, final long count) throws IOException {
    if (narInfo.fileSize().isPresent() && narInfo.fileSize().getAsLong() != count) {
      return "has " + count + " bytes, its narinfo says FileSize " + narInfo.fileSize().getAsLong();
    }
    if (narInfo.fileHash().isPresent() && narInfo.fileHash().get().type() == NixHashType.SHA256) {
      return narInfo.fileHash().get().equals(sha256) ? null
          : "hashes to " + sha256 + ", its narinfo says FileHash " + narInfo.fileHash().get();
    }
    NarDigest digest;
    try (InputStream in = Files.newInputStream(file)) {
      digest = NarDigester.digest(in, narInfo.compression(), narInfo.narSize());
    }
    catch (DecoderMemoryException e) {
      // the server is busy, the NAR may be fine: not cached, and not called wrong
      throw e;
    }
    catch (IOException e) {
      return "does not decompress as " + narInfo.compression().nixName() + " (" + e.getMessage() + ")";
    }
    if (!digest.matchesNar(narInfo)) {
      return "decompresses to " + digest.narHash() + " (" + digest.narSize() + " bytes), its narinfo says NarHash "
          + narInfo.narHash() + " (" + narInfo.narSize() + " bytes)";
    }
    return null;
  }

  /**
   * Passes the upstream body through to the reader, copying it to the temporary file and digests; at the end of
   * the body it verifies and stores before reporting end-of-stream.
   */
  private class TeeInputStream
      extends FilterInputStream
  {
    private final OutputStream copy;

    private final Hasher sha256 = Hashing.sha256().newHasher();

    private final Hasher sha1 = Hashing.sha1().newHasher();

    private long count;

    private boolean finished;

    TeeInputStream(final InputStream upstream, final OutputStream copy) {
      super(upstream);
      this.copy = copy;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(final byte[] buffer, final int offset, final int length) throws IOException {
      if (finished) {
        return -1;
      }
      int n = super.read(buffer, offset, length);
      if (n < 0) {
        finished = true;
        copy.close();
        verifyAndStore(NixHash.of(NixHashType.SHA256, sha256.hash().asBytes()), sha1.hash(), count);
        return -1;
      }
      copy.write(buffer, offset, n);
      sha256.putBytes(buffer, offset, n);
      sha1.putBytes(buffer, offset, n);
      count += n;
      return n;
    }

    @Override
    public long skip(final long n) throws IOException {
      // skipping (a Range request) must still copy and hash what is skipped
      byte[] buffer = new byte[(int) Math.min(64 * 1024, Math.max(n, 1))];
      long skipped = 0;
      while (skipped < n) {
        int r = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
        if (r < 0) {
          break;
        }
        skipped += r;
      }
      return skipped;
    }

    @Override
    public boolean markSupported() {
      return false;
    }

    @Override
    public void close() throws IOException {
      try {
        copy.close();
      }
      finally {
        super.close();
      }
    }
  }
}
