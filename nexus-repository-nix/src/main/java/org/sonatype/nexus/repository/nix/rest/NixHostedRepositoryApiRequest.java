package org.sonatype.nexus.repository.nix.rest;

import javax.validation.Valid;

import org.sonatype.nexus.repository.nix.NixFormat;
import org.sonatype.nexus.repository.rest.api.model.CleanupPolicyAttributes;
import org.sonatype.nexus.repository.rest.api.model.ComponentAttributes;
import org.sonatype.nexus.repository.rest.api.model.HostedRepositoryApiRequest;
import org.sonatype.nexus.repository.rest.api.model.HostedStorageAttributes;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Body of {@code POST|PUT /v1/repositories/nix/hosted}: Nexus's hosted body plus the {@code nix} block.
 */
@JsonIgnoreProperties({"format", "type"})
public class NixHostedRepositoryApiRequest
    extends HostedRepositoryApiRequest
{
  @Valid
  private final NixHostedAttributes nix;

  @JsonCreator
  public NixHostedRepositoryApiRequest(
      @JsonProperty("name") final String name,
      @JsonProperty("online") final Boolean online,
      @JsonProperty("storage") final HostedStorageAttributes storage,
      @JsonProperty("cleanup") final CleanupPolicyAttributes cleanup,
      @JsonProperty("component") final ComponentAttributes component,
      @JsonProperty("nix") final NixHostedAttributes nix)
  {
    super(name, NixFormat.NAME, online, storage, cleanup, component);
    this.nix = nix != null ? nix : NixHostedAttributes.defaults();
  }

  public NixHostedAttributes getNix() {
    return nix;
  }
}
