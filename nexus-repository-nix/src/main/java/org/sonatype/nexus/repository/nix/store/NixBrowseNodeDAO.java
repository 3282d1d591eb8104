package org.sonatype.nexus.repository.nix.store;

import org.sonatype.nexus.repository.content.browse.store.BrowseNodeDAO;

/**
 * Browse tree table {@code nix_browse_node}.
 */
public interface NixBrowseNodeDAO
    extends BrowseNodeDAO
{
}
