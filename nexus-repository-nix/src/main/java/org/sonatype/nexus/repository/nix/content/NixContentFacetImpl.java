package org.sonatype.nexus.repository.nix.content;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

import javax.inject.Inject;
import javax.inject.Named;

import org.sonatype.nexus.blobstore.api.Blob;
import org.sonatype.nexus.blobstore.api.BlobStore;
import org.sonatype.nexus.repository.cache.CacheInfo;
import org.sonatype.nexus.repository.config.WritePolicy;
import org.sonatype.nexus.repository.content.Asset;
import org.sonatype.nexus.repository.content.AttributeOperation;
import org.sonatype.nexus.repository.content.Component;
import org.sonatype.nexus.repository.content.facet.ContentFacetSupport;
import org.sonatype.nexus.repository.content.fluent.FluentAsset;
import org.sonatype.nexus.repository.content.fluent.FluentAssetBuilder;
import org.sonatype.nexus.repository.content.fluent.FluentComponent;
import org.sonatype.nexus.repository.content.store.FormatStoreManager;
import org.sonatype.nexus.repository.nix.NixFormat;
import org.sonatype.nexus.repository.nix.protocol.StorePath;
import org.sonatype.nexus.repository.nix.protocol.narinfo.NarInfo;
import org.sonatype.nexus.repository.nix.store.NixAssetStore;
import org.sonatype.nexus.repository.view.Content;
import org.sonatype.nexus.repository.view.Payload;
import org.sonatype.nexus.repository.view.payloads.BytesPayload;
import org.sonatype.nexus.repository.view.payloads.TempBlob;
import org.sonatype.nexus.security.ClientInfo;
import org.sonatype.nexus.transaction.Transactional;

import com.google.common.hash.HashCode;
import com.google.common.hash.Hashing;
import org.joda.time.DateTime;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.sonatype.nexus.common.hash.HashAlgorithm.SHA1;
import static org.sonatype.nexus.common.hash.HashAlgorithm.SHA256;
import static org.sonatype.nexus.repository.config.WritePolicy.ALLOW;
import static org.sonatype.nexus.repository.config.WritePolicy.DENY;
import static org.sonatype.nexus.repository.content.store.InternalIds.internalComponentId;
import static org.sonatype.nexus.repository.nix.content.NixAssetKind.LISTING;
import static org.sonatype.nexus.repository.nix.content.NixAssetKind.NARINFO;
import static org.sonatype.nexus.repository.view.Content.CONTENT_ETAG;
import static org.sonatype.nexus.repository.view.Content.CONTENT_LAST_MODIFIED;

/**
 * {@link NixContentFacet} on Nexus's content store.
 *
 * Components are store path names and versions ({@code hello} / {@code 2.12.1}); a component's assets are the
 * narinfos of its store paths with their NARs and listings. A narinfo's facts are its asset's attributes, so
 * narinfo requests are answered from the database row alone.
 */
