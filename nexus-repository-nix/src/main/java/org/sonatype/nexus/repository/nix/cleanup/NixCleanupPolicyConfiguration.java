package org.sonatype.nexus.repository.nix.cleanup;

import java.util.Map;

import javax.inject.Named;
import javax.inject.Singleton;

import org.sonatype.nexus.cleanup.config.CleanupPolicyConfiguration;
import org.sonatype.nexus.repository.nix.NixFormat;

import com.google.common.collect.ImmutableMap;

import static org.sonatype.nexus.cleanup.config.CleanupPolicyConstants.IS_PRERELEASE_KEY;
import static org.sonatype.nexus.cleanup.config.CleanupPolicyConstants.LAST_BLOB_UPDATED_KEY;
import static org.sonatype.nexus.cleanup.config.CleanupPolicyConstants.LAST_DOWNLOADED_KEY;
import static org.sonatype.nexus.cleanup.config.CleanupPolicyConstants.REGEX_KEY;

/**
 * Cleanup criteria that mean something for Nix content: age, last use (a narinfo lookup counts as a use, not only a
 * NAR download: Nix asks for narinfos of what it already has), and asset path regular expressions. Store path
 * versions have no notion of "prerelease". Whatever a policy selects, the repository only deletes what no kept or
 * pinned store path needs (see NixMaintenanceFacet).
 */
@Named(NixFormat.NAME)
@Singleton
public class NixCleanupPolicyConfiguration
    implements CleanupPolicyConfiguration
{
  @Override
  public Map<String, Boolean> getConfiguration() {
    return ImmutableMap.of(
        LAST_BLOB_UPDATED_KEY, true,
        LAST_DOWNLOADED_KEY, true,
        IS_PRERELEASE_KEY, false,
        REGEX_KEY, true);
  }
}
