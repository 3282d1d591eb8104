package org.sonatype.nexus.repository.nix.signing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.sonatype.nexus.repository.nix.protocol.narinfo.ContentAddress;
import org.sonatype.nexus.repository.nix.protocol.narinfo.NarInfo;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.google.common.hash.Hashing;

import static com.google.common.base.Preconditions.checkNotNull;

/**
 * What a proxy takes from its upstream ({@code nix.trustedUpstreamKeys}, {@code nix.requireUpstreamSignature}): when
 * a signature is required, a narinfo is cached and served only if a trusted key signed it, or if it is a
 * content-addressed path whose {@code CA} field proves its store path, exactly the paths Nix itself would accept with
 * {@code require-sigs} on.
 *
 * <p>Checked when a narinfo arrives and again whenever a cached one is served (the keys may have changed since), so
 * verdicts are remembered: a verification costs more than serving the narinfo.
 */
public final class UpstreamTrust
{
  /** A proxy that requires no upstream signature: everything passes. */
  public static final UpstreamTrust NOT_REQUIRED = new UpstreamTrust(TrustedKeys.NONE, false);

  private static final int REMEMBERED_VERDICTS = 50_000;

  private final TrustedKeys keys;

  private final boolean required;

  private final Cache<String, Boolean> verdicts = CacheBuilder.newBuilder().maximumSize(REMEMBERED_VERDICTS).build();

  public UpstreamTrust(final TrustedKeys keys, final boolean required) {
    this.keys = checkNotNull(keys);
    this.required = required;
  }

  public TrustedKeys keys() {
    return keys;
  }

  public boolean required() {
    return required;
  }

  /**
   * Why the narinfo must not be cached or served, for the log and the 404 body; empty if it may be.
   */
  public Optional<String> refusal(final NarInfo narInfo) {
    if (!required || admitted(narInfo)) {
      return Optional.empty();
    }
    return Optional.of("the upstream narinfo of " + narInfo.storePath().baseName() + " " + why(narInfo)
        + "; this proxy requires a signature by one of its trusted upstream keys (" + keys.names()
        + ") or a content-addressed path, so it is not cached or served");
  }

  private boolean admitted(final NarInfo narInfo) {
    String key = verdictKey(narInfo);
    Boolean verdict = verdicts.getIfPresent(key);
    if (verdict == null) {
      verdict = keys.signed(narInfo) || ContentAddress.provesStorePath(narInfo);
      verdicts.put(key, verdict);
    }
    return verdict;
  }

  /**
   * A digest of everything a verdict depends on (the signed fields, the signatures and the content address): 64
   * characters per remembered verdict, however many references and signatures the narinfo has.
   */
  static String verdictKey(final NarInfo narInfo) {
    return Hashing.sha256().hashString(narInfo.storePath().baseName() + ";" + narInfo.narHash() + ";"
        + narInfo.narSize() + ";" + String.join(",", narInfo.references()) + ";" + String.join(",", narInfo.sigs())
        + ";" + narInfo.ca().orElse(""), StandardCharsets.UTF_8).toString();
  }

  private String why(final NarInfo narInfo) {
    if (narInfo.sigs().isEmpty()) {
      return "is not signed";
    }
    List<String> trustedNames = new ArrayList<>();
    List<String> otherNames = new ArrayList<>();
    for (String sig : narInfo.sigs()) {
      String name = sig.substring(0, Math.max(0, sig.indexOf(':')));
      (keys.hasKeyNamed(name) ? trustedNames : otherNames).add(name);
    }
    if (!trustedNames.isEmpty()) {
      return "carries a signature by " + String.join(", ", trustedNames)
          + " that does not verify (the narinfo was changed after it was signed, or signed by another key of that"
          + " name)";
    }
    return "is signed only by keys this proxy does not trust (" + String.join(", ", otherNames) + ")";
  }
}
