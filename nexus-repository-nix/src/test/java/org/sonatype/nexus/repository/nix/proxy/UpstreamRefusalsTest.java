package org.sonatype.nexus.repository.nix.proxy;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UpstreamRefusalsTest
{
  @Test
  void nothingRefusedIsACountOfZeroAndNoWarning() {
    UpstreamRefusals refusals = new UpstreamRefusals();

    assertThat(refusals.toMap()).containsEntry("count", 0L).containsKey("since").doesNotContainKey("lastReason");
    assertThat(refusals.summary()).isNull();
  }

  @Test
  void refusalsAreCountedAndTheLastIsKept() {
    UpstreamRefusals refusals = new UpstreamRefusals();

    refusals.record("first");
    refusals.record("second");

    assertThat(refusals.count()).isEqualTo(2);
    assertThat(refusals.toMap()).containsEntry("lastReason", "second").containsKey("lastRefusedAt");
    assertThat(refusals.summary()).startsWith("2 upstream narinfos were refused since ").endsWith(": second");
  }
}
