package org.sonatype.nexus.repository.nix.rest;

import javax.annotation.Nullable;

import org.sonatype.nexus.common.collect.NestedAttributesMap;
import org.sonatype.nexus.repository.nix.signing.NixSigningFacet;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonProperty.Access;
import io.swagger.annotations.ApiModel;
import io.swagger.annotations.ApiModelProperty;
import io.swagger.annotations.ApiModelProperty.AccessMode;

/**
 * The {@code signing} block of a hosted or group repository's {@code nix} block: the repository's own key.
 *
 * <ul>
 * <li>{@code {"generate": true, "keyName": "x"}}: a new key (the name defaults to {@code <repository>-1}); on an
 * existing repository this rotates the key.</li>
 * <li>{@code {"secretKey": "name:base64"}}: imports {@code nix key generate-secret} output.</li>
 * <li>{@code {"remove": true}}: no key any more.</li>
 * <li>{@code {"keyName": "x"}} or no {@code signing} block at all on an update: the current key stays.</li>
 * </ul>
 * Read back, the block has {@code keyName} and {@code publicKey} only: the secret key is write-only.
 */
@ApiModel(description = "The repository's signing key. Send {\"generate\": true} (optionally with keyName), "
    + "{\"secretKey\": \"name:base64\"} to import one, or {\"remove\": true}; without any, the current key stays. "
    + "secretKey is write-only: it is accepted but never returned, so it is not listed among the properties.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NixSigningAttributes
{
  @ApiModelProperty(value = "Name of the repository's signing key; generated keys default to '<repository>-1'",
      example = "nix-hosted-1")
  private final String keyName;

  @ApiModelProperty(value = "true: generate a new signing key (replaces the current one)", example = "true")
  private final Boolean generate;

  @ApiModelProperty(value = "A secret key to import, as written by 'nix key generate-secret' (name:base64). "
      + "Write-only: never returned", example = "nix-hosted-1:...")
  private final String secretKey;

  @ApiModelProperty(value = "true: remove the repository's signing key", example = "false")
  private final Boolean remove;

  @ApiModelProperty(value = "The public key (name:base64) for Nix's trusted-public-keys; also served at "
      + "<repository>/nix-public-key", accessMode = AccessMode.READ_ONLY,
      example = "nix-hosted-1:WWiYQCSysZmJpKy+AWvmHzE3ySdRyKALh6ZlQXAQEe8=")
  private final String publicKey;

  @JsonCreator
  public NixSigningAttributes(
      @JsonProperty("keyName") final String keyName,
      @JsonProperty("generate") final Boolean generate,
      @JsonProperty("secretKey") final String secretKey,
      @JsonProperty("remove") final Boolean remove,
      @JsonProperty("publicKey") final String publicKey)
  {
    this.keyName = keyName;
    this.generate = generate;
    this.secretKey = secretKey;
    this.remove = remove;
    this.publicKey = publicKey;
  }

  /**
   * What a GET shows of the repository's key: its name and public key; null if it has none.
   */
  @Nullable
  public static NixSigningAttributes from(final NestedAttributesMap nix) {
    // contains() first: child() would add an empty signing map to the live configuration
    if (!nix.contains(NixSigningFacet.SIGNING)) {
      return null;
    }
    NestedAttributesMap signing = nix.child(NixSigningFacet.SIGNING);
    return new NixSigningAttributes(signing.get(NixSigningFacet.KEY_NAME, String.class), null, null, null,
        signing.get(NixSigningFacet.PUBLIC_KEY, String.class));
  }

  public String getKeyName() {
    return keyName;
  }

  public Boolean getGenerate() {
    return generate;
  }

  /** Write-only: Jackson reads it from requests and never writes it into a response. */
  @JsonProperty(access = Access.WRITE_ONLY)
  public String getSecretKey() {
    return secretKey;
  }

  public Boolean getRemove() {
    return remove;
  }

  public String getPublicKey() {
    return publicKey;
  }

  boolean generates() {
    return Boolean.TRUE.equals(generate);
  }

  boolean removes() {
    return Boolean.TRUE.equals(remove);
  }

  @Override
  public String toString() {
    return "NixSigningAttributes{keyName=" + keyName + ", generate=" + generate + ", secretKey="
        + (secretKey == null ? "null" : "<redacted>") + ", remove=" + remove + ", publicKey=" + publicKey + "}";
  }
}
