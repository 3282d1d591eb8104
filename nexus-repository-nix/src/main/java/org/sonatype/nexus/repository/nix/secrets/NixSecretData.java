package org.sonatype.nexus.repository.nix.secrets;

/**
 * A row of {@code nix_secret}: a secret (as {@link NixSecretStore} sealed it), what it is for, and when it was
 * stored (epoch milliseconds). Never logged: {@link #toString()} leaves the secret out.
 */
public class NixSecretData
{
  private String id;

  private String purpose;

  private String secret;

  private long created;

  public String getId() {
    return id;
  }

  public void setId(final String id) {
    this.id = id;
  }

  public String getPurpose() {
    return purpose;
  }

  public void setPurpose(final String purpose) {
    this.purpose = purpose;
  }

  public String getSecret() {
    return secret;
  }

  public void setSecret(final String secret) {
    this.secret = secret;
  }

  public long getCreated() {
    return created;
  }

  public void setCreated(final long created) {
    this.created = created;
  }

  @Override
  public String toString() {
    return "NixSecretData{id=" + id + ", purpose=" + purpose + ", created=" + created + "}";
  }
}
