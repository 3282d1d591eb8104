package org.sonatype.nexus.repository.nix.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Map;
import java.util.Optional;

import javax.annotation.Nonnull;
import javax.annotation.Nullable;
import javax.inject.Named;

import org.sonatype.nexus.repository.Facet;
import org.sonatype.nexus.repository.cache.CacheController;
import org.sonatype.nexus.repository.cache.CacheControllerHolder;
import org.sonatype.nexus.repository.cache.CacheInfo;
import org.sonatype.nexus.repository.content.facet.ContentProxyFacetSupport;
import org.sonatype.nexus.repository.content.fluent.FluentAsset;
import org.sonatype.nexus.repository.httpclient.HttpClientFacet;
import org.sonatype.nexus.repository.nix.content.NarNames;
import org.sonatype.nexus.repository.nix.content.NixAssetKind;
import org.sonatype.nexus.repository.nix.content.NixAssetPaths;
import org.sonatype.nexus.repository.nix.content.NixContentFacet;
import org.sonatype.nexus.repository.nix.content.NixSettingsFacet;
import org.sonatype.nexus.repository.nix.content.StoredNarInfo;
import org.sonatype.nexus.repository.nix.content.UploadBodies;
import org.sonatype.nexus.repository.nix.protocol.Compression;
import org.sonatype.nexus.repository.nix.protocol.NarInfo;
import org.sonatype.nexus.repository.nix.protocol.NixFormatException;
import org.sonatype.nexus.repository.proxy.ProxyServiceException;
import org.sonatype.nexus.repository.view.Content;
import org.sonatype.nexus.repository.view.Context;
import org.sonatype.nexus.repository.view.payloads.TempBlob;

import org.apache.http.Header;
import org.apache.http.HttpResponse;
import org.apache.http.client.methods.HttpGet;
import org.apache.http.client.utils.HttpClientUtils;

import static org.sonatype.nexus.repository.nix.content.NixAssetKind.LISTING;
import static org.sonatype.nexus.repository.nix.content.NixAssetKind.NARINFO;
import static org.sonatype.nexus.repository.nix.content.NixAssetKindMatcher.assetKind;
import static org.sonatype.nexus.repository.nix.content.NixRequestException.badGateway;

/**
 * A caching pull-through of an upstream binary cache.
 *
 * Narinfos are fetched, validated and kept as metadata (refreshed per metadata max age; kept when the upstream
 * is down or has deleted them). Their {@code URL} is rewritten to a content-derived name in this repository and
 * the upstream location remembered, so NARs are fetched from wherever the upstream keeps them, verified against
 * the narinfo, and kept for good. Large NARs stream to the client while they are being fetched.
 */
@Named
@Facet.Exposed
public class NixProxyFacet
    extends ContentProxyFacetSupport
{
  /** Where the NAR of a proxied narinfo really lives: an absolute URL upstream. */
  public static final String UPSTREAM_URL = "upstreamUrl";

  private static final String CONTENT_ENCODING = "nix.contentEncoding";

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
      return content.findNarInfo(NixAssetPaths.storeHash(path)).map(content::narInfoContent).orElse(null);
    }
    return content.findAsset(path).map(content::download).orElse(null);
  }

  @Override
  protected String getUrl(@Nonnull final Context context) {
    return context.getRequest().getPath().substring(1);
  }

  @Override
  protected Content createContent(final Context context, final HttpResponse response) {
    Content content = super.createContent(context, response);
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
    try (TempBlob blob = ingestDecoded(remote, path)) {
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
    try {
      upstream = NarInfo.parse(UploadBodies.readText(remote, UploadBodies.MAX_NARINFO_BYTES, "upstream narinfo"),
          facet(NixSettingsFacet.class).storeDir());
    }
    catch (NixFormatException e) {
      throw badGateway("the upstream narinfo for " + storeHash + " is corrupt, not cached: " + e.getMessage());
    }
    if (!upstream.storePath().hashPart().equals(storeHash)) {
      throw badGateway("the upstream answered " + storeHash + ".narinfo with the narinfo of "
          + upstream.storePath().baseName() + "; not cached");
    }
    URI narUrl = resolveUpstream(upstream.url());
    NarInfo local = upstream.withUrl(NarNames.contentDerivedUrl(upstream));
    return content().putNarInfo(local, Map.of(UPSTREAM_URL, narUrl.toString()));
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
   * Stores what the upstream sent, decoded: a transfer encoding is how the bytes travelled, not what they are.
   */
  private TempBlob ingestDecoded(final Content remote, final String path) throws IOException {
    String encoding = remote.getAttributes().get(CONTENT_ENCODING, String.class);
    if (encoding == null || "identity".equals(encoding)) {
      return content().ingest(remote);
    }
    Compression compression;
    switch (encoding) {
      case "br":
        compression = Compression.BROTLI;
        break;
      case "gzip":
      case "x-gzip":
        compression = Compression.GZIP;
        break;
      case "zstd":
        compression = Compression.ZSTD;
        break;
      case "xz":
        compression = Compression.XZ;
        break;
      default:
        throw badGateway("the upstream sent " + path.substring(1) + " with unsupported Content-Encoding '" + encoding
            + "'; not cached");
    }
    try (InputStream in = compression.decompress(remote.openInputStream())) {
      return content().ingest(in, remote.getContentType());
    }
  }

  // ---- NARs

  /**
   * A NAR: from the cache, or fetched from where its narinfo says it lives upstream and streamed to the client
   * while it is verified and stored. NARs never go stale: their names are their content.
   *
   * @return null when no narinfo in this repository points at the NAR, or the upstream no longer has it
   */
  @Nullable
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
    if (owner.isEmpty()) {
      return null;
    }
    String upstreamUrl = owner.get().asset().attributes().child("nix").get(UPSTREAM_URL, String.class);
    if (upstreamUrl == null) {
      return null;
    }
    HttpGet request = new HttpGet(URI.create(upstreamUrl));
    HttpResponse response = facet(HttpClientFacet.class).getHttpClient().execute(request);
    int status = response.getStatusLine().getStatusCode();
    if (status == 200) {
      CacheInfo cacheInfo = cacheControllerHolder.getContentCacheController().current();
      UpstreamNarPayload payload = new UpstreamNarPayload(this, path, owner.get().narInfo(), response, cacheInfo);
      if (head) {
        // HEAD must not answer before the NAR is known good: fetch it whole, then answer from the cache
        payload.drainAndStore();
        return content.findAsset(path).map(content::download).orElse(null);
      }
      return new Content(payload);
    }
    HttpClientUtils.closeQuietly(response);
    if (status == 404 || status == 410 || status == 403) {
      return null;
    }
    throw new ProxyServiceException(response);
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
