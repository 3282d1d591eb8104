package org.sonatype.nexus.repository.nix.hosted;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import org.sonatype.nexus.repository.nix.protocol.narinfo.NarInfo;

/**
 * Which (compression, NarHash, NarSize) claims a stored NAR has been verified against, kept in the NAR asset's
 * {@code nix} attributes so that a NAR shared by several narinfos, or uploaded again, is decompressed once per claim.
 *
 * <p>The claims are a list of strings under {@value #VERIFIED_AS}, never a map keyed by them: Nexus indexes asset
 * attributes in its search index, where every distinct map key becomes a field of the index's mapping. Keys naming
 * a NAR's hash made the mapping grow by one field per NAR, and every upload rewrote the whole, ever larger mapping.
 * Releases before 1.0 kept such a map under {@value #LEGACY_VERIFIED}: it is read, and dropped on the next write.
 */
final class NarVerifications
{
  static final String VERIFIED_AS = "verifiedAs";

  static final String LEGACY_VERIFIED = "verified";

  private NarVerifications() {
  }

  /** The claim a narinfo makes of its NAR, as remembered. */
  static String claimOf(final NarInfo narInfo) {
    return narInfo.compression().nixName() + ";" + narInfo.narHash() + ";" + narInfo.narSize();
  }

  /** The claims a NAR's {@code nix} attributes say were verified, in the order they were. */
  static Set<String> verified(final Map<String, Object> nixAttributes) {
    Set<String> claims = new LinkedHashSet<>();
    Object legacy = nixAttributes.get(LEGACY_VERIFIED);
    if (legacy instanceof Map) {
      ((Map<?, ?>) legacy).keySet().forEach(claim -> claims.add(String.valueOf(claim)));
    }
    Object list = nixAttributes.get(VERIFIED_AS);
    if (list instanceof Collection) {
      ((Collection<?>) list).forEach(claim -> claims.add(String.valueOf(claim)));
    }
    return Collections.unmodifiableSet(claims);
  }

  /** New {@code nix} attributes for the NAR: the old ones with {@code claim} added to the verified claims. */
  static Map<String, Object> withVerified(final Map<String, Object> nixAttributes, final String claim) {
    Set<String> claims = new LinkedHashSet<>(verified(nixAttributes));
    claims.add(claim);
    Map<String, Object> updated = new LinkedHashMap<>(nixAttributes);
    updated.remove(LEGACY_VERIFIED);
    updated.put(VERIFIED_AS, new ArrayList<>(claims));
    return updated;
  }
}
