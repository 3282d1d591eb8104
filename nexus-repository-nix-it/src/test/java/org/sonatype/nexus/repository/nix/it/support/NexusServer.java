package org.sonatype.nexus.repository.nix.it.support;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The one Nexus of a test run: a real Nexus Repository OSS 3.71.0-06 (the base template from Maven
 * Central) in its own process, with the plugin kar in {@code deploy/}.
 *
 * <p>{@link #get()} boots it on first use and every test class of the JVM shares it; a shutdown hook stops
 * it. Tests therefore create their own uniquely named repositories ({@link Names#unique}) and never assume
 * an empty server. Anonymous access is switched off after the first boot (a test that turns it on with
 * {@link NexusRest#enableAnonymous} turns it off again in a {@code finally}); there are no default
 * repositories.
 *
 * <p>Configuration (system properties, set by failsafe from the module pom):
 * <ul>
 *   <li>{@code nexus.it.baseTemplateZip}: the base template zip (default: the copy in ~/.m2);</li>
 *   <li>{@code nexus.it.kar}: the plugin kar; empty or {@code none} boots Nexus without the plugin;</li>
 *   <li>{@code nexus.it.workDir}: where the template is unpacked and the data directory lives
 *       (default {@code target/nexus-it});</li>
 *   <li>{@code nexus.it.port}: fixed HTTP port (default: a free one);</li>
 *   <li>{@code nexus.it.javaHome}: the JDK 17 to run Nexus with (default: this JVM's, if it is 17).</li>
 * </ul>
 *
 * <p>Process handling: Nexus runs under a tiny bash wrapper whose stdin is a pipe from this JVM. When that
 * pipe closes (a normal {@link #stop()}, or this JVM dying in any way, even {@code kill -9}) the wrapper
 * stops Nexus, so an aborted run leaves no 1 GiB java behind. A pid file additionally lets the next run
 * kill a leftover of a previous one.
 */
public final class NexusServer
{
  public static final String NEXUS_VERSION = "3.71.0-06";

  /** What nexus.log says once the web application is up. */
  public static final String STARTED_MARKER = "Started Sonatype Nexus";

  private static final Duration START_TIMEOUT = Duration.ofSeconds(180);

  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

  /**
   * Nexus runs with a 1 GiB heap on purpose: the suite must show that a NAR larger than the heap
   * (2 GiB) streams through the plugin instead of being buffered.
   */
  private static final String JAVA_MIN_MEM = "512m";

  private static final String JAVA_MAX_MEM = "1g";

  private static final String DIRECT_MAX_MEM = "1g";

  private static NexusServer instance;

  private static RuntimeException bootFailure;

  private final Path zip;

  private final Path kar;

  private final Path workDir;

  private final Path dataDir;

  private final Path pidFile;

  private final String javaHome;

  private final int port;

  private Path installDir;

  private Process wrapper;

  private long javaPid = -1;

  private String adminPassword;

  private Duration lastBootTime;

  private NexusServer(final Path zip, final Path kar, final Path workDir, final int port, final String javaHome) {
    this.zip = zip;
    this.kar = kar;
    this.workDir = workDir;
    this.dataDir = workDir.resolve("data");
    this.pidFile = workDir.resolve("nexus.pid");
    this.port = port;
    this.javaHome = javaHome;
  }

  /**
   * The shared server, booted (once per JVM) on the first call. If that boot failed, every later call
   * fails at once with the same error instead of waiting for another timeout.
   */
  public static synchronized NexusServer get() {
    if (bootFailure != null) {
      throw new IllegalStateException("Nexus failed to boot earlier in this run", bootFailure);
    }
    if (instance == null) {
      NexusServer server = fromSystemProperties();
      Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "nexus-it-stop"));
      try {
        server.prepare();
        server.start();
        // Nexus 3.71 starts with anonymous access ON until someone completes the setup wizard. Tests
        // assume the production-like state: every request authenticated unless a test opts in.
        server.rest().enableAnonymous(false);
      }
      catch (RuntimeException | Error e) {
        bootFailure = e instanceof RuntimeException ? (RuntimeException) e : new IllegalStateException(e);
        server.stop();
        throw e;
      }
      instance = server;
    }
    return instance;
  }

  private static NexusServer fromSystemProperties() {
    Path zip = Paths.get(System.getProperty("nexus.it.baseTemplateZip", System.getProperty("user.home")
        + "/.m2/repository/org/sonatype/nexus/assemblies/nexus-base-template/" + NEXUS_VERSION
        + "/nexus-base-template-" + NEXUS_VERSION + ".zip")).toAbsolutePath();
    if (!Files.isRegularFile(zip)) {
      throw new IllegalStateException("Nexus base template not found at " + zip + "; run the tests through Maven"
          + " (mvn verify), which copies it from Maven Central, or set -Dnexus.it.baseTemplateZip");
    }
    String karProperty = System.getProperty("nexus.it.kar", "").trim();
    Path kar = null;
    if (!karProperty.isEmpty() && !karProperty.equals("none")) {
      kar = Paths.get(karProperty).toAbsolutePath();
      if (!Files.isRegularFile(kar)) {
        throw new IllegalStateException("plugin kar not found at " + kar + " (nexus.it.kar); build the plugin"
            + " (mvn verify from the repository root) or pass -Dnix.kar=none to boot Nexus without it");
      }
    }
    Path workDir = Paths.get(System.getProperty("nexus.it.workDir", "target/nexus-it")).toAbsolutePath();
    int port = Integer.getInteger("nexus.it.port", 0);
    return new NexusServer(zip, kar, workDir, port > 0 ? port : freePort(), javaHome());
  }

  private static String javaHome() {
    String configured = System.getProperty("nexus.it.javaHome");
    if (configured != null && !configured.isBlank()) {
      return configured;
    }
    // bin/nexus accepts Java 17 only; prefer this JVM (the usual case), else Debian's JDK 17.
    if (Runtime.version().feature() == 17) {
      return System.getProperty("java.home");
    }
    return "/usr/lib/jvm/java-17-openjdk-amd64";
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
    catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // --- accessors --------------------------------------------------------------------------------

  /** {@code http://127.0.0.1:<port>}, no trailing slash. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** The generated admin password (from {@code data/admin.password}; the setup wizard is never run). */
  public String adminPassword() {
    return adminPassword;
  }

  /** A REST client authenticated as admin. */
  public NexusRest rest() {
    return new NexusRest(baseUrl(), "admin", adminPassword);
  }

  /** {@code <baseUrl>/repository/<name>} */
  public String repositoryUrl(final String name) {
    return baseUrl() + "/repository/" + name;
  }

  /** Nexus's data directory (KARAF_DATA): db/, blobs/, etc/nexus.properties, log/. */
  public Path dataDir() {
    return dataDir;
  }

  /** The unpacked base template (KARAF_HOME). */
  public Path installDir() {
    return installDir;
  }

  /** {@code data/log/nexus.log} */
  public Path logFile() {
    return dataDir.resolve("log/nexus.log");
  }

  /** Whether a plugin kar was deployed; tests that need the plugin can {@code assumeTrue} on it. */
  public boolean pluginDeployed() {
    return kar != null;
  }

  /** Wall-clock time of the most recent (re)start until Nexus answered REST calls. */
  public Duration lastBootTime() {
    return lastBootTime;
  }

  public synchronized boolean isRunning() {
    return wrapper != null && wrapper.isAlive();
  }

  // --- lifecycle --------------------------------------------------------------------------------

  /**
   * Unpacks the template (once; reused by later runs while the zip is unchanged), starts from an empty
   * data directory and puts the kar, if any, into deploy/.
   */
  private void prepare() {
    killLeftoverOfPreviousRun();
    installDir = unpackOnce();
    ItDirs.deleteTree(dataDir);
    ItDirs.mkdirs(dataDir.resolve("etc"));
    ItDirs.mkdirs(dataDir.resolve("log"));
    try {
      // Every kar in deploy/ gets installed: drop whatever an earlier run left there.
      Path deploy = ItDirs.mkdirs(installDir.resolve("deploy"));
      try (Stream<Path> files = Files.list(deploy)) {
        for (Path file : (Iterable<Path>) files::iterator) {
          if (file.getFileName().toString().endsWith(".kar")) {
            Files.delete(file);
          }
        }
      }
      if (kar != null) {
        Files.copy(kar, deploy.resolve(kar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
      Files.writeString(dataDir.resolve("etc/nexus.properties"), String.join("\n",
          "# written by NexusServer (integration tests)",
          "application-host=127.0.0.1",
          "application-port=" + port,
          // No maven-central/maven-public/nuget default repositories: faster first boot, quieter log.
          "nexus.skipDefaultRepositories=true",
          ""));
    }
    catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Path unpackOnce() {
    try {
      String stamp = zip + "\n" + Files.size(zip) + "\n" + Files.getLastModifiedTime(zip).toMillis() + "\n";
      Path marker = workDir.resolve("unpacked.stamp");
      Path target = workDir.resolve("nexus-base-template-" + NEXUS_VERSION);
      if (Files.isDirectory(target) && Files.exists(marker) && Files.readString(marker).equals(stamp)) {
        return target;
      }
      ItDirs.deleteTree(target);
      Files.deleteIfExists(marker);
      ItDirs.mkdirs(workDir);
      Instant begin = Instant.now();
      unzip(zip, workDir);
      // java.util.zip does not carry Unix modes; bin/ is all that must be executable.
      try (Stream<Path> bin = Files.list(target.resolve("bin"))) {
        bin.filter(Files::isRegularFile).forEach(f -> f.toFile().setExecutable(true, false));
      }
      Files.writeString(marker, stamp);
      log("unpacked " + zip.getFileName() + " in " + seconds(Duration.between(begin, Instant.now())));
      return target;
    }
    catch (IOException e) {
      throw new UncheckedIOException("cannot unpack " + zip, e);
    }
  }

  private static void unzip(final Path zip, final Path into) throws IOException {
    Path root = into.toAbsolutePath().normalize();
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
      for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
        Path target = root.resolve(entry.getName()).normalize();
        if (!target.startsWith(root)) {
          throw new IOException("zip entry escapes the target directory: " + entry.getName());
        }
        if (entry.isDirectory()) {
          Files.createDirectories(target);
        }
        else {
          Files.createDirectories(target.getParent());
          Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  /**
   * Starts Nexus on the existing data directory and waits until it serves REST calls (and, with a kar, until
   * the plugin is active). Used by {@link #get()} and, after {@link #killHard()} or {@link #stop()}, by crash
   * and restart tests: same data, same port, same admin password.
   */
  public synchronized void start() {
    if (isRunning()) {
      throw new IllegalStateException("Nexus is already running (pid " + javaPid + ")");
    }
    Instant begin = Instant.now();
    long logOffset = size(logFile());
    Path stdout = workDir.resolve("nexus-stdout.log");
    try {
      Files.deleteIfExists(pidFile);
      // bin/nexus execs java, so the pid the wrapper writes is the JVM's
      ProcessBuilder pb = new ProcessBuilder("bash", "-c", WatchedProcess.WRAPPER, "nexus-it-wrapper",
          stdout.toString(), pidFile.toString(), installDir.resolve("bin/nexus").toString(), "server")
          .directory(installDir.toFile())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(stdout.toFile()));
      Map<String, String> env = pb.environment();
      env.put("JAVA_HOME", javaHome);
      env.put("KARAF_DATA", dataDir.toString());
      env.put("KARAF_LOG", dataDir.resolve("log").toString());
      env.put("JAVA_MIN_MEM", JAVA_MIN_MEM);
      env.put("JAVA_MAX_MEM", JAVA_MAX_MEM);
      env.put("DIRECT_MAX_MEM", DIRECT_MAX_MEM);
      // Nothing from the caller's environment may reshape the JVM (e.g. a developer's JAVA_OPTS).
      env.remove("JAVA_OPTS");
      env.remove("EXTRA_JAVA_OPTS");
      env.remove("KARAF_OPTS");
      env.remove("KARAF_DEBUG");
      wrapper = pb.start();
    }
    catch (IOException e) {
      throw new UncheckedIOException("cannot start " + installDir.resolve("bin/nexus"), e);
    }
    javaPid = awaitPid();
    try {
      awaitLogMarker(logOffset, begin);
      adminPassword = awaitAdminPassword();
      awaitRest();
      if (kar != null) {
        awaitPluginActive();
      }
    }
    catch (RuntimeException | Error e) {
      stop();
      throw e;
    }
    lastBootTime = Duration.between(begin, Instant.now());
    log("Nexus " + NEXUS_VERSION + " up at " + baseUrl() + " in " + seconds(lastBootTime)
        + (kar != null ? " with " + kar.getFileName() : " without plugin") + " (pid " + javaPid + ")");
  }

  /**
   * Stops Nexus gracefully (SIGTERM, then SIGKILL after a grace period) and waits until it is gone.
   * Data stays; {@link #start()} brings it back.
   */
  public synchronized void stop() {
    if (wrapper == null) {
      return;
    }
    try {
      // EOF on the wrapper's stdin is the stop signal (see WatchedProcess).
      wrapper.getOutputStream().close();
    }
    catch (IOException ignored) {
      // already closed
    }
    awaitExit(STOP_TIMEOUT);
  }

  /**
   * Kills the Nexus JVM with SIGKILL, as a crash or power loss would, and waits until it is gone. The data
   * directory is left as the crash left it; {@link #start()} boots on it again.
   *
   * <p>Observed with 3.71's H2 database: changes committed within roughly the last second before the kill
   * (repository created, asset written) can be lost, because H2 writes its log with a short delay. A test
   * that needs earlier writes to survive waits ~2 s before calling this; a test about crash consistency
   * may kill right away on purpose.
   */
  public synchronized void killHard() {
    if (wrapper == null) {
      return;
    }
    ProcessHandle.of(javaPid).ifPresent(ProcessHandle::destroyForcibly);
    awaitExit(Duration.ofSeconds(30));
  }

  private void awaitExit(final Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    while (wrapper.isAlive() && Instant.now().isBefore(deadline)) {
      NexusRest.sleep(100);
    }
    // Whatever is still there now gets SIGKILL: the JVM, the wrapper and anything they spawned.
    Optional<ProcessHandle> java = ProcessHandle.of(javaPid);
    List<ProcessHandle> all = new ArrayList<>();
    java.ifPresent(all::add);
    java.ifPresent(h -> h.descendants().forEach(all::add));
    wrapper.descendants().forEach(all::add);
    all.add(wrapper.toHandle());
    all.forEach(ProcessHandle::destroyForcibly);
    for (ProcessHandle h : all) {
      h.onExit().join();
    }
    wrapper = null;
    javaPid = -1;
    try {
      Files.deleteIfExists(pidFile);
    }
    catch (IOException ignored) {
      // harmless: the next run checks the command line before killing anything
    }
  }

  /**
   * A previous run that was killed before its shutdown hook ran may have left Nexus running on our data
   * directory (the wrapper's watchdog normally prevents that). Kill it, but only if its command line proves
   * it is ours.
   */
  private void killLeftoverOfPreviousRun() {
    try {
      if (!Files.exists(pidFile)) {
        return;
      }
      long pid = Long.parseLong(Files.readString(pidFile).trim());
      Path cmdline = Paths.get("/proc/" + pid + "/cmdline");
      if (Files.exists(cmdline)
          && new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8).contains("-Dkaraf.data=" + dataDir)) {
        log("killing Nexus left over from an earlier run (pid " + pid + ")");
        ProcessHandle.of(pid).ifPresent(h -> {
          h.destroyForcibly();
          h.onExit().join();
        });
      }
      Files.delete(pidFile);
    }
    catch (IOException | NumberFormatException e) {
      log("ignoring unreadable " + pidFile + ": " + e);
    }
  }

  // --- waiting for startup ----------------------------------------------------------------------

  private long awaitPid() {
    Instant deadline = Instant.now().plusSeconds(10);
    while (Instant.now().isBefore(deadline)) {
      try {
        String text = Files.exists(pidFile) ? Files.readString(pidFile).trim() : "";
        if (!text.isEmpty()) {
          return Long.parseLong(text);
        }
      }
      catch (IOException | NumberFormatException ignored) {
        // being written
      }
      NexusRest.sleep(20);
    }
    throw new IllegalStateException("the Nexus wrapper wrote no pid file; see " + workDir.resolve("nexus-stdout.log"));
  }

  private void awaitLogMarker(final long offset, final Instant begin) {
    Instant deadline = begin.plus(START_TIMEOUT);
    while (true) {
      if (readFrom(logFile(), offset).contains(STARTED_MARKER)) {
        return;
      }
      if (!wrapper.isAlive()) {
        throw new IllegalStateException("Nexus exited with code " + wrapper.exitValue() + " during startup\n"
            + diagnostics());
      }
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("Nexus did not log '" + STARTED_MARKER + "' within " + START_TIMEOUT + "\n"
            + diagnostics());
      }
      NexusRest.sleep(250);
    }
  }

  private String awaitAdminPassword() {
    Path file = dataDir.resolve("admin.password");
    Instant deadline = Instant.now().plusSeconds(30);
    while (Instant.now().isBefore(deadline)) {
      try {
        if (Files.exists(file)) {
          String password = Files.readString(file).trim();
          if (!password.isEmpty()) {
            return password;
          }
        }
      }
      catch (IOException ignored) {
        // being written
      }
      NexusRest.sleep(100);
    }
    throw new IllegalStateException("no " + file + " after startup\n" + diagnostics());
  }

  private void awaitRest() {
    NexusRest rest = rest();
    Instant deadline = Instant.now().plusSeconds(60);
    NexusRest.Response last = null;
    while (Instant.now().isBefore(deadline)) {
      try {
        // An authenticated call: proves the web app, the security realms and the admin password.
        last = rest.get("/service/rest/v1/status/check");
        if (last.status() == 200) {
          return;
        }
      }
      catch (UncheckedIOException ignored) {
        // connector not yet accepting
      }
      NexusRest.sleep(250);
    }
    throw new IllegalStateException("Nexus REST not ready: " + last + "\n" + diagnostics());
  }

  /**
   * The plugin counts as active once its format security contributor has created the format-wide
   * privileges ({@code nx-repository-view-nix-*-*}). That needs the bundle resolved and started AND Sisu to
   * have found its {@code @Named} components (the Format and the contributor), which is exactly what fails
   * silently when the plugin is compiled for a too-new Java release. It also works at every stage of the
   * plugin (it does not depend on a REST resource or recipe existing yet).
   */
  private void awaitPluginActive() {
    NexusRest rest = rest();
    String path = "/service/rest/v1/security/privileges/nx-repository-view-nix-*-browse";
    Instant deadline = Instant.now().plusSeconds(60);
    NexusRest.Response last;
    do {
      last = rest.get(path);
      if (last.status() == 200) {
        return;
      }
      NexusRest.sleep(500);
    }
    while (Instant.now().isBefore(deadline));
    throw new IllegalStateException("the nix plugin did not become active (" + last + "); was "
        + kar.getFileName() + " compiled for Java <= 14 and does it install? nexus.log lines about it:\n"
        + grep(logFile(), "nix") + "\n" + diagnostics());
  }

  // --- diagnostics ------------------------------------------------------------------------------

  private String diagnostics() {
    return "--- tail of " + logFile() + " ---\n" + tail(logFile(), 80)
        + "--- tail of " + workDir.resolve("nexus-stdout.log") + " ---\n" + tail(workDir.resolve("nexus-stdout.log"), 20);
  }

  /** The last {@code lines} lines of a text file (empty if it does not exist). */
  public static String tail(final Path file, final int lines) {
    try {
      if (!Files.exists(file)) {
        return "(no such file)\n";
      }
      List<String> all = readLines(file);
      StringBuilder sb = new StringBuilder();
      for (String line : all.subList(Math.max(0, all.size() - lines), all.size())) {
        sb.append(line).append('\n');
      }
      return sb.toString();
    }
    catch (IOException e) {
      return "(unreadable: " + e + ")\n";
    }
  }

  private static String grep(final Path file, final String needle) {
    try {
      StringBuilder sb = new StringBuilder();
      readLines(file).stream().filter(l -> l.contains(needle)).limit(40).forEach(l -> sb.append(l).append('\n'));
      return sb.toString();
    }
    catch (IOException e) {
      return "(unreadable: " + e + ")\n";
    }
  }

  private static List<String> readLines(final Path file) throws IOException {
    // nexus.log may contain bytes that are not UTF-8; decode leniently.
    return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).lines().toList();
  }

  private static long size(final Path file) {
    try {
      return Files.exists(file) ? Files.size(file) : 0;
    }
    catch (IOException e) {
      return 0;
    }
  }

  private static String readFrom(final Path file, final long offset) {
    if (!Files.exists(file)) {
      return "";
    }
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
      long length = raf.length();
      if (length <= offset) {
        return "";
      }
      byte[] bytes = new byte[(int) Math.min(length - offset, 64L * 1024 * 1024)];
      raf.seek(offset);
      raf.readFully(bytes);
      return new String(bytes, StandardCharsets.ISO_8859_1);
    }
    catch (IOException e) {
      return "";
    }
  }

  static String seconds(final Duration d) {
    return String.format("%.1f s", d.toMillis() / 1000.0);
  }

  static void log(final String message) {
    System.out.println("[nexus-it] " + message);
  }
}
