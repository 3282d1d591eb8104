package org.sonatype.nexus.repository.nix.rest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import javax.annotation.Nullable;
import javax.inject.Inject;
import javax.inject.Named;
import javax.inject.Singleton;
import javax.ws.rs.DefaultValue;
import javax.ws.rs.GET;
import javax.ws.rs.NotFoundException;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

import org.sonatype.goodies.common.ComponentSupport;
import org.sonatype.nexus.common.app.BaseUrlHolder;
import org.sonatype.nexus.repository.Repository;
import org.sonatype.nexus.repository.manager.RepositoryManager;
import org.sonatype.nexus.repository.nix.NixFormat;
import org.sonatype.nexus.repository.nix.proxy.NixProxyFacet;
import org.sonatype.nexus.repository.nix.signing.UpstreamKeyMismatch;
import org.sonatype.nexus.repository.nix.usage.ClientSetup;
import org.sonatype.nexus.repository.nix.usage.ClientSetups;
import org.sonatype.nexus.repository.nix.usage.Snippet;
import org.sonatype.nexus.repository.nix.usage.UsagePage;
import org.sonatype.nexus.repository.security.RepositoryViewPermission;
import org.sonatype.nexus.rest.Resource;
import org.sonatype.nexus.rest.ValidationErrorsException;
import org.sonatype.nexus.security.BreadActions;
import org.sonatype.nexus.security.SecurityHelper;

import io.swagger.annotations.Api;
import io.swagger.annotations.ApiOperation;
import io.swagger.annotations.ApiParam;
import org.apache.shiro.authz.annotation.RequiresAuthentication;

import static com.google.common.base.Preconditions.checkNotNull;
import static org.sonatype.nexus.rest.APIConstants.V1_API_PREFIX;

/**
 * How Nix clients use a repository, over REST: what the UI's usage panel and {@code src/run.sh} show.
 *
 * <pre>
 * GET /v1/nix/{repository}/usage                  the client setup (JSON; the snippets as text with Accept: text/plain)
 * GET /v1/nix/{repository}/upstream-refusals      a proxy's refused upstream narinfos: count and the last one
 * GET /v1/nix/upstream-trust-check                the warning for a proxy's upstream settings, before saving them
 * </pre>
 */
