package org.sonatype.nexus.repository.nix.channels;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.Lock;

import javax.annotation.Nullable;
import javax.inject.Named;
import javax.validation.constraints.Pattern;

import org.sonatype.nexus.repository.Facet;
import org.sonatype.nexus.repository.FacetSupport;
import org.sonatype.nexus.repository.cache.CacheController;
import org.sonatype.nexus.repository.config.Configuration;
import org.sonatype.nexus.repository.config.ConfigurationFacet;
import org.sonatype.nexus.repository.content.fluent.FluentAsset;
import org.sonatype.nexus.repository.nix.channels.ChannelPointer.Release;
import org.sonatype.nexus.repository.nix.content.NarInfoAttributes;
import org.sonatype.nexus.repository.nix.content.NixContentFacet;
import org.sonatype.nexus.repository.nix.content.NixSettingsFacet;
import org.sonatype.nexus.repository.nix.content.WriteOutcome;
import org.sonatype.nexus.repository.nix.http.NixRequestException;
import org.sonatype.nexus.repository.nix.protocol.NixFormatException;
import org.sonatype.nexus.repository.nix.protocol.channels.ChannelFlavor;
import org.sonatype.nexus.repository.nix.protocol.channels.ChannelSnapshot;
import org.sonatype.nexus.repository.nix.protocol.channels.ChannelTarballs;
import org.sonatype.nexus.repository.nix.protocol.compression.DecoderMemoryException;
import org.sonatype.nexus.repository.nix.proxy.NixProxyFacet;
import org.sonatype.nexus.repository.nix.proxy.NixUpstreamGateFacet;
import org.sonatype.nexus.repository.nix.proxy.UpstreamFailures;
import org.sonatype.nexus.repository.nix.proxy.UpstreamRequests;
import org.sonatype.nexus.repository.nix.proxy.UpstreamResponses;
import org.sonatype.nexus.repository.view.Content;
import org.sonatype.nexus.repository.view.Payload;
import org.sonatype.nexus.repository.view.payloads.TempBlob;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.google.common.util.concurrent.Striped;
import org.apache.http.HttpEntity;
import org.apache.http.HttpResponse;
import org.apache.http.client.methods.HttpGet;

import static org.sonatype.nexus.repository.nix.http.NixRequestException.badGateway;
import static org.sonatype.nexus.repository.nix.http.NixRequestException.busy;
import static org.sonatype.nexus.repository.nix.http.NixRequestException.methodNotAllowed;

/**
 * Channels of a proxy repository, followed from an upstream such as channels.nixos.org (the {@code nix.channelsUrl}
 * setting; empty turns channel proxying off).
 *
 * A channel's pointer is resolved by following the upstream's redirects to the immutable release directory it
 * points at ({@link UpstreamChannels}); that release becomes a snapshot here, named after the directory, its flavor
 * read from the directory's path. The pointer is kept as a small asset at {@code /channels/<channel>} (kind
 * {@value #POINTER_KIND}, no blob) and refreshed per the proxy's metadata max age; when the upstream cannot be asked
 * the last known pointer is served, and only an upstream that has never known the channel makes it a 404.
 *
 * A snapshot's tarball is fetched from the release directory the first time it is asked for, checked like a
 * deploy, and kept for good: a release never changes.
 *
 * Upstream failures with nothing known are 502/504 (503 for an auto-blocked remote), never 404: Nix remembers a
 * 404. A remote an administrator blocked (offline mode) is the exception: only what is cached exists, the rest is
 * a 404, as for the binary cache.
 */
