package org.sonatype.nexus.repository.nix.content;

import org.sonatype.nexus.repository.nix.protocol.NarInfo;
import org.sonatype.nexus.repository.nix.protocol.NixHash;
import org.sonatype.nexus.repository.nix.protocol.NixHashType;

/**
 * Content-derived NAR file names. A repository that takes narinfos from elsewhere (a proxy, a group) serves
 * their NARs under names derived from what the narinfo says the NAR is, never under the upstream's name: then a
 * name means the same bytes in every repository, whatever naming the upstream used (nix-serve's
 * {@code <storehash>-<narhash>.nar}, harmonia's {@code <narhash>.nar?hash=}, absolute URLs on another host).
 */
public final class NarNames
{
  private NarNames() {
  }

  /**
   * {@code nar/<FileHash>.nar<ext>}, exactly what {@code nix copy} names the same file; without a FileHash,
   * {@code nar/<NarHash>-<compression>.nar<ext>}: every file under that name decompresses to the same NAR.
   */
  public static String contentDerivedUrl(final NarInfo narInfo) {
    String extension = narInfo.compression().narExtension();
    if (narInfo.fileHash().isPresent() && narInfo.fileHash().get().type() == NixHashType.SHA256) {
      return "nar/" + narInfo.fileHash().get().toNix32() + extension;
    }
    NixHash narHash = narInfo.narHash();
    return "nar/" + narHash.toNix32() + "-" + narInfo.compression().nixName() + extension;
  }
}
