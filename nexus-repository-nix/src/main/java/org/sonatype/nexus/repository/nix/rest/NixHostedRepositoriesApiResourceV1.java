package org.sonatype.nexus.repository.nix.rest;

import javax.inject.Named;
import javax.inject.Singleton;
import javax.ws.rs.Path;

import org.sonatype.nexus.repository.rest.api.RepositoriesApiResourceV1;

/**
 * {@code /service/rest/v1/repositories/nix/hosted}
 */
@Named
@Singleton
@Path(NixHostedRepositoriesApiResourceV1.RESOURCE_URI)
public class NixHostedRepositoriesApiResourceV1
    extends NixHostedRepositoriesApiResource
{
  static final String RESOURCE_URI = RepositoriesApiResourceV1.RESOURCE_URI + "/nix/hosted";
}
