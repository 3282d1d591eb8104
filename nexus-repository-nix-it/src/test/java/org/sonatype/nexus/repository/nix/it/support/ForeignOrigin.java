package org.sonatype.nexus.repository.nix.it.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpExchange;

/**
 * A host on 127.0.0.1 a proxy is pointed at by an upstream (a narinfo's URL, a redirect): it records every request
 * it gets, with the {@code Authorization} the request carried, so a test can say whether anything (and which
 * credentials) reached it. It serves files of a directory, redirects where told, and with {@link #challenging()}
 * answers a request without credentials with {@code 401} and a Basic challenge, as a server does that wants
 * credentials: a client holding credentials "for any host" then sends them.
 */
public final class ForeignOrigin
    implements AutoCloseable
{
  /** One request: method, path, and the Authorization header ("none" without one). */
  public record Seen(String method, String path, String authorization)
  {
  }

  private final LoopbackHttpServer server;

  private final List<Seen> seen = new CopyOnWriteArrayList<>();

  private final Map<String, String> redirects = new ConcurrentHashMap<>();

  private volatile Path files;

  private volatile boolean challenging;

  private ForeignOrigin() {
    server = LoopbackHttpServer.start("foreign-origin", 8, this::handle);
  }

  public static ForeignOrigin start() {
    return new ForeignOrigin();
  }

  /** {@code http://127.0.0.1:<port>} */
  public String url() {
    return server.url();
  }

  /** Serves the files under {@code dir} (e.g. a static binary cache's directory). */
  public ForeignOrigin serving(final Path dir) {
    files = dir;
    return this;
  }

  /** Answers requests without an Authorization header with 401 and {@code WWW-Authenticate: Basic}. */
  public ForeignOrigin challenging() {
    challenging = true;
    return this;
  }

  /** Answers {@code path} with a 302 to {@code location}. */
  public ForeignOrigin redirect(final String path, final String location) {
    redirects.put(path, location);
    return this;
  }

  /** Every request so far. */
  public List<Seen> seen() {
    return List.copyOf(seen);
  }

  @Override
  public void close() {
    server.close();
  }

  private void handle(final HttpExchange exchange) {
    try (exchange) {
      String path = exchange.getRequestURI().getRawPath();
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      seen.add(new Seen(exchange.getRequestMethod(), path, authorization == null ? "none" : authorization));
      if (challenging && authorization == null) {
        exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"foreign\"");
        exchange.sendResponseHeaders(401, -1);
        return;
      }
      if (redirects.containsKey(path)) {
        exchange.getResponseHeaders().set("Location", redirects.get(path));
        exchange.sendResponseHeaders(302, -1);
        return;
      }
      Path dir = files;
      Path file = dir == null ? null : dir.resolve(path.substring(1)).normalize();
      if (file == null || path.contains("..") || !file.startsWith(dir) || !Files.isRegularFile(file)) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      byte[] body = Files.readAllBytes(file);
      boolean head = "HEAD".equals(exchange.getRequestMethod());
      exchange.sendResponseHeaders(200, head ? -1 : body.length);
      if (!head) {
        exchange.getResponseBody().write(body);
      }
    }
    catch (IOException e) {
      // the client went away
    }
  }
}
