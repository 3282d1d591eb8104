package org.sonatype.nexus.repository.nix.recipe;

import javax.annotation.Nullable;
import javax.inject.Inject;
import javax.inject.Provider;

import org.sonatype.nexus.repository.Format;
import org.sonatype.nexus.repository.RecipeSupport;
import org.sonatype.nexus.repository.Type;
import org.sonatype.nexus.repository.content.browse.BrowseFacet;
import org.sonatype.nexus.repository.content.search.SearchFacet;
import org.sonatype.nexus.repository.http.HttpHandlers;
import org.sonatype.nexus.repository.http.HttpMethods;
import org.sonatype.nexus.repository.http.HttpResponses;
import org.sonatype.nexus.repository.http.PartialFetchHandler;
import org.sonatype.nexus.repository.nix.channels.ChannelPathMatcher;
import org.sonatype.nexus.repository.nix.channels.NixChannelsHandler;
import org.sonatype.nexus.repository.nix.content.NixAssetKindMatcher;
import org.sonatype.nexus.repository.nix.content.NixCacheInfoHandler;
import org.sonatype.nexus.repository.nix.content.NixContentFacet;
import org.sonatype.nexus.repository.nix.content.NixSettingsFacet;
import org.sonatype.nexus.repository.nix.flakes.FlakePathMatcher;
import org.sonatype.nexus.repository.nix.flakes.NixFlakesHandler;
import org.sonatype.nexus.repository.nix.http.NixErrorHandler;
import org.sonatype.nexus.repository.nix.http.NixRangeHeadersHandler;
import org.sonatype.nexus.repository.nix.maintenance.NixMaintenanceFacet;
import org.sonatype.nexus.repository.nix.security.NixSecurityFacet;
import org.sonatype.nexus.repository.nix.signing.NixPublicKeyHandler;
import org.sonatype.nexus.repository.nix.usage.NixUsagePageHandler;
import org.sonatype.nexus.repository.security.SecurityHandler;
import org.sonatype.nexus.repository.view.ConfigurableViewFacet;
import org.sonatype.nexus.repository.view.Handler;
import org.sonatype.nexus.repository.view.Matcher;
import org.sonatype.nexus.repository.view.Route;
import org.sonatype.nexus.repository.view.Router;
import org.sonatype.nexus.repository.view.ViewFacet;
import org.sonatype.nexus.repository.view.handlers.ConditionalRequestHandler;
import org.sonatype.nexus.repository.view.handlers.ContentHeadersHandler;
import org.sonatype.nexus.repository.view.handlers.ExceptionHandler;
import org.sonatype.nexus.repository.view.handlers.HandlerContributor;
import org.sonatype.nexus.repository.view.handlers.LastDownloadedHandler;
import org.sonatype.nexus.repository.view.handlers.TimingHandler;
import org.sonatype.nexus.repository.view.matchers.AlwaysMatcher;
import org.sonatype.nexus.repository.view.matchers.LiteralMatcher;

/**
 * What the hosted, proxy and group recipes share: the facets every Nix repository has and the route table of
 * the binary cache protocol. Each recipe adds its facets and the handlers that end its routes.
 */
