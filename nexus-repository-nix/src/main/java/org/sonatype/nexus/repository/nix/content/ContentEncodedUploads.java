package org.sonatype.nexus.repository.nix.content;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map.Entry;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.annotation.Nullable;

import org.sonatype.nexus.repository.nix.http.NixRequestException;
import org.sonatype.nexus.repository.nix.http.RefusedBodyException;
import org.sonatype.nexus.repository.nix.protocol.CorruptDataException;
import org.sonatype.nexus.repository.nix.protocol.compression.Compression;
import org.sonatype.nexus.repository.view.Headers;
import org.sonatype.nexus.repository.view.Payload;
import org.sonatype.nexus.repository.view.Request;

import static org.sonatype.nexus.repository.nix.http.NixRequestException.badGateway;
import static org.sonatype.nexus.repository.nix.http.NixRequestException.badRequest;
import static org.sonatype.nexus.repository.nix.http.NixRequestException.tooLarge;

/**
 * Uploads sent with a {@code Content-Encoding}. Since Nix 2.32, {@code nix copy --to '<url>?narinfo-compression=zstd'}
 * (and {@code ls-compression}, {@code log-compression}) compresses narinfos, listings and logs and names the
 * compression in {@code Content-Encoding}, with Nix's name for it ({@code zstd}, {@code xz}, {@code br},
 * {@code gzip}, {@code bzip2}, {@code lz4}, {@code lzip}, {@code lzma}, {@code compress}, or {@code none}). The
 * repository decodes the body as it reads it and keeps the decoded document, which it serves as if it had been
 * sent plain.
 *
 * <p>Decoding multiplies what a client sends (a 1 MiB zstd body can decode to terabytes), so a decoded body is
 * bounded per kind of file; past the bound the upload is a 413 and nothing is stored. NARs are never decoded: they
 * are stored as sent and their compression is the narinfo's {@code Compression} field, so a NAR with a
 * {@code Content-Encoding} is a 415, as is any encoding this plugin cannot decode.
 */
public final class ContentEncodedUploads
{
  public static final String CONTENT_ENCODING = "Content-Encoding";

  /** The largest decoded listing or log: a listing of a NAR with a million files, or a very chatty build. */
  public static final long MAX_DECODED_FILE_BYTES = 256L * 1024 * 1024;

  /** The largest decoded realisation, build trace, debuginfo index or nix-cache-info: all a few hundred bytes. */
  public static final long MAX_DECODED_SMALL_FILE_BYTES = 1024 * 1024;

  private ContentEncodedUploads() {
  }

  /**
   * The request's body as the repository should read it: the payload itself when it has no encoding (or
   * {@code identity}/{@code none}), otherwise a payload that decodes it, bounded for {@code kind}.
   *
   * @param kind the file the request uploads, or null for {@code nix-cache-info}
   * @throws NixRequestException 415 for an encoding that cannot be decoded, or any encoding of a NAR
   */
  public static Payload decoded(final Request request, @Nullable final NixAssetKind kind) {
    Payload payload = request.getPayload();
    if (payload == null) {
      return null;
    }
    String what = request.getPath().substring(1);
    Optional<Compression> encoding = encoding(request.getHeaders(), what);
    if (encoding.isEmpty()) {
      return payload;
    }
    if (kind == NixAssetKind.NAR) {
      throw unsupported(what + " was sent with Content-Encoding: " + encoding.get().nixName() + "; NARs are stored "
          + "as sent: compress them with ?compression=" + encoding.get().nixName()
          + " (the narinfo's Compression field names it), not with Content-Encoding");
    }
    return new DecodedPayload(payload, encoding.get(), maxDecodedBytes(kind), what);
  }

  /**
   * The same request with {@link #decoded} as its body and no {@code Content-Encoding}: what a repository that reads
   * the body and passes the request on (a group to its writable member) sends on.
   */
  public static Request withDecodedBody(final Request request, final Payload decodedBody) {
    Headers headers = new Headers();
    for (Entry<String, String> header : request.getHeaders()) {
      if (!CONTENT_ENCODING.equalsIgnoreCase(header.getKey())) {
        headers.set(header.getKey(), appended(headers.getAll(header.getKey()), header.getValue()));
      }
    }
    return new Request.Builder().copy(request).headers(headers).payload(decodedBody).build();
  }

