package org.sonatype.nexus.repository.nix.secrets;

import java.util.List;

import javax.annotation.Nullable;

import org.sonatype.nexus.datastore.api.DataAccess;

import org.apache.ibatis.annotations.Param;

/**
 * The {@code nix_secret} table of Nexus's configuration database: one row per secret, its value encrypted by the
 * database's cipher ({@code EncryptedStringTypeHandler}) on top of what {@link NixSecretStore} encrypts.
 */
public interface NixSecretDAO
    extends DataAccess
{
  void create(NixSecretData secret);

  @Nullable
  NixSecretData read(@Param("id") String id);

  /** Every row whose purpose has the prefix, without its secret. */
  List<NixSecretData> browseByPurposePrefix(@Param("prefix") String prefix);

  int delete(@Param("id") String id);
}
