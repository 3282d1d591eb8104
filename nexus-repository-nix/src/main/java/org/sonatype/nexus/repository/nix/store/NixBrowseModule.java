package org.sonatype.nexus.repository.nix.store;

import javax.inject.Named;

import org.sonatype.nexus.repository.content.browse.store.FormatBrowseModule;
import org.sonatype.nexus.repository.nix.NixFormat;

/**
 * Binds the {@code nix} browse node store.
 */
@Named(NixFormat.NAME)
public class NixBrowseModule
    extends FormatBrowseModule<NixBrowseNodeDAO>
{
}
