package org.sonatype.nexus.repository.nix.store;

import javax.inject.Named;

import org.sonatype.nexus.repository.content.store.FormatStoreModule;
import org.sonatype.nexus.repository.nix.NixFormat;

/**
 * Binds the {@code nix} content store (tables {@code nix_content_repository}, {@code nix_component},
 * {@code nix_asset}, {@code nix_asset_blob}).
 */
@Named(NixFormat.NAME)
public class NixStoreModule
    extends FormatStoreModule<NixContentRepositoryDAO, NixComponentDAO, NixAssetDAO, NixAssetBlobDAO>
{
}
