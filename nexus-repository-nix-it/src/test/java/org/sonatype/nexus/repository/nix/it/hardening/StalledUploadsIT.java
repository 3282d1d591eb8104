package org.sonatype.nexus.repository.nix.it.hardening;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.sonatype.nexus.repository.nix.it.support.Names;
import org.sonatype.nexus.repository.nix.it.support.NexusServer;
import org.sonatype.nexus.repository.nix.it.support.RawHttp;
import org.sonatype.nexus.repository.nix.it.support.RawHttp.After;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Uploads that never finish: half a NAR and a disconnect, half a NAR and silence, and what Nix &le; 2.32 does after
 * a 5xx (retry with an empty body and the original Content-Length). Each request ends (Jetty's 30 s idle timeout),
 * its thread is freed, nothing partial becomes visible, and the repository keeps serving meanwhile.
 */
class StalledUploadsIT
{
  private static final int DECLARED = 4 * 1024 * 1024;

  @Test
  void incompleteUploadsEndWithinTheIdleTimeoutAndLeaveNothing() throws Exception {
    NexusServer nexus = NexusServer.get();
    String repository = Names.unique("hosted-stalled");
    String url = nexus.rest().createNixHosted(repository);
    RawHttp http = RawHttp.basic("admin", nexus.adminPassword());
    Map<String, String> nar = Map.of("Content-Type", "application/x-nix-nar", "Expect", "100-continue");

    List<CompletableFuture<RawHttp.RawResponse>> uploads = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      byte[] half = new byte[i % 2 == 0 ? DECLARED / 2 : 0];
      After after = i % 4 == 0 ? After.HALF_CLOSE : After.STALL;
      String path = url + "/nar/stalled-" + i + ".nar";
      uploads.add(CompletableFuture.supplyAsync(() ->
          http.partialPut(path, nar, DECLARED, half, after, Duration.ofSeconds(60))));
    }
    // meanwhile the repository answers everyone else at once
    Thread.sleep(2000);
    long begin = System.nanoTime();
    assertThat(http.get(url + "/nix-cache-info").status()).isEqualTo(200);
    assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(Duration.ofSeconds(5));

    for (CompletableFuture<RawHttp.RawResponse> upload : uploads) {
      RawHttp.RawResponse response = upload.get();
      assertThat(response.waited()).as(response.toString()).isLessThan(Duration.ofSeconds(45));
      assertThat(response.status()).as(response.toString()).isIn(400, 408);
    }
    assertThat(nexus.rest().get("/service/rest/v1/assets?repository=" + repository).expect(200).json()
        .get("items")).isEmpty();
    // and a complete upload still works
    assertThat(http.put(url + "/nar/complete.nar", "application/x-nix-nar", new byte[] {1, 2, 3}).status())
        .isEqualTo(201);
  }
}
