package org.sonatype.nexus.repository.nix.hosted;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import javax.annotation.Nullable;
import javax.inject.Inject;
import javax.inject.Named;
import javax.validation.ConstraintViolation;

import org.sonatype.nexus.repository.Facet;
import org.sonatype.nexus.repository.FacetSupport;
import org.sonatype.nexus.repository.config.Configuration;
import org.sonatype.nexus.repository.config.ConfigurationFacet;
import org.sonatype.nexus.repository.config.WritePolicy;
import org.sonatype.nexus.repository.content.AssetBlob;
import org.sonatype.nexus.repository.content.fluent.FluentAsset;
import org.sonatype.nexus.repository.nix.content.NarInfoAttributes;
import org.sonatype.nexus.repository.nix.content.NixAssetKind;
import org.sonatype.nexus.repository.nix.content.NixAssetPaths;
import org.sonatype.nexus.repository.nix.content.NixContentFacet;
import org.sonatype.nexus.repository.nix.content.NixSettingsFacet;
import org.sonatype.nexus.repository.nix.content.ReferencedStorePathException;
import org.sonatype.nexus.repository.nix.content.StoredNarInfo;
import org.sonatype.nexus.repository.nix.content.UploadBodies;
import org.sonatype.nexus.repository.nix.content.WriteOutcome;
import org.sonatype.nexus.repository.nix.content.WritePolicyRule;
import org.sonatype.nexus.repository.nix.http.NixRequestException;
import org.sonatype.nexus.repository.nix.protocol.NixFormatException;
import org.sonatype.nexus.repository.nix.protocol.NixHash;
import org.sonatype.nexus.repository.nix.protocol.NixHashType;
import org.sonatype.nexus.repository.nix.protocol.NixPaths;
import org.sonatype.nexus.repository.nix.protocol.StorePath;
import org.sonatype.nexus.repository.nix.protocol.compression.Compression;
import org.sonatype.nexus.repository.nix.protocol.compression.DecoderMemoryException;
import org.sonatype.nexus.repository.nix.protocol.nar.NarCheck;
import org.sonatype.nexus.repository.nix.protocol.nar.NarDigest;
import org.sonatype.nexus.repository.nix.protocol.nar.NarDigester;
import org.sonatype.nexus.repository.nix.protocol.narinfo.NarInfo;
import org.sonatype.nexus.repository.nix.security.NixDeletePermissions;
import org.sonatype.nexus.repository.nix.signing.NixSigningFacet;
import org.sonatype.nexus.repository.nix.signing.TrustedKeys;
import org.sonatype.nexus.repository.view.Payload;
import org.sonatype.nexus.repository.view.payloads.TempBlob;
import org.sonatype.nexus.validation.ConstraintViolationFactory;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.google.common.hash.HashCode;

import static com.google.common.base.Preconditions.checkNotNull;
import static org.sonatype.nexus.common.hash.HashAlgorithm.SHA256;
import static org.sonatype.nexus.repository.nix.http.NixRequestException.badRequest;
import static org.sonatype.nexus.repository.nix.http.NixRequestException.busy;
import static org.sonatype.nexus.repository.nix.http.NixRequestException.conflict;
import static org.sonatype.nexus.repository.nix.http.NixRequestException.forbidden;
import static org.sonatype.nexus.validation.ConstraintViolations.maybeAdd;
import static org.sonatype.nexus.validation.ConstraintViolations.maybePropagate;

/**
 * The upload rules of a hosted Nix binary cache. Every check happens before anything becomes visible: a
 * refused upload leaves the repository exactly as it was.
 *
 * What {@code nix copy --to} sends, in order, per store path: (listing), {@code HEAD} + {@code PUT} of the NAR,
 * then the narinfo, which is only accepted once its NAR is here, matches it, and its references are here (and, with
 * {@code nix.trustedUploadKeys}, once a trusted key signed it).
 */
