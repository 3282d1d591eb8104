package org.sonatype.nexus.repository.nix.it.hosted;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.sonatype.nexus.repository.nix.it.support.ClosureGenerator;
import org.sonatype.nexus.repository.nix.it.support.ItDirs;
import org.sonatype.nexus.repository.nix.it.support.Names;
import org.sonatype.nexus.repository.nix.it.support.NexusServer;
import org.sonatype.nexus.repository.nix.it.support.NixClient;
import org.sonatype.nexus.repository.nix.it.support.TestBlobStore;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * NARs stream: a 2 GiB store path goes up with {@code nix copy} and comes back by substitution through the shared
 * Nexus, which runs with a 1 GiB heap. Buffering a NAR anywhere would end in an OutOfMemoryError.
 */
class HostedLargeNarIT
{
  private static final long TWO_GIB = 2L * 1024 * 1024 * 1024;

  /** The NAR's size; a subclass may choose another. */
  long narBytes() {
    return TWO_GIB;
  }

  @Test
  void aLargeNarUploadsAndDownloadsThroughAOneGibHeap() throws Exception {
    NexusServer nexus = NexusServer.get();
    long size = narBytes();
    String path = ClosureGenerator.get().largePath(size);
    String url = nexus.rest().createNixHosted(Names.unique("hosted-large"));
    NixClient client = NixClient.builder().name("large").netrc("127.0.0.1", "admin", nexus.adminPassword()).build();

    Instant begin = Instant.now();
    client.copyTo(url + "?compression=none", List.of(path));
    Duration push = Duration.between(begin, Instant.now());

    Path store = ItDirs.newTempDir("large-store");
    begin = Instant.now();
    client.realiseInto(store, url, List.of(path), false);
    Duration pull = Duration.between(begin, Instant.now());

    assertThat(Files.size(NixClient.inStore(store, path))).isEqualTo(size);
    assertThat(new String(Files.readAllBytes(nexus.logFile()), java.nio.charset.StandardCharsets.ISO_8859_1))
        .doesNotContain("OutOfMemoryError");
    System.out.printf("[nexus-it] %d MiB NAR on %s: nix copy %d ms, substitution %d ms (Nexus heap 1 GiB)%n",
        size >> 20, TestBlobStore.forNewRepositories(), push.toMillis(), pull.toMillis());
    ItDirs.deleteTree(store);
  }
}
