package org.sonatype.nexus.repository.nix.it.hosted;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import org.sonatype.nexus.repository.nix.it.support.ClosureGenerator;
import org.sonatype.nexus.repository.nix.it.support.ItDirs;
import org.sonatype.nexus.repository.nix.it.support.Names;
import org.sonatype.nexus.repository.nix.it.support.NexusServer;
import org.sonatype.nexus.repository.nix.it.support.NixClient;
import org.sonatype.nexus.repository.nix.it.support.RawHttp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hosted binary cache with the real client: the generated closure (221 paths, a few bytes to 50 MiB) is pushed
 * with {@code nix copy --to} and netrc credentials, in each compression Nix users pick, with NAR listings, and
 * substituted back into an empty store; {@code nix path-info} and {@code nix store ls} work against the repository.
 */
class HostedPushAndSubstituteIT
{
  private static NexusServer nexus;

  private static ClosureGenerator closure;

  @BeforeAll
  static void setUp() {
    nexus = NexusServer.get();
    closure = ClosureGenerator.get();
  }

  /** The compressions Nix users pick; a subclass may narrow them by hiding this method. */
  static Stream<String> compressions() {
    return Stream.of("xz", "zstd", "none");
  }

  @ParameterizedTest(name = "compression={0}")
  @MethodSource("compressions")
  void theClosurePushedWithNixCopySubstitutesIntoAnEmptyStore(final String compression) throws Exception {
    String name = Names.unique("hosted-" + compression);
    String url = nexus.rest().createNixHosted(name);
    NixClient pusher = client("pusher");

    Instant begin = Instant.now();
    pusher.copyTo(url + "?compression=" + compression + "&write-nar-listing=true", List.of(closure.root()));
    Duration push = Duration.between(begin, Instant.now());

    Path store = ItDirs.newTempDir("store");
    begin = Instant.now();
    client("substituter").realiseInto(store, url, List.of(closure.root()), false);
    Duration pull = Duration.between(begin, Instant.now());

    for (String path : closure.allPaths()) {
      assertThat(NixClient.inStore(store, path)).as(path).exists();
    }
    assertThat(Files.readString(NixClient.inStore(store, closure.root())))
        .isEqualTo(Files.readString(Path.of(closure.root())));
    System.out.printf("[nexus-it] nix-hosted %s: nix copy of %d paths (%d NAR bytes) %d ms, substitution %d ms%n",
        compression, closure.allPaths().size(), closure.totalNarSize(), push.toMillis(), pull.toMillis());

    // what nix path-info says about the pushed closure comes from the repository's narinfos
    NixClient.Result pathInfo = client("path-info")
        .run("nix", "path-info", "--store", url, "--json", "-r", closure.root()).assertSuccess();
    JsonNode infos = new ObjectMapper().readTree(pathInfo.stdout());
    assertThat(infos).hasSize(closure.allPaths().size());
    for (JsonNode info : infos) {
      assertThat(info.get("url").asText()).startsWith("nar/");
    }

    // every path got its NAR listing (write-nar-listing=true), served as JSON
    String hash = hashPart(closure.root());
    RawHttp.Response listing = http().get(url + "/" + hash + ".ls");
    assertThat(listing.status()).isEqualTo(200);
    assertThat(listing.header("Content-Type")).startsWith("application/json");
    assertThat(listing.bodyText()).contains("\"version\":1");
  }

  @Test
  void nixStoreLsListsAPushedDirectoryFromTheRepository() {
    String url = nexus.rest().createNixHosted(Names.unique("hosted-ls"));
    ClosureGenerator.Fresh fresh = closure.fresh(Names.unique("ls"));
    client("pusher").copyTo(url, fresh.paths());

    NixClient.Result ls = client("lister").run("nix", "store", "ls", "--store", url, "-lR", fresh.root())
        .assertSuccess();

    assertThat(ls.stdout()).contains("dependency").contains("bin");
  }

  private NixClient client(final String name) {
    return NixClient.builder().name(name).netrc("127.0.0.1", "admin", nexus.adminPassword()).build();
  }

  private RawHttp http() {
    return RawHttp.basic("admin", nexus.adminPassword());
  }

  static String hashPart(final String storePath) {
    return storePath.substring("/nix/store/".length(), "/nix/store/".length() + 32);
  }
}
