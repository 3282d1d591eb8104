package org.sonatype.nexus.repository.nix.proxy;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import javax.annotation.Nullable;

/**
 * The upstream narinfos a proxy refused for want of a trusted signature, counted so the refusals show on the
 * repository: a client only sees "not in this cache" and quietly builds from source. Kept in memory by each Nexus node
 * since the repository started; a count, not a log.
 */
public final class UpstreamRefusals
{
  private final Instant since = Instant.now();

  private final AtomicLong count = new AtomicLong();

  @Nullable
  private volatile Refusal last;

  private static final class Refusal
  {
    private final Instant at;

    private final String reason;

    private Refusal(final Instant at, final String reason) {
      this.at = at;
      this.reason = reason;
    }
  }

  void record(final String reason) {
    last = new Refusal(Instant.now(), reason);
    count.incrementAndGet();
  }

  public long count() {
    return count.get();
  }

  /** {@code count}, {@code since}, and for the last refusal {@code lastRefusedAt} and {@code lastReason}. */
  public Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("count", count.get());
    map.put("since", since.toString());
    Refusal current = last;
    if (current != null) {
      map.put("lastRefusedAt", current.at.toString());
      map.put("lastReason", current.reason);
    }
    return map;
  }

  /** One sentence for the repository's warnings, or null if nothing was refused. */
  @Nullable
  public String summary() {
    Refusal current = last;
    long refused = count.get();
    if (refused == 0 || current == null) {
      return null;
    }
    return refused + " upstream narinfo" + (refused == 1 ? " was" : "s were") + " refused since " + since
        + " for want of a trusted signature (clients build those paths from source); the last, at " + current.at
        + ": " + current.reason;
  }
}
