package org.sonatype.nexus.repository.nix.store;

import javax.inject.Named;

import org.sonatype.nexus.repository.content.store.AssetBlobStore;
import org.sonatype.nexus.repository.content.store.BespokeFormatStoreModule;
import org.sonatype.nexus.repository.content.store.ComponentStore;
import org.sonatype.nexus.repository.content.store.ContentRepositoryStore;
import org.sonatype.nexus.repository.nix.NixFormat;

/**
 * Binds the {@code nix} content store (tables {@code nix_content_repository}, {@code nix_component},
 * {@code nix_asset}, {@code nix_asset_blob}), with {@link NixAssetStore} for Nix-specific queries.
 */
@Named(NixFormat.NAME)
public class NixStoreModule
    extends BespokeFormatStoreModule<ContentRepositoryStore<NixContentRepositoryDAO>,
                                     ComponentStore<NixComponentDAO>,
                                     NixAssetStore,
                                     AssetBlobStore<NixAssetBlobDAO>>
{
}
