package org.sonatype.nexus.repository.nix.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

/**
 * The JDK's HTTP server on 127.0.0.1 and a free port, on daemon threads, for the upstream stand-ins of proxy tests.
 * {@link #close()} stops it so that connections are refused, as from an upstream that went away.
 */
final class LoopbackHttpServer
    implements AutoCloseable
{
  private final HttpServer server;

  private final ExecutorService executor;

  private final AtomicBoolean closed = new AtomicBoolean();

  private LoopbackHttpServer(final String threadName, final int threads, final HttpHandler handler)
      throws IOException
  {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    executor = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, threadName);
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/", handler);
    server.start();
  }

  static LoopbackHttpServer start(final String threadName, final int threads, final HttpHandler handler) {
    try {
      return new LoopbackHttpServer(threadName, threads, handler);
    }
    catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code http://127.0.0.1:<port>} */
  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
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
}
