package org.sonatype.nexus.repository.nix.it.support;

/**
 * Sizes of the hardening tests: what fits the CI time limit by default, a longer soak with {@code -Dnix.soak=true}
 * (documented in docs/testing.md).
 */
public final class Soak
{
  private Soak() {
  }

  public static boolean enabled() {
    return Boolean.getBoolean("nix.soak");
  }

  /** {@code ci} normally, {@code soak} in a soak run. */
  public static int size(final int ci, final int soak) {
    return enabled() ? soak : ci;
  }
}
