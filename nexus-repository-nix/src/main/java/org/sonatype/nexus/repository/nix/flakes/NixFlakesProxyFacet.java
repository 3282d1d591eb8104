package org.sonatype.nexus.repository.nix.flakes;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

import javax.inject.Named;
import javax.validation.constraints.Pattern;

import org.sonatype.nexus.repository.Facet;
import org.sonatype.nexus.repository.FacetSupport;
import org.sonatype.nexus.repository.cache.CacheController;
import org.sonatype.nexus.repository.config.Configuration;
import org.sonatype.nexus.repository.config.ConfigurationFacet;
import org.sonatype.nexus.repository.content.fluent.FluentAsset;
import org.sonatype.nexus.repository.nix.content.NixContentFacet;
import org.sonatype.nexus.repository.nix.content.NixSettingsFacet;
import org.sonatype.nexus.repository.nix.content.WriteOutcome;
import org.sonatype.nexus.repository.nix.http.NixRequestException;
import org.sonatype.nexus.repository.nix.protocol.NixFormatException;
import org.sonatype.nexus.repository.nix.protocol.flakes.FlakePath;
import org.sonatype.nexus.repository.nix.protocol.flakes.FlakeRegistry;
import org.sonatype.nexus.repository.nix.protocol.flakes.FlakeRelease;
import org.sonatype.nexus.repository.nix.proxy.NixProxyFacet;
import org.sonatype.nexus.repository.nix.proxy.NixUpstreamGateFacet;
import org.sonatype.nexus.repository.nix.proxy.UpstreamFailures;
import org.sonatype.nexus.repository.nix.proxy.UpstreamResponses;
import org.sonatype.nexus.repository.view.Content;
import org.sonatype.nexus.repository.view.Payload;
import org.sonatype.nexus.repository.view.payloads.TempBlob;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.google.common.io.ByteStreams;
import org.apache.http.HttpEntity;
import org.apache.http.HttpResponse;
import org.apache.http.client.methods.HttpGet;

import static org.sonatype.nexus.repository.nix.http.NixRequestException.badGateway;
import static org.sonatype.nexus.repository.nix.http.NixRequestException.methodNotAllowed;

/**
 * The flake registry of a proxy repository: an upstream registry such as channels.nixos.org's (the
 * {@code nix.flakeRegistryUrl} setting; empty turns it off), cached as the asset {@code /flake-registry.json} (kind
 * {@value #REGISTRY_KIND}) and refreshed per the proxy's metadata max age. When the upstream cannot be asked, the
 * cached copy is served; with nothing cached that is a 502/504 (Nix treats a failed registry download without a
 * cached copy as fatal, and a 404 as "no registry"), and only an upstream that answers 404 makes it a 404.
 *
 * Flake tarballs are not proxied: registry entries point wherever the upstream points them.
 */
