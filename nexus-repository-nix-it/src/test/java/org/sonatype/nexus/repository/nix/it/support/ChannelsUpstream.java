package org.sonatype.nexus.repository.nix.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;

/**
 * channels.nixos.org and releases.nixos.org in miniature, on 127.0.0.1: the stand-in upstream of channel proxy tests.
 *
 * <pre>
 * GET /&lt;channel&gt;                                    302 to &lt;url&gt;/releases/&lt;prefix&gt;/&lt;release&gt;
 * GET /releases/&lt;prefix&gt;/&lt;release&gt;                  200, a small HTML index
 * GET /releases/&lt;prefix&gt;/&lt;release&gt;/nixexprs.tar.xz
 *                                                  200, the tarball, with an ETag
 * anything else                                    404
 * </pre>
 *
 * The prefix follows the official layout ({@code nixos/99.99} for {@code nixos-99.99}, {@code nixpkgs} for
 * {@code nixpkgs-unstable}). Requests are counted per path; {@link #failAll(int)} makes every answer an error, and
 * {@link #close()} stops the server so connections are refused.
 */
public final class ChannelsUpstream
    implements AutoCloseable
{
  private final LoopbackHttpServer server;

  /** channel -> release directory path (e.g. /releases/nixos/99.99/nixos-99.99.123.abcdef0) */
  private final Map<String, String> channels = new ConcurrentHashMap<>();

  /** release directory path -> tarball */
  private final Map<String, byte[]> tarballs = new ConcurrentHashMap<>();

  private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

  private final List<String> log = Collections.synchronizedList(new ArrayList<>());

  private volatile int failureStatus;

  private ChannelsUpstream() {
    server = LoopbackHttpServer.start("channels-upstream", 8, this::handle);
  }

  public static ChannelsUpstream start() {
    return new ChannelsUpstream();
  }

  /** {@code http://127.0.0.1:<port>}: the proxy's {@code nix.channelsUrl}. */
  public String url() {
    return server.url();
  }

  /**
   * Points {@code channel} at a new release, as the NixOS channel scripts do after a Hydra evaluation.
   *
   * @param prefix  the release's directory, e.g. {@code nixos/99.99}
   * @param release the release name, e.g. {@code nixos-99.99.123.abcdef0}
   * @return the release directory path
   */
  public String publish(final String channel, final String prefix, final String release, final Path tarball) {
    String directory = "/releases/" + prefix + "/" + release;
    try {
      tarballs.put(directory, Files.readAllBytes(tarball));
    }
    catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    channels.put(channel, directory);
    return directory;
  }

  /** Requests seen for a path, any outcome. */
  public int count(final String path) {
    AtomicInteger count = counts.get(path);
    return count == null ? 0 : count.get();
  }

  /** Requests seen for any path, any outcome (counted on arrival, before any answer). */
  public int total() {
    return counts.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  /** Every request so far, as {@code "GET /path -> 302"}. */
  public List<String> requests() {
    synchronized (log) {
      return List.copyOf(log);
    }
  }

  /** Answers every request with {@code status} from now on (0: serve normally again). */
  public void failAll(final int status) {
    failureStatus = status;
  }

  /** Stops serving: from now on connections are refused. Idempotent. */
  @Override
  public void close() {
    server.close();
  }

  private void handle(final HttpExchange exchange) {
    String path = exchange.getRequestURI().getRawPath();
    counts.computeIfAbsent(path, k -> new AtomicInteger()).incrementAndGet();
    int status = 0;
    try (exchange) {
      status = answer(exchange, path);
    }
    catch (IOException e) {
      // the client went away
    }
    finally {
      log.add(exchange.getRequestMethod() + " " + path + " -> " + status);
    }
  }

  private int answer(final HttpExchange exchange, final String path) throws IOException {
    if (failureStatus != 0) {
      return send(exchange, failureStatus, "text/plain", ("injected " + failureStatus + "\n").getBytes());
    }
    String channel = path.length() > 1 ? path.substring(1) : "";
    if (channels.containsKey(channel)) {
      // like channels.nixos.org: a temporary redirect to the release, absolute
      exchange.getResponseHeaders().set("Location", url() + channels.get(channel));
      return send(exchange, 302, "text/plain", new byte[0]);
    }
    if (tarballs.containsKey(path)) {
      String html = "<html><body><h1>" + path + "</h1><a href=\"" + path + "/nixexprs.tar.xz\">nixexprs.tar.xz</a>"
          + "</body></html>\n";
      return send(exchange, 200, "text/html", html.getBytes(StandardCharsets.UTF_8));
    }
    if (path.endsWith("/nixexprs.tar.xz")) {
      byte[] tarball = tarballs.get(path.substring(0, path.length() - "/nixexprs.tar.xz".length()));
      if (tarball != null) {
        exchange.getResponseHeaders().set("ETag", "\"" + sha256(tarball) + "\"");
        return send(exchange, 200, "application/x-xz", tarball);
      }
    }
    return send(exchange, 404, "text/plain", "not found\n".getBytes());
  }

  private static int send(final HttpExchange exchange, final int status, final String type, final byte[] body)
      throws IOException
  {
    exchange.getResponseHeaders().set("Content-Type", type);
    boolean head = "HEAD".equals(exchange.getRequestMethod());
    exchange.sendResponseHeaders(status, head || body.length == 0 ? -1 : body.length);
    if (!head && body.length > 0) {
      exchange.getResponseBody().write(body);
    }
    return status;
  }

  private static String sha256(final byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
    catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
