package org.sonatype.nexus.repository.nix.rest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.inject.Inject;
import javax.inject.Named;
import javax.inject.Singleton;
import javax.ws.rs.DELETE;
import javax.ws.rs.DefaultValue;
import javax.ws.rs.GET;
import javax.ws.rs.NotFoundException;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.Response.Status;

import org.sonatype.goodies.common.ComponentSupport;
import org.sonatype.nexus.common.collect.NestedAttributesMap;
import org.sonatype.nexus.repository.Repository;
import org.sonatype.nexus.repository.manager.RepositoryManager;
import org.sonatype.nexus.repository.nix.NixFormat;
import org.sonatype.nexus.repository.nix.content.NixContentFacet;
import org.sonatype.nexus.repository.nix.protocol.StorePath;
import org.sonatype.nexus.repository.nix.security.NixPinPermissions;
import org.sonatype.nexus.repository.nix.tasks.NixIntegrityTask;
import org.sonatype.nexus.repository.nix.tasks.NixIntegrityTaskDescriptor;
import org.sonatype.nexus.repository.security.RepositoryAdminPermission;
import org.sonatype.nexus.repository.security.RepositoryViewPermission;
import org.sonatype.nexus.repository.types.GroupType;
import org.sonatype.nexus.rest.Resource;
import org.sonatype.nexus.rest.WebApplicationMessageException;
import org.sonatype.nexus.scheduling.TaskConfiguration;
import org.sonatype.nexus.scheduling.TaskInfo;
import org.sonatype.nexus.scheduling.TaskScheduler;
import org.sonatype.nexus.security.SecurityHelper;

import io.swagger.annotations.Api;
import io.swagger.annotations.ApiOperation;
import io.swagger.annotations.ApiParam;
import org.apache.shiro.SecurityUtils;
import org.apache.shiro.authz.annotation.RequiresAuthentication;

import static com.google.common.base.Preconditions.checkNotNull;
import static org.sonatype.nexus.rest.APIConstants.V1_API_PREFIX;

/**
 * Closure safety for Nix repositories over REST: pinned roots (whose whole closure cleanup keeps) and on-demand
 * integrity checks.
 *
 * <pre>
 * GET    /v1/nix/{repository}/pins                  list the pins
 * POST   /v1/nix/{repository}/pins/{storeHash}      pin a store path (its closure survives cleanup); NixPinPermissions
 * DELETE /v1/nix/{repository}/pins/{storeHash}      unpin it
 * POST   /v1/nix/{repository}/integrity-check       run "Nix - Verify repository integrity" now
 * GET    /v1/nix/{repository}/integrity-check       the repository's last integrity report
 * </pre>
 */
