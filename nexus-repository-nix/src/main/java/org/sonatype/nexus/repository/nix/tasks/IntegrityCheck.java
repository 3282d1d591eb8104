package org.sonatype.nexus.repository.nix.tasks;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.sonatype.nexus.blobstore.api.BlobStoreException;
import org.sonatype.nexus.common.entity.Continuation;
import org.sonatype.nexus.repository.MissingBlobException;
import org.sonatype.nexus.repository.content.AssetBlob;
import org.sonatype.nexus.repository.content.fluent.FluentAsset;
import org.sonatype.nexus.repository.nix.content.ClosureGuard;
import org.sonatype.nexus.repository.nix.content.NarInfoAttributes;
import org.sonatype.nexus.repository.nix.content.NixAssetKind;
import org.sonatype.nexus.repository.nix.content.NixAssetPaths;
import org.sonatype.nexus.repository.nix.content.NixContentFacet;
import org.sonatype.nexus.repository.nix.protocol.HashingInputStream;
import org.sonatype.nexus.repository.nix.protocol.NixHash;
import org.sonatype.nexus.repository.nix.protocol.NixHashType;
import org.sonatype.nexus.repository.nix.protocol.compression.DecoderMemoryException;
import org.sonatype.nexus.repository.nix.protocol.nar.NarCheck;
import org.sonatype.nexus.repository.nix.protocol.nar.NarDigest;
import org.sonatype.nexus.repository.nix.protocol.nar.NarDigester;
import org.sonatype.nexus.repository.nix.protocol.narinfo.NarInfo;
import org.sonatype.nexus.scheduling.CancelableHelper;

import com.google.common.hash.HashCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks that every store path a repository serves can be substituted: its NAR is there, is the file its narinfo
 * describes (FileHash, FileSize; optionally NarHash and NarSize, by decompressing it), and its references are there.
 *
 * With repair, a store path whose NAR is gone or wrong is removed together with every store path that depends on
 * it: a client then builds them instead of failing halfway through a substitution with a hash or transfer error.
 */
class IntegrityCheck
{
  private static final Logger log = LoggerFactory.getLogger(IntegrityCheck.class);

  private static final int PAGE = 500;

  private static final int PROGRESS_EVERY = 1000;

  private final NixContentFacet content;

  private final boolean verifyNarHashes;

  private final boolean repair;

  private final boolean fetchesOnDemand;

  private final IntegrityReport report;

  /**
   * @param fetchesOnDemand a proxy: a NAR or a reference it has not fetched yet is not missing, it is fetched when
   *                        asked for; only what it holds must be right
   */
  IntegrityCheck(final NixContentFacet content, final String repository, final boolean verifyNarHashes,
                 final boolean repair, final boolean fetchesOnDemand)
  {
    this.content = content;
    this.verifyNarHashes = verifyNarHashes;
    this.repair = repair;
    this.fetchesOnDemand = fetchesOnDemand;
    this.report = new IntegrityReport(repository, repair, verifyNarHashes);
  }

  IntegrityReport run() {
    // store hash -> store path of everything that cannot be substituted as it is
    Map<String, String> broken = new LinkedHashMap<>();
    String token = null;
    do {
      Continuation<FluentAsset> page = content.assets().byKind(NixAssetKind.NARINFO.kind()).browse(PAGE, token);
      for (FluentAsset narInfoAsset : page) {
        CancelableHelper.checkCancellation();
        check(narInfoAsset, broken);
        if (report.checkedCount() % PROGRESS_EVERY == 0) {
          log.info("Checked {} store paths, {} problem(s) so far", report.checkedCount(), report.problemCount());
        }
      }
      token = page.isEmpty() ? null : page.nextContinuationToken();
    }
    while (token != null);

    if (repair && !broken.isEmpty()) {
      removeWithDependents(broken);
    }
    log.info("Integrity check of {}", report);
    return report;
  }

