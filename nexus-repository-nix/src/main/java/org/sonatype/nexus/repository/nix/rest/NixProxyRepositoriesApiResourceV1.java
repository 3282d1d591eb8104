package org.sonatype.nexus.repository.nix.rest;

import javax.inject.Named;
import javax.inject.Singleton;
import javax.ws.rs.Path;

import org.sonatype.nexus.repository.rest.api.RepositoriesApiResourceV1;

/**
 * {@code /service/rest/v1/repositories/nix/proxy}
 */
@Named
@Singleton
@Path(NixProxyRepositoriesApiResourceV1.RESOURCE_URI)
public class NixProxyRepositoriesApiResourceV1
    extends NixProxyRepositoriesApiResource
{
  static final String RESOURCE_URI = RepositoriesApiResourceV1.RESOURCE_URI + "/nix/proxy";
}
