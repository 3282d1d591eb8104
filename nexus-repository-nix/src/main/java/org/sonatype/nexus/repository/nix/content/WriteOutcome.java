package org.sonatype.nexus.repository.nix.content;

/**
 * What an accepted write did: Nix only needs a 2xx, people reading logs and tests want to know which.
 */
public enum WriteOutcome
{
  /** Stored something new. */
  CREATED,
  /** Replaced or extended what was there (added signatures, a redeploy the write policy allows). */
  UPDATED,
  /** Identical to what was there; nothing changed. */
  UNCHANGED
}
