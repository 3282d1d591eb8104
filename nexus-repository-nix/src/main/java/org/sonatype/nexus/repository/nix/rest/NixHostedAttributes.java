package org.sonatype.nexus.repository.nix.rest;

import java.util.ArrayList;
import java.util.List;

import javax.validation.constraints.Max;
import javax.validation.constraints.Min;
import javax.validation.constraints.Pattern;

import org.sonatype.nexus.common.collect.NestedAttributesMap;
import org.sonatype.nexus.repository.nix.content.NixSettingsFacet;
import org.sonatype.nexus.repository.nix.hosted.NixHostedFacet;

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

  static final String CHANNEL_SNAPSHOTS_TO_KEEP = "channelSnapshotsToKeep";

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

  @ApiModelProperty(value = "The repository's own signing key: every narinfo it serves is signed with it")
  private final NixSigningAttributes signing;

  @ApiModelProperty(value = "Public keys (name:base64); if any, a narinfo upload needs a valid signature by one of "
      + "them (403 otherwise)", example = "[\"ci-1:WWiYQCSysZmJpKy+AWvmHzE3ySdRyKALh6ZlQXAQEe8=\"]")
  private final List<String> trustedUploadKeys;

  /** Not a creator parameter, like every field added after the first release: absent means "no minimum". */
  @ApiModelProperty(value = "Cleanup keeps at least the newest this many snapshots of each channel, whatever the "
      + "cleanup policy selects; absent or null: no minimum", example = "5")
  @Min(0)
  private Integer channelSnapshotsToKeep;

  @JsonCreator
  public NixHostedAttributes(
      @JsonProperty("storeDir") final String storeDir,
      @JsonProperty("priority") final Integer priority,
      @JsonProperty("verifyNarHash") final Boolean verifyNarHash,
      @JsonProperty("requireCompleteClosure") final Boolean requireCompleteClosure,
      @JsonProperty("signing") final NixSigningAttributes signing,
      @JsonProperty("trustedUploadKeys") final List<String> trustedUploadKeys)
  {
    this.storeDir = storeDir != null ? storeDir : NixSettingsFacet.DEFAULT_STORE_DIR;
    this.priority = priority != null ? priority : NixSettingsFacet.DEFAULT_PRIORITY;
    this.verifyNarHash = verifyNarHash != null ? verifyNarHash : Boolean.TRUE;
    this.requireCompleteClosure = requireCompleteClosure != null ? requireCompleteClosure : Boolean.TRUE;
    this.signing = signing;
    this.trustedUploadKeys = trustedUploadKeys != null ? new ArrayList<>(trustedUploadKeys) : new ArrayList<>();
  }

  public static NixHostedAttributes defaults() {
    return new NixHostedAttributes(null, null, null, null, null, null);
  }

  /** Reads the block back from a repository's {@code nix} configuration section. */
  public static NixHostedAttributes from(final NestedAttributesMap nix) {
    NixHostedAttributes attributes = new NixHostedAttributes(
        nix.get(STORE_DIR, String.class),
        NixSettingsFacet.intValue(nix.get(PRIORITY)),
        nix.get(VERIFY_NAR_HASH, Boolean.class),
        nix.get(REQUIRE_COMPLETE_CLOSURE, Boolean.class),
        NixSigningAttributes.from(nix),
        stringList(nix.get(NixHostedFacet.TRUSTED_UPLOAD_KEYS)));
    attributes.setChannelSnapshotsToKeep(NixSettingsFacet.intValue(nix.get(CHANNEL_SNAPSHOTS_TO_KEEP)));
    return attributes;
  }

  /** A list of strings from a configuration attribute; empty if absent. */
  static List<String> stringList(final Object value) {
    List<String> list = new ArrayList<>();
    if (value instanceof List) {
      for (Object item : (List<?>) value) {
        list.add(String.valueOf(item));
      }
    }
    return list;
  }

  /**
   * Writes the block into a repository's {@code nix} configuration section; {@code signing} is written by
   * {@link NixSigningRequests}, which needs the repository's current key.
   */
  public void applyTo(final NestedAttributesMap nix) {
    nix.set(STORE_DIR, storeDir);
    nix.set(PRIORITY, priority);
    nix.set(VERIFY_NAR_HASH, verifyNarHash);
    nix.set(REQUIRE_COMPLETE_CLOSURE, requireCompleteClosure);
    if (trustedUploadKeys.isEmpty()) {
      nix.remove(NixHostedFacet.TRUSTED_UPLOAD_KEYS);
    }
    else {
      nix.set(NixHostedFacet.TRUSTED_UPLOAD_KEYS,
          new ArrayList<>(PublicKeyLists.checked(trustedUploadKeys, "nix." + NixHostedFacet.TRUSTED_UPLOAD_KEYS)));
    }
    if (channelSnapshotsToKeep != null) {
      nix.set(CHANNEL_SNAPSHOTS_TO_KEEP, channelSnapshotsToKeep);
    }
    else {
      nix.remove(CHANNEL_SNAPSHOTS_TO_KEEP);
    }
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

  public NixSigningAttributes getSigning() {
    return signing;
  }

  public List<String> getTrustedUploadKeys() {
    return trustedUploadKeys;
  }

  public Integer getChannelSnapshotsToKeep() {
    return channelSnapshotsToKeep;
  }

  @JsonProperty("channelSnapshotsToKeep")
  public void setChannelSnapshotsToKeep(final Integer channelSnapshotsToKeep) {
    this.channelSnapshotsToKeep = channelSnapshotsToKeep;
  }
}
