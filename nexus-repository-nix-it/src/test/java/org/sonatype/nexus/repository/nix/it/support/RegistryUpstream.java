package org.sonatype.nexus.repository.nix.it.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;

/**
 * channels.nixos.org's {@code /flake-registry.json} in miniature, on 127.0.0.1: the stand-in upstream of flake
 * registry proxy tests. {@link #publish} sets the document, {@link #failAll} makes every answer an error,
 * {@link #close()} stops the server so connections are refused; anything but the registry is a 404.
 */
public final class RegistryUpstream
    implements AutoCloseable
{
  public static final String PATH = "/flake-registry.json";

  private final LoopbackHttpServer server;

  private final AtomicInteger requests = new AtomicInteger();

  private volatile String registry = "{\"version\":2,\"flakes\":[]}";

  private volatile int failureStatus;

  private RegistryUpstream() {
    server = LoopbackHttpServer.start("registry-upstream", 4, this::handle);
  }

  public static RegistryUpstream start() {
    return new RegistryUpstream();
  }

  /** {@code http://127.0.0.1:<port>/flake-registry.json}: a proxy's {@code nix.flakeRegistryUrl}. */
  public String url() {
    return server.url() + PATH;
  }

  /** The registry served from now on. */
  public void publish(final String json) {
    registry = json;
  }

  /** Answers every request with {@code status} from now on (0: serve normally again). */
  public void failAll(final int status) {
    failureStatus = status;
  }

  /** Requests so far, for any path, any outcome (counted on arrival, before any answer). */
  public int requests() {
    return requests.get();
  }

  /** Stops serving: from now on connections are refused. Idempotent. */
  @Override
  public void close() {
    server.close();
  }

  private void handle(final HttpExchange exchange) {
    requests.incrementAndGet();
    try (exchange) {
      if (!PATH.equals(exchange.getRequestURI().getPath())) {
        send(exchange, 404, "not found\n");
        return;
      }
      if (failureStatus != 0) {
        send(exchange, failureStatus, "injected " + failureStatus + "\n");
        return;
      }
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      send(exchange, 200, registry);
    }
    catch (IOException e) {
      // the client went away
    }
  }

  private static void send(final HttpExchange exchange, final int status, final String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }
}
