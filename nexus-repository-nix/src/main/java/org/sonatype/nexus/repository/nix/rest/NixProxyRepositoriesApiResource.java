package org.sonatype.nexus.repository.nix.rest;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.ws.rs.BeanParam;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.Response.Status;

import org.sonatype.nexus.repository.nix.signing.UpstreamKeyMismatch;
import org.sonatype.nexus.repository.rest.api.AbstractProxyRepositoriesApiResource;
import org.sonatype.nexus.repository.rest.api.FormatAndType;
import org.sonatype.nexus.repository.rest.api.model.AbstractApiRepository;
import org.sonatype.nexus.validation.Validate;

import io.swagger.annotations.Api;
import io.swagger.annotations.ApiOperation;
import io.swagger.annotations.ApiParam;
import io.swagger.annotations.ApiResponse;
import io.swagger.annotations.ApiResponses;
import org.apache.shiro.authz.annotation.RequiresAuthentication;

import static org.sonatype.nexus.rest.ApiDocConstants.API_REPOSITORY_MANAGEMENT;
import static org.sonatype.nexus.rest.ApiDocConstants.AUTHENTICATION_REQUIRED;
import static org.sonatype.nexus.rest.ApiDocConstants.BAD_REQUEST;
import static org.sonatype.nexus.rest.ApiDocConstants.INSUFFICIENT_PERMISSIONS;
import static org.sonatype.nexus.rest.ApiDocConstants.REPOSITORY_CREATED;
import static org.sonatype.nexus.rest.ApiDocConstants.REPOSITORY_UPDATED;

/**
 * Create and update {@code nix-proxy} repositories.
 */
@Api(value = API_REPOSITORY_MANAGEMENT)
public abstract class NixProxyRepositoriesApiResource
    extends AbstractProxyRepositoriesApiResource<NixProxyRepositoryApiRequest>
{
  @ApiOperation(value = "Create Nix proxy repository", notes = "A proxy whose upstream is not cache.nixos.org but "
      + "that trusts only cache.nixos.org's key is created, and the answer's body says why it will likely refuse "
      + "every narinfo: {\"warnings\": [\"...\"]}")
  @ApiResponses(value = {
      @ApiResponse(code = 201, message = REPOSITORY_CREATED),
      @ApiResponse(code = 400, message = BAD_REQUEST),
      @ApiResponse(code = 401, message = AUTHENTICATION_REQUIRED),
      @ApiResponse(code = 403, message = INSUFFICIENT_PERMISSIONS)
  })
  @POST
  @RequiresAuthentication
  @Validate
  @Override
  public Response createRepository(final NixProxyRepositoryApiRequest request) {
    Response created = super.createRepository(request);
    Optional<String> warning = UpstreamKeyMismatch.warning(
        request.getProxy() != null ? request.getProxy().getRemoteUrl() : null,
        request.getNix().getTrustedUpstreamKeys(),
        Boolean.TRUE.equals(request.getNix().getRequireUpstreamSignature()));
    if (created.getStatus() != Status.CREATED.getStatusCode() || warning.isEmpty()) {
      return created;
    }
    return Response.status(Status.CREATED)
        .type(MediaType.APPLICATION_JSON)
        .entity(Map.of("warnings", List.of(warning.get())))
        .build();
  }

  @ApiOperation("Update Nix proxy repository")
  @ApiResponses(value = {
      @ApiResponse(code = 204, message = REPOSITORY_UPDATED),
      @ApiResponse(code = 400, message = BAD_REQUEST),
      @ApiResponse(code = 401, message = AUTHENTICATION_REQUIRED),
      @ApiResponse(code = 403, message = INSUFFICIENT_PERMISSIONS)
  })
  @PUT
  @Path("/{repositoryName}")
  @RequiresAuthentication
  @Validate
  @Override
  public Response updateRepository(
      final NixProxyRepositoryApiRequest request,
      @ApiParam(value = "Name of the repository to update") @PathParam("repositoryName") final String repositoryName)
  {
    return super.updateRepository(request, repositoryName);
  }

  /** Declared again only to document the {@code nix} block of the answer. */
  @GET
  @Path("/{repositoryName}")
  @RequiresAuthentication
  @Validate
  @ApiOperation(value = "Get repository", response = NixProxyApiRepository.class)
  @Override
  public AbstractApiRepository getRepository(
      @ApiParam(hidden = true) @BeanParam final FormatAndType formatAndType,
      @PathParam("repositoryName") final String repositoryName)
  {
    return super.getRepository(formatAndType, repositoryName);
  }
}
