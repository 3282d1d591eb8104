package org.sonatype.nexus.repository.nix.it.ui;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.sonatype.nexus.repository.nix.it.support.ItDirs;
import org.sonatype.nexus.repository.nix.it.support.Names;
import org.sonatype.nexus.repository.nix.it.support.NexusServer;
import org.sonatype.nexus.repository.nix.it.support.NixClient;
import org.sonatype.nexus.repository.nix.it.support.RawHttp;

import com.fasterxml.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A hosted repository holding one file of every kind Nix keeps in a binary cache, pushed the way Nix pushes them:
 * a store path with its narinfo, NAR and listing ({@code nix copy ?write-nar-listing=true}), its build log
 * ({@code nix store copy-log}), and a realisation, a build trace and a debuginfo link as Nix PUTs them. Small and
 * quick to make: the browser tests look at the files, not at their number.
 */
final class NixContent
{
  /** Kinds of files, by what their paths look like. */
  static final Map<String, Predicate<String>> KINDS = kinds();

  private final String storePath;

  private NixContent(final String storePath) {
    this.storePath = storePath;
  }

  /**
   * A unique name for a store path, without a {@code -} before a digit: Nix would take what follows for the version.
   */
  static String packageName(final String prefix) {
    return Names.unique(prefix).replace('-', '_');
  }

  /**
   * @param name of the store path, from {@link #packageName}: {@code <name>-1.0} is built and pushed
   */
  static NixContent push(final NexusServer nexus, final String repository, final String name) {
    String url = nexus.repositoryUrl(repository);
    NixClient nix = NixClient.builder().name("ui-content").netrc("127.0.0.1", "admin", nexus.adminPassword()).build();
    Path expression = ItDirs.newTempDir("ui-content").resolve("default.nix");
    write(expression, "derivation { name = \"" + name + "-1.0\"; system = builtins.currentSystem;"
        + " builder = \"/bin/sh\"; args = [ \"-c\" \"echo building " + name + "; echo " + name + " > $out\" ]; }\n");
    List<String> built = nix.run("nix-build", expression.toString(), "--no-out-link").assertSuccess().stdoutLines();
    String storePath = built.get(built.size() - 1);
    nix.copyTo(url + "?write-nar-listing=true", List.of(storePath)).assertSuccess();
    nix.run("nix", "store", "copy-log", "--to", url, storePath).assertSuccess();

    String baseName = storePath.substring("/nix/store/".length());
    List<String> deriver = nix.run("nix-store", "--query", "--deriver", storePath).assertSuccess().stdoutLines();
    String drv = deriver.get(deriver.size() - 1).substring("/nix/store/".length());
    RawHttp http = RawHttp.basic("admin", nexus.adminPassword());
    putJson(http, url + "/realisations/sha256:" + "1".repeat(64) + "!out.doi",
        "{\"id\":\"sha256:" + "1".repeat(64) + "!out\",\"outPath\":\"" + baseName
            + "\",\"signatures\":[],\"dependentRealisations\":{}}");
    putJson(http, url + "/build-trace-v2/" + drv + "/out.doi",
        "{\"outPath\":\"" + baseName + "\",\"signatures\":[]}");
    putJson(http, url + "/debuginfo/" + "ab".repeat(20) + ".debug",
        "{\"archive\":\"../nar/example.nar.xz\",\"member\":\"lib/debug/.build-id/ab/abab.debug\"}");
    return new NixContent(storePath);
  }

  String storePath() {
    return storePath;
  }

  /** The hash part of the store path, what Search > Nix's store hash field takes. */
  String storeHash() {
    return storePath.substring("/nix/store/".length(), "/nix/store/".length() + 32);
  }

  /**
   * Where Browse shows each file (what its bookmark names): under its component's {@code [group/]name/version}
   * (store paths, channel snapshots), or at its own path (files without a component).
   *
   * @return asset path to browse path
   */
  static Map<String, String> browsePaths(final NexusServer nexus, final String repository) {
    Map<String, String> paths = new LinkedHashMap<>();
    JsonNode assets = nexus.rest().get("/service/rest/v1/assets?repository=" + repository).expect(200).json();
    assets.get("items").forEach(asset -> {
      String path = asset.get("path").asText();
      paths.put(path, path.replaceFirst("^/", ""));
    });
    JsonNode components = nexus.rest().get("/service/rest/v1/components?repository=" + repository).expect(200).json();
    components.get("items").forEach(component -> {
      String group = component.path("group").asText("");
      String prefix = (group.isEmpty() ? "" : group + "/") + component.get("name").asText()
          + (component.path("version").asText("").isEmpty() ? "" : "/" + component.get("version").asText());
      component.get("assets").forEach(asset -> {
        String path = asset.get("path").asText();
        paths.put(path, prefix + path.substring(path.lastIndexOf('/')));
      });
    });
    return paths;
  }

  private static Map<String, Predicate<String>> kinds() {
    Map<String, Predicate<String>> kinds = new LinkedHashMap<>();
    kinds.put("narinfo", path -> path.endsWith(".narinfo"));
    kinds.put("nar", path -> path.startsWith("/nar/"));
    kinds.put("listing", path -> path.endsWith(".ls"));
    kinds.put("log", path -> path.startsWith("/log/"));
    kinds.put("realisation", path -> path.startsWith("/realisations/"));
    kinds.put("build-trace", path -> path.startsWith("/build-trace-v2/"));
    kinds.put("debuginfo", path -> path.startsWith("/debuginfo/"));
    kinds.put("channel-tarball", path -> path.startsWith("/channels/"));
    return kinds;
  }

  private static void putJson(final RawHttp http, final String url, final String json) {
    RawHttp.Response answer = http.put(url, "application/json", json.getBytes(StandardCharsets.UTF_8));
    assertThat(answer.status()).as(answer.toString()).isEqualTo(201);
  }

  private static void write(final Path file, final String text) {
    try {
      Files.writeString(file, text);
    }
    catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