@Named
@Facet.Exposed
public class NixFlakesProxyFacet
    extends FacetSupport
    implements NixFlakesFacet
{
  /** Key of the upstream registry in the repository's {@code nix} configuration section. */
  public static final String FLAKE_REGISTRY_URL = "flakeRegistryUrl";

  /** What Nix itself uses since 2.10. */
  public static final String DEFAULT_FLAKE_REGISTRY_URL = "https://channels.nixos.org/flake-registry.json";

  static final String REGISTRY_KIND = "flake-registry";

  @JsonIgnoreProperties(ignoreUnknown = true)
  public static class Config
  {
    /** Absent: channels.nixos.org's registry; empty: no registry. */
    @Pattern(regexp = "(https?://\\S+)?", message = "must be an http(s) URL, or empty to turn the flake registry off")
    public String flakeRegistryUrl = DEFAULT_FLAKE_REGISTRY_URL;
  }

  /**
   * One fetch at a time on this node: a second request waits and then finds the registry cached. Only spares the
   * upstream; what is stored, the database decides (other nodes fetch too).
   */
  private final Lock lock = new ReentrantLock();

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

  @Override
  public FlakeRegistry registry(final String repositoryUrl) throws IOException {
    if (config.flakeRegistryUrl == null || config.flakeRegistryUrl.isEmpty()) {
      throw NixRequestException.notFound("repository '" + getRepository().getName() + "' does not proxy a flake "
          + "registry (its nix.flakeRegistryUrl is empty)");
    }
    lock.lock();
    try {
      Optional<FluentAsset> cached = content().findAsset(FlakePath.REGISTRY_PATH);
      Optional<FlakeRegistry> known = cached.flatMap(this::read);
      if (known.isPresent() && !cached.get().isStale(cacheController())) {
        return known.get();
      }
      try {
        return fetch(URI.create(config.flakeRegistryUrl));
      }
      catch (NixRequestException e) {
        if (known.isEmpty()) {
          throw e;
        }
        if (e.status() >= 500) {
          log.warn("Proxy {}: {}; serving the cached flake registry", getRepository().getName(), e.getMessage());
        }
        else {
          // the upstream dropped its registry, or offline mode: what is cached is what there is
          log.debug("Proxy {}: {}; serving the cached flake registry", getRepository().getName(), e.getMessage());
        }
        return known.get();
      }
    }
    finally {
      lock.unlock();
    }
  }

  private FlakeRegistry fetch(final URI url) {
    HttpResponse response = null;
    try {
      // the registry's own origin, the remote's, or nix.allowedUpstreamOrigins: see UpstreamRequests
      response = facet(NixProxyFacet.class).upstreamRequests(url).follow(new HttpGet(url)).response();
      int status = response.getStatusLine().getStatusCode();
      if (status == 404 || status == 410) {
        throw NixRequestException.notFound("the upstream has no flake registry at " + url + " (" + status + ")");
      }
      if (status != 200) {
        throw badGateway("the upstream answered " + url + " with " + status + " "
            + response.getStatusLine().getReasonPhrase());
      }
      HttpEntity entity = response.getEntity();
      if (entity.getContentLength() > FlakeRegistry.MAX_BYTES) {
        throw badGateway("the upstream's " + url + " is " + entity.getContentLength() + " bytes, more than a flake "
            + "registry can be (" + FlakeRegistry.MAX_BYTES + ")");
      }
      try (InputStream body = ByteStreams.limit(entity.getContent(), FlakeRegistry.MAX_BYTES + 1L);
           TempBlob blob = content().ingest(body, "application/json")) {
        long received = blob.getBlob().getMetrics().getContentSize();
        if (received > FlakeRegistry.MAX_BYTES) {
          throw badGateway("the upstream's " + url + " is larger than a flake registry can be");
        }
        if (entity.getContentLength() >= 0 && entity.getContentLength() != received) {
          throw badGateway("the upstream's " + url + " ended after " + received + " of " + entity.getContentLength()
              + " bytes");
        }
        FlakeRegistry registry;
        try (InputStream in = blob.get()) {
          registry = FlakeRegistry.parse(in);
        }
        catch (NixFormatException e) {
          throw badGateway("the upstream's " + url + " is " + e.getMessage() + "; not cached");
        }
        save(blob);
        log.debug("Proxy {}: cached the flake registry from {} ({} entries)", getRepository().getName(), url,
            registry.entries().size());
        return registry;
      }
    }
    catch (IOException e) {
      throw UpstreamFailures.of(facet(NixUpstreamGateFacet.class), "cannot fetch the flake registry " + url, e);
    }
    finally {
      // an error page or an oversized registry is not read to its end
      UpstreamResponses.abandon(response);
    }
  }

  private void save(final TempBlob blob) throws IOException {
    CacheController cacheController = cacheController();
    // nodes that fetched the registry at the same time: the database takes one first, the others run again
    content().inTransaction(() -> content().assets()
        .path(FlakePath.REGISTRY_PATH)
        .kind(REGISTRY_KIND)
        .blob(blob)
        .save()
        .markAsCached(cacheController.current()));
  }

  /** The cached registry; empty if it no longer reads (then it is as good as not cached). */
  private Optional<FlakeRegistry> read(final FluentAsset asset) {
    try (InputStream in = asset.download().openInputStream()) {
      return Optional.of(FlakeRegistry.parse(in));
    }
    catch (IOException | RuntimeException e) {
      log.warn("Proxy {}: the cached flake registry cannot be read ({}); fetching it again",
          getRepository().getName(), e.toString());
      return Optional.empty();
    }
  }

  @Override
  public Optional<StoredFlake> newest(final String name) {
    return Optional.empty();
  }

  @Override
  public Optional<Content> tarball(final FlakeRelease release) {
    return Optional.empty();
  }

  @Override
  public WriteOutcome deploy(final FlakeRelease release, final Payload tarball) {
    throw methodNotAllowed("proxy repository '" + getRepository().getName() + "' takes no flakes: publish flake "
        + release + " to a nix-hosted repository");
  }

  @Override
  public boolean delete(final FlakeRelease release) {
    throw methodNotAllowed("proxy repository '" + getRepository().getName() + "' holds no flakes to delete");
  }

  private CacheController cacheController() {
    return facet(NixProxyFacet.class).metadataCacheController();
  }

  private NixContentFacet content() {
    return facet(NixContentFacet.class);
  }
}
