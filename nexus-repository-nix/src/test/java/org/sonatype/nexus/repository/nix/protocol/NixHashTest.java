package org.sonatype.nexus.repository.nix.protocol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sonatype.nexus.repository.nix.protocol.NixBase32Test.hex;

class NixHashTest
{
  // `nix hash file --type sha256 --base32|--base16|--sri` of "The quick brown fox jumps over the lazy dog"
  private static final String FOX_NIX32 = "14p5r4vvzl025mvdng3dwi8md3ag5q4b1g4sr9lr906p0yrzpa6p";

  private static final String FOX_BASE16 = "d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592";

  private static final String FOX_BASE64 = "16j7swfXgJRpypq8sAguT41WUeRtPNt2LQLQvzfJ5ZI=";

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "sha256:" + FOX_NIX32,
      "sha256:" + FOX_BASE16,
      "sha256:D7A8FBB307D7809469CA9ABCB0082E4F8D5651E46D3CDB762D02D0BF37C9E592",
      "sha256:" + FOX_BASE64,
      "sha256-" + FOX_BASE64
  })
  void nix32Base16Base64AndSriFormsAllParseToTheSameHash(final String text) {
    NixHash hash = NixHash.parse(text);

    assertThat(hash.type()).isEqualTo(NixHashType.SHA256);
    assertThat(hash.bytes()).isEqualTo(hex(FOX_BASE16));
  }

  @Test
  void toStringIsTheCanonicalTypeColonNix32Form() {
    assertThat(NixHash.parse("sha256-" + FOX_BASE64).toString()).isEqualTo("sha256:" + FOX_NIX32);
  }

  @Test
  void rendersEveryEncodingNixPrints() {
    NixHash hash = NixHash.parse("sha256:" + FOX_BASE16);

    assertThat(hash.toNix32()).isEqualTo(FOX_NIX32);
    assertThat(hash.toBase16()).isEqualTo(FOX_BASE16);
    assertThat(hash.toBase64()).isEqualTo(FOX_BASE64);
    assertThat(hash.toSri()).isEqualTo("sha256-" + FOX_BASE64);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "md5, 6n36j44d8xv1mq5dib6yfps44y, md5-nhB9nTcrtoJr2B01QqQZ1g==",
      "sha1, 2bmr66rrwxvbpqcyhknzqa1dgb3f3m1g, sha1-L9ThxnotKPzthJ7hu3bnORuT6xI=",
      "sha512, 3kgwm5q7n7m781z4chph2fppzhxcpivi8g7sm0j77r59aajla9jwr5vdd1qbmq9lf4dgj6hny7j2lb9sxg47h5s7zvp6skgb3clgr87, "
          + "sha512-B+VH2VhvanP3P7rAQ17XaVEhj7fQyNeIownXhUNru2Quk6JSqVTyORJUfR6KO17W4b/XCXghIz+gU489uFT+5g=="
  })
  void otherHashTypesRoundTripBetweenNix32AndSriAsNixPrintsThem(final String type, final String nix32, final String sri) {
    NixHash hash = NixHash.parse(type + ":" + nix32);

    assertThat(hash.toSri()).isEqualTo(sri);
    assertThat(NixHash.parse(sri)).isEqualTo(hash);
  }

  @Test
  void unprefixedHashIsRejectedWithAHint() {
    assertThatThrownBy(() -> NixHash.parse(FOX_NIX32))
        .isInstanceOf(NixFormatException.class)
        .hasMessage("hash '" + FOX_NIX32 + "' has no algorithm prefix (expected e.g. 'sha256:<nix32>')");
  }

  @Test
  void unknownAlgorithmIsRejectedNamingIt() {
    assertThatThrownBy(() -> NixHash.parse("SHA256:" + FOX_NIX32))
        .isInstanceOf(NixFormatException.class)
        .hasMessageContaining("unknown hash algorithm 'SHA256'");
  }

  @Test
  void digestOfAnUnexpectedLengthIsRejectedListingTheValidLengths() {
    assertThatThrownBy(() -> NixHash.parse("sha256:abc"))
        .isInstanceOf(NixFormatException.class)
        .hasMessageContaining("has a digest of length 3")
        .hasMessageContaining("52 (nix32), 64 (base16) or 44 (base64)");
  }

  @Test
  void invalidBase16IsRejected() {
    assertThatThrownBy(() -> NixHash.parse("sha256:" + FOX_BASE16.replace('a', 'g')))
        .isInstanceOf(NixFormatException.class)
        .hasMessageContaining("not valid base16");
  }

  @Test
  void invalidNix32IsRejected() {
    assertThatThrownBy(() -> NixHash.parse("sha256:" + FOX_NIX32.replace('p', 'e')))
        .isInstanceOf(NixFormatException.class)
        .hasMessageContaining("invalid character 'e'");
  }

  @Test
  void base64WithNonZeroTrailingBitsIsRejected() {
    // 'I' and 'J' differ only in bits that fall outside the 32 bytes
    assertThatThrownBy(() -> NixHash.parse("sha256-" + FOX_BASE64.replace("ZI=", "ZJ=")))
        .isInstanceOf(NixFormatException.class)
        .hasMessageContaining("not canonical base64");
  }

  @Test
  void sriOfTheWrongLengthIsRejected() {
    assertThatThrownBy(() -> NixHash.parse("sha256-nhB9nTcrtoJr2B01QqQZ1g=="))
        .isInstanceOf(NixFormatException.class)
        .hasMessageContaining("expected 44 base64 characters for sha256");
  }

  @Test
  void equalityIsOnTypeAndDigestNotOnTheTextItCameFrom() {
    NixHash a = NixHash.parse("sha256:" + FOX_NIX32);
    NixHash b = NixHash.parse("sha256-" + FOX_BASE64);

    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a).isNotEqualTo(NixHash.parse("sha256:0mdqa9w1p6cmli6976v4wi0sw9r4p5prkj7lzfd1877wk11c9c73"));
  }

  @Test
  void digestBytesCannotBeChangedFromOutside() {
    byte[] digest = hex(FOX_BASE16);
    NixHash hash = NixHash.of(NixHashType.SHA256, digest);
    digest[0] = 0;
    hash.bytes()[1] = 0;

    assertThat(hash.toBase16()).isEqualTo(FOX_BASE16);
  }

  @Test
  void ofRejectsADigestOfTheWrongSize() {
    assertThatThrownBy(() -> NixHash.of(NixHashType.SHA256, new byte[20]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be 32 bytes");
  }

  @Test
  void hashTypesKnowTheirNixAndJavaNamesAndSizes() {
    assertThat(NixHashType.fromNixName("sha512")).isEqualTo(NixHashType.SHA512);
    assertThat(NixHashType.SHA1.javaName()).isEqualTo("SHA-1");
    assertThat(NixHashType.MD5.size()).isEqualTo(16);
    assertThat(NixHashType.SHA256.nixName()).isEqualTo("sha256");
    assertThatThrownBy(() -> NixHashType.fromNixName("blake3"))
        .isInstanceOf(NixFormatException.class)
        .hasMessageContaining("'blake3'");
  }
}
