package org.sonatype.nexus.repository.nix.it.hardening;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.sonatype.nexus.repository.nix.it.support.Names;
import org.sonatype.nexus.repository.nix.it.support.NexusServer;
import org.sonatype.nexus.repository.nix.it.support.RawHttp;
import org.sonatype.nexus.repository.nix.it.support.SyntheticNar;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A narinfo upload racing the delete of what it depends on ends in one consistent outcome, decided by the database:
 * the delete wins (and the upload is refused, nothing stored) or the upload wins (and the delete is refused with a
 * 409). Never both: a narinfo whose NAR or reference is gone is a broken substitute.
 *
 * <p>The upload's NAR is 384 MiB of zeros in a few KiB of zstd, so checking its NarHash keeps the upload busy for a
 * while after it found its NAR and references there; each delete is sent at a different moment of that window (and
 * once before it).
 */
class PushDeleteRaceIT
{
  private static final long SLOW_TO_VERIFY = 384L * 1024 * 1024;

  private static final long[] DELETE_AFTER_MILLIS = {0, 150, 400, 800, 1500};

  private static NexusServer nexus;

  private static RawHttp http;

  @BeforeAll
  static void setUp() {
    nexus = NexusServer.get();
    http = RawHttp.basic("admin", nexus.adminPassword());
  }

  @Test
  void aNarinfoUploadRacingTheDeleteOfItsNarLeavesBothOrNeither() throws Exception {
    for (long delay : DELETE_AFTER_MILLIS) {
      String url = nexus.rest().createNixHosted(Names.unique("race-nar"));
      SyntheticNar nar = SyntheticNar.create("race-nar", SLOW_TO_VERIFY, List.of());
      put(url, nar.narPath(), nar);

      Race race = race(() -> putNarInfo(url, nar), delay, () -> http.delete(url + "/" + nar.narPath()));

      boolean narInfoServed = http.get(url + "/" + nar.narInfoPath()).status() == 200;
      boolean narServed = http.get(url + "/" + nar.narPath()).status() == 200;
      System.out.printf("[nexus-it] narinfo upload %d, NAR delete after %d ms %d: narinfo %s, NAR %s%n",
          race.upload.status(), delay, race.delete.status(), narInfoServed, narServed);
      assertThat(race.upload.status()).as(race.toString()).isIn(200, 201, 400);
      assertThat(race.delete.status()).as(race.toString()).isIn(204, 409);
      assertThat(race.upload.status() == 400).as("the upload was refused iff the delete happened: " + race)
          .isEqualTo(race.delete.status() == 204);
      if (narInfoServed) {
        assertThat(narServed).as("a narinfo is served only with its NAR: " + race).isTrue();
      }
    }
  }

  @Test
  void aNarinfoUploadRacingTheDeleteOfItsReferenceLeavesBothOrNeither() throws Exception {
    for (long delay : DELETE_AFTER_MILLIS) {
      String url = nexus.rest().createNixHosted(Names.unique("race-ref"));
      SyntheticNar dependency = SyntheticNar.create("race-dependency", 1024, List.of());
      put(url, dependency.narPath(), dependency);
      assertThat(putNarInfo(url, dependency).status()).isIn(200, 201);
      SyntheticNar dependent = SyntheticNar.create("race-dependent", SLOW_TO_VERIFY,
          List.of(dependency.storePath()));
      put(url, dependent.narPath(), dependent);

      Race race = race(() -> putNarInfo(url, dependent), delay,
          () -> http.delete(url + "/" + dependency.narInfoPath()));

      boolean dependentServed = http.get(url + "/" + dependent.narInfoPath()).status() == 200;
      boolean dependencyServed = http.get(url + "/" + dependency.narInfoPath()).status() == 200;
      System.out.printf("[nexus-it] dependent's narinfo upload %d, dependency delete after %d ms %d: dependent %s,"
          + " dependency %s%n", race.upload.status(), delay, race.delete.status(), dependentServed, dependencyServed);
      assertThat(race.upload.status()).as(race.toString()).isIn(200, 201, 400);
      assertThat(race.delete.status()).as(race.toString()).isIn(204, 409);
      assertThat(race.upload.status() == 400).as("the upload was refused iff the delete happened: " + race)
          .isEqualTo(race.delete.status() == 204);
      if (dependentServed) {
        assertThat(dependencyServed).as("a store path is served only with its references: " + race).isTrue();
      }
    }
  }

  private record Race(RawHttp.Response upload, RawHttp.Response delete)
  {
    @Override
    public String toString() {
      return "upload " + upload + ", delete " + delete;
    }
  }

  /** Starts the upload, waits {@code delayMillis}, sends the delete, and waits for both answers. */
  private static Race race(
      final java.util.function.Supplier<RawHttp.Response> upload,
      final long delayMillis,
      final java.util.function.Supplier<RawHttp.Response> delete) throws Exception
  {
    CompletableFuture<RawHttp.Response> uploading = CompletableFuture.supplyAsync(upload);
    Thread.sleep(delayMillis);
    RawHttp.Response deleted = delete.get();
    return new Race(uploading.get(), deleted);
  }

  private static void put(final String url, final String path, final SyntheticNar nar) {
    RawHttp.Response response = http.put(url + "/" + path, "application/x-nix-nar", nar.file());
    assertThat(response.status()).as(response.toString()).isIn(200, 201);
  }

  private static RawHttp.Response putNarInfo(final String url, final SyntheticNar nar) {
    return http.put(url + "/" + nar.narInfoPath(), "text/x-nix-narinfo", nar.narInfo().getBytes(UTF_8));
  }
}