@Named(NixFormat.NAME)
public class NixContentFacetImpl
    extends ContentFacetSupport
    implements NixContentFacet
{
  public static final String STORE_PATH_KIND = "store-path";

  /** Content repository attribute: the pinned store hashes. */
  static final String PINS = "nixPins";

  /**
   * The most pins a repository keeps: far more roots than anyone pins by hand or per release, and a bound on the
   * list every pin and unpin rewrites.
   */
  public static final int MAX_PINS = 1000;

  @Inject
  public NixContentFacetImpl(@Named(NixFormat.NAME) final FormatStoreManager formatStoreManager) {
    super(formatStoreManager);
  }

  @Override
  public TempBlob ingest(final Payload payload) throws IOException {
    return blobs().ingest(payload, HASHING);
  }

  @Override
  public TempBlob ingest(final InputStream in, final String contentType) throws IOException {
    return blobs().ingest(in, contentType, HASHING);
  }

  @Override
  public TempBlob ingestHashed(final InputStream in, final String contentType, final HashCode sha1,
                               final HashCode sha256)
      throws IOException
  {
    BlobStore blobStore = stores().blobStoreProvider.get();
    Optional<ClientInfo> client = clientInfo();
    Map<String, String> headers = new HashMap<>();
    headers.put(BlobStore.TEMPORARY_BLOB_HEADER, "");
    headers.put(BlobStore.REPO_NAME_HEADER, repository().getName());
    headers.put(BlobStore.BLOB_NAME_HEADER, "temp");
    headers.put(BlobStore.CREATED_BY_HEADER, client.map(ClientInfo::getUserid).orElse("system"));
    headers.put(BlobStore.CREATED_BY_IP_HEADER, client.map(ClientInfo::getRemoteIP).orElse("system"));
    headers.put(BlobStore.CONTENT_TYPE_HEADER, contentType);
    Blob blob = blobStore.create(in, headers);
    String stored = blob.getMetrics().getSha1Hash();
    if (!sha1.toString().equals(stored)) {
      blobStore.deleteHard(blob.getId());
      throw new IOException("the blob store stored bytes with SHA-1 " + stored + ", not the " + sha1
          + " they had when they arrived");
    }
    return new TempBlob(blob, Map.of(SHA1, sha1, SHA256, sha256), true, blobStore);
  }

  @Override
  public Optional<FluentAsset> findAsset(final String path) {
    return assets().path(path).find();
  }

  @Override
  public Optional<StoredNarInfo> findNarInfo(final String storeHash) {
    return findAsset(NixAssetPaths.narInfoPath(storeHash))
        .map(asset -> new StoredNarInfo(asset, NarInfoAttributes.fromAttributes(asset.attributes())));
  }

  @Override
  public FluentAsset putFile(final String path, final NixAssetKind kind, final TempBlob blob) {
    try {
      return inTransaction(() -> savePutFile(path, kind, blob));
    }
    catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A NAR's {@code nix} attributes are facts about its bytes (which narinfo claims they were verified against): a
   * NAR whose file is replaced (a write policy that allows redeploys) starts without them, in the same transaction.
   */
  @Transactional
  protected FluentAsset savePutFile(final String path, final NixAssetKind kind, final TempBlob blob) {
    boolean replacingNar = kind == NixAssetKind.NAR && findAsset(path).isPresent();
    FluentAssetBuilder builder = assets().path(path).kind(kind.kind()).blob(blob);
    componentOwning(path, kind).ifPresent(builder::component);
    FluentAsset saved = builder.save();
    return replacingNar ? saved.withoutAttribute(NarInfoAttributes.SECTION) : saved;
  }

  /**
   * A NAR or listing stored after its narinfo (a proxy fetches NARs on demand, a listing may be re-uploaded)
   * belongs with the narinfo's store path straight away.
   */
  private Optional<Component> componentOwning(final String path, final NixAssetKind kind) {
    if (kind == LISTING) {
      return findAsset(NixAssetPaths.narInfoPathForListing(path)).flatMap(Asset::component);
    }
    if (kind == NixAssetKind.NAR) {
      return narInfosUsing(path, 1).stream().findFirst().flatMap(this::findAsset).flatMap(Asset::component);
    }
    return Optional.empty();
  }

  @Override
  public StoredNarInfo putNarInfo(final NarInfo narInfo) throws IOException {
    return putNarInfo(narInfo, Map.of());
  }

  @Override
  public StoredNarInfo putNarInfo(final NarInfo narInfo, final Map<String, Object> extraAttributes)
      throws IOException
  {
    return inTransaction(() -> savePutNarInfo(narInfo, extraAttributes));
  }

  @Transactional
  protected StoredNarInfo savePutNarInfo(final NarInfo narInfo, final Map<String, Object> extraAttributes)
      throws IOException
  {
    StorePath storePath = narInfo.storePath();
    FluentComponent component = components()
        .name(storePath.packageName())
        .namespace("")
        .version(storePath.version())
        .normalizedVersion(versionNormalizerService().getNormalizedVersionByFormat(storePath.version(),
            repository().getFormat()))
        .kind(STORE_PATH_KIND)
        .getOrCreate();

    String path = NixAssetPaths.narInfoPath(storePath.hashPart());
    FluentAsset asset;
    try (TempBlob text = ingest(new ByteArrayInputStream(narInfo.toText().getBytes(UTF_8)), NARINFO.contentType())) {
      asset = assets().path(path).kind(NARINFO.kind()).component(component).blob(text).save();
    }
    // SET, not the builder's OVERLAY: a replaced narinfo must not keep fields the new one no longer has
    Map<String, Object> attributes = NarInfoAttributes.toAttributes(narInfo);
    attributes.putAll(extraAttributes);
    asset = asset.withAttribute(NarInfoAttributes.SECTION, attributes);

    String narPath = NixAssetPaths.narPath(narInfo);
    nixAssetStore().recordNarInfoLinks(contentRepositoryId(), asset, narPath, referenceHashes(narInfo));
    adopt(narPath, component);
    adopt(NixAssetPaths.listingPath(storePath.hashPart()), component);
    return new StoredNarInfo(asset, narInfo);
  }

  private void adopt(final String path, final Component component) {
    findAsset(path)
        .filter(asset -> asset.component().isEmpty())
        .ifPresent(asset -> nixAssetStore().updateAssetComponent(asset, component));
  }

  /**
   * The one place hosted and proxy narinfos are rendered, so the one place a repository's signature is added.
   */
  @Override
  public Content narInfoContent(final StoredNarInfo stored) {
    Optional<NarInfoSigning> signing = optionalFacet(NarInfoSigning.class);
    NarInfo served = signing.map(facet -> facet.sign(stored.narInfo())).orElse(stored.narInfo());
    DateTime lastModified = new DateTime(stored.asset().lastUpdated().toInstant().toEpochMilli());
    byte[] text = served.toText().getBytes(UTF_8);
    Content content = new Content(new BytesPayload(text, NARINFO.contentType()));
    content.getAttributes().set(Asset.class, stored.asset());
    content.getAttributes().set(CONTENT_LAST_MODIFIED,
        signing.map(facet -> facet.lastModified(lastModified)).orElse(lastModified));
    content.getAttributes().set(CONTENT_ETAG, Hashing.sha1().hashBytes(text).toString());
    if (stored.asset().attributes().contains(CacheInfo.CACHE)) {
      // proxies decide staleness from when the narinfo was last fetched
      content.getAttributes().set(CacheInfo.class, CacheInfo.fromMap(stored.asset().attributes(CacheInfo.CACHE)));
    }
    return content;
  }

  @Override
  public Content download(final FluentAsset asset) {
    return asset.download();
  }

  @Override
  public Set<String> missingReferences(final NarInfo narInfo) {
    return missingReferences(narInfo, false);
  }

  @Override
  public Set<String> holdReferences(final NarInfo narInfo) {
    return missingReferences(narInfo, true);
  }

  private Set<String> missingReferences(final NarInfo narInfo, final boolean hold) {
    Set<String> wanted = new LinkedHashSet<>();
    for (String hash : referenceHashes(narInfo)) {
      wanted.add(NixAssetPaths.narInfoPath(hash));
    }
    Set<String> existing = hold
        ? holdShared(wanted)
        : nixAssetStore().findExistingPaths(contentRepositoryId(), wanted);
    Set<String> missing = new LinkedHashSet<>();
    for (String reference : narInfo.references()) {
      String hash = StorePath.fromBaseName(reference).hashPart();
      if (!hash.equals(narInfo.storePath().hashPart()) && !existing.contains(NixAssetPaths.narInfoPath(hash))) {
        missing.add(reference);
      }
    }
    return missing;
  }

  @Override
  public <T> T inTransaction(final NixTransactions.Work<T> work) throws IOException {
    return NixTransactions.retrying(this, work);
  }

  @Override
  public Set<String> holdShared(final Collection<String> paths) {
    return paths.isEmpty() ? Set.of() : nixAssetStore().lockPaths(contentRepositoryId(), paths, false);
  }

  @Override
  public Set<String> holdExclusive(final Collection<String> paths) {
    return paths.isEmpty() ? Set.of() : nixAssetStore().lockPaths(contentRepositoryId(), paths, true);
  }

  @Override
  public List<String> narInfosUsing(final String narPath, final int limit) {
    return nixAssetStore().findNarInfosUsingNar(contentRepositoryId(), narPath, limit);
  }

  @Override
  public List<String> referrers(final String storeHash, final int limit) {
    return nixAssetStore().findReferrers(contentRepositoryId(), storeHash, limit);
  }

  @Override
  public List<String> newestPaths(final String kind, final String pathPrefix, final int limit) {
    return nixAssetStore().findNewestPaths(contentRepositoryId(), kind, pathPrefix, limit);
  }

  @Override
  public List<String> deleteStorePaths(
      final Set<String> storeHashes,
      final boolean withDependents,
      final Consumer<Set<String>> approve) throws IOException
  {
    return inTransaction(() -> {
      // lock, then look: whoever pushes a referrer meanwhile either committed before (and is seen below) or waits
      // for this transaction and then finds the store path gone
      Set<String> doomed = new TreeSet<>(storeHashes);
      holdExclusive(narInfoPaths(doomed));
      while (withDependents) {
        Set<String> grown = new TreeSet<>(ClosureGuard.withDependents(this, doomed));
        if (grown.equals(doomed)) {
          break;
        }
        doomed = grown;
        holdExclusive(narInfoPaths(doomed));
      }
      ClosureGuard.whyNotDeletable(this, doomed).ifPresent(reason -> {
        throw new ReferencedStorePathException(reason);
      });
      approve.accept(doomed);
      List<String> deleted = new ArrayList<>();
      for (String hash : doomed) {
        deleted.addAll(deleteStorePath(hash));
      }
      return deleted;
    });
  }

  private static Set<String> narInfoPaths(final Set<String> storeHashes) {
    Set<String> paths = new TreeSet<>();
    storeHashes.forEach(hash -> paths.add(NixAssetPaths.narInfoPath(hash)));
    return paths;
  }

  /** Within {@link #deleteStorePaths}' transaction, with the narinfo held. */
  private List<String> deleteStorePath(final String storeHash) {
    Optional<StoredNarInfo> found = findNarInfo(storeHash);
    if (found.isEmpty()) {
      return List.of();
    }
    FluentAsset narInfoAsset = found.get().asset();
    String narPath = NixAssetPaths.narPath(found.get().narInfo());
    // the NAR is held before its users are counted: a narinfo that starts using it meanwhile is counted, or waits
    holdExclusive(List.of(narPath));
    boolean narShared = narInfosUsing(narPath, 2).stream().anyMatch(user -> !user.equals(narInfoAsset.path()));

    List<String> deleted = new ArrayList<>();
    Map<Integer, Component> touched = new HashMap<>();
    deleteAsset(narInfoAsset, deleted, touched);
    findAsset(NixAssetPaths.listingPath(storeHash)).ifPresent(asset -> deleteAsset(asset, deleted, touched));
    if (!narShared) {
      findAsset(narPath).ifPresent(asset -> deleteAsset(asset, deleted, touched));
    }
    for (Component component : touched.values()) {
      FluentComponent fluent = components().with(component);
      if (fluent.assets(false).isEmpty()) {
        fluent.delete();
      }
    }
    return deleted;
  }

  private static void deleteAsset(
      final FluentAsset asset,
      final List<String> deleted,
      final Map<Integer, Component> touched)
  {
    asset.component().ifPresent(component -> touched.put(internalComponentId(component), component));
    if (asset.delete()) {
      deleted.add(asset.path());
    }
  }

  @Override
  @Transactional
  public boolean deleteFile(final String path) {
    return findAsset(path).map(FluentAsset::delete).orElse(false);
  }

  @Override
  @SuppressWarnings("unchecked")
  public Set<String> pins() {
    Object pins = attributes().get(PINS);
    return pins instanceof Collection ? new TreeSet<>((Collection<String>) pins) : new TreeSet<>();
  }

  @Override
  @Transactional
  public boolean pin(final String storeHash) {
    // the pins are one attribute list: concurrent pins (on any node) must not each write back what they read
    nixAssetStore().lockContentRepository(contentRepositoryId());
    if (holdShared(List.of(NixAssetPaths.narInfoPath(storeHash))).isEmpty()) {
      return false;
    }
    Set<String> pins = pins();
    if (!pins.contains(storeHash)) {
      attributes(AttributeOperation.SET, PINS, new ArrayList<>(withPin(pins, storeHash)));
    }
    return true;
  }

  /**
   * @throws IllegalStateException if the repository already has {@link #MAX_PINS} pins
   */
  static Set<String> withPin(final Set<String> pins, final String storeHash) {
    if (pins.contains(storeHash)) {
      return pins;
    }
    if (pins.size() >= MAX_PINS) {
      throw new IllegalStateException("the repository already has " + pins.size() + " pins, the most it may have ("
          + MAX_PINS + "); unpin one first");
    }
    Set<String> more = new TreeSet<>(pins);
    more.add(storeHash);
    return more;
  }

  @Override
  @Transactional
  public boolean unpin(final String storeHash) {
    nixAssetStore().lockContentRepository(contentRepositoryId());
    Set<String> pins = pins();
    if (!pins.remove(storeHash)) {
      return false;
    }
    attributes(AttributeOperation.SET, PINS, new ArrayList<>(pins));
    return true;
  }

  /**
   * Nix's own rules (store paths are immutable, identical re-uploads and added signatures are fine) are
   * enforced by the hosted facet, which knows what a write means; the content store only keeps a read-only
   * (deny) repository read-only.
   */
  @Override
  protected WritePolicy writePolicy(final Asset asset) {
    return getConfiguredWritePolicy() == DENY ? DENY : ALLOW;
  }

  @Override
  public WritePolicy configuredWritePolicy() {
    return getConfiguredWritePolicy();
  }

  /**
   * Files are typed by what Nix uploads them as, not by sniffing: a narinfo is not "text/plain" to Nix.
   */
  @Override
  protected String determineContentType(final Asset asset, final Blob blob, final boolean strictValidation) {
    return NixAssetKind.forKind(asset.kind())
        .map(NixAssetKind::contentType)
        .orElseGet(() -> super.determineContentType(asset, blob, strictValidation));
  }

  private NixAssetStore nixAssetStore() {
    return (NixAssetStore) stores().assetStore;
  }

  private static Set<String> referenceHashes(final NarInfo narInfo) {
    Set<String> hashes = new LinkedHashSet<>();
    String self = narInfo.storePath().hashPart();
    for (String reference : narInfo.references()) {
      String hash = StorePath.fromBaseName(reference).hashPart();
      if (!hash.equals(self)) {
        hashes.add(hash);
      }
    }
    return hashes;
  }
}
