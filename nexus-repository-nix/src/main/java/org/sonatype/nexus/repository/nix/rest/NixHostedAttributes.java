package org.sonatype.nexus.repository.nix.rest;

import javax.validation.constraints.Max;
import javax.validation.constraints.Min;
import javax.validation.constraints.Pattern;

import org.sonatype.nexus.common.collect.NestedAttributesMap;
import org.sonatype.nexus.repository.nix.content.NixSettingsFacet;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.annotations.ApiModelProperty;

/**
 * The {@code nix} block of a hosted repository's REST representation. Every field is optional on the way in.
 */
public class NixHostedAttributes
{
  static final String STORE_DIR = "storeDir";

  static final String PRIORITY = "priority";

  static final String VERIFY_NAR_HASH = "verifyNarHash";

  static final String REQUIRE_COMPLETE_CLOSURE = "requireCompleteClosure";

  @ApiModelProperty(value = "Nix store directory of the clients this cache serves", example = "/nix/store")
  @Pattern(regexp = "/([^/\\x00-\\x1f]+/)*[^/\\x00-\\x1f]+",
      message = "must be an absolute directory path without a trailing slash")
  private final String storeDir;

  @ApiModelProperty(value = "Priority advertised in nix-cache-info; lower is tried first (cache.nixos.org is 40)",
      example = "30")
  @Min(0)
  @Max(10000)
  private final Integer priority;

  @ApiModelProperty(value = "Decompress uploaded NARs and check NarHash/NarSize before a narinfo becomes visible",
      example = "true")
  private final Boolean verifyNarHash;

  @ApiModelProperty(value = "Refuse narinfos whose references are not all in the repository", example = "true")
  private final Boolean requireCompleteClosure;

  @JsonCreator
  public NixHostedAttributes(
      @JsonProperty("storeDir") final String storeDir,
      @JsonProperty("priority") final Integer priority,
      @JsonProperty("verifyNarHash") final Boolean verifyNarHash,
      @JsonProperty("requireCompleteClosure") final Boolean requireCompleteClosure)
  {
    this.storeDir = storeDir != null ? storeDir : NixSettingsFacet.DEFAULT_STORE_DIR;
    this.priority = priority != null ? priority : NixSettingsFacet.DEFAULT_PRIORITY;
    this.verifyNarHash = verifyNarHash != null ? verifyNarHash : Boolean.TRUE;
    this.requireCompleteClosure = requireCompleteClosure != null ? requireCompleteClosure : Boolean.TRUE;
  }

  public static NixHostedAttributes defaults() {
    return new NixHostedAttributes(null, null, null, null);
  }

  /** Reads the block back from a repository's {@code nix} configuration section. */
  public static NixHostedAttributes from(final NestedAttributesMap nix) {
    return new NixHostedAttributes(
        nix.get(STORE_DIR, String.class),
        NixSettingsFacet.intValue(nix.get(PRIORITY)),
        nix.get(VERIFY_NAR_HASH, Boolean.class),
        nix.get(REQUIRE_COMPLETE_CLOSURE, Boolean.class));
  }

  /** Writes the block into a repository's {@code nix} configuration section. */
  public void applyTo(final NestedAttributesMap nix) {
    nix.set(STORE_DIR, storeDir);
    nix.set(PRIORITY, priority);
    nix.set(VERIFY_NAR_HASH, verifyNarHash);
    nix.set(REQUIRE_COMPLETE_CLOSURE, requireCompleteClosure);
  }

  public String getStoreDir() {
    return storeDir;
  }

  public Integer getPriority() {
    return priority;
  }

  public Boolean getVerifyNarHash() {
    return verifyNarHash;
  }

  public Boolean getRequireCompleteClosure() {
    return requireCompleteClosure;
  }
}