public abstract class NixRecipeSupport
    extends RecipeSupport
{
  @Inject
  protected Provider<NixSecurityFacet> securityFacet;

  @Inject
  protected Provider<ConfigurableViewFacet> viewFacet;

  @Inject
  protected Provider<NixSettingsFacet> settingsFacet;

  @Inject
  protected Provider<NixContentFacet> contentFacet;

  @Inject
  protected Provider<NixMaintenanceFacet> maintenanceFacet;

  @Inject
  protected Provider<SearchFacet> searchFacet;

  @Inject
  protected Provider<BrowseFacet> browseFacet;

  @Inject
  protected TimingHandler timingHandler;

  @Inject
  protected SecurityHandler securityHandler;

  @Inject
  protected ExceptionHandler exceptionHandler;

  @Inject
  protected NixErrorHandler errorHandler;

  @Inject
  protected HandlerContributor handlerContributor;

  @Inject
  protected ConditionalRequestHandler conditionalRequestHandler;

  @Inject
  protected PartialFetchHandler partialFetchHandler;

  @Inject
  protected ContentHeadersHandler contentHeadersHandler;

  @Inject
  protected LastDownloadedHandler lastDownloadedHandler;

  @Inject
  protected NixCacheInfoHandler cacheInfoHandler;

  @Inject
  protected NixRangeHeadersHandler rangeHeadersHandler;

  @Inject
  protected NixPublicKeyHandler publicKeyHandler;

  @Inject
  protected NixChannelsHandler channelsHandler;

  @Inject
  protected NixFlakesHandler flakesHandler;

  @Inject
  protected NixUsagePageHandler usagePageHandler;

  private static final Handler READ_ONLY = context -> HttpResponses.methodNotAllowed(
      context.getRequest().getAction(), HttpMethods.GET, HttpMethods.HEAD);

  protected NixRecipeSupport(final Type type, final Format format) {
    super(type, format);
  }

  /**
   * The route table: {@code nix-cache-info} (synthesised), then every binary-cache file kind, ending in the
   * recipe's handlers; the repository's URL opened in a browser is a page on using it; anything else is a 404.
   *
   * @param cacheInfoUploads handles {@code PUT nix-cache-info} for repositories that take uploads, else null (405)
   * @param contentHandlers  the handlers that serve (and, for hosted, store) binary-cache files, after security,
   *                         error mapping, conditional requests, ranges and download tracking
   */
  protected ViewFacet configure(
      final ConfigurableViewFacet facet,
      @Nullable final Handler cacheInfoUploads,
      final Handler... contentHandlers)
  {
    Router.Builder builder = new Router.Builder();

    builder.route(channelsRoute());
    builder.route(flakesRoute());

    builder.route(new Route.Builder()
        .matcher(new LiteralMatcher(NixCacheInfoHandler.PATH))
        .handler(timingHandler)
        .handler(securityHandler)
        .handler(exceptionHandler)
        .handler(errorHandler)
        .handler(cacheInfoHandler)
        .handler(cacheInfoUploads != null ? cacheInfoUploads : READ_ONLY)
        .create());

    // the repository's own public key, for trusted-public-keys (404 without a key)
    builder.route(new Route.Builder()
        .matcher(new LiteralMatcher(NixPublicKeyHandler.PATH))
        .handler(timingHandler)
        .handler(securityHandler)
        .handler(exceptionHandler)
        .handler(publicKeyHandler)
        .create());

    Route.Builder files = new Route.Builder()
        .matcher(new NixAssetKindMatcher())
        .handler(timingHandler)
        .handler(securityHandler)
        .handler(exceptionHandler)
        .handler(errorHandler)
        .handler(handlerContributor)
        .handler(conditionalRequestHandler)
        .handler(rangeHeadersHandler)
        .handler(partialFetchHandler)
        .handler(contentHeadersHandler)
        .handler(lastDownloadedHandler);
    for (Handler handler : contentHandlers) {
      files.handler(handler);
    }
    builder.route(files.create());

    // a browser opening the repository's URL gets a page on how to use it; everyone else the 404 below
    builder.route(new Route.Builder()
        .matcher(NixUsagePageHandler.MATCHER)
        .handler(timingHandler)
        .handler(securityHandler)
        .handler(exceptionHandler)
        .handler(usagePageHandler)
        .create());

    // unknown paths are 404s, but only to whoever may read the repository at all
    builder.route(new Route.Builder()
        .matcher(new AlwaysMatcher())
        .handler(timingHandler)
        .handler(securityHandler)
        .handler(HttpHandlers.notFound())
        .create());

    builder.defaultHandlers(HttpHandlers.notFound());
    facet.configure(builder.create());
    return facet;
  }

  /**
   * {@code channels/...} (Nix channels), ahead of the binary-cache routes; served by the {@link
   * org.sonatype.nexus.repository.nix.channels.NixChannelsFacet} each recipe attaches. Security comes first: read to
   * resolve and fetch, edit (PUT) to deploy, delete to delete.
   */
  private Route channelsRoute() {
    return fileRoute(new ChannelPathMatcher(), channelsHandler);
  }

  /**
   * {@code flake-registry.json} and {@code flakes/...} (private flakes), ahead of the binary-cache routes; served by
   * the {@link org.sonatype.nexus.repository.nix.flakes.NixFlakesFacet} each recipe attaches. Security comes first:
   * read to resolve and fetch, edit (PUT) to publish, delete to delete.
   */
  private Route flakesRoute() {
    return fileRoute(new FlakePathMatcher(), flakesHandler);
  }

  /** A route to files served by a feature's own handler, with the usual checks, conditions, ranges and headers. */
  private Route fileRoute(final Matcher matcher, final Handler handler) {
    return new Route.Builder()
        .matcher(matcher)
        .handler(timingHandler)
        .handler(securityHandler)
        .handler(exceptionHandler)
        .handler(errorHandler)
        .handler(handlerContributor)
        .handler(conditionalRequestHandler)
        .handler(rangeHeadersHandler)
        .handler(partialFetchHandler)
        .handler(contentHeadersHandler)
        .handler(lastDownloadedHandler)
        .handler(handler)
        .create();
  }
}
