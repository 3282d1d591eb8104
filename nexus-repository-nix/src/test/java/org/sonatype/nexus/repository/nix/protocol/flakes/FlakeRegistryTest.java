package org.sonatype.nexus.repository.nix.protocol.flakes;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.sonatype.nexus.repository.nix.protocol.NixFormatException;
import org.sonatype.nexus.repository.nix.protocol.NixHash;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FlakeRegistryTest
{
  private static final NixHash HASH = NixHash.parse("sha256-RBFH6l9xCXLXYA+sVfJiTWj6orR4l/uBq7SEloY8zVo=");

  /** channels.nixos.org's registry, shortened. */
  private static final String PUBLIC = "{\"flakes\":["
      + "{\"from\":{\"id\":\"nixpkgs\",\"type\":\"indirect\"},"
      + "\"to\":{\"owner\":\"NixOS\",\"ref\":\"nixpkgs-unstable\",\"repo\":\"nixpkgs\",\"type\":\"github\"}},"
      + "{\"from\":{\"id\":\"mytool\",\"type\":\"indirect\"},"
      + "\"to\":{\"owner\":\"someone\",\"repo\":\"mytool\",\"type\":\"github\"}},"
      + "{\"exact\":true,\"from\":{\"id\":\"pinned\",\"type\":\"indirect\"},"
      + "\"to\":{\"type\":\"tarball\",\"url\":\"https://example.org/x.tar.gz\"}}"
      + "],\"version\":2}";

  @Test
  void aTarballEntryCarriesTheNarHashAsAnAttribute() {
    JsonNode entry = FlakeRegistry.tarballEntry("mytool", "https://nexus/x.tar.gz?narHash=y", HASH);

    assertThat(entry.toString()).isEqualTo("{\"from\":{\"type\":\"indirect\",\"id\":\"mytool\"},"
        + "\"to\":{\"type\":\"tarball\",\"url\":\"https://nexus/x.tar.gz?narHash=y\","
        + "\"narHash\":\"sha256-RBFH6l9xCXLXYA+sVfJiTWj6orR4l/uBq7SEloY8zVo=\"}}");
  }

  @Test
  void theImmutableUrlPercentEncodesTheHash() {
    FlakeRelease release = FlakeRelease.of("mytool", "1.0.0", FlakeArchive.TAR_GZ);

    assertThat(release.immutableUrl("http://nexus/repository/r", HASH, 1700000123L))
        .isEqualTo("http://nexus/repository/r/flakes/mytool/1.0.0.tar.gz"
            + "?narHash=sha256-RBFH6l9xCXLXYA%2BsVfJiTWj6orR4l%2FuBq7SEloY8zVo%3D&lastModified=1700000123");
    assertThat(release.immutableUrl("http://nexus/repository/r", HASH, 0))
        .endsWith("?narHash=sha256-RBFH6l9xCXLXYA%2BsVfJiTWj6orR4l%2FuBq7SEloY8zVo%3D");
  }

  @Test
  void aParsedRegistryKeepsEveryAttribute() throws IOException {
    FlakeRegistry registry = parse(PUBLIC);

    assertThat(registry.entries()).hasSize(3);
    assertThat(registry.entries().get(2).get("exact").asBoolean()).isTrue();
    assertThat(FlakeRegistry.indirectId(registry.entries().get(0))).contains("nixpkgs");
  }

  @Test
  void mergingPutsEarlierRegistriesFirstAndTheyShadowLaterIds() throws IOException {
    FlakeRegistry ours = FlakeRegistry.of(List.of(
        FlakeRegistry.tarballEntry("mytool", "https://nexus/mytool.tar.gz", HASH),
        FlakeRegistry.tarballEntry("other", "https://nexus/other.tar.gz", HASH)));

    FlakeRegistry merged = FlakeRegistry.merge(List.of(ours, parse(PUBLIC)));

    assertThat(ids(merged)).containsExactly("mytool", "other", "nixpkgs", "pinned");
    assertThat(merged.entries().get(0).path("to").path("url").asText()).isEqualTo("https://nexus/mytool.tar.gz");
  }

  @Test
  void aRegistryKeepsItsOwnEntriesForTheSameIdAndNonIndirectOnes() throws IOException {
    FlakeRegistry own = parse("{\"version\":2,\"flakes\":["
        + "{\"from\":{\"type\":\"indirect\",\"id\":\"a\",\"ref\":\"x\"},\"to\":{\"type\":\"path\",\"path\":\"/x\"}},"
        + "{\"from\":{\"type\":\"indirect\",\"id\":\"a\"},\"to\":{\"type\":\"path\",\"path\":\"/a\"}},"
        + "{\"from\":{\"type\":\"github\",\"owner\":\"o\",\"repo\":\"r\"},\"to\":{\"type\":\"path\",\"path\":\"/r\"}}"
        + "]}");
    FlakeRegistry later = parse("{\"version\":2,\"flakes\":["
        + "{\"from\":{\"type\":\"indirect\",\"id\":\"a\"},\"to\":{\"type\":\"path\",\"path\":\"/later\"}},"
        + "{\"from\":{\"type\":\"github\",\"owner\":\"o\",\"repo\":\"r\"},\"to\":{\"type\":\"path\",\"path\":\"/r2\"}}"
        + "]}");

    FlakeRegistry merged = FlakeRegistry.merge(List.of(own, later));

    assertThat(merged.entries().stream().map(e -> e.path("to").path("path").asText()))
        .containsExactly("/x", "/a", "/r", "/r2");
  }

  @Test
  void theDocumentIsVersion2AndReadsBack() throws IOException {
    FlakeRegistry merged = FlakeRegistry.merge(List.of(parse(PUBLIC)));

    JsonNode document = new ObjectMapper().readTree(merged.toJson());

    assertThat(document.get("version").asInt()).isEqualTo(2);
    assertThat(ids(FlakeRegistry.parse(new ByteArrayInputStream(merged.toJson()))))
        .containsExactly("nixpkgs", "mytool", "pinned");
    assertThat(merged.toJson()).isEqualTo(FlakeRegistry.merge(List.of(parse(PUBLIC))).toJson());
  }

  @Test
  void whatIsNotARegistryIsRefused() {
    assertThatThrownBy(() -> parse("<html>")).hasMessageContaining("not valid JSON");
    assertThatThrownBy(() -> parse("[]")).hasMessageContaining("not a JSON object");
    assertThatThrownBy(() -> parse("{\"version\":1,\"flakes\":[]}")).hasMessageContaining("version 2");
    assertThatThrownBy(() -> parse("{\"version\":2}")).hasMessageContaining("no \"flakes\" list");
    assertThatThrownBy(() -> parse("{\"version\":2,\"flakes\":[{\"from\":{}}]}"))
        .hasMessageContaining("entry 0 has no \"from\" and \"to\"");
    assertThatThrownBy(() -> parse("")).isInstanceOf(NixFormatException.class);
  }

  private static FlakeRegistry parse(final String json) throws IOException {
    return FlakeRegistry.parse(new ByteArrayInputStream(json.getBytes(UTF_8)));
  }

  private static List<String> ids(final FlakeRegistry registry) {
    return registry.entries().stream()
        .map(entry -> FlakeRegistry.indirectId(entry).orElse("?"))
        .collect(Collectors.toList());
  }
}
