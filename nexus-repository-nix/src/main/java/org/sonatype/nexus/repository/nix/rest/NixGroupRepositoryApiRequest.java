package org.sonatype.nexus.repository.nix.rest;

import javax.validation.Valid;

import org.sonatype.nexus.repository.nix.NixFormat;
import org.sonatype.nexus.repository.rest.api.model.GroupAttributes;
import org.sonatype.nexus.repository.rest.api.model.GroupRepositoryApiRequest;
import org.sonatype.nexus.repository.rest.api.model.StorageAttributes;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Body of {@code POST|PUT /v1/repositories/nix/group}: Nexus's group body plus the {@code nix} block.
 */
@JsonIgnoreProperties({"format", "type"})
public class NixGroupRepositoryApiRequest
    extends GroupRepositoryApiRequest
{
  @Valid
  private final NixGroupAttributes nix;

  @JsonCreator
  public NixGroupRepositoryApiRequest(
      @JsonProperty("name") final String name,
      @JsonProperty("online") final Boolean online,
      @JsonProperty("storage") final StorageAttributes storage,
      @JsonProperty("group") final GroupAttributes group,
      @JsonProperty("nix") final NixGroupAttributes nix)
  {
    super(name, NixFormat.NAME, online, storage, group);
    this.nix = nix != null ? nix : NixGroupAttributes.defaults();
  }

  public NixGroupAttributes getNix() {
    return nix;
  }
}
