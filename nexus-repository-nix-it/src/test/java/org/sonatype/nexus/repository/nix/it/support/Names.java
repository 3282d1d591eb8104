package org.sonatype.nexus.repository.nix.it.support;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Unique names for repositories, users, roles and generated store paths.
 *
 * <p>All test classes share one Nexus (and one /nix/store), so nothing a test creates may collide with
 * what another test, or an earlier run against the same store, created. Names are valid Nexus repository
 * names ({@code [a-z0-9-]}) and valid store path name parts.
 */
public final class Names
{
  // Per-JVM prefix: runs against the same /nix/store (fresh paths!) must not collide either.
  private static final String RUN = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);

  private static final AtomicInteger COUNTER = new AtomicInteger();

  private Names() {
  }

  /**
   * @return {@code <prefix>-<run>-<n>}, e.g. {@code hosted-k3x9a1-7}
   */
  public static String unique(final String prefix) {
    String clean = prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-");
    return clean + "-" + RUN + "-" + COUNTER.incrementAndGet();
  }
}
