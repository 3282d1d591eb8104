package org.sonatype.nexus.repository.nix.rest;

import java.util.ArrayList;
import java.util.List;

import javax.validation.constraints.Max;
import javax.validation.constraints.Min;
import javax.validation.constraints.Pattern;

import org.sonatype.nexus.common.collect.NestedAttributesMap;
import org.sonatype.nexus.repository.nix.channels.NixChannelsProxyFacet;
import org.sonatype.nexus.repository.nix.content.NixSettingsFacet;
import org.sonatype.nexus.repository.nix.content.WhenUpstreamFails;
import org.sonatype.nexus.repository.nix.flakes.NixFlakesProxyFacet;
import org.sonatype.nexus.repository.nix.proxy.NixProxyFacet;
import org.sonatype.nexus.repository.nix.proxy.UpstreamOrigins;
import org.sonatype.nexus.rest.ValidationErrorsException;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.annotations.ApiModelProperty;

/**
 * The {@code nix} block of a proxy repository's REST representation. Every field is optional on the way in.
 */
public class NixProxyAttributes
{
  /** A proxy defaults to cache.nixos.org's own priority, behind hosted and group repositories. */
  public static final int DEFAULT_PRIORITY = 40;

  /** What a new proxy trusts unless told otherwise: cache.nixos.org's key, as Nix's own default. */
  public static final String CACHE_NIXOS_ORG_KEY = "cache.nixos.org-1:6NCHdD59X431o0gWypbMrAURkbJ16ZPMQFGspcDShjY=";

  @ApiModelProperty(value = "Nix store directory of the upstream cache and its clients", example = "/nix/store")
  @Pattern(regexp = "/([^/\\x00-\\x1f]+/)*[^/\\x00-\\x1f]+",
      message = "must be an absolute directory path without a trailing slash")
  private final String storeDir;

  @ApiModelProperty(value = "Priority advertised in nix-cache-info; lower is tried first", example = "40")
  @Min(0)
  @Max(10000)
  private final Integer priority;

  @ApiModelProperty(value = "Public keys (name:base64) upstream narinfos may be signed by; default: cache.nixos.org's",
      example = "[\"" + CACHE_NIXOS_ORG_KEY + "\"]")
  private final List<String> trustedUpstreamKeys;

  @ApiModelProperty(value = "Refuse (404) upstream narinfos without a valid signature by a trusted upstream key, "
      + "content-addressed paths excepted; default: true when there are trusted upstream keys", example = "true")
  private final Boolean requireUpstreamSignature;

  /**
   * Not a creator parameter: Jackson cannot tell a missing creator property from an explicit null, and here they
   * mean different things (missing: channels.nixos.org; null or "": no channel proxying).
   */
  @ApiModelProperty(value = "Upstream of Nix channels (redirects to immutable releases, like channels.nixos.org); "
      + "null or empty turns channel proxying off", example = NixChannelsProxyFacet.DEFAULT_CHANNELS_URL)
  @Pattern(regexp = "https?://\\S+", message = "must be an http(s) URL, or null to turn channel proxying off")
  private String channelsUrl = NixChannelsProxyFacet.DEFAULT_CHANNELS_URL;

  /** Not a creator parameter, like every field added after the first release: absent means "no minimum". */
  @ApiModelProperty(value = "Cleanup keeps at least the newest this many snapshots of each channel, whatever the "
      + "cleanup policy selects; absent or null: no minimum", example = "5")
  @Min(0)
  private Integer channelSnapshotsToKeep;

  /** Not a creator parameter, for the same reason as {@link #channelsUrl}. */
  @ApiModelProperty(value = "Upstream flake registry (version 2 JSON) the proxy serves as its flake-registry.json, "
      + "merged after private flakes in groups; null or empty turns it off",
      example = NixFlakesProxyFacet.DEFAULT_FLAKE_REGISTRY_URL)
  @Pattern(regexp = "https?://\\S+", message = "must be an http(s) URL, or null to turn the flake registry off")
  private String flakeRegistryUrl = NixFlakesProxyFacet.DEFAULT_FLAKE_REGISTRY_URL;

