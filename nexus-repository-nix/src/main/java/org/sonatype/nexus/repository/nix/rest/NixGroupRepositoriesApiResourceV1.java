package org.sonatype.nexus.repository.nix.rest;

import javax.inject.Named;
import javax.inject.Singleton;
import javax.ws.rs.Path;

import org.sonatype.nexus.repository.rest.api.RepositoriesApiResourceV1;

/**
 * {@code /service/rest/v1/repositories/nix/group}
 */
@Named
@Singleton
@Path(NixGroupRepositoriesApiResourceV1.RESOURCE_URI)
public class NixGroupRepositoriesApiResourceV1
    extends NixGroupRepositoriesApiResource
{
  static final String RESOURCE_URI = RepositoriesApiResourceV1.RESOURCE_URI + "/nix/group";
}