  private void check(final FluentAsset narInfoAsset, final Map<String, String> broken) {
    report.checked();
    NarInfo narInfo;
    try {
      narInfo = NarInfoAttributes.fromAttributes(narInfoAsset.attributes());
    }
    catch (RuntimeException e) {
      String path = narInfoAsset.path();
      problem(broken, NixAssetPaths.storeHash(path), path, "its narinfo cannot be read: " + e.getMessage());
      return;
    }
    String storeHash = narInfo.storePath().hashPart();
    String storePath = narInfo.storePath().toAbsolute(narInfo.storeDir());
    String narPath = NixAssetPaths.narPath(narInfo);

    Optional<FluentAsset> nar = content.findAsset(narPath);
    if (nar.isEmpty()) {
      if (!fetchesOnDemand) {
        problem(broken, storeHash, storePath, "its NAR " + narPath.substring(1) + " is not in the repository");
      }
    }
    else {
      try {
        String narProblem = checkNar(narInfo, nar.get());
        if (narProblem != null) {
          problem(broken, storeHash, storePath, narProblem);
        }
      }
      catch (UnreadableNar e) {
        // not broken: a blob store that fails a read (a network hiccup, a file locked by a backup) may well serve
        // it again; repair removes only what is known to be missing or wrong
        String problem = "its NAR " + narPath.substring(1) + " could not be read from the blob store ("
            + e.getCause() + "); not repaired, as a read error does not mean the NAR is gone: check again";
        log.warn("{}: {}", storePath, problem);
        report.problem(storePath, problem);
      }
      catch (DecoderMemoryException e) {
        // the server was busy: nothing is known about the NAR, so it is reported, never removed
        log.warn("{}: its NAR was not checked: {}", storePath, e.getMessage());
        report.problem(storePath, "its NAR was not checked: " + e.getMessage());
      }
    }

    Set<String> missing = fetchesOnDemand ? Set.of() : content.missingReferences(narInfo);
    if (!missing.isEmpty()) {
      // not broken itself: a proxy fetches references on demand, and removing it would not make them appear
      report.problem(storePath, "references not in the repository: " + String.join(", ", missing));
    }
  }

  /**
   * What is wrong with the NAR file, or null.
   *
   * @throws UnreadableNar if the blob store failed to read it: that says nothing about the NAR
   */
  private String checkNar(final NarInfo narInfo, final FluentAsset nar) throws UnreadableNar, DecoderMemoryException {
    AssetBlob blob = nar.blob().orElse(null);
    if (blob == null) {
      return "its NAR " + nar.path().substring(1) + " has no content";
    }
    String recorded = blob.checksums().get("sha256");
    NarCheck fileCheck = NarCheck.ofFile(narInfo, blob.blobSize(),
        recorded == null ? null : NixHash.of(NixHashType.SHA256, HashCode.fromString(recorded).asBytes()));
    if (fileCheck.outcome() == NarCheck.Outcome.FILE_SIZE_DIFFERS) {
      return "its NAR has " + blob.blobSize() + " bytes, FileSize says " + narInfo.fileSize().getAsLong();
    }
    if (fileCheck.outcome() == NarCheck.Outcome.FILE_HASH_DIFFERS) {
      return "its NAR was recorded with sha256 " + recorded + ", FileHash says " + narInfo.fileHash().get();
    }
    InputStream opened;
    try {
      opened = nar.download().openInputStream();
    }
    catch (MissingBlobException e) {
      return "its NAR's blob " + e.getBlobRef() + " is missing from the blob store";
    }
    catch (DecoderMemoryException e) {
      throw e;
    }
    catch (IOException | RuntimeException e) {
      return missingOrUnreadable(e);
    }
    ReadFailures in = new ReadFailures(opened);
    try (in) {
      return verifyNarHashes ? checkContent(narInfo, in, recorded) : checkReadable(in);
    }
    catch (DecoderMemoryException e) {
      throw e;
    }
    catch (IOException | RuntimeException e) {
      // whatever went wrong reading, it was not a verdict on the bytes; the S3 blob store asks for the object only
      // when it is first read, so its "no such object" arrives here
      return missingOrUnreadable(e);
    }
  }

  /** A blob store's failure to open or read a NAR: its absence is a verdict, anything else is no verdict at all. */
  private static String missingOrUnreadable(final Exception e) throws UnreadableNar {
    if (isAbsence(e)) {
      return "its NAR's blob is missing from the blob store (" + e.getMessage() + ")";
    }
    throw new UnreadableNar(e);
  }