  /** Not a creator parameter, like {@link #channelSnapshotsToKeep}: absent means the default list. */
  @ApiModelProperty(value = "Origins (scheme://host[:port]) besides the remote's, the channels upstream's and the "
      + "flake registry's that the proxy may fetch from when an upstream points or redirects there (a narinfo's "
      + "URL, a redirect of a NAR or channel); never sent the remote's credentials. Default: "
      + "[\"https://releases.nixos.org\"], where channels.nixos.org redirects channels to",
      example = "[\"https://releases.nixos.org\"]")
  private List<String> allowedUpstreamOrigins = new ArrayList<>(UpstreamOrigins.DEFAULT_ALLOWED_UPSTREAM_ORIGINS);

  /** Not a creator parameter: added after the first release, absent means the default. */
  @ApiModelProperty(value = WhenUpstreamFails.DESCRIPTION, allowableValues = "error,notFound", example = "error")
  @Pattern(regexp = WhenUpstreamFails.VALUES, message = WhenUpstreamFails.INVALID)
  private String whenUpstreamFails = WhenUpstreamFails.ERROR.value();

  @JsonCreator
  public NixProxyAttributes(
      @JsonProperty("storeDir") final String storeDir,
      @JsonProperty("priority") final Integer priority,
      @JsonProperty("trustedUpstreamKeys") final List<String> trustedUpstreamKeys,
      @JsonProperty("requireUpstreamSignature") final Boolean requireUpstreamSignature)
  {
    this.storeDir = storeDir != null ? storeDir : NixSettingsFacet.DEFAULT_STORE_DIR;
    this.priority = priority != null ? priority : DEFAULT_PRIORITY;
    this.trustedUpstreamKeys = trustedUpstreamKeys != null
        ? new ArrayList<>(trustedUpstreamKeys)
        : new ArrayList<>(List.of(CACHE_NIXOS_ORG_KEY));
    this.requireUpstreamSignature = requireUpstreamSignature != null
        ? requireUpstreamSignature
        : !this.trustedUpstreamKeys.isEmpty();
  }

  public static NixProxyAttributes defaults() {
    return new NixProxyAttributes(null, null, null, null);
  }

  /**
   * A proxy configured before upstream keys existed has none (and requires no signature), not the default key.
   */
  public static NixProxyAttributes from(final NestedAttributesMap nix) {
    NixProxyAttributes attributes = new NixProxyAttributes(
        nix.get(NixHostedAttributes.STORE_DIR, String.class),
        NixSettingsFacet.intValue(nix.get(NixHostedAttributes.PRIORITY)),
        NixHostedAttributes.stringList(nix.get(NixProxyFacet.TRUSTED_UPSTREAM_KEYS)),
        nix.get(NixProxyFacet.REQUIRE_UPSTREAM_SIGNATURE, Boolean.class));
    if (nix.contains(NixChannelsProxyFacet.CHANNELS_URL)) {
      attributes.setChannelsUrl(nix.get(NixChannelsProxyFacet.CHANNELS_URL, String.class));
    }
    attributes.setChannelSnapshotsToKeep(
        NixSettingsFacet.intValue(nix.get(NixHostedAttributes.CHANNEL_SNAPSHOTS_TO_KEEP)));
    if (nix.contains(NixFlakesProxyFacet.FLAKE_REGISTRY_URL)) {
      attributes.setFlakeRegistryUrl(nix.get(NixFlakesProxyFacet.FLAKE_REGISTRY_URL, String.class));
    }
    if (nix.contains(UpstreamOrigins.ALLOWED_UPSTREAM_ORIGINS)) {
      attributes.setAllowedUpstreamOrigins(
          NixHostedAttributes.stringList(nix.get(UpstreamOrigins.ALLOWED_UPSTREAM_ORIGINS)));
    }
    attributes.setWhenUpstreamFails(nix.get(WhenUpstreamFails.KEY, String.class));
    return attributes;
  }

