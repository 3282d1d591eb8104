package org.sonatype.nexus.repository.nix.it.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A static Nix binary cache over HTTP on 127.0.0.1: the stand-in for cache.nixos.org in proxy tests.
 *
 * <p>The files are written by the real Nix ({@code nix copy --to file://<dir>?compression=...}); the server
 * answers GET and HEAD for them like a plain static web server (Content-Length, {@code Accept-Ranges} and
 * single {@code Range: bytes=} requests, 404 for anything missing), counts requests per path, records
 * every request, and lets a test inject faults per request through a {@link FaultHook}.
 *
 * <pre>{@code
 * try (StaticCacheServer upstream = StaticCacheServer.create(nix, "xz", closure.allPaths())) {
 *   upstream.faults((req) -> req.path().endsWith(".narinfo") && req.count() == 1
 *       ? Fault.status(503) : Fault.NONE);
 *   ... proxy repository with remote upstream.url() ...
 *   assertThat(upstream.count("/nix-cache-info")).isEqualTo(1);
 * }
 * }</pre>
 */
public final class StaticCacheServer
    implements AutoCloseable
{
  /**
   * One request as the fault hook sees it.
   *
   * @param count how many requests for this path (including this one) the server has seen, so a hook can
   *              fail only the first attempt, for instance
   */
  public record Request(String method, String path, Headers headers, int count)
  {
  }

  /**
   * What to do with a request. Combine: {@code Fault.delay(d)} then serve normally,
   * {@code Fault.status(503)} instead of the file, {@code Fault.truncate(n)} to announce the full length but
   * close after {@code n} body bytes, {@link #hang()} to never answer (until {@link #close()}),
   * {@link #throttle(long)} to send the body at a given rate (a slow upstream).
   */
  public record Fault(Duration delay, int status, long truncateAfter, boolean hangs, long bytesPerSecond,
                      String location)
  {
    public static final Fault NONE = new Fault(Duration.ZERO, 0, -1, false, 0, null);

    public static Fault status(final int status) {
      return new Fault(Duration.ZERO, status, -1, false, 0, null);
    }

    public static Fault delay(final Duration delay) {
      return new Fault(delay, 0, -1, false, 0, null);
    }

    public static Fault truncate(final long bytes) {
      return new Fault(Duration.ZERO, 0, bytes, false, 0, null);
    }

    public static Fault hang() {
      return new Fault(Duration.ZERO, 0, -1, true, 0, null);
    }

    /** Serves normally, but the body no faster than {@code bytesPerSecond}. */
    public static Fault throttle(final long bytesPerSecond) {
      return new Fault(Duration.ZERO, 0, -1, false, bytesPerSecond, null);
    }

    /** A 302 to {@code location} (a path on this server, or an absolute URL). */
    public static Fault redirect(final String location) {
      return new Fault(Duration.ZERO, 302, -1, false, 0, location);
    }

    /** This fault, answered after {@code d}. */
    public Fault after(final Duration d) {
      return new Fault(d, status, truncateAfter, hangs, bytesPerSecond, location);
    }
  }

  /** Decides per request; must be thread-safe. Return {@link Fault#NONE} to serve normally. */
  @FunctionalInterface
  public interface FaultHook
  {
    Fault apply(Request request);
  }

  private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");

  static {
    // The JDK server writes headers and body separately; without TCP_NODELAY every small response waits
    // for the client's delayed ACK (~40 ms), which made substituting 221 paths take 10 s instead of 1.
    // Read once, when the server implementation initializes, hence a static initializer.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final Path root;

  private final HttpServer server;

  private final ExecutorService executor;

  private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

  private final List<String> log = Collections.synchronizedList(new ArrayList<>());

  private final Map<String, String> contentEncodings = new ConcurrentHashMap<>();

  private final CountDownLatch closed = new CountDownLatch(1);

  private volatile FaultHook faults = request -> Fault.NONE;

  private StaticCacheServer(final Path root) throws IOException {
    this.root = root.toAbsolutePath().normalize();
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    // Many threads: a hanging request must not block the others (Nix fetches in parallel).
    this.executor = Executors.newFixedThreadPool(32, r -> {
      Thread t = new Thread(r, "static-cache");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /**
   * Writes the closures of {@code paths} as a static binary cache into a new directory (with
   * {@code nix copy --to file://<dir>?compression=<compression>}) and serves it.
   *
   * @param compression {@code xz}, {@code zstd}, {@code bzip2} or {@code none}
   */
  public static StaticCacheServer create(final NixClient nix, final String compression, final List<String> paths) {
    Path dir = ItDirs.newTempDir("static-cache-" + compression);
    writeCache(nix, dir, compression, paths);
    return serve(dir);
  }

  /** Serves an existing directory (e.g. one written by {@link #writeCache}, possibly edited by the test). */
  public static StaticCacheServer serve(final Path dir) {
    try {
      return new StaticCacheServer(dir);
    }
    catch (IOException e) {
      throw new IllegalStateException("cannot start the static cache server", e);
    }
  }

  /** {@code nix copy --to file://<dir>?compression=<compression> <paths>} */
  public static void writeCache(final NixClient nix, final Path dir, final String compression,
                                final List<String> paths)
  {
    nix.copyTo("file://" + dir + "?compression=" + compression, paths);
  }

  /** Adds more paths to the served directory (the server picks them up immediately). */
  public void add(final NixClient nix, final String compression, final List<String> paths) {
    writeCache(nix, root, compression, paths);
  }

  /** {@code http://127.0.0.1:<port>}, no trailing slash: the upstream URL for a proxy repository. */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The served directory. */
  public Path dir() {
    return root;
  }

  /** Installs the fault hook for all following requests ({@code null} restores normal serving). */
  public void faults(final FaultHook hook) {
    this.faults = hook == null ? request -> Fault.NONE : hook;
  }

  /**
   * Serves the file at {@code path} (e.g. {@code "/<hash>.ls"}) with {@code Content-Encoding: coding}, as
   * cache.nixos.org serves listings ({@code br}): the file must hold the encoded bytes.
   */
  public void contentEncoding(final String path, final String coding) {
    contentEncodings.put(path, coding);
  }

  /** Requests seen for {@code path} (e.g. {@code "/nix-cache-info"}), any method, faulted or not. */
  public int count(final String path) {
    AtomicInteger c = counts.get(path);
    return c == null ? 0 : c.get();
  }

  /** Requests seen for paths ending with {@code suffix} (e.g. {@code ".narinfo"}). */
  public int countEndingWith(final String suffix) {
    return counts.entrySet().stream()
        .filter(e -> e.getKey().endsWith(suffix))
        .mapToInt(e -> e.getValue().get())
        .sum();
  }

  /** Requests seen for any path, any method, faulted or not (counted on arrival, before any answer). */
  public int total() {
    return counts.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  /** Every request so far, as {@code "GET /path -> 200"} lines in arrival order. */
  public List<String> requests() {
    synchronized (log) {
      return List.copyOf(log);
    }
  }

  /** Forgets counts and the request log. */
  public void reset() {
    counts.clear();
    log.clear();
  }

  /** Releases hanging requests, stops serving, and returns once every handler has finished (and logged). */
  @Override
  public void close() {
    if (closed.getCount() == 0) {
      return; // already closed (tests close early to simulate an upstream outage)
    }
    closed.countDown();
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(10, TimeUnit.SECONDS);
    }
    catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // --- serving ----------------------------------------------------------------------------------

  private void handle(final HttpExchange exchange) {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getRawPath();
    int n = counts.computeIfAbsent(path, k -> new AtomicInteger()).incrementAndGet();
    Fault fault = Fault.NONE;
    String outcome = "?";
    try (exchange) {
      fault = Objects.requireNonNull(faults.apply(new Request(method, path, exchange.getRequestHeaders(), n)));
      if (!fault.delay().isZero()) {
        closed.await(fault.delay().toMillis(), TimeUnit.MILLISECONDS);
      }
      if (fault.hangs()) {
        outcome = "(hung)";
        closed.await();
        return;
      }
      if (fault.location() != null) {
        outcome = "302 -> " + fault.location() + " (injected)";
        exchange.getResponseHeaders().set("Location", fault.location());
        exchange.sendResponseHeaders(302, -1);
        return;
      }
      if (fault.status() != 0) {
        outcome = fault.status() + " (injected)";
        byte[] body = ("injected " + fault.status() + "\n").getBytes();
        exchange.sendResponseHeaders(fault.status(), method.equals("HEAD") ? -1 : body.length);
        if (!method.equals("HEAD")) {
          exchange.getResponseBody().write(body);
        }
        return;
      }
      int status = serve(exchange, method, path, fault.truncateAfter(), fault.bytesPerSecond());
      outcome = status + (fault.truncateAfter() >= 0 ? " (truncated after " + fault.truncateAfter() + " bytes)" : "");
    }
    catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    catch (IOException e) {
      // A body truncated on purpose (closing the exchange early throws) or a client that went away.
      if (fault.truncateAfter() < 0) {
        outcome += " (connection lost: " + e.getMessage() + ")";
      }
    }
    finally {
      String range = exchange.getRequestHeaders().getFirst("Range");
      log.add(method + " " + path + (range != null ? " [Range: " + range + "]" : "") + " -> " + outcome);
    }
  }

  private int serve(final HttpExchange exchange, final String method, final String path, final long truncateAfter,
                    final long bytesPerSecond)
      throws IOException, InterruptedException
  {
    if (!method.equals("GET") && !method.equals("HEAD")) {
      exchange.getResponseHeaders().set("Allow", "GET, HEAD");
      exchange.sendResponseHeaders(405, -1);
      return 405;
    }
    Path file = root.resolve(path.substring(1)).normalize();
    if (path.contains("..") || !file.startsWith(root) || !Files.isRegularFile(file)) {
      exchange.sendResponseHeaders(404, -1);
      return 404;
    }
    long length = Files.size(file);
    long from = 0;
    long to = length - 1;
    int status = 200;
    String range = exchange.getRequestHeaders().getFirst("Range");
    Headers headers = exchange.getResponseHeaders();
    headers.set("Content-Type", contentType(path));
    String coding = contentEncodings.get(path);
    if (coding != null) {
      headers.set("Content-Encoding", coding);
    }
    headers.set("Accept-Ranges", "bytes");
    if (range != null) {
      Matcher m = RANGE.matcher(range.trim());
      if (!m.matches() || Long.parseLong(m.group(1)) >= length) {
        headers.set("Content-Range", "bytes */" + length);
        exchange.sendResponseHeaders(416, -1);
        return 416;
      }
      from = Long.parseLong(m.group(1));
      if (!m.group(2).isEmpty()) {
        to = Math.min(to, Long.parseLong(m.group(2)));
      }
      status = 206;
      headers.set("Content-Range", "bytes " + from + "-" + to + "/" + length);
    }
    long count = to - from + 1;
    if (method.equals("HEAD")) {
      headers.set("Content-Length", Long.toString(count));
      exchange.sendResponseHeaders(status, -1);
      return status;
    }
    // sendResponseHeaders(status, 0) would mean chunked; an empty file needs -1.
    exchange.sendResponseHeaders(status, count == 0 ? -1 : count);
    long limit = truncateAfter >= 0 ? Math.min(truncateAfter, count) : count;
    try (InputStream in = Files.newInputStream(file)) {
      in.skipNBytes(from);
      OutputStream out = exchange.getResponseBody();
      byte[] buffer = new byte[64 * 1024];
      long left = limit;
      long sent = 0;
      long start = System.nanoTime();
      // throttled: small writes, so a slow rate means bytes trickle rather than one burst then a long pause
      int chunk = bytesPerSecond > 0 ? (int) Math.max(1, Math.min(buffer.length, bytesPerSecond / 20)) : buffer.length;
      while (left > 0) {
        int read = in.read(buffer, 0, (int) Math.min(chunk, left));
        if (read < 0) {
          break;
        }
        out.write(buffer, 0, read);
        left -= read;
        sent += read;
        if (bytesPerSecond > 0) {
          // pace: never ahead of bytesPerSecond since the body started
          long due = start + sent * 1_000_000_000L / bytesPerSecond;
          long wait = due - System.nanoTime();
          if (wait > 0) {
            out.flush();
            if (closed.await(wait / 1_000_000, TimeUnit.MILLISECONDS)) {
              return status;
            }
          }
        }
      }
      out.flush();
    }
    // When truncated, closing the exchange with fewer bytes than announced makes the JDK server drop the
    // connection (handle() swallows the resulting IOException): the client sees a body that ends early,
    // like a broken upstream connection.
    return status;
  }

  private static String contentType(final String path) {
    if (path.endsWith(".narinfo")) {
      return "text/x-nix-narinfo";
    }
    if (path.equals("/nix-cache-info")) {
      return "text/x-nix-cache-info";
    }
    if (path.startsWith("/nar/")) {
      return "application/x-nix-nar";
    }
    if (path.endsWith(".ls") || path.endsWith(".doi") || path.startsWith("/debuginfo/")) {
      return "application/json";
    }
    if (path.startsWith("/log/")) {
      return "text/plain; charset=utf-8";
    }
    return "application/octet-stream";
  }
}