@Named
@Facet.Exposed
public class NixChannelsProxyFacet
    extends FacetSupport
    implements NixChannelsFacet
{
  /** Key of the channels upstream in the repository's {@code nix} configuration section. */
  public static final String CHANNELS_URL = "channelsUrl";

  public static final String DEFAULT_CHANNELS_URL = "https://channels.nixos.org";

  static final String POINTER_KIND = "channel-pointer";

  /** Attribute of a fetched tarball: the upstream release directory it came from. */
  static final String RELEASE_URL = "releaseUrl";

  @JsonIgnoreProperties(ignoreUnknown = true)
  public static class Config
  {
    /** Absent: channels.nixos.org; empty: no channel proxying. */
    @Pattern(regexp = "(https?://\\S+)?", message = "must be an http(s) URL, or empty to turn channel proxying off")
    public String channelsUrl = DEFAULT_CHANNELS_URL;
  }

  /**
   * One fetch per channel pointer or tarball at a time on this node: the second request waits and then finds it
   * stored. Only spares the upstream; what is stored, the database decides (other nodes fetch too).
   */
  private final Striped<Lock> locks = Striped.lazyWeakLock(64);

  private Config config;

  @Override
  protected void doValidate(final Configuration configuration) throws Exception {
    facet(ConfigurationFacet.class).validateSection(configuration, NixSettingsFacet.SECTION, Config.class);
  }

  @Override
  protected void doConfigure(final Configuration configuration) throws Exception {
    config = facet(ConfigurationFacet.class).readSection(configuration, NixSettingsFacet.SECTION, Config.class);
  }

  @Override
  protected void doDestroy() throws Exception {
    config = null;
  }

  // ---- reads

  @Override
  public List<String> channels() {
    checkEnabled();
    Set<String> channels = new LinkedHashSet<>();
    for (String path : content().newestPaths(POINTER_KIND, "/channels/", ChannelStore.MAX_LISTED)) {
      channels.add(path.substring("/channels/".length()));
    }
    channels.addAll(store().channels());
    return new ArrayList<>(channels);
  }

  @Override
  public List<ChannelSnapshot> snapshots(final String channel, @Nullable final ChannelFlavor flavor)
      throws IOException
  {
    checkEnabled();
    Set<ChannelSnapshot> snapshots = new LinkedHashSet<>();
    pointer(channel).ifPresent(pointer -> pointer.releases().forEach(release -> snapshots.add(release.snapshot())));
    snapshots.addAll(store().snapshots(channel, null, ChannelStore.MAX_LISTED));
    snapshots.removeIf(snapshot -> flavor != null && snapshot.flavor() != flavor);
    return new ArrayList<>(snapshots);
  }

  @Override
  public Optional<ChannelSnapshot> latest(final String channel, @Nullable final ChannelFlavor flavor)
      throws IOException
  {
    checkEnabled();
    return pointer(channel)
        .map(pointer -> pointer.current().snapshot())
        .filter(snapshot -> flavor == null || snapshot.flavor() == flavor);
  }

  @Override
  public boolean has(final ChannelSnapshot snapshot) throws IOException {
    checkEnabled();
    return store().find(snapshot).isPresent() || release(snapshot).isPresent();
  }

  @Override
  public Optional<Content> tarball(final ChannelSnapshot snapshot) throws IOException {
    checkEnabled();
    Optional<FluentAsset> cached = store().find(snapshot);
    if (cached.isPresent()) {
      return cached.map(FluentAsset::download);
    }
    Optional<Release> release = release(snapshot);
    if (release.isEmpty()) {
      return Optional.empty();
    }
    Lock lock = locks.get(snapshot.tarballPath());
    lock.lock();
    try {
      cached = store().find(snapshot);
      if (cached.isPresent()) {
        return cached.map(FluentAsset::download);
      }
      return Optional.of(fetchTarball(snapshot, release.get()));
    }
    finally {
      lock.unlock();
    }
  }

  // ---- writes: none

  @Override
  public WriteOutcome deploy(final ChannelSnapshot snapshot, final Payload tarball) {
    throw methodNotAllowed("proxy repository '" + getRepository().getName() + "' takes no deploys: deploy "
        + snapshot + " to a nix-hosted repository");
  }

  @Override
  public boolean delete(final ChannelSnapshot snapshot) {
    throw methodNotAllowed("proxy repository '" + getRepository().getName() + "' takes no deletes of snapshots "
        + "over HTTP; delete the component in the UI or the Components API");
  }

  // ---- the pointer

  /**
   * The release the upstream served as this snapshot, if this proxy has seen it (asking the upstream again if the
   * pointer is stale: a client may have been redirected to a snapshot this proxy has not recorded yet).
   */
  private Optional<Release> release(final ChannelSnapshot snapshot) throws IOException {
    return pointer(snapshot.channel()).flatMap(pointer -> pointer.find(snapshot));
  }

  /**
   * The channel's pointer: as stored while fresh, otherwise as the upstream answers now, otherwise (upstream
   * failing) as last known.
   *
   * @return empty if the upstream does not know the channel and never did
   */
  private Optional<ChannelPointer> pointer(final String channel) throws IOException {
    String path = "/channels/" + channel;
    Lock lock = locks.get(path);
    lock.lock();
    try {
      Optional<FluentAsset> asset = content().findAsset(path);
      Optional<ChannelPointer> known = asset.flatMap(stored ->
          ChannelPointer.fromAttributes(NarInfoAttributes.of(stored.attributes()).backing()));
      if (known.isPresent() && !asset.get().isStale(cacheController())) {
        return known;
      }
      UpstreamChannels upstream = upstream();
      Optional<URI> releaseUrl;
      try {
        releaseUrl = upstream.releaseOf(channel);
      }
      catch (IOException e) {
        return lastKnown(known, upstreamFailure("cannot resolve " + upstream.channelUrl(channel), e));
      }
      catch (NixRequestException e) {
        return lastKnown(known, e);
      }
      if (releaseUrl.isEmpty()) {
        known.ifPresent(pointer -> log.info("Proxy {}: the upstream no longer knows channel {}; serving its last "
            + "known snapshot {}", getRepository().getName(), channel, pointer.current().snapshot()));
        return known;
      }
      ChannelSnapshot snapshot;
      try {
        snapshot = ChannelSnapshot.ofRelease(channel, releaseUrl.get());
      }
      catch (NixFormatException e) {
        return lastKnown(known, badGateway(e.getMessage()));
      }
      Release release = new Release(snapshot, releaseUrl.get(), Instant.now());
      ChannelPointer updated = known.map(pointer -> pointer.resolvedTo(release))
          .orElseGet(() -> ChannelPointer.first(release));
      if (known.isEmpty() || !known.get().current().snapshot().equals(snapshot)) {
        log.info("Proxy {}: channel {} points at {} ({})", getRepository().getName(), channel, snapshot,
            releaseUrl.get());
      }
      savePointer(path, updated);
      return Optional.of(updated);
    }
    finally {
      lock.unlock();
    }
  }

  private Optional<ChannelPointer> lastKnown(final Optional<ChannelPointer> known, final NixRequestException failure) {
    if (known.isEmpty()) {
      throw failure;
    }
    if (failure.status() >= 500) {
      log.warn("Proxy {}: {}; serving the last known snapshot of channel {}, {}", getRepository().getName(),
          failure.getMessage(), known.get().channel(), known.get().current().snapshot());
    }
    else {
      // offline mode: serving what is cached is the point, not worth a warning per request
      log.debug("Proxy {}: {}; serving the last known snapshot of channel {}", getRepository().getName(),
          failure.getMessage(), known.get().channel());
    }
    return known;
  }

  private void savePointer(final String path, final ChannelPointer pointer) throws IOException {
    CacheController cacheController = cacheController();
    // nodes that resolved the pointer at the same time: the database takes one first, the others run again
    content().inTransaction(() -> content().assets()
        .path(path)
        .kind(POINTER_KIND)
        .save()
        .withAttribute(NarInfoAttributes.SECTION, pointer.toAttributes())
        .markAsCached(cacheController.current()));
  }

  // ---- the tarball

  private Content fetchTarball(final ChannelSnapshot snapshot, final Release release) {
    URI url = release.tarballUrl();
    HttpResponse response = null;
    try {
      response = upstreamRequests().follow(new HttpGet(url)).response();
      int status = response.getStatusLine().getStatusCode();
      if (status != 200) {
        throw badGateway("the upstream answered " + url + " with " + status + " "
            + response.getStatusLine().getReasonPhrase() + "; snapshot " + snapshot + " is not cached");
      }
      HttpEntity entity = response.getEntity();
      try (InputStream body = entity.getContent(); TempBlob blob = content().ingest(body, "application/x-xz")) {
        long length = entity.getContentLength();
        long received = blob.getBlob().getMetrics().getContentSize();
        if (length >= 0 && length != received) {
          throw badGateway("the upstream's " + url + " ended after " + received + " of " + length + " bytes");
        }
        try (InputStream tarball = blob.get()) {
          ChannelTarballs.check(tarball);
        }
        catch (NixFormatException e) {
          throw badGateway("the upstream's " + url + " is not a tarball nix-channel can use (" + e.getMessage()
              + "); not cached");
        }
        catch (DecoderMemoryException e) {
          throw busy(e);
        }
        FluentAsset asset = store().save(snapshot, blob, Map.of(RELEASE_URL, release.url().toString()));
        log.info("Proxy {}: cached snapshot {} from {} ({} bytes)", getRepository().getName(), snapshot, url,
            received);
        return asset.download();
      }
    }
    catch (IOException e) {
      throw upstreamFailure("cannot fetch " + url, e);
    }
    catch (UncheckedIOException e) {
      throw upstreamFailure("cannot fetch " + url, e.getCause());
    }
    finally {
      UpstreamResponses.abandon(response);
    }
  }

  // ---- helpers

  private NixRequestException upstreamFailure(final String what, final IOException e) {
    return UpstreamFailures.of(gate(), what, e);
  }

  private void checkEnabled() {
    if (!enabled()) {
      throw NixRequestException.notFound("repository '" + getRepository().getName() + "' does not proxy channels "
          + "(its nix.channelsUrl is empty)");
    }
  }

  private boolean enabled() {
    return config.channelsUrl != null && !config.channelsUrl.isEmpty();
  }

  private UpstreamChannels upstream() {
    return new UpstreamChannels(upstreamRequests(), URI.create(config.channelsUrl));
  }

  /** The proxy's way of asking upstreams, with the channels URL's origin allowed too. */
  private UpstreamRequests upstreamRequests() {
    return facet(NixProxyFacet.class).upstreamRequests(URI.create(config.channelsUrl));
  }

  private CacheController cacheController() {
    return facet(NixProxyFacet.class).metadataCacheController();
  }

  private NixUpstreamGateFacet gate() {
    return facet(NixUpstreamGateFacet.class);
  }

  private ChannelStore store() {
    return new ChannelStore(content());
  }

  private NixContentFacet content() {
    return facet(NixContentFacet.class);
  }
}
