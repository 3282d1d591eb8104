package org.sonatype.nexus.repository.nix.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.ReentrantLock;

import javax.annotation.Nullable;

import org.sonatype.nexus.repository.cache.CacheInfo;
import org.sonatype.nexus.repository.content.fluent.FluentAsset;
import org.sonatype.nexus.repository.nix.content.NixAssetKind;
import org.sonatype.nexus.repository.nix.protocol.NixHash;
import org.sonatype.nexus.repository.nix.protocol.NixHashType;
import org.sonatype.nexus.repository.nix.protocol.compression.DecoderMemoryException;
import org.sonatype.nexus.repository.nix.protocol.nar.NarCheck;
import org.sonatype.nexus.repository.nix.protocol.nar.NarDigest;
import org.sonatype.nexus.repository.nix.protocol.nar.NarDigester;
import org.sonatype.nexus.repository.nix.protocol.narinfo.NarInfo;
import org.sonatype.nexus.repository.view.Payload;
import org.sonatype.nexus.repository.view.payloads.TempBlob;

import com.google.common.hash.HashCode;
import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import org.apache.http.HttpEntity;
import org.apache.http.HttpResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A NAR on its way from the upstream, shared by every client that asks for it meanwhile: one upstream request, one
 * temporary file. Each client reads the file as it grows; whichever client needs bytes not there yet reads the next
 * chunk from the upstream into the file (and the two digests), so the transfer goes as fast as the fastest reader and
 * a client that stops reading holds nobody up. When the upstream's body ends, the NAR is checked, and every client's
 * last byte waits for that: a NAR that does not match is never sent whole, so clients see a broken transfer (and
 * retry) instead of a complete wrong file, and nothing bad is cached.
 *
 * <p>A NAR a narinfo of the proxy names ({@link #stored}) is checked against that narinfo (FileHash and FileSize, else
 * NarHash and NarSize after decompression) and then stored. One no narinfo names, fetched for its name alone
 * ({@link #passedThrough}: {@code nar/<FileHash>.nar<ext>}, such as the archive a debuginfo index points at), is
 * checked against the file hash its name says and not stored: a NAR is cached with its narinfo.
 *
 * <p>When the last client has gone before the end, the upstream connection is abandoned (nobody reads the rest) and
 * the file deleted; the next request starts over.
 */
final class SharedUpstreamNar
{
  private static final Logger log = LoggerFactory.getLogger(SharedUpstreamNar.class);

  private static final int CHUNK = 64 * 1024;

  /** How long a client waits for another's upstream read before looking again. */
  private static final long WAIT_MILLIS = 1000;

  private final NixProxyFacet proxy;

  private final String path;

  /** null for a NAR passed through */
  @Nullable
  private final NarInfo narInfo;

  /** what a NAR passed through must hash to; null for a NAR stored (its narinfo says) */
  @Nullable
  private final NixHash namedFileHash;

  private final HttpResponse response;

  @Nullable
  private final CacheInfo cacheInfo;

  private final long size;

  private final Runnable onFinished;

  private final Path file;

  /** Held by the client reading the next chunk from the upstream. */
  private final ReentrantLock upstreamLock = new ReentrantLock();

  /** Guards the fields below; notified whenever {@link #written} grows or the transfer finishes. */
  private final Object progress = new Object();

  // written by the upstream lock's holder only
  private InputStream upstream;

  private FileChannel out;

  private final Hasher sha256 = Hashing.sha256().newHasher();

  private final Hasher sha1 = Hashing.sha1().newHasher();

  private final byte[] chunk = new byte[CHUNK];

  private volatile long written;

  private volatile boolean finished;

  @Nullable
  private volatile IOException failure;

  /** Payloads handed out and not closed yet. */
  private int holders;

  /**
   * The NAR {@code narInfo} names, to be checked against it and stored.
   *
   * @param onFinished called once, when the NAR is stored or the transfer failed or was abandoned (the proxy then
   *                   stops handing this transfer to new clients)
   */
  static SharedUpstreamNar stored(
      final NixProxyFacet proxy,
      final String path,
      final NarInfo narInfo,
      final HttpResponse response,
      final CacheInfo cacheInfo,
      final Runnable onFinished) throws IOException
  {
    return new SharedUpstreamNar(proxy, path, narInfo, null, response, cacheInfo, onFinished);
  }

  /**
   * A NAR no narinfo names, to be checked against the file hash its name says and passed through, not stored.
   *
   * @param onFinished called once, when the NAR has arrived whole or the transfer failed or was abandoned
   */
  static SharedUpstreamNar passedThrough(
      final NixProxyFacet proxy,
      final String path,
      final NixHash fileHash,
      final HttpResponse response,
      final Runnable onFinished) throws IOException
  {
    return new SharedUpstreamNar(proxy, path, null, fileHash, response, null, onFinished);
  }

  private SharedUpstreamNar(
      final NixProxyFacet proxy,
      final String path,
      @Nullable final NarInfo narInfo,
      @Nullable final NixHash namedFileHash,
      final HttpResponse response,
      @Nullable final CacheInfo cacheInfo,
      final Runnable onFinished) throws IOException
  {
    this.proxy = proxy;
    this.path = path;
    this.narInfo = narInfo;
    this.namedFileHash = namedFileHash;
    this.response = response;
    this.cacheInfo = cacheInfo;
    this.onFinished = onFinished;
    HttpEntity entity = response.getEntity();
    long length = entity != null ? entity.getContentLength() : -1;
    if (length >= 0) {
      this.size = length;
    }
    else {
      this.size = narInfo != null ? narInfo.fileSize().orElse(Payload.UNKNOWN_SIZE) : Payload.UNKNOWN_SIZE;
    }
    this.file = Files.createTempFile("nix-upstream-nar-", ".tmp");
    try {
      this.out = FileChannel.open(file, StandardOpenOption.WRITE);
      this.upstream = UpstreamResponses.body(response);
    }
    catch (IOException | RuntimeException e) {
      UpstreamResponses.abandon(response);
      Files.deleteIfExists(file);
      throw e;
    }
  }

  /**
   * A payload reading this transfer, or null if it has already finished (stored, failed or abandoned): then the
   * caller looks in the cache or starts a new transfer.
   */
  @Nullable
  Payload share() {
    synchronized (progress) {
      if (finished) {
        return null;
      }
      holders++;
    }
    return new SharedPayload();
  }

  @Override
  public String toString() {
    return "SharedUpstreamNar{" + path + ", written=" + written + ", finished=" + finished + "}";
  }

  // ---- the upstream side

  /**
   * Makes progress beyond {@code position}: reads the next chunk from the upstream if no other client is, else waits
   * a moment for whoever is.
   */
  private void advance(final long position) throws IOException {
    if (!upstreamLock.tryLock()) {
      synchronized (progress) {
        if (written <= position && !finished) {
          try {
            progress.wait(WAIT_MILLIS);
          }
          catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the upstream", e);
          }
        }
      }
      return;
    }
    try {
      if (written > position || finished) {
        return;
      }
      int n = upstream.read(chunk, 0, chunk.length);
      if (n < 0) {
        finish();
        return;
      }
      ByteBuffer buffer = ByteBuffer.wrap(chunk, 0, n);
      while (buffer.hasRemaining()) {
        out.write(buffer);
      }
      sha256.putBytes(chunk, 0, n);
      sha1.putBytes(chunk, 0, n);
      synchronized (progress) {
        written += n;
        progress.notifyAll();
      }
    }
    catch (IOException | RuntimeException e) {
      fail(e instanceof IOException ? (IOException) e : new IOException(e));
    }
    finally {
      upstreamLock.unlock();
    }
  }

  /** The upstream's body ended: verify, store (unless passed through), and let every reader reach its end. */
  private void finish() throws IOException {
    out.close();
    NixHash fileSha256 = NixHash.of(NixHashType.SHA256, sha256.hash().asBytes());
    String problem = mismatch(fileSha256, written);
    if (problem != null) {
      log.warn("Proxy {}: not {} {}: {}", proxy.repositoryName(), narInfo != null ? "caching" : "passing on", path,
          problem);
      fail(new IOException("NAR " + path.substring(1) + " from the upstream " + problem
          + (narInfo != null ? "; not cached" : "")));
      return;
    }
    if (narInfo == null) {
      end(null);
      return;
    }
    // streamed from the file into the blob store, not linked: only a file blob store can take a file as it is
    try (InputStream in = Files.newInputStream(file);
         TempBlob blob = proxy.content().ingestHashed(in, NixAssetKind.NAR.contentType(), sha1.hash(),
             HashCode.fromBytes(fileSha256.bytes()))) {
      FluentAsset asset = proxy.content().putFile(path, NixAssetKind.NAR, blob);
      asset.markAsCached(cacheInfo);
    }
    catch (IOException | RuntimeException e) {
      fail(e instanceof IOException ? (IOException) e : new IOException(e));
      return;
    }
    end(null);
  }

  private void fail(final IOException e) {
    UpstreamResponses.abandon(response);
    end(e);
  }

  private void end(@Nullable final IOException failed) {
    synchronized (progress) {
      if (finished) {
        return;
      }
      failure = failed;
      finished = true;
      progress.notifyAll();
      if (holders == 0) {
        deleteFile();
      }
    }
    try {
      out.close();
    }
    catch (IOException e) {
      // nothing more to write
    }
    onFinished.run();
  }

  /** What is wrong with the fetched file, or null if it is the NAR the narinfo (or its name) describes. */
  @Nullable
  private String mismatch(final NixHash fileSha256, final long count) throws IOException {
    if (narInfo == null) {
      return fileSha256.equals(namedFileHash) ? null
          : "hashes to " + fileSha256 + ", not to the file hash its name says";
    }
    NarCheck fileCheck = NarCheck.ofFile(narInfo, count, fileSha256);
    if (fileCheck.outcome() == NarCheck.Outcome.FILE_SIZE_DIFFERS) {
      return "has " + count + " bytes, its narinfo says FileSize " + narInfo.fileSize().getAsLong();
    }
    if (fileCheck.outcome() == NarCheck.Outcome.FILE_HASH_DIFFERS) {
      return "hashes to " + fileSha256 + ", its narinfo says FileHash " + narInfo.fileHash().get();
    }
    if (fileCheck.fileHashMatched()) {
      // the very bytes the narinfo's author hashed: decompressing them would tell nothing more
      return null;
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
    if (!NarCheck.ofNar(narInfo, digest).matches()) {
      return "decompresses to " + digest.narHash() + " (" + digest.narSize() + " bytes), its narinfo says NarHash "
          + narInfo.narHash() + " (" + narInfo.narSize() + " bytes)";
    }
    return null;
  }

  private void deleteFile() {
    try {
      Files.deleteIfExists(file);
    }
    catch (IOException e) {
      log.debug("Could not delete {}", file, e);
    }
  }

  /** A holder let go: the last one before the end abandons the transfer; the last one after deletes the file. */
  private void release() {
    boolean abandon = false;
    synchronized (progress) {
      holders--;
      if (holders == 0) {
        if (finished) {
          deleteFile();
        }
        else {
          abandon = true;
        }
      }
    }
    if (abandon) {
      // nobody reads the rest: a thread must not read a gigabyte NAR nobody wants
      fail(new IOException("every client stopped reading " + path.substring(1) + " before its end"));
    }
  }

  // ---- the clients' side

  /** One client's view: the file from the beginning, as far as it has come. */
  private final class SharedPayload
      implements Payload
  {
    private boolean closed;

    @Override
    public InputStream openInputStream() throws IOException {
      return new Reader(FileChannel.open(file, StandardOpenOption.READ));
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
    public synchronized void close() {
      if (!closed) {
        closed = true;
        release();
      }
    }
  }

  private final class Reader
      extends InputStream
  {
    private final FileChannel in;

    private long position;

    Reader(final FileChannel in) {
      this.in = in;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(final byte[] buffer, final int offset, final int length) throws IOException {
      if (length == 0) {
        return 0;
      }
      while (true) {
        // finished first: once it is set, written is final
        boolean done = finished;
        long available = written;
        IOException failed = failure;
        if (done && failed != null) {
          throw new IOException(failed.getMessage(), failed);
        }
        // the file's last byte goes out only once the whole file is known good: a client that got every byte
        // (a Content-Length's worth) got the right file, and one that did not sees its transfer break off
        long readable = done ? available : available - 1;
        if (position < readable) {
          int n = in.read(ByteBuffer.wrap(buffer, offset, (int) Math.min(length, readable - position)), position);
          if (n > 0) {
            position += n;
            return n;
          }
        }
        else if (done) {
          return -1;
        }
        else {
          // progress beyond the byte held back
          advance(position + 1);
        }
      }
    }

    @Override
    public long skip(final long n) throws IOException {
      // a Range request: the skipped bytes must still arrive (and be hashed) before what follows
      byte[] discard = new byte[(int) Math.min(CHUNK, Math.max(n, 1))];
      long skipped = 0;
      while (skipped < n) {
        int r = read(discard, 0, (int) Math.min(discard.length, n - skipped));
        if (r < 0) {
          break;
        }
        skipped += r;
      }
      return skipped;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }

  /** Reads a whole payload of this transfer (for HEAD, which must not answer before the NAR is known good). */
  static void drain(final Payload payload) throws IOException {
    try (Payload held = payload; InputStream in = held.openInputStream()) {
      byte[] buffer = new byte[CHUNK];
      while (in.read(buffer) >= 0) {
        // the transfer stores it
      }
    }
  }
}
