package org.sonatype.nexus.repository.nix.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;

/**
 * A real S3 API on 127.0.0.1: S3Proxy (Apache jclouds, from Maven Central) with its filesystem backend, so every
 * bucket is a directory and every object a file under {@link #dataDir()}. Started once per test JVM on first use,
 * stopped at JVM exit (and by its watchdog if the JVM dies first).
 *
 * <p>Failsafe passes the jar as {@code s3proxy.it.jar} (the module pom copies it from Maven Central).
 */
public final class S3Proxy
{
  public static final String ACCESS_KEY = "nix-it";

  public static final String SECRET_KEY = "nix-it-secret";

  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  private static S3Proxy instance;

  private final Path dataDir;

  private final int port;

  private final Path jar;

  private final Path workDir;

  private Process wrapper;

  private S3Proxy(final Path jar, final Path workDir, final int port) {
    this.jar = jar;
    this.workDir = workDir;
    this.dataDir = workDir.resolve("data");
    this.port = port;
  }

  public static synchronized S3Proxy get() {
    if (instance == null) {
      Path jar = Paths.get(System.getProperty("s3proxy.it.jar", "target/it-deps/s3proxy.jar")).toAbsolutePath();
      if (!Files.isRegularFile(jar)) {
        throw new IllegalStateException("S3Proxy not found at " + jar + "; run the tests through Maven (mvn verify),"
            + " which copies it from Maven Central, or set -Ds3proxy.it.jar");
      }
      Path workDir = Paths.get(System.getProperty("nexus.it.workDir", "target/nexus-it")).toAbsolutePath()
          .resolveSibling("s3-it");
      S3Proxy proxy = new S3Proxy(jar, workDir, freePort());
      ItDirs.deleteTree(workDir);
      ItDirs.mkdirs(proxy.dataDir);
      proxy.start();
      Runtime.getRuntime().addShutdownHook(new Thread(proxy::stop, "s3proxy-it-stop"));
      instance = proxy;
    }
    return instance;
  }

  /** {@code http://127.0.0.1:<port>}: the endpoint Nexus's S3 blob store is given. */
  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  /** The filesystem backend's root: one directory per bucket, one file per object (keys with '/' nest). */
  public Path dataDir() {
    return dataDir;
  }

  /**
   * Stops the S3 API until the returned handle is closed, then starts it again on the same port with the same data:
   * an S3 endpoint that does not answer for a while, the transient failure every S3 client meets.
   */
  public synchronized AutoCloseable unreachable() {
    stop();
    return this::start;
  }

  private synchronized void start() {
    Path properties = workDir.resolve("s3proxy.properties");
    Path log = workDir.resolve("s3proxy.log");
    try {
      Files.writeString(properties, String.join("\n",
          "s3proxy.endpoint=" + endpoint(),
          "s3proxy.authorization=aws-v2-or-v4",
          "s3proxy.identity=" + ACCESS_KEY,
          "s3proxy.credential=" + SECRET_KEY,
          "jclouds.provider=filesystem",
          "jclouds.filesystem.basedir=" + dataDir,
          ""));
      String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
      wrapper = new ProcessBuilder("bash", "-c", WatchedProcess.WRAPPER, "s3proxy-it-wrapper",
          log.toString(), workDir.resolve("s3proxy.pid").toString(),
          java, "-Xmx384m", "-jar", jar.toString(), "--properties", properties.toString())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .start();
    }
    catch (IOException e) {
      throw new UncheckedIOException("cannot start S3Proxy", e);
    }
    Instant begin = Instant.now();
    while (!accepting()) {
      if (!wrapper.isAlive() || Instant.now().isAfter(begin.plus(START_TIMEOUT))) {
        stop();
        throw new IllegalStateException("S3Proxy did not start on port " + port + "\n" + NexusServer.tail(log, 40));
      }
      NexusRest.sleep(200);
    }
    NexusServer.log("S3Proxy up at " + endpoint() + " in " + NexusServer.seconds(Duration.between(begin, Instant.now()))
        + " (filesystem backend in " + dataDir + ")");
  }

  private boolean accepting() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    }
    catch (IOException e) {
      return false;
    }
  }

  private synchronized void stop() {
    if (wrapper == null) {
      return;
    }
    try {
      // EOF on the wrapper's stdin is the stop signal (see WatchedProcess)
      wrapper.getOutputStream().close();
    }
    catch (IOException ignored) {
      // already closed
    }
    Instant deadline = Instant.now().plusSeconds(30);
    while (wrapper.isAlive() && Instant.now().isBefore(deadline)) {
      NexusRest.sleep(100);
    }
    wrapper.descendants().forEach(ProcessHandle::destroyForcibly);
    wrapper.destroyForcibly();
    wrapper = null;
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
    catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
