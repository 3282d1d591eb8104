package org.sonatype.nexus.repository.nix.protocol;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

public class NixBase32Test
{
  // `nix hash file --type T --base16` and `--base32` of a file holding "The quick brown fox jumps over the lazy dog"
  // (no newline), and of an empty file; sha256 checked against sha256sum.
  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "9e107d9d372bb6826bd81d3542a419d6, 6n36j44d8xv1mq5dib6yfps44y",
      "d41d8cd98f00b204e9800998ecf8427e, 3y8bwfr609h3lh9ch0izcqq7fl",
      "2fd4e1c67a2d28fced849ee1bb76e7391b93eb12, 2bmr66rrwxvbpqcyhknzqa1dgb3f3m1g",
      "da39a3ee5e6b4b0d3255bfef95601890afd80709, 143xibwh31h9bvxzalr0sjvbbvpa6ffs",
      "d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592, "
          + "14p5r4vvzl025mvdng3dwi8md3ag5q4b1g4sr9lr906p0yrzpa6p",
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855, "
          + "0mdqa9w1p6cmli6976v4wi0sw9r4p5prkj7lzfd1877wk11c9c73",
      "07e547d9586f6a73f73fbac0435ed76951218fb7d0c8d788a309d785436bbb642e93a252a954f23912547d1e8a3b5ed6e1bfd7097821233fa0538f3db854fee6, "
          + "3kgwm5q7n7m781z4chph2fppzhxcpivi8g7sm0j77r59aajla9jwr5vdd1qbmq9lf4dgj6hny7j2lb9sxg47h5s7zvp6skgb3clgr87"
  })
  void encodesDigestsExactlyAsNixHashFileDoes(final String base16, final String nix32) {
    assertThat(NixBase32.encode(hex(base16))).isEqualTo(nix32);
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource({
      "9e107d9d372bb6826bd81d3542a419d6, 6n36j44d8xv1mq5dib6yfps44y",
      "d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592, "
          + "14p5r4vvzl025mvdng3dwi8md3ag5q4b1g4sr9lr906p0yrzpa6p"
  })
  void decodesNixOutputBackToTheDigest(final String base16, final String nix32) {
    assertThat(NixBase32.decode(nix32)).isEqualTo(hex(base16));
  }

  @Test
  void decodeInvertsEncodeForEveryLengthUpTo100Bytes() {
    Random random = new Random(42);
    for (int length = 0; length <= 100; length++) {
      byte[] bytes = new byte[length];
      random.nextBytes(bytes);
      String encoded = NixBase32.encode(bytes);
      assertThat(encoded).hasSize(NixBase32.encodedLength(length));
      assertThat(NixBase32.decode(encoded)).isEqualTo(bytes);
    }
  }

  @ParameterizedTest(name = "{0} bytes -> {1} characters")
  @CsvSource({"0, 0", "1, 2", "2, 4", "3, 5", "16, 26", "20, 32", "32, 52", "64, 103"})
  void encodedLengthIsTheNumberOfFiveBitDigitsNeeded(final int bytes, final int characters) {
    assertThat(NixBase32.encodedLength(bytes)).isEqualTo(characters);
  }

  @Test
  void storePathHashPartsAre20BytesIn32Characters() {
    assertThat(NixBase32.decode("2bjnibaqqch1khga9z3w2br5sxz7ssb8")).hasSize(20);
  }

  @ParameterizedTest(name = "''{0}''")
  @CsvSource({"e", "o", "t", "u", "A", "-", "é"})
  void decodeRejectsCharactersOutsideTheAlphabet(final String bad) {
    String text = "14p5r4vvzl025mvdng3dwi8md3ag5q4b1g4sr9lr906p0yrzpa6" + bad;
    assertThatThrownBy(() -> NixBase32.decode(text))
        .isInstanceOf(NixFormatException.class)
        .hasMessageContaining("invalid character '" + bad + "'");
  }

  @ParameterizedTest(name = "length {0}")
  @CsvSource({"1", "3", "6", "51", "54"})
  void decodeRejectsLengthsNoByteCountEncodesTo(final int length) {
    String text = repeat('0', length);
    assertThatThrownBy(() -> NixBase32.decode(text))
        .isInstanceOf(NixFormatException.class)
        .hasMessageContaining("impossible length " + length);
  }

  @Test
  void decodeRejectsNonZeroPaddingBits() {
    // 52 characters carry 260 bits for 256: only the lowest bit of the first character carries data, which is why
    // every sha256 in nix32 starts with '0' or '1'.
    String text = "2" + repeat('0', 51);
    assertThatThrownBy(() -> NixBase32.decode(text))
        .isInstanceOf(NixFormatException.class)
        .hasMessageContaining("non-zero padding bits");
  }

  @Test
  void theDataBitOfTheFirstCharacterIsTheTopBitOfTheLastByte() {
    assertThat(NixBase32.decode("1" + repeat('0', 51))[31]).isEqualTo((byte) 0x80);
  }

  @Test
  void isNix32AcceptsOnlyNonEmptyAlphabetText() {
    assertThat(NixBase32.isNix32(NixBase32.ALPHABET)).isTrue();
    assertThat(NixBase32.isNix32("2bjnibaqqch1khga9z3w2br5sxz7ssb8")).isTrue();
    assertThat(NixBase32.isNix32("")).isFalse();
    assertThat(NixBase32.isNix32(null)).isFalse();
    assertThat(NixBase32.isNix32("2bjnibaqqch1khga9z3w2br5sxz7ssbe")).isFalse();
    assertThat(NixBase32.isNix32("2BJNIBAQQCH1KHGA9Z3W2BR5SXZ7SSB8")).isFalse();
  }

  static byte[] hex(final String text) {
    byte[] out = new byte[text.length() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) Integer.parseInt(text.substring(2 * i, 2 * i + 2), 16);
    }
    return out;
  }

  public static String repeat(final char c, final int count) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < count; i++) {
      out.append(c);
    }
    return out.toString();
  }
}
