package org.sonatype.nexus.repository.nix.it.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * curl-like HTTP for content tests: what a Nix client or a hand-written script would send, with full
 * access to status, headers and bytes. Use {@link NexusRest} for the management API instead.
 *
 * <pre>{@code
 * RawHttp http = RawHttp.basic("admin", password);
 * RawHttp.Response r = http.get(repoUrl + "/nix-cache-info");
 * assertThat(r.status()).isEqualTo(200);
 * assertThat(r.header("Content-Type")).startsWith("text/x-nix-cache-info");
 * }</pre>
 *
 * <p>{@link #partialPut} talks to a raw socket instead, to send what no well-behaved client sends: a
 * {@code Content-Length} followed by fewer bytes.
 */
public final class RawHttp
{
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .followRedirects(HttpClient.Redirect.NEVER)
      .connectTimeout(Duration.ofSeconds(10))
      .build();

  private static final Duration TIMEOUT = Duration.ofMinutes(10);

  private final String user;

  private final String password;

  private RawHttp(final String user, final String password) {
    this.user = user;
    this.password = password;
  }

  /** Without credentials. */
  public static RawHttp anonymous() {
    return new RawHttp(null, null);
  }

  /** With preemptive Basic auth, as Nix sends it from a netrc file. */
  public static RawHttp basic(final String user, final String password) {
    return new RawHttp(user, password);
  }

  /**
   * A complete answer. {@code body} is empty for HEAD.
   */
  public record Response(int status, HttpHeaders headers, byte[] body)
  {
    /** First value of a header (case-insensitive name), or null. */
    public String header(final String name) {
      return headers.firstValue(name).orElse(null);
    }

    public String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
      String text = bodyText();
      return status + " " + headers.map() + (body.length == 0 ? "" : " body(" + body.length + "B): "
          + (text.length() > 500 ? text.substring(0, 500) + "..." : text));
    }
  }

  public Response get(final String url) {
    return send("GET", url, BodyPublishers.noBody(), Map.of());
  }

  public Response get(final String url, final Map<String, String> headers) {
    return send("GET", url, BodyPublishers.noBody(), headers);
  }

  public Response head(final String url) {
    return send("HEAD", url, BodyPublishers.noBody(), Map.of());
  }

  public Response delete(final String url) {
    return send("DELETE", url, BodyPublishers.noBody(), Map.of());
  }

  /** PUT with a {@code Content-Type} (may be null) and a body held in memory. */
  public Response put(final String url, final String contentType, final byte[] body) {
    return send("PUT", url, BodyPublishers.ofByteArray(body), contentTypeHeader(contentType));
  }

  /** PUT streamed from a file (with its length as Content-Length): for bodies larger than this JVM's heap. */
  public Response put(final String url, final String contentType, final Path file) {
    try {
      return send("PUT", url, BodyPublishers.ofFile(file), contentTypeHeader(contentType));
    }
    catch (java.io.FileNotFoundException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Any method, any headers. */
  public Response send(final String method, final String url, final BodyPublisher body,
                       final Map<String, String> headers)
  {
    HttpRequest request = request(method, url, body, headers);
    try {
      HttpResponse<byte[]> response = HTTP.send(request, BodyHandlers.ofByteArray());
      return new Response(response.statusCode(), response.headers(), response.body());
    }
    catch (IOException e) {
      throw new UncheckedIOException(method + " " + url + " failed", e);
    }
    catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * A GET whose body is streamed through SHA-256 and counted, never held in memory: for multi-GiB NARs.
   */
  public record Digest(int status, HttpHeaders headers, long length, String sha256Hex)
  {
  }

  public Digest getDigest(final String url) {
    HttpRequest request = request("GET", url, BodyPublishers.noBody(), Map.of());
    try {
      HttpResponse<InputStream> response = HTTP.send(request, BodyHandlers.ofInputStream());
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      long length = 0;
      try (InputStream in = new DigestInputStream(response.body(), sha256)) {
        byte[] buffer = new byte[256 * 1024];
        for (int n; (n = in.read(buffer)) >= 0; ) {
          length += n;
        }
      }
      return new Digest(response.statusCode(), response.headers(), length, HexFormat.of().formatHex(sha256.digest()));
    }
    catch (IOException e) {
      throw new UncheckedIOException("GET " + url + " failed", e);
    }
    catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private HttpRequest request(final String method, final String url, final BodyPublisher body,
                              final Map<String, String> headers)
  {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).method(method, body);
    if (user != null) {
      builder.header("Authorization", NexusRest.basicAuth(user, password));
    }
    headers.forEach(builder::header);
    return builder.build();
  }

  private static Map<String, String> contentTypeHeader(final String contentType) {
    return contentType == null ? Map.of() : Map.of("Content-Type", contentType);
  }

  // --- raw socket -------------------------------------------------------------------------------

  /** What {@link #partialPut} does once the partial body is out. */
  public enum After
  {
    /** Shut down the sending side (FIN): the server sees EOF before Content-Length bytes. */
    HALF_CLOSE,
    /** Keep the connection open and send nothing more, as a stuck client (or Nix's retry bug) does. */
    STALL
  }

  /**
   * What came back on the raw socket: the status line and headers and as much body as arrived, or
   * {@code status == -1} if nothing arrived before {@code wait} ran out or the server just closed.
   */
  public record RawResponse(int status, String head, String body, Duration waited)
  {
    @Override
    public String toString() {
      return status == -1 ? "(no response after " + NexusServer.seconds(waited) + ")" : head + "\n\n" + body;
    }
  }

  /**
   * Sends {@code PUT} with {@code Content-Length: declaredLength} but only {@code sent} as body, then
   * half-closes or stalls, and waits up to {@code wait} for an answer.
   *
   * @param extraHeaders e.g. Content-Type; {@code Expect: 100-continue} is NOT sent unless given here
   */
  public RawResponse partialPut(final String url, final Map<String, String> extraHeaders, final long declaredLength,
                                final byte[] sent, final After after, final Duration wait)
  {
    URI uri = URI.create(url);
    int port = uri.getPort() == -1 ? 80 : uri.getPort();
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Host", uri.getHost() + ":" + port);
    headers.put("User-Agent", "nexus-repository-nix-it RawHttp");
    headers.put("Accept", "*/*");
    if (user != null) {
      headers.put("Authorization", NexusRest.basicAuth(user, password));
    }
    headers.putAll(extraHeaders);
    headers.put("Content-Length", Long.toString(declaredLength));
    headers.put("Connection", "close");
    StringBuilder head = new StringBuilder("PUT " + uri.getRawPath()
        + (uri.getRawQuery() != null ? "?" + uri.getRawQuery() : "") + " HTTP/1.1\r\n");
    headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
    head.append("\r\n");
    long begin = System.nanoTime();
    try (Socket socket = new Socket(uri.getHost(), port)) {
      socket.setSoTimeout((int) Math.max(1, wait.toMillis()));
      OutputStream out = socket.getOutputStream();
      out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.write(sent);
      out.flush();
      if (after == After.HALF_CLOSE) {
        socket.shutdownOutput();
      }
      ByteArrayOutputStream received = new ByteArrayOutputStream();
      try {
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[8192];
        for (int n; (n = in.read(buffer)) >= 0; ) {
          received.write(buffer, 0, n);
        }
      }
      catch (SocketTimeoutException | java.net.SocketException e) {
        // the answer so far is all there is (a stall test usually ends here)
      }
      return parse(received.toString(StandardCharsets.ISO_8859_1), Duration.ofNanos(System.nanoTime() - begin));
    }
    catch (IOException e) {
      throw new UncheckedIOException("partial PUT " + url + " failed", e);
    }
  }

  private static RawResponse parse(final String answer, final Duration waited) {
    String text = answer;
    // Skip interim answers (100 Continue when the caller sent Expect): the final status is what counts.
    while (text.startsWith("HTTP/1.1 1") && text.indexOf("\r\n\r\n") > 0) {
      text = text.substring(text.indexOf("\r\n\r\n") + 4);
    }
    if (!text.startsWith("HTTP/")) {
      return new RawResponse(-1, "", text, waited);
    }
    int split = text.indexOf("\r\n\r\n");
    String head = split < 0 ? text : text.substring(0, split);
    String body = split < 0 ? "" : text.substring(split + 4);
    int status = Integer.parseInt(head.substring(9, 12));
    return new RawResponse(status, head, body, waited);
  }
}