  public void applyTo(final NestedAttributesMap nix) {
    nix.set(NixHostedAttributes.STORE_DIR, storeDir);
    nix.set(NixHostedAttributes.PRIORITY, priority);
    nix.set(NixProxyFacet.TRUSTED_UPSTREAM_KEYS,
        new ArrayList<>(PublicKeyLists.checked(trustedUpstreamKeys, "nix." + NixProxyFacet.TRUSTED_UPSTREAM_KEYS)));
    nix.set(NixProxyFacet.REQUIRE_UPSTREAM_SIGNATURE, requireUpstreamSignature);
    // "" rather than null: a null would remove the key, and a missing key means the default upstream
    nix.set(NixChannelsProxyFacet.CHANNELS_URL, channelsUrl != null ? channelsUrl : "");
    if (channelSnapshotsToKeep != null) {
      nix.set(NixHostedAttributes.CHANNEL_SNAPSHOTS_TO_KEEP, channelSnapshotsToKeep);
    }
    else {
      nix.remove(NixHostedAttributes.CHANNEL_SNAPSHOTS_TO_KEEP);
    }
    nix.set(NixFlakesProxyFacet.FLAKE_REGISTRY_URL, flakeRegistryUrl != null ? flakeRegistryUrl : "");
    String field = "nix." + UpstreamOrigins.ALLOWED_UPSTREAM_ORIGINS;
    try {
      UpstreamOrigins.parseAllowed(allowedUpstreamOrigins);
    }
    catch (IllegalArgumentException e) {
      throw new ValidationErrorsException(field, e.getMessage());
    }
    nix.set(UpstreamOrigins.ALLOWED_UPSTREAM_ORIGINS, new ArrayList<>(allowedUpstreamOrigins));
    nix.set(WhenUpstreamFails.KEY, whenUpstreamFails);
  }

  public String getStoreDir() {
    return storeDir;
  }

  public Integer getPriority() {
    return priority;
  }

  public List<String> getTrustedUpstreamKeys() {
    return trustedUpstreamKeys;
  }

  public Boolean getRequireUpstreamSignature() {
    return requireUpstreamSignature;
  }

  public String getChannelsUrl() {
    return channelsUrl;
  }

  @JsonProperty("channelsUrl")
  public void setChannelsUrl(final String channelsUrl) {
    this.channelsUrl = channelsUrl == null || channelsUrl.trim().isEmpty() ? null : channelsUrl.trim();
  }

  public Integer getChannelSnapshotsToKeep() {
    return channelSnapshotsToKeep;
  }

  @JsonProperty("channelSnapshotsToKeep")
  public void setChannelSnapshotsToKeep(final Integer channelSnapshotsToKeep) {
    this.channelSnapshotsToKeep = channelSnapshotsToKeep;
  }

  public String getFlakeRegistryUrl() {
    return flakeRegistryUrl;
  }

  public List<String> getAllowedUpstreamOrigins() {
    return allowedUpstreamOrigins;
  }

  /** null: none besides the configured URLs' own. */
  @JsonProperty("allowedUpstreamOrigins")
  public void setAllowedUpstreamOrigins(final List<String> allowedUpstreamOrigins) {
    this.allowedUpstreamOrigins = new ArrayList<>();
    if (allowedUpstreamOrigins != null) {
      allowedUpstreamOrigins.forEach(origin -> this.allowedUpstreamOrigins.add(origin == null ? null : origin.trim()));
    }
  }

  @JsonProperty("flakeRegistryUrl")
  public void setFlakeRegistryUrl(final String flakeRegistryUrl) {
    this.flakeRegistryUrl = flakeRegistryUrl == null || flakeRegistryUrl.trim().isEmpty()
        ? null
        : flakeRegistryUrl.trim();
  }

  public String getWhenUpstreamFails() {
    return whenUpstreamFails;
  }

  @JsonProperty("whenUpstreamFails")
  public void setWhenUpstreamFails(final String whenUpstreamFails) {
    this.whenUpstreamFails = whenUpstreamFails != null ? whenUpstreamFails : WhenUpstreamFails.ERROR.value();
  }
}
