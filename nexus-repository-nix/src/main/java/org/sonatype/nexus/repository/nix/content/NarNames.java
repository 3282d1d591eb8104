package org.sonatype.nexus.repository.nix.content;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.sonatype.nexus.repository.nix.protocol.NixBase32;
import org.sonatype.nexus.repository.nix.protocol.NixHash;
import org.sonatype.nexus.repository.nix.protocol.NixHashType;
import org.sonatype.nexus.repository.nix.protocol.narinfo.NarInfo;

/**
 * Content-derived NAR file names. A repository that takes narinfos from elsewhere (a proxy, a group) serves
 * their NARs under names derived from what the narinfo says the NAR is, never under the upstream's name: then a
 * name means the same bytes in every repository, whatever naming the upstream used (nix-serve's
 * {@code <storehash>-<narhash>.nar}, harmonia's {@code <narhash>.nar?hash=}, absolute URLs on another host).
 */
public final class NarNames
{
  /** {@code /nar/<FileHash>.nar<ext>}: a name that says which bytes the file has (what {@code nix copy} writes). */
  private static final Pattern FILE_HASH_NAME = Pattern.compile(
      "/nar/(?<hash>[" + NixBase32.ALPHABET + "]{" + NixBase32.encodedLength(NixHashType.SHA256.size())
          + "})\\.nar(\\.[0-9a-z]+)?");

  private NarNames() {
  }

  /**
   * The SHA-256 file hash a NAR path names, if it is of the form {@code nix copy} gives NARs,
   * {@code /nar/<FileHash>.nar<ext>}: such a file can be checked without its narinfo.
   */
  public static Optional<NixHash> fileHashNamedBy(final String narPath) {
    Matcher name = FILE_HASH_NAME.matcher(narPath);
    if (!name.matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(NixHash.of(NixHashType.SHA256, NixBase32.decode(name.group("hash"))));
    }
    catch (RuntimeException e) {
      // 52 letters of the alphabet that are no 32-byte hash
      return Optional.empty();
    }
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