  /**
   * An upstream's body as a proxy stores it: decoded when the upstream sent it with a {@code Content-Encoding}
   * (cache.nixos.org serves listings brotli-encoded), and bounded for {@code kind} like an upload, encoded or not,
   * so that one small response of a broken or hostile upstream cannot fill the blob store. Reading past the bound,
   * or a body that does not decode, fails with a {@link RefusedBodyException} carrying a 502.
   *
   * @param contentEncoding the upstream's {@code Content-Encoding}, or null for none
   * @param what the file, for messages ({@code "<hash>.ls"})
   * @throws NixRequestException 502 for an encoding this plugin cannot decode
   */
  public static InputStream upstreamBody(
      final InputStream body,
      @Nullable final String contentEncoding,
      final NixAssetKind kind,
      final String what) throws IOException
  {
    Headers headers = new Headers();
    if (contentEncoding != null) {
      headers.set(CONTENT_ENCODING, contentEncoding);
    }
    Optional<Compression> encoding;
    try {
      encoding = encoding(headers, what);
    }
    catch (NixRequestException e) {
      body.close();
      throw badGateway("the upstream sent " + what + " with Content-Encoding '" + abbreviate(contentEncoding)
          + "', which this repository cannot decode; not cached");
    }
    long maxBytes = maxDecodedBytes(kind);
    String from = "the upstream's " + what;
    if (encoding.isEmpty()) {
      return new BoundedBody(body, maxBytes,
          corrupt -> badGateway(from + " could not be read: " + corrupt),
          () -> badGateway(from + " is bigger than " + maxBytes + " bytes, the most a proxy keeps of it; not cached"));
    }
    String coding = encoding.get().nixName();
    return new BoundedBody(encoding.get().decompress(body), maxBytes,
        corrupt -> badGateway(from + " does not decode as " + coding + " (its Content-Encoding): " + corrupt
            + "; not cached"),
        () -> badGateway(from + " decodes (Content-Encoding: " + coding + ") to more than " + maxBytes
            + " bytes, the most a proxy keeps of it; not cached"));
  }

  /** The most a body of this kind may decode to. */
  static long maxDecodedBytes(@Nullable final NixAssetKind kind) {
    if (kind == NixAssetKind.NARINFO) {
      return UploadBodies.MAX_NARINFO_BYTES;
    }
    if (kind == NixAssetKind.LISTING || kind == NixAssetKind.LOG) {
      return MAX_DECODED_FILE_BYTES;
    }
    return MAX_DECODED_SMALL_FILE_BYTES;
  }

  /**
   * The compression the {@code Content-Encoding} header names; empty for none, {@code identity} or {@code none}.
   * Codings are case-insensitive (RFC 9110); {@code x-gzip} and {@code x-compress} are the old names of gzip and
   * compress.
   */
  static Optional<Compression> encoding(final Headers headers, final String what) {
    List<String> codings = new ArrayList<>();
    for (Entry<String, String> header : headers) {
      if (CONTENT_ENCODING.equalsIgnoreCase(header.getKey())) {
        for (String coding : header.getValue().split(",")) {
          String name = coding.trim().toLowerCase(Locale.ROOT);
          if (!name.isEmpty() && !name.equals("identity") && !name.equals("none")) {
            codings.add(name);
          }
        }
      }
    }
    if (codings.isEmpty()) {
      return Optional.empty();
    }
    if (codings.size() > 1) {
      throw unsupported(what + " was sent with Content-Encoding: " + String.join(", ", codings)
          + "; only one encoding is accepted");
    }
    String name = codings.get(0);
    String nixName = name.equals("x-gzip") ? "gzip" : name.equals("x-compress") ? "compress" : name;
    for (Compression compression : Compression.values()) {
      if (compression != Compression.NONE && compression.nixName().equals(nixName)) {
        return Optional.of(compression);
      }
    }
    throw unsupported(what + " was sent with Content-Encoding '" + abbreviate(name) + "', which this repository "
        + "cannot decode; send it plain or with one of " + decodable());
  }