@Named
@Facet.Exposed
public class NixHostedFacet
    extends FacetSupport
{
  /** {@code nix.trustedUploadKeys}: if set, a narinfo upload needs a valid signature by one of these keys. */
  public static final String TRUSTED_UPLOAD_KEYS = "trustedUploadKeys";

  /** Signatures a stored narinfo keeps: half of what any narinfo may carry ({@link #checkStoredSignatures}). */
  public static final int MAX_STORED_SIGS = NarInfo.MAX_SIGS / 2;

  /** {@code nix copy} names NARs by the nix32 SHA-256 of the file: {@code nar/<52 chars>.nar[.ext]}. */
  private static final Pattern HASH_NAMED_NAR = Pattern.compile("/nar/([0-9a-df-np-sv-z]{52})\\.nar(\\.[a-z0-9]+)?");

  @JsonIgnoreProperties(ignoreUnknown = true)
  static class Config
  {
    @Nullable
    public List<String> trustedUploadKeys;
  }

  private final ConstraintViolationFactory violations;

  private final NixDeletePermissions deletePermissions;

  private volatile TrustedKeys uploadKeys = TrustedKeys.NONE;

  @Inject
  public NixHostedFacet(final ConstraintViolationFactory violations, final NixDeletePermissions deletePermissions) {
    this.violations = checkNotNull(violations);
    this.deletePermissions = checkNotNull(deletePermissions);
  }

  // ---- configuration

  @Override
  protected void doValidate(final Configuration configuration) throws Exception {
    Set<ConstraintViolation<?>> found = new HashSet<>();
    try {
      readUploadKeys(configuration);
    }
    catch (NixFormatException e) {
      maybeAdd(found, violations.createViolation(NixSettingsFacet.SECTION + "." + TRUSTED_UPLOAD_KEYS, e.getMessage()));
    }
    maybePropagate(found, log);
  }

  @Override
  protected void doConfigure(final Configuration configuration) throws Exception {
    uploadKeys = readUploadKeys(configuration);
  }

  private TrustedKeys readUploadKeys(final Configuration configuration) {
    Config config = facet(ConfigurationFacet.class).readSection(configuration, NixSettingsFacet.SECTION, Config.class);
    return TrustedKeys.parse(config.trustedUploadKeys, NixSettingsFacet.SECTION + "." + TRUSTED_UPLOAD_KEYS);
  }

  // ---- NARs

  public WriteOutcome putNar(final String path, final Payload payload) throws IOException {
    checkWritable(path);
    try (TempBlob blob = UploadBodies.ingest(content(), payload, path)) {
      NixHash sha256 = sha256(blob);
      Matcher hashNamed = HASH_NAMED_NAR.matcher(path);
      if (hashNamed.matches() && !hashNamed.group(1).equals(sha256.toNix32())) {
        throw badRequest("NAR file name '" + path.substring(1) + "' names sha256:" + hashNamed.group(1)
            + " but the uploaded content hashes to " + sha256);
      }
      return storeFile(path, NixAssetKind.NAR, blob, sha256, "a different NAR");
    }
  }

  /**
   * Stores a checked upload unless an identical one is there, in one transaction the database decides: of concurrent
   * uploads to one path (overlapping {@code nix copy}s, on any node), one creates the asset and the others, run again,
   * find it (identical: unchanged; different: the write policy decides).
   */
  private WriteOutcome storeFile(
      final String path,
      final NixAssetKind kind,
      final TempBlob blob,
      final NixHash sha256,
      final String what) throws IOException
  {
    return content().inTransaction(() -> {
      Optional<FluentAsset> existing = content().findAsset(path);
      if (existing.isPresent()) {
        WriteOutcome outcome = writeRule().overwrite(sha256Of(existing.get()).map(sha256::equals).orElse(false),
            redeployRefused(path, what));
        if (outcome == WriteOutcome.UPDATED) {
          content().putFile(path, kind, blob);
        }
        return outcome;
      }
      content().putFile(path, kind, blob);
      return WriteOutcome.CREATED;
    });
  }

  // ---- narinfo

  public WriteOutcome putNarInfo(final String storeHash, final Payload payload) throws IOException {
    String path = NixAssetPaths.narInfoPath(storeHash);
    checkWritable(path);
    NarInfo uploaded = NarInfo.parse(UploadBodies.readText(payload, UploadBodies.MAX_NARINFO_BYTES, "narinfo"),
        settings().storeDir());
    if (!uploaded.storePath().hashPart().equals(storeHash)) {
      throw badRequest("StorePath: '" + uploaded.storePath().baseName() + "' does not belong at " + path.substring(1)
          + " (its hash part must be " + storeHash + ")");
    }
    // the repository's own signature is added when serving, never stored (see NixSigningFacet)
    NarInfo narInfo = facet(NixSigningFacet.class).withoutOwnSignatures(uploaded);
    checkUploadSignature(narInfo);
    // checked once before the transaction, so a wrong narinfo fails fast and the slow NAR hash check runs outside it
    FluentAsset nar = checkNar(narInfo);
    Optional<NixHash> checkedNar = sha256Of(nar);
    if (settings().verifyNarHash()) {
      verifyNarHash(narInfo, nar);
    }
    return content().inTransaction(() -> {
      // and again inside it, holding the NAR and the references: a concurrent delete of either has committed before
      // (and is seen now) or waits for this transaction (and then sees this narinfo using them)
      FluentAsset held = holdNar(narInfo);
      if (!sha256Of(held).equals(checkedNar)) {
        throw conflict("URL: NAR '" + held.path().substring(1) + "' was replaced while its narinfo was checked;"
            + " nothing was stored, upload the narinfo again");
      }
      if (settings().requireCompleteClosure()) {
        checkReferencesPresent(narInfo);
      }
      return storeNarInfo(storeHash, path, narInfo);
    });
  }

  /** Within the narinfo's transaction: compare with what is there, store. */
  private WriteOutcome storeNarInfo(final String storeHash, final String path, final NarInfo narInfo)
      throws IOException
  {
    Optional<StoredNarInfo> existing = content().findNarInfo(storeHash);
    NarInfo toStore = narInfo;
    WriteOutcome outcome = WriteOutcome.CREATED;
    if (existing.isPresent()) {
      NarInfo current = existing.get().narInfo();
      if (current.sameExceptSigs(narInfo)) {
        toStore = current.withAddedSigs(narInfo.sigs());
        if (toStore.equals(current)) {
          return WriteOutcome.UNCHANGED;
        }
        outcome = WriteOutcome.UPDATED;
      }
      else {
        writeRule().checkReplaceable(redeployRefused(path, "a different narinfo for " + narInfo.storePath().baseName()));
        outcome = WriteOutcome.UPDATED;
      }
    }
    checkStoredSignatures(toStore, existing.isPresent() && toStore != narInfo);
    content().putNarInfo(toStore);
    return outcome;
  }

  /**
   * A stored narinfo keeps at most {@link #MAX_STORED_SIGS} signatures, however many uploads add theirs: the rest of
   * {@link NarInfo#MAX_SIGS} is room for the signatures repositories add as they serve it (this one, its groups,
   * proxies of it), so that what is served stays a narinfo every repository takes.
   */
  private static void checkStoredSignatures(final NarInfo toStore, final boolean merged) {
    if (toStore.sigs().size() > MAX_STORED_SIGS) {
      throw badRequest("Sig: the narinfo of " + toStore.storePath().baseName() + " would carry "
          + toStore.sigs().size() + " signatures" + (merged ? " with those already stored" : "")
          + "; a hosted repository keeps at most " + MAX_STORED_SIGS + " per narinfo");
    }
  }

  /**
   * With {@code nix.trustedUploadKeys} set, only narinfos signed by one of them are taken (as Nix's
   * {@code nix copy --to '<repo>?secret-key=<file>'} signs them): a 403 naming the keys, nothing stored.
   */
  private void checkUploadSignature(final NarInfo narInfo) {
    TrustedKeys keys = uploadKeys;
    if (!keys.isEmpty() && !keys.signed(narInfo)) {
      throw forbidden("Sig: the narinfo of " + narInfo.storePath().baseName() + " has no valid signature by any of"
          + " the trusted upload keys of repository '" + getRepository().getName() + "' (" + keys.names()
          + "); sign it, e.g. nix copy --to '<repository url>?secret-key=<secret key file>'");
    }
  }

  /**
   * The narinfo's NAR must be in this repository and be the file the narinfo describes.
   */
  private FluentAsset checkNar(final NarInfo narInfo) {
    String url = narInfo.url();
    if (url.contains("://") || url.startsWith("/")) {
      throw badRequest("URL: '" + url + "' must be relative to this repository (nar/<file>), as nix copy writes it");
    }
    String narPath = NixAssetPaths.narPath(narInfo);
    if (!NixPaths.NAR.matcher(narPath).matches()) {
      throw badRequest("URL: '" + url + "' is not a NAR file path (nar/<file>.nar[.<compression>])");
    }
    return checkNarFile(narInfo, content().findAsset(narPath).orElseThrow(() -> narMissing(narPath)));
  }

  /** Within a transaction: the narinfo's NAR, held against deletion and replacement, and checked again. */
  private FluentAsset holdNar(final NarInfo narInfo) {
    String narPath = NixAssetPaths.narPath(narInfo);
    if (content().holdShared(List.of(narPath)).isEmpty()) {
      throw narMissing(narPath);
    }
    return checkNarFile(narInfo, content().findAsset(narPath).orElseThrow(() -> narMissing(narPath)));
  }

  private static NixRequestException narMissing(final String narPath) {
    return badRequest("URL: NAR '" + narPath.substring(1)
        + "' is not in this repository; upload the NAR before its narinfo");
  }

  /** The NAR file must be the one the narinfo describes (FileSize, FileHash). */
  private FluentAsset checkNarFile(final NarInfo narInfo, final FluentAsset nar) {
    String narPath = nar.path();
    long size = nar.blob().map(AssetBlob::blobSize).orElse(-1L);
    Optional<NixHash> stored = sha256Of(nar);
    switch (NarCheck.ofFile(narInfo, size, stored.orElse(null)).outcome()) {
      case FILE_SIZE_DIFFERS:
        throw badRequest("FileSize: narinfo says " + narInfo.fileSize().getAsLong() + " bytes but NAR '"
            + narPath.substring(1) + "' has " + size);
      case FILE_HASH_UNSUPPORTED:
        throw badRequest("FileHash: only sha256 file hashes are supported, got "
            + narInfo.fileHash().get().type().nixName());
      case FILE_HASH_DIFFERS:
        throw badRequest("FileHash: narinfo says " + narInfo.fileHash().get() + " but NAR '" + narPath.substring(1)
            + "' hashes to " + stored.get());
      default:
        return nar;
    }
  }

  /** Within the narinfo's transaction: holds the references that are here, refuses if any is not. */
  private void checkReferencesPresent(final NarInfo narInfo) {
    Set<String> missing = content().holdReferences(narInfo);
    if (!missing.isEmpty()) {
      List<String> shown = new ArrayList<>(missing).subList(0, Math.min(missing.size(), 5));
      throw badRequest("References: " + missing.size() + " referenced store path(s) are not in this repository ("
          + String.join(", ", shown) + (missing.size() > shown.size() ? ", ..." : "")
          + "); push the closure's dependencies first");
    }
  }

  /**
   * Decompresses the NAR as a stream and checks NarHash and NarSize, as a substituting client will. Done once per
   * NAR file, compression and hash: the result is remembered on the NAR asset.
   */
  private void verifyNarHash(final NarInfo narInfo, final FluentAsset nar) throws IOException {
    String claim = NarVerifications.claimOf(narInfo);
    Map<String, Object> nix = NarInfoAttributes.of(nar.attributes()).backing();
    if (NarVerifications.verified(nix).contains(claim)) {
      return;
    }
    NarDigest digest;
    if (narInfo.compression() == Compression.NONE) {
      // an uncompressed NAR's file hash is its NAR hash: no need to read it again
      NixHash fileHash = sha256Of(nar).orElseThrow();
      long fileSize = nar.blob().map(AssetBlob::blobSize).orElse(-1L);
      digest = new NarDigest(fileHash, fileSize, fileHash, fileSize);
    }
    else {
      try (InputStream in = nar.download().openInputStream()) {
        digest = NarDigester.digest(in, narInfo.compression(), narInfo.narSize());
      }
      catch (DecoderMemoryException e) {
        throw busy(e);
      }
      catch (IOException e) {
        throw badRequest("URL: NAR '" + NixAssetPaths.narPath(narInfo).substring(1) + "' does not decompress as "
            + narInfo.compression().nixName() + ": " + e.getMessage());
      }
    }
    if (!NarCheck.ofNar(narInfo, digest).matches()) {
      throw badRequest("NarHash: NAR '" + NixAssetPaths.narPath(narInfo).substring(1) + "' decompresses ("
          + narInfo.compression().nixName() + ") to " + digest.narHash() + ", " + digest.narSize()
          + " bytes; the narinfo says " + narInfo.narHash() + ", " + narInfo.narSize() + " bytes");
    }
    nar.withAttribute(NarInfoAttributes.SECTION, NarVerifications.withVerified(nix, claim));
  }

  // ---- listings, logs, realisations, build traces, debuginfo

  public WriteOutcome putFile(final String path, final NixAssetKind kind, final Payload payload) throws IOException {
    checkWritable(path);
    try (TempBlob blob = UploadBodies.ingest(content(), payload, path)) {
      if (kind.isJson()) {
        UploadBodies.checkJson(blob, path);
      }
      return storeFile(path, kind, blob, sha256(blob), "different content");
    }
  }

  // ---- deletes

  /**
   * Deletes a store path; one that other store paths reference only with {@code cascade}, which deletes those
   * dependents (transitively) too, if the user may delete each of them (the request's own path is checked before).
   */
  public List<String> deleteStorePath(final String storeHash, final boolean cascade) throws IOException {
    checkDeletable(NixAssetPaths.narInfoPath(storeHash));
    try {
      return content().deleteStorePaths(Set.of(storeHash), cascade, doomed -> {
        List<String> refused = deletePermissions.notPermitted(getRepository(), doomed.stream()
            .filter(hash -> !hash.equals(storeHash))
            .map(NixAssetPaths::narInfoPath)
            .collect(Collectors.toList()));
        if (!refused.isEmpty()) {
          throw forbidden("deleting " + storeHash + ".narinfo with ?cascade=true would also delete "
              + NixDeletePermissions.describe(refused) + ", which you may not delete; nothing was deleted");
        }
      });
    }
    catch (ReferencedStorePathException e) {
      throw conflict(e.getMessage() + " (or delete with ?cascade=true to delete them too)");
    }
  }

  public boolean deleteFile(final String path, final NixAssetKind kind) throws IOException {
    checkDeletable(path);
    return content().inTransaction(() -> {
      if (kind == NixAssetKind.NAR) {
        // held before its users are counted: a narinfo being stored that uses it is counted, or finds it gone
        content().holdExclusive(List.of(path));
        List<String> users = content().narInfosUsing(path, 3);
        if (!users.isEmpty()) {
          throw conflict("NAR '" + path.substring(1) + "' is used by " + String.join(", ", users)
              + "; delete those narinfos instead");
        }
      }
      return content().deleteFile(path);
    });
  }

  // ---- write policy

  private void checkWritable(final String path) {
    writeRule().checkWritable(path.substring(1) + " was not stored");
  }

  private void checkDeletable(final String path) {
    writeRule().checkWritable(path.substring(1) + " was not deleted");
  }

  private static Function<WritePolicy, String> redeployRefused(final String path, final String what) {
    return policy -> path.substring(1) + " already exists; refusing to replace it with " + what
        + " (store paths are immutable; the repository's write policy " + policy + " does not allow redeploy)";
  }

  private WritePolicyRule writeRule() {
    return WritePolicyRule.of(getRepository());
  }

  // ---- helpers

  private static NixHash sha256(final TempBlob blob) {
    HashCode hash = blob.getHashes().get(SHA256);
    return NixHash.of(NixHashType.SHA256, hash.asBytes());
  }

  private static Optional<NixHash> sha256Of(final FluentAsset asset) {
    return asset.blob()
        .map(blob -> blob.checksums().get(SHA256.name()))
        .map(hex -> NixHash.of(NixHashType.SHA256, HashCode.fromString(hex).asBytes()));
  }

  private NixContentFacet content() {
    return facet(NixContentFacet.class);
  }

  private NixSettingsFacet settings() {
    return facet(NixSettingsFacet.class);
  }
}
