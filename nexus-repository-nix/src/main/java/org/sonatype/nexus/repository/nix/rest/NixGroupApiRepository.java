package org.sonatype.nexus.repository.nix.rest;

import org.sonatype.nexus.repository.nix.NixFormat;
import org.sonatype.nexus.repository.rest.api.model.GroupAttributes;
import org.sonatype.nexus.repository.rest.api.model.SimpleApiGroupRepository;
import org.sonatype.nexus.repository.rest.api.model.StorageAttributes;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code GET /v1/repositories/nix/group/{name}}: Nexus's group representation plus the {@code nix} block.
 */
public class NixGroupApiRepository
    extends SimpleApiGroupRepository
{
  private final NixGroupAttributes nix;

  @JsonCreator
  public NixGroupApiRepository(
      @JsonProperty("name") final String name,
      @JsonProperty("url") final String url,
      @JsonProperty("online") final Boolean online,
      @JsonProperty("storage") final StorageAttributes storage,
      @JsonProperty("group") final GroupAttributes group,
      @JsonProperty("nix") final NixGroupAttributes nix)
  {
    super(name, NixFormat.NAME, url, online, storage, group);
    this.nix = nix;
  }

  public NixGroupAttributes getNix() {
    return nix;
  }
}