@Named
@Singleton
@Path(NixUsageResource.RESOURCE_URI)
@Api(value = "Nix repositories")
public class NixUsageResource
    extends ComponentSupport
    implements Resource
{
  static final String RESOURCE_URI = V1_API_PREFIX + "/nix";

  /** An absolute path for nix.conf's netrc-file: nothing that would end its line or the value. */
  private static final String NETRC_FILE = "/[^\\s\\x00-\\x1f\\x7f]{0,4095}";

  private final RepositoryManager repositoryManager;

  private final SecurityHelper securityHelper;

  private final ClientSetups clientSetups;

  @Inject
  public NixUsageResource(
      final RepositoryManager repositoryManager,
      final SecurityHelper securityHelper,
      final ClientSetups clientSetups)
  {
    this.repositoryManager = checkNotNull(repositoryManager);
    this.securityHelper = checkNotNull(securityHelper);
    this.clientSetups = checkNotNull(clientSetups);
  }

  @GET
  @Path("/{repository}/usage")
  @Produces({MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN})
  @ApiOperation(value = "How Nix clients use the repository: nix.conf, netrc, push, channel and flake registry "
      + "snippets", notes = "JSON; with Accept: text/plain the snippets as text, each under a '# <title>' line")
  public Response usage(
      @PathParam("repository") final String repositoryName,
      @ApiParam("netrc-file of the nix.conf snippet; default /etc/nix/netrc") @QueryParam("netrcFile")
      final String netrcFile,
      @ApiParam("ids of the snippets to show, in order (nixConf, netrc, push, channel, flakeRegistry); default all")
      @QueryParam("snippet") final List<String> snippetIds,
      @Context final HttpHeaders headers)
  {
    ClientSetup setup = setup(repositoryName, netrcFile);
    List<Snippet> snippets = snippetIds == null || snippetIds.isEmpty()
        ? setup.getSnippets()
        : setup.getSnippets(snippetIds);
    if (prefersText(headers.getAcceptableMediaTypes())) {
      return Response.ok(UsagePage.text(snippets), MediaType.TEXT_PLAIN_TYPE.withCharset("utf-8")).build();
    }
    Map<String, Object> usage = new LinkedHashMap<>();
    usage.put("repository", setup.getRepository());
    usage.put("type", setup.getType());
    usage.put("substituter", setup.getSubstituter());
    usage.put("substituterUrl", setup.getSubstituterUrl());
    usage.put("pushTo", setup.getPushTo());
    usage.put("pushUrl", setup.getPushUrl());
    usage.put("trustedPublicKeys", setup.getTrustedPublicKeys());
    usage.put("snippets", snippets.stream().map(NixUsageResource::toMap).collect(Collectors.toList()));
    usage.put("notes", setup.getNotes());
    usage.put("warnings", setup.getWarnings());
    return Response.ok(usage, MediaType.APPLICATION_JSON_TYPE).build();
  }

  /** Text only for a client that names it before JSON: JSON is the answer to everyone else (curl sends *&#47;*). */
  private static boolean prefersText(final List<MediaType> acceptable) {
    for (MediaType type : acceptable) {
      if (type.isCompatible(MediaType.APPLICATION_JSON_TYPE) && !type.isWildcardType()) {
        return false;
      }
      if (type.isCompatible(MediaType.TEXT_PLAIN_TYPE) && !type.isWildcardType() && !type.isWildcardSubtype()) {
        return true;
      }
    }
    return false;
  }

  @GET
  @Path("/{repository}/upstream-refusals")
  @Produces(MediaType.APPLICATION_JSON)
  @ApiOperation("A proxy's upstream narinfos refused for want of a trusted signature, since it started on this node")
  public Map<String, Object> upstreamRefusals(@PathParam("repository") final String repositoryName) {
    Repository repository = readableNixRepository(repositoryName);
    NixProxyFacet proxy = repository.optionalFacet(NixProxyFacet.class)
        .orElseThrow(() -> new NotFoundException(repositoryName + " is not a Nix proxy"));
    return proxy.upstreamRefusals().toMap();
  }

  @GET
  @Path("/upstream-trust-check")
  @Produces(MediaType.APPLICATION_JSON)
  @RequiresAuthentication
  @ApiOperation("The warning for a proxy's upstream settings (an upstream other than cache.nixos.org trusted only "
      + "with cache.nixos.org's key), as the repository form shows it; empty if none")
  public Map<String, String> upstreamTrustCheck(
      @QueryParam("remoteUrl") final String remoteUrl,
      @QueryParam("trustedUpstreamKeys") final List<String> trustedUpstreamKeys,
      @QueryParam("requireUpstreamSignature") @DefaultValue("true") final boolean requireUpstreamSignature)
  {
    return UpstreamKeyMismatch.warning(remoteUrl, trustedUpstreamKeys, requireUpstreamSignature)
        .map(warning -> Map.of("warning", warning))
        .orElse(Map.of());
  }

  private ClientSetup setup(final String repositoryName, @Nullable final String netrcFile) {
    if (netrcFile != null && !netrcFile.matches(NETRC_FILE)) {
      throw new ValidationErrorsException("netrcFile", "must be an absolute path without spaces or control characters");
    }
    Repository repository = readableNixRepository(repositoryName);
    return clientSetups.forRepository(repository, BaseUrlHolder.get(), netrcFile);
  }

  private Repository readableNixRepository(final String name) {
    Repository repository = repositoryManager.get(name);
    if (repository == null || !NixFormat.NAME.equals(repository.getFormat().getValue())) {
      throw new NotFoundException("no Nix repository named " + name);
    }
    securityHelper.ensurePermitted(new RepositoryViewPermission(repository, BreadActions.READ));
    return repository;
  }

  private static Map<String, String> toMap(final Snippet snippet) {
    Map<String, String> map = new LinkedHashMap<>();
    map.put("id", snippet.getId());
    map.put("title", snippet.getTitle());
    map.put("description", snippet.getDescription());
    map.put("text", snippet.getText());
    return map;
  }
}
