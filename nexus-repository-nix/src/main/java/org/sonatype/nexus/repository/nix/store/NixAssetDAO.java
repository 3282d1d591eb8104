package org.sonatype.nexus.repository.nix.store;

import org.sonatype.nexus.repository.content.store.AssetDAO;

/**
 * Nix asset table ({@code nix_*}); the name prefix is load-bearing: Nexus derives the table name from it.
 */
public interface NixAssetDAO
    extends AssetDAO
{
}
