package org.sonatype.nexus.repository.nix.protocol.nar;

import javax.annotation.Nullable;
import org.sonatype.nexus.repository.nix.protocol.NixHash;
import org.sonatype.nexus.repository.nix.protocol.NixHashType;
import org.sonatype.nexus.repository.nix.protocol.narinfo.NarInfo;

import static java.util.Objects.requireNonNull;

/**
 * Whether a NAR file is the one its narinfo describes: the one rule that hosted uploads, proxied NARs and the
 * integrity check apply. {@code FileSize} and {@code FileHash} describe the bytes as stored, {@code NarHash} and
 * {@code NarSize} the NAR they decompress to (what a Nix client checks after download). A claim the narinfo does
 * not make is not checked, and neither is a measurement the caller does not have.
 *
 * <p>How much to measure stays the caller's: a proxy takes a matching SHA-256 {@code FileHash} as proof of the NAR
 * (the narinfo's author hashed these very bytes), a hosted upload decompresses when {@code nix.verifyNarHash} says
 * so, the integrity check always does.
 */
public final class NarCheck
{
  /** The first claim that does not hold, in the order they are checked; or none. */
  public enum Outcome
  {
    /** Every claim checked holds. */
    MATCHES,
    /** {@code FileSize} is not the stored file's size. */
    FILE_SIZE_DIFFERS,
    /** {@code FileHash} names another type than SHA-256, the one hash Nix and Nexus keep of a file: not checkable. */
    FILE_HASH_UNSUPPORTED,
    /** {@code FileHash} is not the stored file's SHA-256. */
    FILE_HASH_DIFFERS,
    /** {@code NarHash} or {@code NarSize} is not what the file decompresses to. */
    NAR_DIFFERS
  }

  private static final NarCheck MATCHES = new NarCheck(Outcome.MATCHES, false);

  private static final NarCheck MATCHES_FILE_HASH = new NarCheck(Outcome.MATCHES, true);

  private final Outcome outcome;

  private final boolean fileHashMatched;

  private NarCheck(final Outcome outcome, final boolean fileHashMatched) {
    this.outcome = outcome;
    this.fileHashMatched = fileHashMatched;
  }

  /**
   * The stored bytes against {@code FileSize} and {@code FileHash}.
   *
   * @param fileSize   the stored file's size in bytes
   * @param fileSha256 the stored file's SHA-256, or null where it is not known
   */
  public static NarCheck ofFile(final NarInfo narInfo, final long fileSize, @Nullable final NixHash fileSha256) {
    requireNonNull(narInfo, "narInfo");
    if (narInfo.fileSize().isPresent() && narInfo.fileSize().getAsLong() != fileSize) {
      return new NarCheck(Outcome.FILE_SIZE_DIFFERS, false);
    }
    if (narInfo.fileHash().isPresent()) {
      NixHash claimed = narInfo.fileHash().get();
      if (claimed.type() != NixHashType.SHA256) {
        return new NarCheck(Outcome.FILE_HASH_UNSUPPORTED, false);
      }
      if (fileSha256 != null) {
        return claimed.equals(fileSha256) ? MATCHES_FILE_HASH : new NarCheck(Outcome.FILE_HASH_DIFFERS, false);
      }
    }
    return MATCHES;
  }

  /** The decompressed NAR, as measured, against {@code NarHash} and {@code NarSize}. */
  public static NarCheck ofNar(final NarInfo narInfo, final NarDigest digest) {
    return narInfo.narSize() == digest.narSize() && narInfo.narHash().equals(digest.narHash())
        ? MATCHES
        : new NarCheck(Outcome.NAR_DIFFERS, false);
  }

  public Outcome outcome() {
    return outcome;
  }

  public boolean matches() {
    return outcome == Outcome.MATCHES;
  }

  /** True if a SHA-256 {@code FileHash} was compared and holds: these are the very bytes the narinfo describes. */
  public boolean fileHashMatched() {
    return fileHashMatched;
  }

  @Override
  public String toString() {
    return outcome + (fileHashMatched ? " (FileHash)" : "");
  }
}
