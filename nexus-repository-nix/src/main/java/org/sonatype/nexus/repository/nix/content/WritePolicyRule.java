package org.sonatype.nexus.repository.nix.content;

import java.util.function.Function;

import org.sonatype.nexus.repository.Repository;
import org.sonatype.nexus.repository.config.WritePolicy;

import static com.google.common.base.Preconditions.checkNotNull;
import static org.sonatype.nexus.repository.config.WritePolicy.ALLOW;
import static org.sonatype.nexus.repository.config.WritePolicy.DENY;
import static org.sonatype.nexus.repository.nix.http.NixRequestException.conflict;
import static org.sonatype.nexus.repository.nix.http.NixRequestException.methodNotAllowed;

/**
 * The one write rule of every Nix write (binary-cache files, channel snapshots, flake versions), under the
 * repository's configured write policy: {@code DENY} refuses every write and delete (405); the same content again
 * changes nothing; other content where something is stored is a conflict (409) unless the policy is {@code ALLOW}.
 * (The content store itself only keeps a {@code DENY} repository read-only: what a write means is Nix's to say.)
 */
public final class WritePolicyRule
{
  private final String repositoryName;

  private final WritePolicy policy;

  public WritePolicyRule(final String repositoryName, final WritePolicy policy) {
    this.repositoryName = checkNotNull(repositoryName);
    this.policy = checkNotNull(policy);
  }

  /** The rule of a repository, under its write policy as configured now. */
  public static WritePolicyRule of(final Repository repository) {
    return new WritePolicyRule(repository.getName(), repository.facet(NixContentFacet.class).configuredWritePolicy());
  }

  public WritePolicy policy() {
    return policy;
  }

  /**
   * Before anything is read or changed: a read-only repository refuses the write or delete (405).
   *
   * @param refused what was not done, for the message ({@code "nar/x.nar was not stored"})
   */
  public void checkWritable(final String refused) {
    if (policy == DENY) {
      throw methodNotAllowed("Repository '" + repositoryName + "' is read-only (write policy DENY): " + refused);
    }
  }

  /**
   * Other content where something is stored: allowed only under {@code ALLOW}, else a 409.
   *
   * @param conflictMessage the 409's message, given the policy that refused
   */
  public void checkReplaceable(final Function<WritePolicy, String> conflictMessage) {
    if (policy != ALLOW) {
      throw conflict(conflictMessage.apply(policy));
    }
  }

  /**
   * Within the write's transaction, where something is stored already: the same content is {@link
   * WriteOutcome#UNCHANGED}; other content is {@link WriteOutcome#UPDATED} (the caller then stores it) if {@link
   * #checkReplaceable replaceable}.
   */
  public WriteOutcome overwrite(final boolean identical, final Function<WritePolicy, String> conflictMessage) {
    if (identical) {
      return WriteOutcome.UNCHANGED;
    }
    checkReplaceable(conflictMessage);
    return WriteOutcome.UPDATED;
  }
}