  private static String decodable() {
    return Stream.of(Compression.values())
        .filter(compression -> compression != Compression.NONE)
        .map(Compression::nixName)
        .collect(Collectors.joining(", "));
  }

  private static List<String> appended(final List<String> values, final String value) {
    List<String> all = new ArrayList<>(values);
    all.add(value);
    return all;
  }

  private static String abbreviate(final String value) {
    String printable = value.replaceAll("[^\\x20-\\x7e]", "?");
    return printable.length() <= 40 ? printable : printable.substring(0, 40) + "...";
  }

  private static NixRequestException unsupported(final String message) {
    return new NixRequestException(415, message);
  }

  /**
   * The decoded body. Its size is unknown until it is read; reading fails with a {@link RefusedBodyException}
   * carrying a 400 when the body does not decode and a 413 when it decodes to more than the bound, while a failure
   * to receive the body (the client went away) passes through as the I/O error it is.
   */
  private static final class DecodedPayload
      implements Payload
  {
    private final Payload encoded;

    private final Compression encoding;

    private final long maxBytes;

    private final String what;

    private DecodedPayload(final Payload encoded, final Compression encoding, final long maxBytes, final String what) {
      this.encoded = encoded;
      this.encoding = encoding;
      this.maxBytes = maxBytes;
      this.what = what;
    }

    @Override
    public InputStream openInputStream() throws IOException {
      return new BoundedBody(encoding.decompress(encoded.openInputStream()), maxBytes,
          corrupt -> badRequest(what + " does not decode as " + encoding.nixName() + " (its Content-Encoding): "
              + corrupt + "; nothing was stored"),
          () -> tooLarge(what + " decodes (Content-Encoding: " + encoding.nixName() + ") to more than " + maxBytes
              + " bytes, the most accepted for it; nothing was stored"));
    }

    @Override
    public long getSize() {
      return UNKNOWN_SIZE;
    }

    @Nullable
    @Override
    public String getContentType() {
      return encoded.getContentType();
    }

    @Override
    public void close() throws IOException {
      encoded.close();
    }
  }

  /**
   * A body read up to a bound: reading fails with a {@link RefusedBodyException} once more than {@code maxBytes} came
   * through, or when the data does not decode, carrying the refusal the caller chose for each.
   */
  private static final class BoundedBody
      extends FilterInputStream
  {
    private final long maxBytes;

    private final Function<String, NixRequestException> corrupt;

    private final Supplier<NixRequestException> tooBig;

    private long count;

    private BoundedBody(
        final InputStream body,
        final long maxBytes,
        final Function<String, NixRequestException> corrupt,
        final Supplier<NixRequestException> tooBig)
    {
      super(body);
      this.maxBytes = maxBytes;
      this.corrupt = corrupt;
      this.tooBig = tooBig;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n <= 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(final byte[] buffer, final int offset, final int length) throws IOException {
      int n;
      try {
        // one byte more than allowed tells "exactly the bound" from "more"
        n = in.read(buffer, offset, (int) Math.min(length, maxBytes + 1 - count));
      }
      catch (CorruptDataException e) {
        throw new RefusedBodyException(corrupt.apply(e.getMessage()), e);
      }
      if (n > 0) {
        count += n;
        if (count > maxBytes) {
          throw new RefusedBodyException(tooBig.get(), null);
        }
      }
      return n;
    }

    @Override
    public long skip(final long n) throws IOException {
      // read, not skip: skipped bytes count towards the bound too
      byte[] buffer = new byte[8192];
      long left = n;
      while (left > 0) {
        int read = read(buffer, 0, (int) Math.min(buffer.length, left));
        if (read < 0) {
          break;
        }
        left -= read;
      }
      return n - left;
    }

    @Override
    public boolean markSupported() {
      return false;
    }
  }
}
