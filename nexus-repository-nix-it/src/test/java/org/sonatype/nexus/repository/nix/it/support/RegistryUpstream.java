package org.sonatype.nexus.repository.nix.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * channels.nixos.org's {@code /flake-registry.json} in miniature, on 127.0.0.1: the stand-in upstream of flake
 * registry proxy tests. {@link #publish} sets the document, {@link #failAll} makes every answer an error,
 * {@link #close()} stops the server so connections are refused; anything but the registry is a 404.
 */
public final class RegistryUpstream
    implements AutoCloseable
{
  public static final String PATH = "/flake-registry.json";

  private final HttpServer server;

  private final ExecutorService executor;

  private final AtomicInteger requests = new AtomicInteger();

  private final AtomicBoolean closed = new AtomicBoolean();

  private volatile String registry = "{\"version\":2,\"flakes\":[]}";

  private volatile int failureStatus;

  private RegistryUpstream() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    executor = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "registry-upstream");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  public static RegistryUpstream start() {
    try {
      return new RegistryUpstream();
    }
    catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code http://127.0.0.1:<port>/flake-registry.json}: a proxy's {@code nix.flakeRegistryUrl}. */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + PATH;
  }

  /** The registry served from now on. */
  public void publish(final String json) {
    registry = json;
  }

  /** Answers every request with {@code status} from now on (0: serve normally again). */
  public void failAll(final int status) {
    failureStatus = status;
  }

  /** Requests for the registry so far, any outcome. */
  public int requests() {
    return requests.get();
  }

  /** Stops serving: from now on connections are refused. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(10, TimeUnit.SECONDS);
    }
    catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void handle(final HttpExchange exchange) {
    try (exchange) {
      if (!PATH.equals(exchange.getRequestURI().getPath())) {
        send(exchange, 404, "not found\n");
        return;
      }
      requests.incrementAndGet();
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
