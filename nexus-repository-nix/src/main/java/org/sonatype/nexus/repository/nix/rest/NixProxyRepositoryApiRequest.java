package org.sonatype.nexus.repository.nix.rest;

import javax.validation.Valid;

import org.sonatype.nexus.repository.nix.NixFormat;
import org.sonatype.nexus.repository.rest.api.model.CleanupPolicyAttributes;
import org.sonatype.nexus.repository.rest.api.model.HttpClientAttributes;
import org.sonatype.nexus.repository.rest.api.model.NegativeCacheAttributes;
import org.sonatype.nexus.repository.rest.api.model.ProxyAttributes;
import org.sonatype.nexus.repository.rest.api.model.ProxyRepositoryApiRequest;
import org.sonatype.nexus.repository.rest.api.model.ReplicationAttributes;
import org.sonatype.nexus.repository.rest.api.model.StorageAttributes;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Body of {@code POST|PUT /v1/repositories/nix/proxy}: Nexus's proxy body plus the {@code nix} block.
 */
@JsonIgnoreProperties({"format", "type"})
public class NixProxyRepositoryApiRequest
    extends ProxyRepositoryApiRequest
{
  @Valid
  private final NixProxyAttributes nix;

  @JsonCreator
  public NixProxyRepositoryApiRequest(
      @JsonProperty("name") final String name,
      @JsonProperty("online") final Boolean online,
      @JsonProperty("storage") final StorageAttributes storage,
      @JsonProperty("cleanup") final CleanupPolicyAttributes cleanup,
      @JsonProperty("proxy") final ProxyAttributes proxy,
      @JsonProperty("negativeCache") final NegativeCacheAttributes negativeCache,
      @JsonProperty("httpClient") final HttpClientAttributes httpClient,
      @JsonProperty("routingRule") final String routingRule,
      @JsonProperty("replication") final ReplicationAttributes replication,
      @JsonProperty("nix") final NixProxyAttributes nix)
  {
    super(name, NixFormat.NAME, online, storage, cleanup, proxy, negativeCache, httpClient, routingRule, replication);
    this.nix = nix != null ? nix : NixProxyAttributes.defaults();
  }

  public NixProxyAttributes getNix() {
    return nix;
  }
}
