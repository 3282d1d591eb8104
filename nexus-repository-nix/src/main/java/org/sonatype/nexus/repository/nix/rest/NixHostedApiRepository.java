package org.sonatype.nexus.repository.nix.rest;

import org.sonatype.nexus.repository.nix.NixFormat;
import org.sonatype.nexus.repository.rest.api.model.CleanupPolicyAttributes;
import org.sonatype.nexus.repository.rest.api.model.ComponentAttributes;
import org.sonatype.nexus.repository.rest.api.model.HostedStorageAttributes;
import org.sonatype.nexus.repository.rest.api.model.SimpleApiHostedRepository;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code GET /v1/repositories/nix/hosted/{name}}: Nexus's hosted representation plus the {@code nix} block.
 */
public class NixHostedApiRepository
    extends SimpleApiHostedRepository
{
  private final NixHostedAttributes nix;

  @JsonCreator
  public NixHostedApiRepository(
      @JsonProperty("name") final String name,
      @JsonProperty("url") final String url,
      @JsonProperty("online") final Boolean online,
      @JsonProperty("storage") final HostedStorageAttributes storage,
      @JsonProperty("cleanup") final CleanupPolicyAttributes cleanup,
      @JsonProperty("component") final ComponentAttributes component,
      @JsonProperty("nix") final NixHostedAttributes nix)
  {
    super(name, NixFormat.NAME, url, online, storage, cleanup, component);
    this.nix = nix;
  }

  public NixHostedAttributes getNix() {
    return nix;
  }
}
