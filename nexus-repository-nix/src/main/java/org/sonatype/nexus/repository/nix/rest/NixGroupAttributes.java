package org.sonatype.nexus.repository.nix.rest;

import javax.validation.constraints.Max;
import javax.validation.constraints.Min;
import javax.validation.constraints.Pattern;

import org.sonatype.nexus.common.collect.NestedAttributesMap;
import org.sonatype.nexus.repository.nix.content.NixSettingsFacet;
import org.sonatype.nexus.repository.nix.content.WhenUpstreamFails;
import org.sonatype.nexus.repository.nix.group.NixGroupFacet;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.annotations.ApiModelProperty;

/**
 * The {@code nix} block of a group repository's REST representation. Every field is optional on the way in.
 */
public class NixGroupAttributes
{
  @ApiModelProperty(value = "Nix store directory; every member must serve the same one", example = "/nix/store")
  @Pattern(regexp = "/([^/\\x00-\\x1f]+/)*[^/\\x00-\\x1f]+",
      message = "must be an absolute directory path without a trailing slash")
  private final String storeDir;

  @ApiModelProperty(value = "Priority advertised in nix-cache-info; lower is tried first", example = "30")
  @Min(0)
  @Max(10000)
  private final Integer priority;

  @ApiModelProperty(value = "nix-hosted member that pushes to the group (nix copy --to <group>) are stored in; "
      + "null: the group takes no pushes", example = "nix-hosted")
  private final String writableMember;

  @ApiModelProperty(value = "The group's own signing key: every narinfo it serves is signed with it, next to its "
      + "members' signatures")
  private final NixSigningAttributes signing;

  /** Not a creator parameter: added after the first release, absent means the default. */
  @ApiModelProperty(value = WhenUpstreamFails.DESCRIPTION, allowableValues = "error,notFound", example = "error")
  @Pattern(regexp = WhenUpstreamFails.VALUES, message = WhenUpstreamFails.INVALID)
  private String whenUpstreamFails = WhenUpstreamFails.ERROR.value();

  @JsonCreator
  public NixGroupAttributes(
      @JsonProperty("storeDir") final String storeDir,
      @JsonProperty("priority") final Integer priority,
      @JsonProperty("writableMember") final String writableMember,
      @JsonProperty("signing") final NixSigningAttributes signing)
  {
    this.storeDir = storeDir != null ? storeDir : NixSettingsFacet.DEFAULT_STORE_DIR;
    this.priority = priority != null ? priority : NixSettingsFacet.DEFAULT_PRIORITY;
    this.writableMember = writableMember == null || writableMember.isEmpty() ? null : writableMember;
    this.signing = signing;
  }

  public static NixGroupAttributes defaults() {
    return new NixGroupAttributes(null, null, null, null);
  }

  public static NixGroupAttributes from(final NestedAttributesMap nix) {
    NixGroupAttributes attributes = new NixGroupAttributes(
        nix.get(NixHostedAttributes.STORE_DIR, String.class),
        NixSettingsFacet.intValue(nix.get(NixHostedAttributes.PRIORITY)),
        nix.get(NixGroupFacet.WRITABLE_MEMBER, String.class),
        NixSigningAttributes.from(nix));
    attributes.setWhenUpstreamFails(nix.get(WhenUpstreamFails.KEY, String.class));
    return attributes;
  }

  /** {@code signing} is written by {@link NixSigningRequests}, which needs the group's current key. */
  public void applyTo(final NestedAttributesMap nix) {
    nix.set(NixHostedAttributes.STORE_DIR, storeDir);
    nix.set(NixHostedAttributes.PRIORITY, priority);
    if (writableMember != null) {
      nix.set(NixGroupFacet.WRITABLE_MEMBER, writableMember);
    }
    else {
      nix.remove(NixGroupFacet.WRITABLE_MEMBER);
    }
    nix.set(WhenUpstreamFails.KEY, whenUpstreamFails);
  }

  public String getStoreDir() {
    return storeDir;
  }

  public Integer getPriority() {
    return priority;
  }

  public String getWritableMember() {
    return writableMember;
  }

  public NixSigningAttributes getSigning() {
    return signing;
  }

  public String getWhenUpstreamFails() {
    return whenUpstreamFails;
  }

  @JsonProperty("whenUpstreamFails")
  public void setWhenUpstreamFails(final String whenUpstreamFails) {
    this.whenUpstreamFails = whenUpstreamFails != null ? whenUpstreamFails : WhenUpstreamFails.ERROR.value();
  }
}
