package org.sonatype.nexus.repository.nix.content;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import org.sonatype.nexus.repository.nix.http.NixRequestException;
import org.sonatype.nexus.repository.nix.http.RefusedBodyException;
import org.sonatype.nexus.repository.nix.protocol.compression.Compression;
import org.sonatype.nexus.repository.view.Payload;
import org.sonatype.nexus.repository.view.Request;
import org.sonatype.nexus.repository.view.payloads.BytesPayload;

import com.github.luben.zstd.ZstdOutputStream;
import com.google.common.io.ByteStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The fixtures are the protocol package's (written by the real tools: see CompressionTest): two-members.* decode to
 * two lines of text, rb-1.0.nar.* to the same 276,000-byte NAR.
 */
class ContentEncodedUploadsTest
{
  private static final String FIXTURES = "/org/sonatype/nexus/repository/nix/protocol/";

  private static final byte[] TWO_LINES = "first member\nsecond member\n".getBytes(StandardCharsets.UTF_8);

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "zstd, two-members.zst",
      "xz, two-members.xz",
      "br, two-lines.br",
      "gzip, two-members.gz",
      "bzip2, two-members.bz2",
      "lz4, two-members.lz4",
      "lzip, two-members.lzip"
  })
  void aBodyInEachEncodingNixSendsIsReadDecoded(final String encoding, final String fixture) throws IOException {
    Payload decoded = ContentEncodedUploads.decoded(put("/log/abc", encoding, fixture(fixture)),
        NixAssetKind.LOG);

    assertThat(read(decoded)).isEqualTo(TWO_LINES);
    assertThat(decoded.getSize()).isEqualTo(Payload.UNKNOWN_SIZE);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"lzma, rb-1.0.nar.lzma", "compress, rb-1.0.nar.Z"})
  void lzmaAndCompressBodiesAreReadDecodedToo(final String encoding, final String fixture) throws IOException {
    byte[] nar = read(Compression.XZ.decompress(new java.io.ByteArrayInputStream(fixture("rb-1.0.nar.xz"))));

    Payload decoded = ContentEncodedUploads.decoded(put("/abc.ls", encoding, fixture(fixture)), NixAssetKind.LISTING);

    assertThat(read(decoded)).isEqualTo(nar);
  }

  @ParameterizedTest(name = "''{0}''")
  @ValueSource(strings = {"identity", "none", "", "Identity"})
  void noEncodingLeavesTheBodyAsItIs(final String encoding) {
    Request request = put("/abc.narinfo", encoding, TWO_LINES);

    assertThat(ContentEncodedUploads.decoded(request, NixAssetKind.NARINFO)).isSameAs(request.getPayload());
  }

  @Test
  void withoutTheHeaderTheBodyIsAsItIs() {
    Request request = new Request.Builder().action("PUT").path("/abc.narinfo")
        .payload(new BytesPayload(TWO_LINES, "text/x-nix-narinfo")).build();

    assertThat(ContentEncodedUploads.decoded(request, NixAssetKind.NARINFO)).isSameAs(request.getPayload());
  }

  @Test
  void headerNamesAndCodingsAreCaseInsensitiveAndXGzipIsGzip() throws IOException {
    Request request = new Request.Builder().action("PUT").path("/log/abc")
        .header("content-encoding", "X-GZIP")
        .payload(new BytesPayload(fixture("two-members.gz"), "text/plain")).build();

    assertThat(read(ContentEncodedUploads.decoded(request, NixAssetKind.LOG))).isEqualTo(TWO_LINES);
  }

  @Test
  void anEncodingThatCannotBeDecodedIsA415NamingIt() {
    assertThatThrownBy(() -> ContentEncodedUploads.decoded(put("/abc.narinfo", "lzop", TWO_LINES),
        NixAssetKind.NARINFO))
        .isInstanceOfSatisfying(NixRequestException.class, e -> assertThat(e.status()).isEqualTo(415))
        .hasMessage("abc.narinfo was sent with Content-Encoding 'lzop', which this repository cannot decode; send it"
            + " plain or with one of xz, bzip2, zstd, br, gzip, lz4, lzip, lzma, compress");
  }

  @Test
  void twoEncodingsAreA415() {
    assertThatThrownBy(() -> ContentEncodedUploads.decoded(put("/abc.narinfo", "gzip, zstd", TWO_LINES),
        NixAssetKind.NARINFO))
        .isInstanceOfSatisfying(NixRequestException.class, e -> assertThat(e.status()).isEqualTo(415))
        .hasMessageContaining("only one encoding is accepted");
  }

  @Test
  void aNarIsNeverDecoded() {
    assertThatThrownBy(() -> ContentEncodedUploads.decoded(put("/nar/abc.nar", "zstd", TWO_LINES), NixAssetKind.NAR))
        .isInstanceOfSatisfying(NixRequestException.class, e -> assertThat(e.status()).isEqualTo(415))
        .hasMessageContaining("compress them with ?compression=zstd");
  }

  @Test
  void aBodyThatDoesNotDecodeIsA400() {
    Payload decoded = ContentEncodedUploads.decoded(put("/abc.narinfo", "zstd", TWO_LINES), NixAssetKind.NARINFO);

    assertThatThrownBy(() -> UploadBodies.readText(decoded, UploadBodies.MAX_NARINFO_BYTES, "narinfo"))
        .isInstanceOfSatisfying(NixRequestException.class, e -> assertThat(e.status()).isEqualTo(400))
        .hasMessageStartingWith("abc.narinfo does not decode as zstd (its Content-Encoding): ");
  }

  @Test
  void aSmallNarInfoDecodingPastTheNarInfoBoundIsA413() {
    byte[] bomb = zstdOfZeros(UploadBodies.MAX_NARINFO_BYTES * 64L);
    assertThat(bomb.length).isLessThan(64 * 1024);
    Payload decoded = ContentEncodedUploads.decoded(put("/abc.narinfo", "zstd", bomb), NixAssetKind.NARINFO);

    assertThatThrownBy(() -> UploadBodies.readText(decoded, UploadBodies.MAX_NARINFO_BYTES, "narinfo"))
        .isInstanceOfSatisfying(NixRequestException.class, e -> assertThat(e.status()).isEqualTo(413))
        .hasMessage("abc.narinfo decodes (Content-Encoding: zstd) to more than 1048576 bytes, the most accepted for"
            + " it; nothing was stored");
  }

  @Test
  void aLogDecodingPastTheFileBoundStopsThereWithA413() throws IOException {
    byte[] bomb = zstdOfZeros(ContentEncodedUploads.MAX_DECODED_FILE_BYTES + 4096);
    Payload decoded = ContentEncodedUploads.decoded(put("/log/abc", "zstd", bomb), NixAssetKind.LOG);

    long read = 0;
    try (InputStream in = decoded.openInputStream()) {
      byte[] buffer = new byte[1 << 16];
      int n;
      while ((n = in.read(buffer)) >= 0) {
        read += n;
      }
      throw new AssertionError("read to the end: " + read + " bytes");
    }
    catch (RefusedBodyException e) {
      assertThat(e.refusal().status()).isEqualTo(413);
      assertThat(read).isEqualTo(ContentEncodedUploads.MAX_DECODED_FILE_BYTES);
    }
  }

  @Test
  void exactlyTheBoundIsAccepted() throws IOException {
    byte[] atBound = zstdOfZeros(UploadBodies.MAX_NARINFO_BYTES);
    Payload decoded = ContentEncodedUploads.decoded(put("/abc.narinfo", "zstd", atBound), NixAssetKind.NARINFO);

    assertThat(read(decoded)).hasSize(UploadBodies.MAX_NARINFO_BYTES);
  }

  @Test
  void smallFilesHaveASmallBoundAndListingsAndLogsALargeOne() {
    assertThat(ContentEncodedUploads.maxDecodedBytes(NixAssetKind.NARINFO)).isEqualTo(1024 * 1024);
    assertThat(ContentEncodedUploads.maxDecodedBytes(NixAssetKind.REALISATION)).isEqualTo(1024 * 1024);
    assertThat(ContentEncodedUploads.maxDecodedBytes(NixAssetKind.BUILD_TRACE)).isEqualTo(1024 * 1024);
    assertThat(ContentEncodedUploads.maxDecodedBytes(null)).isEqualTo(1024 * 1024);
    assertThat(ContentEncodedUploads.maxDecodedBytes(NixAssetKind.LISTING)).isEqualTo(256L * 1024 * 1024);
    assertThat(ContentEncodedUploads.maxDecodedBytes(NixAssetKind.LOG)).isEqualTo(256L * 1024 * 1024);
  }

  @Test
  void theRequestPassedOnHasTheDecodedBodyAndNoContentEncoding() throws IOException {
    Request request = new Request.Builder().action("PUT").path("/log/abc")
        .header("Content-Encoding", "gzip")
        .header("X-Other", "kept")
        .payload(new BytesPayload(fixture("two-members.gz"), "text/plain")).build();

    Request passedOn = ContentEncodedUploads.withDecodedBody(request,
        ContentEncodedUploads.decoded(request, NixAssetKind.LOG));

    assertThat(passedOn.getHeaders().get("Content-Encoding")).isNull();
    assertThat(passedOn.getHeaders().get("X-Other")).isEqualTo("kept");
    assertThat(request.getHeaders().get("Content-Encoding")).isEqualTo("gzip");
    assertThat(ContentEncodedUploads.decoded(passedOn, NixAssetKind.LOG)).isSameAs(passedOn.getPayload());
    assertThat(read(passedOn.getPayload())).isEqualTo(TWO_LINES);
  }

  @Test
  void anUpstreamListingIsReadDecoded() throws IOException {
    InputStream body = ContentEncodedUploads.upstreamBody(new java.io.ByteArrayInputStream(fixture("two-lines.br")),
        "br", NixAssetKind.LISTING, "abc.ls");

    assertThat(read(body)).isEqualTo(TWO_LINES);
  }

  @Test
  void anUpstreamListingDecodingPastTheFileBoundIsA502() throws IOException {
    byte[] bomb = zstdOfZeros(ContentEncodedUploads.MAX_DECODED_FILE_BYTES + 4096);
    InputStream body = ContentEncodedUploads.upstreamBody(new java.io.ByteArrayInputStream(bomb), "zstd",
        NixAssetKind.LISTING, "abc.ls");

    assertThatThrownBy(() -> drain(body))
        .isInstanceOfSatisfying(RefusedBodyException.class, e -> assertThat(e.refusal().status()).isEqualTo(502))
        .hasMessage("the upstream's abc.ls decodes (Content-Encoding: zstd) to more than 268435456 bytes, the most a"
            + " proxy keeps of it; not cached");
  }

  @Test
  void anUpstreamBodyWithoutEncodingIsBoundedToo() throws IOException {
    byte[] big = new byte[(int) ContentEncodedUploads.MAX_DECODED_SMALL_FILE_BYTES + 1];
    InputStream body = ContentEncodedUploads.upstreamBody(new java.io.ByteArrayInputStream(big), null,
        NixAssetKind.REALISATION, "realisations/sha256:abc!out.doi");

    assertThatThrownBy(() -> read(body))
        .isInstanceOfSatisfying(RefusedBodyException.class, e -> assertThat(e.refusal().status()).isEqualTo(502))
        .hasMessageContaining("is bigger than 1048576 bytes");
  }

  @Test
  void anUpstreamEncodingThatCannotBeDecodedIsA502() {
    assertThatThrownBy(() -> ContentEncodedUploads.upstreamBody(new java.io.ByteArrayInputStream(TWO_LINES),
        "snappy", NixAssetKind.LOG, "log/abc"))
        .isInstanceOfSatisfying(NixRequestException.class, e -> assertThat(e.status()).isEqualTo(502))
        .hasMessage("the upstream sent log/abc with Content-Encoding 'snappy', which this repository cannot decode;"
            + " not cached");
  }

  private static Request put(final String path, final String encoding, final byte[] body) {
    return new Request.Builder().action("PUT").path(path)
        .header("Content-Encoding", encoding)
        .payload(new BytesPayload(body, "application/octet-stream"))
        .build();
  }

  private static byte[] fixture(final String name) {
    try (InputStream in = ContentEncodedUploadsTest.class.getResourceAsStream(FIXTURES + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + name);
      }
      return ByteStreams.toByteArray(in);
    }
    catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] read(final Payload payload) throws IOException {
    try (InputStream in = payload.openInputStream()) {
      return ByteStreams.toByteArray(in);
    }
  }

  private static byte[] read(final InputStream in) throws IOException {
    try (InputStream stream = in) {
      return ByteStreams.toByteArray(stream);
    }
  }

  private static void drain(final InputStream in) throws IOException {
    try (InputStream stream = in) {
      ByteStreams.exhaust(stream);
    }
  }

  private static byte[] zstdOfZeros(final long size) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream zstd = new ZstdOutputStream(bytes)) {
      byte[] zeros = new byte[1 << 20];
      for (long left = size; left > 0; left -= zeros.length) {
        zstd.write(zeros, 0, (int) Math.min(zeros.length, left));
      }
    }
    catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}