@Named
@Singleton
@Path(NixRepositoryMaintenanceResource.RESOURCE_URI)
@Api(value = "Nix repositories")
@Produces(MediaType.APPLICATION_JSON)
public class NixRepositoryMaintenanceResource
    extends ComponentSupport
    implements Resource
{
  static final String RESOURCE_URI = V1_API_PREFIX + "/nix";

  private final RepositoryManager repositoryManager;

  private final SecurityHelper securityHelper;

  private final TaskScheduler taskScheduler;

  @Inject
  public NixRepositoryMaintenanceResource(
      final RepositoryManager repositoryManager,
      final SecurityHelper securityHelper,
      final TaskScheduler taskScheduler)
  {
    this.repositoryManager = checkNotNull(repositoryManager);
    this.securityHelper = checkNotNull(securityHelper);
    this.taskScheduler = checkNotNull(taskScheduler);
  }

  @GET
  @Path("/{repository}/pins")
  @RequiresAuthentication
  @ApiOperation("List the pinned store paths of a Nix repository")
  public List<Map<String, String>> pins(@PathParam("repository") final String repositoryName) {
    Repository repository = nixRepository(repositoryName);
    securityHelper.ensurePermitted(new RepositoryViewPermission(repository, "read"));
    NixContentFacet content = repository.facet(NixContentFacet.class);
    List<Map<String, String>> pins = new ArrayList<>();
    for (String hash : content.pins()) {
      Map<String, String> pin = new LinkedHashMap<>();
      pin.put("storeHash", hash);
      content.findNarInfo(hash).ifPresent(stored ->
          pin.put("storePath", stored.narInfo().storePath().toAbsolute(stored.narInfo().storeDir())));
      pins.add(pin);
    }
    return pins;
  }

  @POST
  @Path("/{repository}/pins/{storeHash}")
  @RequiresAuthentication
  @ApiOperation("Pin a store path: cleanup keeps its whole closure")
  public Response pin(
      @PathParam("repository") final String repositoryName,
      @ApiParam("the 32-character hash part of the store path") @PathParam("storeHash") final String storeHash)
  {
    Repository repository = nixRepository(repositoryName);
    ensurePinPermitted(repository, NixPinPermissions.PIN);
    boolean pinned;
    try {
      pinned = StorePath.isValidHashPart(storeHash) && repository.facet(NixContentFacet.class).pin(storeHash);
    }
    catch (IllegalStateException e) {
      throw new WebApplicationMessageException(Status.CONFLICT, e.getMessage());
    }
    if (!pinned) {
      throw new NotFoundException("store path " + storeHash + " is not in " + repositoryName);
    }
    return Response.noContent().build();
  }

  @DELETE
  @Path("/{repository}/pins/{storeHash}")
  @RequiresAuthentication
  @ApiOperation("Unpin a store path")
  public Response unpin(
      @PathParam("repository") final String repositoryName,
      @PathParam("storeHash") final String storeHash)
  {
    Repository repository = nixRepository(repositoryName);
    ensurePinPermitted(repository, NixPinPermissions.UNPIN);
    if (!repository.facet(NixContentFacet.class).unpin(storeHash)) {
      throw new NotFoundException("store path " + storeHash + " is not pinned in " + repositoryName);
    }
    return Response.noContent().build();
  }

  @POST
  @Path("/{repository}/integrity-check")
  @RequiresAuthentication
  @ApiOperation("Run the Nix integrity check task on the repository now; answers the task id")
  public Response checkIntegrity(
      @PathParam("repository") final String repositoryName,
      @QueryParam("verifyNarHashes") @DefaultValue("false") final boolean verifyNarHashes,
      @QueryParam("repair") @DefaultValue("false") final boolean repair)
  {
    Repository repository = nixRepository(repositoryName);
    securityHelper.ensurePermitted(new RepositoryAdminPermission(NixFormat.NAME, repositoryName, List.of("edit")));
    TaskConfiguration configuration =
        taskScheduler.createTaskConfigurationInstance(NixIntegrityTaskDescriptor.TYPE_ID);
    configuration.setName("Nix - Verify repository integrity of " + repository.getName());
    configuration.setString(NixIntegrityTaskDescriptor.REPOSITORY_NAME_FIELD_ID, repository.getName());
    configuration.setBoolean(NixIntegrityTaskDescriptor.VERIFY_NAR_HASHES_FIELD_ID, verifyNarHashes);
    configuration.setBoolean(NixIntegrityTaskDescriptor.REPAIR_FIELD_ID, repair);
    TaskInfo task = taskScheduler.submit(configuration);
    return Response.accepted(Map.of("taskId", task.getId())).build();
  }

  @GET
  @Path("/{repository}/integrity-check")
  @RequiresAuthentication
  @ApiOperation("The repository's last integrity report")
  public Map<String, Object> lastIntegrityReport(@PathParam("repository") final String repositoryName) {
    Repository repository = nixRepository(repositoryName);
    securityHelper.ensurePermitted(new RepositoryAdminPermission(NixFormat.NAME, repositoryName, List.of("read")));
    NestedAttributesMap attributes = repository.facet(NixContentFacet.class).attributes();
    if (!attributes.contains(NixIntegrityTask.LAST_REPORT)) {
      throw new NotFoundException("no integrity check has run on " + repositoryName);
    }
    return attributes.child(NixIntegrityTask.LAST_REPORT).backing();
  }

  /** See {@link NixPinPermissions}: pushing is not enough. */
  private void ensurePinPermitted(final Repository repository, final String action) {
    securityHelper.ensureAnyPermitted(SecurityUtils.getSubject(),
        NixPinPermissions.anyOf(repository.getName(), action));
  }

  private Repository nixRepository(final String name) {
    Repository repository = repositoryManager.get(name);
    if (repository == null || !NixFormat.NAME.equals(repository.getFormat().getValue())
        || GroupType.NAME.equals(repository.getType().getValue())) {
      throw new NotFoundException("no Nix hosted or proxy repository named " + name);
    }
    return repository;
  }
}
