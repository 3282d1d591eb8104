package org.sonatype.nexus.repository.nix;

import javax.inject.Named;
import javax.inject.Singleton;

import org.sonatype.nexus.repository.Format;

/**
 * The Nix repository format: binary caches, channels and flakes.
 */
@Named(NixFormat.NAME)
@Singleton
public class NixFormat
    extends Format
{
  public static final String NAME = "nix";

  public NixFormat() {
    super(NAME);
  }
}
