package org.sonatype.nexus.repository.nix.rest;

import java.util.LinkedHashMap;
import java.util.Map;

import org.sonatype.nexus.common.collect.NestedAttributesMap;
import org.sonatype.nexus.repository.nix.signing.NixSigningFacet;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sonatype.nexus.repository.nix.protocol.NixVectors.TEST_1_PUBLIC_KEY;
import static org.sonatype.nexus.repository.nix.protocol.NixVectors.TEST_1_SECRET_KEY;

class NixSigningAttributesTest
{
  private final ObjectMapper json = new ObjectMapper();

  @Test
  void theSecretKeyIsReadFromARequest() throws Exception {
    NixSigningAttributes read = json.readValue("{\"secretKey\":\"" + TEST_1_SECRET_KEY + "\"}",
        NixSigningAttributes.class);

    assertThat(read.getSecretKey()).isEqualTo(TEST_1_SECRET_KEY);
  }

  @Test
  void theSecretKeyIsNeverWrittenOut() throws Exception {
    NixSigningAttributes withSecret = new NixSigningAttributes("test-1", true, TEST_1_SECRET_KEY, null,
        TEST_1_PUBLIC_KEY);

    String written = json.writeValueAsString(withSecret);

    assertThat(written).doesNotContain("secretKey").doesNotContain("BH7pOraiE7p");
    assertThat(withSecret.toString()).doesNotContain("BH7pOraiE7p");
  }

  @Test
  void whatAGetShowsIsTheKeyNameAndPublicKeyOnly() throws Exception {
    Map<String, Object> signing = new LinkedHashMap<>();
    signing.put(NixSigningFacet.KEY_NAME, "test-1");
    signing.put(NixSigningFacet.PUBLIC_KEY, TEST_1_PUBLIC_KEY);
    signing.put(NixSigningFacet.SECRET, "nix-encrypted:whatever");
    Map<String, Object> nix = new LinkedHashMap<>();
    nix.put(NixSigningFacet.SIGNING, signing);

    String written = json.writeValueAsString(NixSigningAttributes.from(new NestedAttributesMap("nix", nix)));

    assertThat(json.readTree(written).fieldNames()).toIterable().containsExactly("keyName", "publicKey");
    assertThat(written).doesNotContain("nix-encrypted");
  }

  @Test
  void aRepositoryWithoutKeyHasNoSigningBlockAndReadingAddsNone() {
    Map<String, Object> nix = new LinkedHashMap<>();

    assertThat(NixSigningAttributes.from(new NestedAttributesMap("nix", nix))).isNull();
    assertThat(nix).isEmpty();
  }
}
