package org.sonatype.nexus.repository.nix.protocol;

import java.util.regex.Pattern;

/**
 * The request paths of a binary cache, relative to the cache root and with the leading "/" (as Nexus presents
 * them). Nix appends these to the base URL without escaping, so besides nix32 they must admit the store path name
 * characters ({@code + - . _ ? =}) in log names and the {@code :} and {@code !} of realisation keys, while never
 * matching "/", ".." or anything else that could leave its directory.
 *
 * Named groups are documented on each pattern; all patterns match the whole path.
 */
public final class NixPaths
{
  private static final String NIX32 = "[0-9a-df-np-sv-z]";

  private static final String HASH_PART = NIX32 + "{32}";

  /** A store path name: 1-211 name characters, not starting with '.'. */
  private static final String NAME = "[A-Za-z0-9+\\-_?=][A-Za-z0-9+\\-._?=]{0,210}";

  private static final String BASE_NAME = HASH_PART + "-" + NAME;

  /** {@code /<hash>.narinfo}; group {@code hash}. */
  public static final Pattern NARINFO = Pattern.compile("/(?<hash>" + HASH_PART + ")\\.narinfo");

  /** {@code /<hash>.ls}, a NAR listing; group {@code hash}. */
  public static final Pattern LISTING = Pattern.compile("/(?<hash>" + HASH_PART + ")\\.ls");

  /**
   * {@code /nar/<file>}: Nix's {@code <filehash>.nar[.ext]} and other servers' conventions such as nix-serve's
   * {@code <storehash>-<narhash>.nar}, attic's {@code <storehash>.nar} or Cachix's {@code <hex>.nar.zst}. The
   * narinfo URL is opaque to clients, so any name of letters, digits, '-' and '_' is accepted, with an optional
   * {@code .nar} and one further extension. Groups {@code file} (the whole file name), {@code stem} and
   * {@code extension} (e.g. ".nar.xz", possibly empty).
   */
  public static final Pattern NAR = Pattern.compile(
      "/nar/(?<file>(?<stem>[0-9A-Za-z][0-9A-Za-z_-]*)(?<extension>(?:\\.nar(?:\\.[0-9a-z]+)?)?))");

  /**
   * {@code /log/<base name>}: a build log, keyed by the deriver's base name ({@code <hash>-<name>.drv}); any store
   * path base name is accepted. Group {@code name}.
   */
  public static final Pattern LOG = Pattern.compile("/log/(?<name>" + BASE_NAME + ")");

  /**
   * {@code /realisations/<algo>:<digest>!<output>.doi} (Nix 2.4-2.34 content-addressed derivations), e.g.
   * {@code /realisations/sha256:a16482ca...!out.doi}. Groups {@code id} ({@code <algo>:<digest>!<output>}),
   * {@code algo}, {@code digest} (hex or nix32) and {@code output}.
   */
  public static final Pattern REALISATION = Pattern.compile(
      "/realisations/(?<id>(?<algo>md5|sha1|sha256|sha512):(?<digest>[0-9a-z]{16,128})!(?<output>" + NAME + "))"
          + "\\.doi");

  /**
   * {@code /build-trace-v2/<drv base name>/<output>.doi} (Nix 2.35+). Groups {@code drv} and {@code output}.
   */
  public static final Pattern BUILD_TRACE = Pattern.compile(
      "/build-trace-v2/(?<drv>" + BASE_NAME + ")/(?<output>" + NAME + ")\\.doi");

  /**
   * {@code /debuginfo/<40 hex build id>.debug}, as Nix writes it, or without the suffix, as its comments describe
   * it. Group {@code buildId}.
   */
  public static final Pattern DEBUGINFO = Pattern.compile("/debuginfo/(?<buildId>[0-9a-f]{40})(?:\\.debug)?");

  public static final Pattern NIX_CACHE_INFO = Pattern.compile("/nix-cache-info");

  public static final String NIX_CACHE_INFO_PATH = "/nix-cache-info";

  private NixPaths() {
  }

  /**
   * The path under which the narinfo of {@code storePath} is requested.
   */
  public static String narInfoPath(final StorePath storePath) {
    return "/" + storePath.hashPart() + ".narinfo";
  }

  /**
   * True if {@code segment} can be used as one path segment as-is: not empty, "." or "..", and free of '/', '\'
   * and control characters.
   */
  public static boolean isSafeSegment(final String segment) {
    if (segment == null || segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
      return false;
    }
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      if (Character.isISOControl(c) || c == '/' || c == '\\') {
        return false;
      }
    }
    return true;
  }
}
