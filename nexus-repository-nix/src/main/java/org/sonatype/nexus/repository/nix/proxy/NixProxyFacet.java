package org.sonatype.nexus.repository.nix.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.Lock;

import javax.annotation.Nonnull;
import javax.annotation.Nullable;
import javax.inject.Inject;
import javax.inject.Named;
import javax.validation.ConstraintViolation;

import org.sonatype.nexus.repository.Facet;
import org.sonatype.nexus.repository.cache.CacheController;
import org.sonatype.nexus.repository.cache.CacheControllerHolder;
import org.sonatype.nexus.repository.cache.CacheInfo;
import org.sonatype.nexus.repository.config.Configuration;
import org.sonatype.nexus.repository.config.ConfigurationFacet;
import org.sonatype.nexus.repository.content.facet.ContentProxyFacetSupport;
import org.sonatype.nexus.repository.content.fluent.FluentAsset;
import org.sonatype.nexus.repository.httpclient.HttpClientFacet;
import org.sonatype.nexus.repository.nix.content.ContentEncodedUploads;
import org.sonatype.nexus.repository.nix.content.NarInfoAttributes;
import org.sonatype.nexus.repository.nix.content.NarNames;
import org.sonatype.nexus.repository.nix.content.NixAssetKind;
import org.sonatype.nexus.repository.nix.content.NixAssetPaths;
import org.sonatype.nexus.repository.nix.content.NixContentFacet;
import org.sonatype.nexus.repository.nix.content.NixSettingsFacet;
import org.sonatype.nexus.repository.nix.content.StoredNarInfo;
import org.sonatype.nexus.repository.nix.content.UploadBodies;
import org.sonatype.nexus.repository.nix.http.NixRequestException;
import org.sonatype.nexus.repository.nix.http.RefusedBodyException;
import org.sonatype.nexus.repository.nix.protocol.NixFormatException;
import org.sonatype.nexus.repository.nix.protocol.NixHash;
import org.sonatype.nexus.repository.nix.protocol.narinfo.NarInfo;
import org.sonatype.nexus.repository.nix.signing.TrustedKeys;
import org.sonatype.nexus.repository.nix.signing.UpstreamTrust;
import org.sonatype.nexus.repository.proxy.ProxyServiceException;
import org.sonatype.nexus.repository.view.Content;
import org.sonatype.nexus.repository.view.Context;
import org.sonatype.nexus.repository.view.Payload;
import org.sonatype.nexus.repository.view.payloads.TempBlob;
import org.sonatype.nexus.validation.ConstraintViolationFactory;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.google.common.util.concurrent.Striped;
import org.apache.http.Header;
import org.apache.http.HttpResponse;
import org.apache.http.client.HttpClient;
import org.apache.http.client.methods.HttpGet;
import org.apache.http.client.methods.HttpRequestBase;

import static com.google.common.base.Preconditions.checkNotNull;
import static org.sonatype.nexus.repository.nix.content.NixAssetKind.LISTING;
import static org.sonatype.nexus.repository.nix.content.NixAssetKind.NARINFO;
import static org.sonatype.nexus.repository.nix.content.NixAssetKindMatcher.assetKind;
import static org.sonatype.nexus.repository.nix.http.NixRequestException.badGateway;
import static org.sonatype.nexus.repository.nix.http.NixRequestException.notFound;
import static org.sonatype.nexus.validation.ConstraintViolations.maybeAdd;
import static org.sonatype.nexus.validation.ConstraintViolations.maybePropagate;

/**
 * A caching pull-through of an upstream binary cache.
 *
 * Narinfos are fetched, validated and kept as metadata (refreshed per metadata max age; kept when the upstream
 * is down or has deleted them). Their {@code URL} is rewritten to a content-derived name in this repository and
 * the upstream location remembered, so NARs are fetched from wherever the upstream keeps them, verified against
 * the narinfo, and kept for good. Large NARs stream to the client while they are being fetched.
 *
 * With {@code nix.trustedUpstreamKeys}, a narinfo none of them signed (content-addressed paths excepted) is neither
 * cached nor served: see {@link UpstreamTrust}.
 */
