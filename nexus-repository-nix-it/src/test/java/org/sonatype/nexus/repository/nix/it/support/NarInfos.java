package org.sonatype.nexus.repository.nix.it.support;

import java.util.List;
import java.util.stream.Collectors;

import org.sonatype.nexus.repository.nix.protocol.NixPublicKey;
import org.sonatype.nexus.repository.nix.protocol.narinfo.NarInfo;

/**
 * Narinfos as a binary cache serves them, read and checked with the plugin's own protocol classes (which are
 * tested byte for byte against the real Nix): which signature verifies for which key.
 */
public final class NarInfos
{
  public static final String STORE_DIR = "/nix/store";

  private NarInfos() {
  }

  /** {@code /nix/store/<hash>-<name>} → {@code <hash>}. */
  public static String hashPart(final String storePath) {
    return storePath.substring(STORE_DIR.length() + 1, STORE_DIR.length() + 33);
  }

  /** {@code <cacheUrl>/<hash>.narinfo} */
  public static String url(final String cacheUrl, final String storePath) {
    return cacheUrl + "/" + hashPart(storePath) + ".narinfo";
  }

  /** GETs and parses the narinfo of a store path; an {@link AssertionError} unless the answer is a 200. */
  public static NarInfo get(final RawHttp http, final String cacheUrl, final String storePath) {
    RawHttp.Response response = http.get(url(cacheUrl, storePath));
    if (response.status() != 200) {
      throw new AssertionError("GET " + url(cacheUrl, storePath) + " -> " + response);
    }
    return NarInfo.parse(response.bodyText(), STORE_DIR);
  }

  /** The narinfo's signatures that verify against {@code publicKey} ({@code name:base64}). */
  public static List<String> validSignatures(final NarInfo narInfo, final String publicKey) {
    NixPublicKey key = NixPublicKey.parse(publicKey);
    return narInfo.sigs().stream()
        .filter(sig -> key.verify(narInfo.fingerprint(), sig))
        .collect(Collectors.toList());
  }
}
