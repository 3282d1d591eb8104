package org.sonatype.nexus.repository.nix.it.hardening;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.sonatype.nexus.repository.nix.it.support.ClosureGenerator;
import org.sonatype.nexus.repository.nix.it.support.ItDirs;
import org.sonatype.nexus.repository.nix.it.support.Names;
import org.sonatype.nexus.repository.nix.it.support.NexusServer;
import org.sonatype.nexus.repository.nix.it.support.NixClient;
import org.sonatype.nexus.repository.nix.it.support.RawHttp;
import org.sonatype.nexus.repository.nix.it.support.Soak;
import org.sonatype.nexus.repository.nix.it.support.StaticCacheServer;

import org.junit.jupiter.api.Test;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A thousand and more broken narinfos, generated from a real one (fields dropped, duplicated, wrong hashes and
 * sizes, bad store paths, control characters, oversized values, huge reference lists, each possibly reordered, with
 * CRLF endings or without a final newline): every one is a 4xx with a message, none a 5xx, nothing is stored, and
 * afterwards the repository takes the real narinfo and Nix substitutes from it.
 */
class MalformedNarInfoIT
{
  /** Enough for every mutation family many times over; a soak run goes through many more random combinations. */
  private static final int CASES = Soak.size(1100, 20_000);

  @Test
  void everyMutatedNarInfoIsRefusedWithAMessageAndTheRepositoryStillWorks() throws IOException {
    NexusServer nexus = NexusServer.get();
    RawHttp http = RawHttp.basic("admin", nexus.adminPassword());
    ClosureGenerator.Fresh fresh = ClosureGenerator.get().fresh(Names.unique("mutations"));
    Path cache = ItDirs.newTempDir("mutations-cache");
    StaticCacheServer.writeCache(ClosureGenerator.get().nix(), cache, "zstd", fresh.paths());
    String repository = Names.unique("hosted-mutations");
    String url = nexus.rest().createNixHosted(repository);
    String hash = fresh.dependency().substring("/nix/store/".length(), "/nix/store/".length() + 32);
    String valid = Files.readString(cache.resolve(hash + ".narinfo"));
    upload(http, url, cache, hash);

    Map<Integer, Integer> statuses = new TreeMap<>();
    List<String> wrong = new ArrayList<>();
    for (NarInfoMutations.Case mutation : new NarInfoMutations(42).generate(valid, CASES)) {
      RawHttp.Response response = http.put(url + "/" + hash + ".narinfo", "text/x-nix-narinfo",
          mutation.text().getBytes(mutation.text().chars().allMatch(c -> c < 128) ? UTF_8 : ISO_8859_1));
      statuses.merge(response.status(), 1, Integer::sum);
      if (response.status() < 400 || response.status() >= 500 || response.bodyText().isBlank()) {
        wrong.add(mutation.name() + " -> " + response.status() + " " + response.bodyText().trim());
      }
    }
    System.out.printf("[nexus-it] %d mutated narinfos: statuses %s%n", CASES, statuses);

    assertThat(wrong).as("mutations not refused with a 4xx and a message").isEmpty();
    assertThat(http.get(url + "/" + hash + ".narinfo").status()).as("nothing was stored").isEqualTo(404);
    assertThat(nexus.rest().get("/service/rest/v1/assets?repository=" + repository).expect(200).body())
        .doesNotContain(".narinfo");

    // the repository is unharmed: the real narinfos go in and substitute
    assertThat(http.put(url + "/" + hash + ".narinfo", "text/x-nix-narinfo", valid.getBytes(UTF_8)).status())
        .isEqualTo(201);
    String rootHash = fresh.root().substring("/nix/store/".length(), "/nix/store/".length() + 32);
    upload(http, url, cache, rootHash);
    assertThat(http.put(url + "/" + rootHash + ".narinfo", "text/x-nix-narinfo",
        Files.readAllBytes(cache.resolve(rootHash + ".narinfo"))).status()).isEqualTo(201);
    Path store = ItDirs.newTempDir("mutations-store");
    NixClient.builder().name("after-mutations").netrc("127.0.0.1", "admin", nexus.adminPassword()).build()
        .realiseInto(store, url, List.of(fresh.root()), false);
    assertThat(NixClient.inStore(store, fresh.root())).exists();
  }

  private static void upload(final RawHttp http, final String url, final Path cache, final String hash)
      throws IOException
  {
    String narUrl = Files.readString(cache.resolve(hash + ".narinfo")).lines()
        .filter(l -> l.startsWith("URL: ")).findFirst().orElseThrow().substring("URL: ".length());
    assertThat(http.put(url + "/" + narUrl, "application/x-nix-nar", Files.readAllBytes(cache.resolve(narUrl)))
        .status()).isEqualTo(201);
  }
}