@Named
@Facet.Exposed
public class NixProxyFacet
    extends ContentProxyFacetSupport
{
  /** Where the NAR of a proxied narinfo really lives: an absolute URL upstream. */
  public static final String UPSTREAM_URL = "upstreamUrl";

  /** Nexus's default HTTP client timeout, when the repository sets none. */
  private static final int DEFAULT_TIMEOUT_SECONDS = 20;

  /** {@code nix.trustedUpstreamKeys}: the keys an upstream narinfo may be signed by. */
  public static final String TRUSTED_UPSTREAM_KEYS = "trustedUpstreamKeys";

  /** {@code nix.requireUpstreamSignature}: refuse what no trusted key signed (default: on when keys are set). */
  public static final String REQUIRE_UPSTREAM_SIGNATURE = "requireUpstreamSignature";

  private static final String CONTENT_ENCODING = "nix.contentEncoding";

  @JsonIgnoreProperties(ignoreUnknown = true)
  static class TrustConfig
  {
    @Nullable
    public List<String> trustedUpstreamKeys;

    @Nullable
    public Boolean requireUpstreamSignature;
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  static class OriginsConfig
  {
    /** Absent: {@link UpstreamOrigins#DEFAULT_ALLOWED_UPSTREAM_ORIGINS}. */
    public List<String> allowedUpstreamOrigins = UpstreamOrigins.DEFAULT_ALLOWED_UPSTREAM_ORIGINS;
  }

  private final ConstraintViolationFactory violations;

  private volatile UpstreamTrust upstreamTrust = UpstreamTrust.NOT_REQUIRED;

  private volatile UpstreamOrigins upstreamOrigins;

  /** NARs on their way from the upstream, shared by the clients asking for them meanwhile. */
  private final ConcurrentMap<String, SharedUpstreamNar> narTransfers = new ConcurrentHashMap<>();

  /** Starting a NAR's transfer, one client at a time, so simultaneous clients share one upstream request. */
  private final Striped<Lock> narTransferStarts = Striped.lazyWeakLock(64);

  private final UpstreamRefusals upstreamRefusals = new UpstreamRefusals();

  @Inject
  public NixProxyFacet(final ConstraintViolationFactory violations) {
    this.violations = checkNotNull(violations);
  }

  @Override
  protected void doValidate(final Configuration configuration) throws Exception {
    super.doValidate(configuration);
    Set<ConstraintViolation<?>> found = new HashSet<>();
    try {
      readUpstreamTrust(configuration);
    }
    catch (NixFormatException e) {
      maybeAdd(found, violations.createViolation(NixSettingsFacet.SECTION + "." + TRUSTED_UPSTREAM_KEYS,
          e.getMessage()));
    }
    catch (IllegalArgumentException e) {
      maybeAdd(found, violations.createViolation(NixSettingsFacet.SECTION + "." + REQUIRE_UPSTREAM_SIGNATURE,
          e.getMessage()));
    }
    try {
      UpstreamOrigins.parseAllowed(readOriginsConfig(configuration).allowedUpstreamOrigins);
    }
    catch (IllegalArgumentException e) {
      maybeAdd(found, violations.createViolation(NixSettingsFacet.SECTION + "."
          + UpstreamOrigins.ALLOWED_UPSTREAM_ORIGINS, e.getMessage()));
    }
    maybePropagate(found, log);
  }

  @Override
  protected void doConfigure(final Configuration configuration) throws Exception {
    super.doConfigure(configuration);
    upstreamTrust = readUpstreamTrust(configuration);
    upstreamOrigins = readUpstreamOrigins(configuration);
  }

  private OriginsConfig readOriginsConfig(final Configuration configuration) {
    return facet(ConfigurationFacet.class).readSection(configuration, NixSettingsFacet.SECTION, OriginsConfig.class);
  }

  /** The remote's origin and {@code nix.allowedUpstreamOrigins}. */
  private UpstreamOrigins readUpstreamOrigins(final Configuration configuration) {
    return UpstreamOrigins.of(getRemoteUrl(), readOriginsConfig(configuration).allowedUpstreamOrigins);
  }

  /**
   * How this repository asks its upstreams anything: nothing while it is blocked or auto-blocked, only URLs on the
   * origins its administrator chose, redirects checked hop by hop, the remote's credentials sent to the remote's
   * origin only, every outcome counted toward auto-blocking.
   */
  public UpstreamRequests upstreamRequests() {
    return new UpstreamRequests(facet(HttpClientFacet.class).getHttpClient(), upstreamOrigins, gate());
  }

  /**
   * As {@link #upstreamRequests()}, for a feature with an upstream URL of its own (channels, the flake registry):
   * that URL's origin is allowed too.
   */
  public UpstreamRequests upstreamRequests(final URI featureUrl) {
    return new UpstreamRequests(facet(HttpClientFacet.class).getHttpClient(), upstreamOrigins.with(featureUrl),
        gate());
  }

  /** Narinfos, listings, logs and the other files Nexus's proxy support fetches: see {@link UpstreamRequests}. */
  @Override
  protected HttpResponse execute(final Context context, final HttpClient client, final HttpRequestBase request)
      throws IOException
  {
    return new UpstreamRequests(client, upstreamOrigins, gate()).follow(request).response();
  }

  /**
   * A proxy configured before upstream keys existed has none and requires nothing; {@code requireUpstreamSignature}
   * defaults to whether there are keys.
   */
  private UpstreamTrust readUpstreamTrust(final Configuration configuration) {
    TrustConfig config =
        facet(ConfigurationFacet.class).readSection(configuration, NixSettingsFacet.SECTION, TrustConfig.class);
    TrustedKeys keys =
        TrustedKeys.parse(config.trustedUpstreamKeys, NixSettingsFacet.SECTION + "." + TRUSTED_UPSTREAM_KEYS);
    boolean required = config.requireUpstreamSignature != null ? config.requireUpstreamSignature : !keys.isEmpty();
    if (required && keys.isEmpty()) {
      throw new IllegalArgumentException("requiring an upstream signature needs at least one key in "
          + NixSettingsFacet.SECTION + "." + TRUSTED_UPSTREAM_KEYS);
    }
    return new UpstreamTrust(keys, required);
  }

  @Nonnull
  @Override
  protected CacheController getCacheController(@Nonnull final Context context) {
    NixAssetKind kind = context.getAttributes().get(NixAssetKind.class);
    return cacheControllerHolder.require(kind != null ? kind.cacheType() : CacheControllerHolder.CONTENT);
  }

  @Nullable
  @Override
  protected Content getCachedContent(final Context context) throws IOException {
    String path = context.getRequest().getPath();
    NixContentFacet content = content();
    if (assetKind(context) == NARINFO) {
      // one the trusted keys no longer admit (they were changed) is fetched again, and checked again
      return content.findNarInfo(NixAssetPaths.storeHash(path))
          .filter(stored -> upstreamTrust.refusal(stored.narInfo()).isEmpty())
          .map(content::narInfoContent)
          .orElse(null);
    }
    return content.findAsset(path).map(content::download).orElse(null);
  }

  @Override
  protected String getUrl(@Nonnull final Context context) {
    return context.getRequest().getPath().substring(1);
  }

  @Override
  protected Content createContent(final Context context, final HttpResponse response) {
    Content content = new Content(UpstreamResponses.payload(response));
    // cache.nixos.org serves .ls listings brotli-encoded; remember so they are stored decoded
    Header encoding = response.getFirstHeader("Content-Encoding");
    if (encoding != null) {
      content.getAttributes().set(CONTENT_ENCODING, encoding.getValue().trim().toLowerCase());
    }
    return content;
  }

  @Override
  protected Content store(final Context context, final Content remote) throws IOException {
    String path = context.getRequest().getPath();
    NixAssetKind kind = assetKind(context);
    NixContentFacet content = content();
    if (kind == NARINFO) {
      String storeHash = NixAssetPaths.storeHash(path);
      storeNarInfo(storeHash, remote).asset().markAsCached(remote);
      // read back: the served narinfo carries the cache details just recorded
      return content.findNarInfo(storeHash).map(content::narInfoContent).orElseThrow();
    }
    try (TempBlob blob = ingestDecoded(remote, path, kind)) {
      if (kind == LISTING || kind.isJson()) {
        UploadBodies.checkJson(blob, path);
      }
      FluentAsset asset = content.putFile(path, kind, blob);
      asset.markAsCached(remote);
      return content.download(asset);
    }
  }

  private StoredNarInfo storeNarInfo(final String storeHash, final Content remote) throws IOException {
    NarInfo upstream;
    // read failures and timeouts propagate as such (a 502 or 504 to the client, or the stale copy served)
    try (InputStream in = new DeadlineInputStream(remote.openInputStream(), metadataTransferTimeout())) {
      upstream = NarInfo.parse(in, facet(NixSettingsFacet.class).storeDir());
    }
    catch (NixFormatException e) {
      throw badGateway("the upstream narinfo for " + storeHash + " is corrupt, not cached: " + e.getMessage());
    }
    if (!upstream.storePath().hashPart().equals(storeHash)) {
      throw badGateway("the upstream answered " + storeHash + ".narinfo with the narinfo of "
          + upstream.storePath().baseName() + "; not cached");
    }
    // for a client, a path this proxy refuses is not in this cache: a 404 (Nexus's negative cache does not keep it,
    // so the next request asks the upstream again)
    Optional<String> refusal = upstreamTrust.refusal(upstream);
    if (refusal.isPresent()) {
      upstreamRefusals.record(refusal.get());
      throw notFound(refusal.get());
    }
    URI narUrl = resolveUpstream(upstream.url());
    NarInfo local = upstream.withUrl(NarNames.contentDerivedUrl(upstream));
    return content().putNarInfo(local, Map.of(UPSTREAM_URL, narUrl.toString()));
  }

  /**
   * How long the whole body of a narinfo may take to arrive: the repository's HTTP timeout. A socket timeout alone
   * never fires on an upstream that sends a byte a second, and a client would wait for it much longer than for a
   * 504 it can retry.
   */
  private Duration metadataTransferTimeout() {
    Object connection = getRepository().getConfiguration().attributes("httpclient").get("connection");
    Object timeout = connection instanceof Map ? ((Map<?, ?>) connection).get("timeout") : null;
    int seconds = timeout instanceof Number ? ((Number) timeout).intValue() : DEFAULT_TIMEOUT_SECONDS;
    return Duration.ofSeconds(Math.max(1, seconds));
  }

  /**
   * Nix resolves a narinfo's URL against the cache's base URL, not against the narinfo's own location; absolute
   * URLs point at another host.
   */
  private URI resolveUpstream(final String url) {
    URI resolved = getRemoteUrl().resolve(url);
    String scheme = resolved.getScheme();
    if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
      throw badGateway("the upstream narinfo's URL '" + url + "' is not an http(s) location; not cached");
    }
    return resolved;
  }

  /**
   * Stores what the upstream sent, decoded: a transfer encoding is how the bytes travelled, not what they are. Bounded
   * like an upload of the same file ({@link ContentEncodedUploads#upstreamBody}): past the bound it is a 502.
   */
  private TempBlob ingestDecoded(final Content remote, final String path, final NixAssetKind kind) throws IOException {
    String encoding = remote.getAttributes().get(CONTENT_ENCODING, String.class);
    try (InputStream in = ContentEncodedUploads.upstreamBody(remote.openInputStream(), encoding, kind,
        path.substring(1))) {
      return content().ingest(in, remote.getContentType());
    }
    catch (IOException | RuntimeException e) {
      // the blob store may have wrapped the refusal of the bounded body
      Optional<NixRequestException> refusal = RefusedBodyException.refusalIn(e);
      if (refusal.isPresent()) {
        throw refusal.get();
      }
      throw e;
    }
  }


  // ---- NARs

  /**
   * A NAR: from the cache, or fetched from the upstream and streamed to the client while it is checked. One a narinfo
   * of this proxy names comes from where that narinfo says it lives upstream, is checked against the narinfo and kept
   * for good (NARs never go stale: their names are their content). One no narinfo names, such as the archive of a
   * debuginfo index, comes from the remote if its name says what its bytes hash to ({@code nar/<FileHash>.nar<ext>}),
   * is checked against that and passed through, not cached. Clients asking for the same NAR meanwhile share one
   * upstream transfer.
   *
   * @throws NixRequestException 404 when the upstream does not have the NAR, or when no narinfo in this repository
   *                             names it and its name does not say what it is (the upstream is not asked); thrown,
   *                             so Nexus's negative cache (which keeps 404 responses) does not remember it: a
   *                             narinfo's arrival changes both
   */
  public Content getNar(final Context context, final boolean head) throws IOException {
    String path = context.getRequest().getPath();
    NixContentFacet content = content();
    Optional<FluentAsset> cached = content.findAsset(path);
    if (cached.isPresent()) {
      return content.download(cached.get());
    }
    Optional<StoredNarInfo> owner = content.narInfosUsing(path, 1).stream()
        .findFirst()
        .flatMap(narInfoPath -> content.findNarInfo(NixAssetPaths.storeHash(narInfoPath)));
    String upstreamUrl = owner
        .map(stored -> NarInfoAttributes.of(stored.asset().attributes()).get(UPSTREAM_URL, String.class))
        .orElse(null);
    Payload payload = upstreamUrl != null
        ? sharedNar(path, storedNar(path, owner.get().narInfo(), URI.create(upstreamUrl)))
        : sharedNar(path, namedNar(path));
    if (payload == null) {
      // stored by another client's transfer meanwhile
      return cachedNar(path);
    }
    if (head && upstreamUrl != null) {
      // HEAD must not answer before the NAR is known good: fetch it whole, then answer from the cache (a NAR passed
      // through is never known good here: it is answered as the upstream answered)
      SharedUpstreamNar.drain(payload);
      return cachedNar(path);
    }
    return new Content(payload);
  }

  private Content cachedNar(final String path) throws IOException {
    return content().findAsset(path).map(content()::download)
        .orElseThrow(() -> new IOException("the NAR fetched for " + path + " is not in the cache"));
  }

  /** Where one NAR is upstream, and what becomes of it. */
  private static final class NarSource
  {
    private final URI url;

    /** the end of the 404's message: what the NAR is */
    private final String whatItIs;

    private final TransferStart start;

    NarSource(final URI url, final String whatItIs, final TransferStart start) {
      this.url = url;
      this.whatItIs = whatItIs;
      this.start = start;
    }
  }

  @FunctionalInterface
  private interface TransferStart
  {
    SharedUpstreamNar start(HttpResponse response, Runnable onFinished) throws IOException;
  }

  /** The NAR {@code narInfo} names, from where it said it is, to be checked against it and stored. */
  private NarSource storedNar(final String path, final NarInfo narInfo, final URI upstreamUrl) {
    CacheInfo cacheInfo = cacheControllerHolder.getContentCacheController().current();
    return new NarSource(upstreamUrl, "the NAR of " + narInfo.storePath().baseName(),
        (response, onFinished) -> SharedUpstreamNar.stored(this, path, narInfo, response, cacheInfo, onFinished));
  }

  /**
   * A NAR no narinfo of this proxy names, such as the archive of a debuginfo index: from the remote, to be checked
   * against the file hash its name says and passed through.
   *
   * @throws NixRequestException 404 if its name does not say what it is: then the upstream is not asked
   */
  private NarSource namedNar(final String path) {
    NixHash fileHash = NarNames.fileHashNamedBy(path).orElseThrow(() -> notFound(path.substring(1) + " is named by "
        + "no narinfo this proxy has fetched, and its name does not say what it is (nar/<FileHash>.nar<ext>), so it "
        + "is not fetched; ask for the store path's narinfo first"));
    return new NarSource(getRemoteUrl().resolve(path.substring(1)), "a NAR no narinfo here names",
        (response, onFinished) -> SharedUpstreamNar.passedThrough(this, path, fileHash, response, onFinished));
  }

  /**
   * A share of the NAR's transfer from the upstream: the one under way, or a new one. Starting one is serialised
   * per NAR, so clients that ask at the same time cause one upstream request between them.
   *
   * @return null if the NAR was stored meanwhile
   * @throws NixRequestException   404 if the upstream does not have it (404, 410, 403)
   * @throws ProxyServiceException if the upstream answers something else than 200
   */
  @Nullable
  private Payload sharedNar(final String path, final NarSource source) throws IOException {
    Payload joined = join(path);
    if (joined != null) {
      return joined;
    }
    Lock lock = narTransferStarts.get(path);
    lock.lock();
    try {
      joined = join(path);
      if (joined != null) {
        return joined;
      }
      if (content().findAsset(path).isPresent()) {
        return null;
      }
      HttpResponse response = upstreamRequests().follow(new HttpGet(source.url)).response();
      int status = response.getStatusLine().getStatusCode();
      if (status != 200) {
        UpstreamResponses.abandon(response);
        if (status == 404 || status == 410 || status == 403) {
          throw notFound("the upstream does not have " + source.url + " (it answered " + status + "), "
              + source.whatItIs);
        }
        throw new ProxyServiceException(response);
      }
      SharedUpstreamNar[] started = new SharedUpstreamNar[1];
      started[0] = source.start.start(response, () -> narTransfers.remove(path, started[0]));
      narTransfers.put(path, started[0]);
      Payload share = started[0].share();
      if (share == null) {
        throw new IOException("the upstream transfer of " + path.substring(1) + " ended before it began");
      }
      return share;
    }
    finally {
      lock.unlock();
    }
  }

  @Nullable
  private Payload join(final String path) {
    SharedUpstreamNar transfer = narTransfers.get(path);
    return transfer == null ? null : transfer.share();
  }

  /** What this proxy requires of its upstream's narinfos. */
  public UpstreamTrust upstreamTrust() {
    return upstreamTrust;
  }

  /** The upstream narinfos refused for want of a trusted signature. */
  public UpstreamRefusals upstreamRefusals() {
    return upstreamRefusals;
  }

  NixUpstreamGateFacet gate() {
    return facet(NixUpstreamGateFacet.class);
  }

  /** Freshness of metadata that is not a narinfo (a channel's pointer): the proxy's metadata max age. */
  public CacheController metadataCacheController() {
    return cacheControllerHolder.getMetadataCacheController();
  }

  String repositoryName() {
    return getRepository().getName();
  }

  NixContentFacet content() {
    return facet(NixContentFacet.class);
  }
}