  /**
   * Whether a failure to open a blob means the blob store does not have it: the file blob store's "Blob has been
   * deleted" (its bytes file is gone) or a file that does not exist, or the S3 blob store's 404 for the object.
   * Anything else (denied, timed out, an I/O error, an S3 endpoint that does not answer) is a failure to read, not an
   * absence.
   */
  private static boolean isAbsence(final Exception e) {
    if (e instanceof BlobStoreException && e.getCause() == null) {
      return String.valueOf(e.getMessage()).contains("has been deleted");
    }
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof NoSuchFileException || isNotFoundFromS3(cause)) {
        return true;
      }
    }
    return false;
  }

  /**
   * An S3 service's answer 404 (NoSuchKey): the AWS SDK's exception, recognised by its status code without
   * depending on the SDK, which comes with Nexus's S3 blob store bundle and is not the plugin's to import.
   */
  private static boolean isNotFoundFromS3(final Throwable cause) {
    if (!cause.getClass().getName().startsWith("com.amazonaws.")) {
      return false;
    }
    try {
      Object status = cause.getClass().getMethod("getStatusCode").invoke(cause);
      return Integer.valueOf(404).equals(status);
    }
    catch (ReflectiveOperationException | RuntimeException notAServiceAnswer) {
      return false;
    }
  }

  /** Without NAR hash verification: the blob must at least be there and readable. */
  private static String checkReadable(final InputStream in) throws IOException {
    in.read();
    return null;
  }

  /**
   * Reads the whole NAR once: the bytes on disk must still hash to FileHash and decompress to NarHash. A failure of
   * the blob store's own reads propagates; only a failure of the bytes to decompress is a verdict.
   */
  private static String checkContent(final NarInfo narInfo, final ReadFailures in, final String recordedSha256)
      throws IOException
  {
    HashingInputStream file = new HashingInputStream(in);
    NarDigest digest;
    try {
      digest = NarDigester.digest(file, narInfo.compression(), narInfo.narSize());
      file.drain();
    }
    catch (DecoderMemoryException e) {
      // the server is busy, the NAR may be fine: never a reason to call it broken
      throw e;
    }
    catch (IOException | RuntimeException e) {
      if (in.failed()) {
        throw e;
      }
      return "its NAR does not decompress as " + narInfo.compression().nixName() + ": " + e.getMessage();
    }
    if (recordedSha256 != null && !file.hash().toBase16().equals(recordedSha256)) {
      return "its NAR's bytes changed on disk: sha256 " + file.hash().toBase16() + ", recorded " + recordedSha256;
    }
    if (!NarCheck.ofNar(narInfo, digest).matches()) {
      return "its NAR decompresses to " + digest.narHash() + " (" + digest.narSize() + " bytes), NarHash says "
          + narInfo.narHash() + " (" + narInfo.narSize() + " bytes)";
    }
    return null;
  }

  /** The blob store could not read a NAR: reported, never repaired. */
  private static final class UnreadableNar
      extends Exception
  {
    UnreadableNar(final Exception cause) {
      super(cause);
    }
  }

  /** Remembers whether the blob store's stream itself failed, as opposed to what reads it. */
  private static final class ReadFailures
      extends FilterInputStream
  {
    private boolean failed;

    ReadFailures(final InputStream in) {
      super(in);
    }

    boolean failed() {
      return failed;
    }

    @Override
    public int read() throws IOException {
      try {
        return super.read();
      }
      catch (IOException | RuntimeException e) {
        failed = true;
        throw e;
      }
    }

    @Override
    public int read(final byte[] buffer, final int offset, final int length) throws IOException {
      try {
        return super.read(buffer, offset, length);
      }
      catch (IOException | RuntimeException e) {
        failed = true;
        throw e;
      }
    }

    @Override
    public long skip(final long n) throws IOException {
      try {
        return super.skip(n);
      }
      catch (IOException | RuntimeException e) {
        failed = true;
        throw e;
      }
    }
  }

  private void problem(final Map<String, String> broken, final String storeHash, final String storePath,
                       final String problem)
  {
    log.warn("{}: {}", storePath, problem);
    report.problem(storePath, problem);
    broken.put(storeHash, storePath);
  }

  /**
   * Removes the broken store paths and, transitively, every store path that references one of them.
   */
  private void removeWithDependents(final Map<String, String> broken) {
    CancelableHelper.checkCancellation();
    // one transaction: a store path pushed meanwhile that references a doomed one is doomed too, or finds it gone
    Map<String, String> doomed = new LinkedHashMap<>();
    try {
      content.deleteStorePaths(broken.keySet(), true, hashes -> {
        doomed.clear();
        hashes.forEach(hash -> doomed.put(hash, ClosureGuard.storePathOf(content, hash)));
      });
    }
    catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    doomed.forEach((hash, storePath) -> {
      log.info("Removed {}{}", storePath, broken.containsKey(hash) ? "" : " (depends on a broken store path)");
      report.removed(storePath);
    });
  }
}
