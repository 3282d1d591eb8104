package org.sonatype.nexus.repository.nix.protocol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sonatype.nexus.repository.nix.protocol.NixBase32Test.repeat;

class StorePathTest
{
  private static final String HASH = "2bjnibaqqch1khga9z3w2br5sxz7ssb8";

  @Test
  void parsesAnAbsolutePathInTheStoreDirectory() {
    StorePath path = StorePath.parse("/nix/store", "/nix/store/2bjnibaqqch1khga9z3w2br5sxz7ssb8-rb-1.0");

    assertThat(path.hashPart()).isEqualTo(HASH);
    assertThat(path.name()).isEqualTo("rb-1.0");
    assertThat(path.baseName()).isEqualTo(HASH + "-rb-1.0");
    assertThat(path.toAbsolute("/nix/store")).isEqualTo("/nix/store/" + HASH + "-rb-1.0");
  }

  @Test
  void baseNameFormIsWhatReferencesUse() {
    assertThat(StorePath.fromBaseName("bgcwswhizdnd4vy4nka65illanb4k7if-small.txt").name()).isEqualTo("small.txt");
  }

  @Test
  void aPathOutsideTheStoreDirectoryIsRejected() {
    assertThatThrownBy(() -> StorePath.parse("/nix/store", "/gnu/store/" + HASH + "-rb-1.0"))
        .isInstanceOf(NixFormatException.class)
        .hasMessageContaining("is not in the Nix store '/nix/store'");
  }

  @Test
  void aPathBelowAStorePathIsNotAStorePath() {
    assertThatThrownBy(() -> StorePath.parse("/nix/store", "/nix/store/" + HASH + "-rb-1.0/bin/hello"))
        .isInstanceOf(NixFormatException.class)
        .hasMessageContaining("more than one segment");
  }

  @Test
  void aStoreDirectoryThatIsOnlyAPrefixDoesNotMatch() {
    assertThatThrownBy(() -> StorePath.parse("/nix/store", "/nix/storefoo/" + HASH + "-rb-1.0"))
        .isInstanceOf(NixFormatException.class);
  }

  @Test
  void customStoreDirectoriesWork() {
    StorePath path = StorePath.parse("/opt/nix/store", "/opt/nix/store/" + HASH + "-rb-1.0");

    assertThat(path.toAbsolute("/nix/store")).isEqualTo("/nix/store/" + HASH + "-rb-1.0");
  }

  @ParameterizedTest(name = "''{0}''")
  @ValueSource(strings = {
      "2bjnibaqqch1khga9z3w2br5sxz7ssb-rb-1.0",
      "2bjnibaqqch1khga9z3w2br5sxz7ssbe-rb-1.0",
      "2BJNIBAQQCH1KHGA9Z3W2BR5SXZ7SSB8-rb-1.0",
      "2bjnibaqqch1khga9z3w2br5sxz7ssb8_rb-1.0",
      "2bjnibaqqch1khga9z3w2br5sxz7ssb8"
  })
  void aBadHashPartIsRejected(final String baseName) {
    assertThatThrownBy(() -> StorePath.fromBaseName(baseName)).isInstanceOf(NixFormatException.class);
  }

  @Test
  void anEmptyNameIsRejected() {
    assertThatThrownBy(() -> StorePath.fromBaseName(HASH + "-"))
        .isInstanceOf(NixFormatException.class)
        .hasMessageContaining("'<32-character hash>-<name>'");
  }

  @Test
  void aNameStartingWithADotIsRejected() {
    assertThatThrownBy(() -> StorePath.fromBaseName(HASH + "-.hidden"))
        .isInstanceOf(NixFormatException.class)
        .hasMessageContaining("starting with '.'");
  }

  @ParameterizedTest(name = "''{0}''")
  @ValueSource(strings = {"a b", "a/b", "a\\b", "a:b", "a!b", "a\rb", "a~b", "ä"})
  void aNameWithACharacterOutsideTheNixSetIsRejected(final String name) {
    assertThatThrownBy(() -> StorePath.fromBaseName(HASH + "-" + name))
        .isInstanceOf(NixFormatException.class)
        .hasMessageContaining("illegal character");
  }

  @Test
  void everyCharacterNixAllowsInNamesIsAccepted() {
    assertThat(StorePath.fromBaseName(HASH + "-aZ09+-._?=").name()).isEqualTo("aZ09+-._?=");
  }

  @Test
  void namesMayBe211CharactersButNoLonger() {
    assertThat(StorePath.fromBaseName(HASH + "-" + repeat('a', 211)).name()).hasSize(211);
    assertThatThrownBy(() -> StorePath.fromBaseName(HASH + "-" + repeat('a', 212)))
        .isInstanceOf(NixFormatException.class)
        .hasMessageContaining("longer than 211");
  }

  @ParameterizedTest(name = "{0} -> {1} / {2}")
  @CsvSource({
      "hello-2.12.1, hello, 2.12.1",
      "rb-1.0, rb, 1.0",
      "small.txt, small.txt, ''",
      "python3.11-foo-bar-1.2-dev, python3.11-foo-bar, 1.2-dev",
      "foo-bar, foo-bar, ''",
      "rd-1.0.drv, rd, 1.0.drv",
      "glibc-2.37-8-bin, glibc, 2.37-8-bin",
      "trailing-, trailing-, ''"
  })
  void versionStartsAfterTheFirstDashFollowedByADigit(final String name, final String packageName,
                                                       final String version)
  {
    StorePath path = StorePath.fromBaseName(HASH + "-" + name);

    assertThat(path.packageName()).isEqualTo(packageName);
    assertThat(path.version()).isEqualTo(version);
  }

  @Test
  void hashPartValidityIsLengthAndAlphabet() {
    assertThat(StorePath.isValidHashPart(HASH)).isTrue();
    assertThat(StorePath.isValidHashPart(HASH.substring(1))).isFalse();
    assertThat(StorePath.isValidHashPart(HASH.replace('b', 'e'))).isFalse();
    assertThat(StorePath.isValidHashPart(null)).isFalse();
  }

  @Test
  void equalityIsOnTheBaseName() {
    assertThat(StorePath.fromBaseName(HASH + "-rb-1.0"))
        .isEqualTo(StorePath.of(HASH, "rb-1.0"))
        .hasSameHashCodeAs(StorePath.of(HASH, "rb-1.0"))
        .isNotEqualTo(StorePath.of(HASH, "rb-1.1"));
  }

  @ParameterizedTest(name = "''{0}''")
  @ValueSource(strings = {"/nix/store", "/a", "/var/lib/nix-store"})
  void validStoreDirectoriesAreReturnedUnchanged(final String storeDir) {
    assertThat(StorePath.validateStoreDir(storeDir)).isEqualTo(storeDir);
  }

  @ParameterizedTest(name = "''{0}''")
  @ValueSource(strings = {"nix/store", "/", "/nix/store/", "/nix//store", "/nix/../store", "/nix/./store", "",
      "/nix/st\nore"})
  void invalidStoreDirectoriesAreRejected(final String storeDir) {
    assertThatThrownBy(() -> StorePath.validateStoreDir(storeDir))
        .isInstanceOf(NixFormatException.class)
        .hasMessageContaining("store directory");
  }
}
