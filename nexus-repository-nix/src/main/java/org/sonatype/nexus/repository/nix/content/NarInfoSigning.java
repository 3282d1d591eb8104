package org.sonatype.nexus.repository.nix.content;

import org.sonatype.nexus.repository.Facet;
import org.sonatype.nexus.repository.nix.protocol.narinfo.NarInfo;

import org.joda.time.DateTime;

/**
 * What rendering a narinfo needs of a repository's own signing key: the contract sits here, beside the one place
 * narinfos are rendered ({@link NixContentFacet#narInfoContent}), and the signing package implements it, so storage
 * never depends on how keys are kept. A repository without this facet serves narinfos as stored.
 */
@Facet.Exposed
public interface NarInfoSigning
    extends Facet
{
  /** The narinfo as the repository serves it: with the repository's signature added, every other kept. */
  NarInfo sign(NarInfo narInfo);

  /** Last-Modified of a served narinfo: a signed narinfo is no older than the key that signed it. */
  DateTime lastModified(DateTime stored);
}
