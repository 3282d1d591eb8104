package org.sonatype.nexus.repository.nix.protocol.narinfo;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sonatype.nexus.repository.nix.protocol.NixFormatException;
import org.sonatype.nexus.repository.nix.protocol.NixHash;
import org.sonatype.nexus.repository.nix.protocol.NixVectors;
import org.sonatype.nexus.repository.nix.protocol.compression.Compression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sonatype.nexus.repository.nix.protocol.NixBase32Test.repeat;
import static org.sonatype.nexus.repository.nix.protocol.NixVectors.RB_SIGNED_XZ;
import static org.sonatype.nexus.repository.nix.protocol.NixVectors.RC_SIGNED_XZ;
import static org.sonatype.nexus.repository.nix.protocol.NixVectors.SMALL_SIGNED_XZ;
import static org.sonatype.nexus.repository.nix.protocol.NixVectors.STORE_DIR;

/**
 * Reading narinfo text: what Nix accepts is accepted (and normalised), what Nix calls corrupt is rejected with the
 * line or field named.
 */
class NarInfoParseTest
{
  private static final String MINIMAL = ""
      + "StorePath: /nix/store/bgcwswhizdnd4vy4nka65illanb4k7if-small.txt\n"
      + "URL: nar/1c0g8dk8hyvfrl1xcrsp4hin01rlpsvznfb6p29xk3hx45h5xr5v.nar\n"
      + "Compression: none\n"
      + "NarHash: sha256:1c0g8dk8hyvfrl1xcrsp4hin01rlpsvznfb6p29xk3hx45h5xr5v\n"
      + "NarSize: 144\n";

  private static final String SMALL_NAR_HASH = "sha256:1c0g8dk8hyvfrl1xcrsp4hin01rlpsvznfb6p29xk3hx45h5xr5v";

  @Test
  void everyFieldOfANarinfoWrittenByNixCopyIsRead() {
    NarInfo narInfo = NarInfo.parse(RB_SIGNED_XZ, STORE_DIR);

    assertThat(narInfo.storeDir()).isEqualTo("/nix/store");
    assertThat(narInfo.storePath().baseName()).isEqualTo("2bjnibaqqch1khga9z3w2br5sxz7ssb8-rb-1.0");
    assertThat(narInfo.url()).isEqualTo("nar/1qhhj8j997670d7pxf5bwqyfjc1rkc31csw111ipaqkpy76li5sh.nar.xz");
    assertThat(narInfo.compression()).isEqualTo(Compression.XZ);
    assertThat(narInfo.fileHash()).hasValue(
        NixHash.parse("sha256:1qhhj8j997670d7pxf5bwqyfjc1rkc31csw111ipaqkpy76li5sh"));
    assertThat(narInfo.fileSize()).isEqualTo(OptionalLong.of(3072));
    assertThat(narInfo.narHash()).hasToString(NixVectors.RB_NAR_HASH);
    assertThat(narInfo.narSize()).isEqualTo(276000);
    assertThat(narInfo.references()).containsExactly("bgcwswhizdnd4vy4nka65illanb4k7if-small.txt");
    assertThat(narInfo.deriver()).hasValue("zif5c57hay69q7xrnk73jwyscwsd74gm-rb-1.0.drv");
    assertThat(narInfo.sigs()).containsExactly("test-1:hKZt3nYaVovljl0QwaATwf6Z5LdNAhuOPa40QTZ3/XO8XIeSSh1zC1qQhVu74oZ"
        + "Blq4tRqatZG2v/f6MQ78yCw==");
    assertThat(narInfo.ca()).isEmpty();
    assertThat(narInfo.extraFields()).isEmpty();
  }

  @Test
  void aContentAddressedPathHasACaAndNoReferences() {
    NarInfo narInfo = NarInfo.parse(SMALL_SIGNED_XZ, STORE_DIR);

    assertThat(narInfo.references()).isEmpty();
    assertThat(narInfo.deriver()).isEmpty();
    assertThat(narInfo.ca()).hasValue("fixed:r:sha256:1c0g8dk8hyvfrl1xcrsp4hin01rlpsvznfb6p29xk3hx45h5xr5v");
  }

  @Test
  void narinfoWithCrlfLineEndingsIsNormalised() {
    NarInfo narInfo = NarInfo.parse(RB_SIGNED_XZ.replace("\n", "\r\n"), STORE_DIR);

    assertThat(narInfo).isEqualTo(NarInfo.parse(RB_SIGNED_XZ, STORE_DIR));
    assertThat(narInfo.toText()).isEqualTo(RB_SIGNED_XZ);
  }

  @Test
  void narinfoWithoutAFinalNewlineIsAcceptedAndGetsOneBack() {
    String withoutFinalNewline = RB_SIGNED_XZ.substring(0, RB_SIGNED_XZ.length() - 1);

    assertThat(NarInfo.parse(withoutFinalNewline, STORE_DIR).toText()).isEqualTo(RB_SIGNED_XZ);
  }

  @Test
  void missingCompressionMeansBzip2() {
    NarInfo narInfo = NarInfo.parse(MINIMAL.replace("Compression: none\n", ""), STORE_DIR);

    assertThat(narInfo.compression()).isEqualTo(Compression.BZIP2);
    assertThat(narInfo.toText()).contains("Compression: bzip2\n");
  }

  @Test
  void emptyCompressionMeansBzip2() {
    NarInfo narInfo = NarInfo.parse(MINIMAL.replace("Compression: none\n", "Compression: \n"), STORE_DIR);

    assertThat(narInfo.compression()).isEqualTo(Compression.BZIP2);
  }

  @Test
  void unsupportedCompressionIsRejectedNamingLineAndValue() {
    assertThatThrownBy(() -> NarInfo.parse(MINIMAL.replace("Compression: none", "Compression: lzop"), STORE_DIR))
        .isInstanceOf(NixFormatException.class)
        .hasMessage("line 3: Compression: unsupported compression 'lzop'");
  }

  @Test
  void unprefixedNarHashIsRejectedNamingTheField() {
    String text = MINIMAL.replace("NarHash: sha256:", "NarHash: ");

    assertThatThrownBy(() -> NarInfo.parse(text, STORE_DIR))
        .isInstanceOf(NixFormatException.class)
        .hasMessage("line 4: NarHash: hash '1c0g8dk8hyvfrl1xcrsp4hin01rlpsvznfb6p29xk3hx45h5xr5v' has no algorithm "
            + "prefix (expected e.g. 'sha256:<nix32>')");
  }

  @Test
  void unprefixedFileHashIsRejectedNamingTheField() {
    String text = RB_SIGNED_XZ.replace("FileHash: sha256:", "FileHash: ");

    assertThatThrownBy(() -> NarInfo.parse(text, STORE_DIR))
        .isInstanceOf(NixFormatException.class)
        .hasMessageContaining("FileHash: hash '1qhhj8j997670d7pxf5bwqyfjc1rkc31csw111ipaqkpy76li5sh' has no "
            + "algorithm prefix");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "sha256:1c0g8dk8hyvfrl1xcrsp4hin01rlpsvznfb6p29xk3hx45h5xr5v",
      "sha256:bbe45e60211d8ed993b86639fbb7be34076023245767d603cd6e7b8866430fb0",
      "sha256:u+ReYCEdjtmTuGY5+7e+NAdgIyRXZ9YDzW57iGZDD7A=",
      "sha256-u+ReYCEdjtmTuGY5+7e+NAdgIyRXZ9YDzW57iGZDD7A="
  })
  void base16AndSriNarHashesAreAcceptedAndWrittenAsNix32(final String narHash) {
    // the same digest four ways: nix path-info --json printed the SRI form, nix hash to-base16 the hex one
    NarInfo narInfo = NarInfo.parse(MINIMAL.replace("NarHash: " + SMALL_NAR_HASH, "NarHash: " + narHash), STORE_DIR);

    assertThat(narInfo.narHash()).hasToString(SMALL_NAR_HASH);
    assertThat(narInfo.toText()).contains("NarHash: " + SMALL_NAR_HASH + "\n");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"StorePath", "URL", "Compression", "NarHash", "NarSize", "References", "FileHash",
      "FileSize", "Deriver", "CA"})
  void aSecondLineForASingleValuedFieldIsRejected(final String field) {
    String text = SMALL_SIGNED_XZ + "Deriver: zif5c57hay69q7xrnk73jwyscwsd74gm-rb-1.0.drv\n"
        + lineOf(SMALL_SIGNED_XZ + "Deriver: zif5c57hay69q7xrnk73jwyscwsd74gm-rb-1.0.drv\n", field);

    assertThatThrownBy(() -> NarInfo.parse(text, STORE_DIR))
        .isInstanceOf(NixFormatException.class)
        .hasMessageEndingWith("duplicate field '" + field + "'");
  }

  @Test
  void duplicateReferencesLineIsRejectedNamingTheLine() {
    assertThatThrownBy(() -> NarInfo.parse(RC_SIGNED_XZ + "References: \n", STORE_DIR))
        .isInstanceOf(NixFormatException.class)
        .hasMessage("line 11: duplicate field 'References'");
  }

  @Test
  void keyValueWithoutTheSpaceIsRejectedNamingTheLine() {
    String text = MINIMAL.replace("NarHash: ", "NarHash:");

    assertThatThrownBy(() -> NarInfo.parse(text, STORE_DIR))
        .isInstanceOf(NixFormatException.class)
        .hasMessageStartingWith("line 4: expected 'Key: value'");
  }

  @Test
  void aKeyWithNeitherSpaceNorValueIsRejected() {
    assertThatThrownBy(() -> NarInfo.parse(MINIMAL + "References:\n", STORE_DIR))
        .isInstanceOf(NixFormatException.class)
        .hasMessageStartingWith("line 6: expected 'Key: value'");
  }

  @Test
  void aLineWithoutAColonIsRejected() {
    assertThatThrownBy(() -> NarInfo.parse(MINIMAL + "garbage\n", STORE_DIR))
        .isInstanceOf(NixFormatException.class)
        .hasMessage("line 6: expected 'Key: value', got 'garbage'");
  }

  @Test
  void controlCharactersInAQuotedLineAreEscapedInTheMessage() {
    assertThatThrownBy(() -> NarInfo.parse(MINIMAL + "bad\u001b[2J\n", STORE_DIR))
        .isInstanceOf(NixFormatException.class)
        .hasMessage("line 6: expected 'Key: value', got 'bad\\u001b[2J'");
  }

  @Test
  void anEmptyLineIsRejected() {
    assertThatThrownBy(() -> NarInfo.parse(MINIMAL.replace("Compression: none\n", "Compression: none\n\n"), STORE_DIR))
        .isInstanceOf(NixFormatException.class)
        .hasMessage("line 4: empty line");
  }

  @Test
  void aBlankLineAtTheEndIsAnEmptyLineToo() {
    assertThatThrownBy(() -> NarInfo.parse(MINIMAL + "\n", STORE_DIR))
        .isInstanceOf(NixFormatException.class)
        .hasMessage("line 6: empty line");
  }

  @Test
  void emptyTextIsMissingTheStorePath() {
    assertThatThrownBy(() -> NarInfo.parse("", STORE_DIR))
        .isInstanceOf(NixFormatException.class)
        .hasMessage("missing required field 'StorePath'");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"StorePath", "URL", "NarHash", "NarSize"})
  void aMissingRequiredFieldIsNamed(final String field) {
    String text = MINIMAL.replace(lineOf(MINIMAL, field), "");

    assertThatThrownBy(() -> NarInfo.parse(text, STORE_DIR))
        .isInstanceOf(NixFormatException.class)
        .hasMessage("missing required field '" + field + "'");
  }

  @Test
  void fieldNamesAreCaseSensitive() {
    String text = MINIMAL.replace("NarSize: ", "narsize: ");

    assertThatThrownBy(() -> NarInfo.parse(text, STORE_DIR))
        .isInstanceOf(NixFormatException.class)
        .hasMessage("missing required field 'NarSize'");
  }

  @Test
  void aZeroNarSizeIsRejected() {
    assertThatThrownBy(() -> NarInfo.parse(MINIMAL.replace("NarSize: 144", "NarSize: 0"), STORE_DIR))
        .isInstanceOf(NixFormatException.class)
        .hasMessage("line 5: NarSize: must be greater than 0");
  }

  @ParameterizedTest(name = "''{0}''")
  @ValueSource(strings = {"-1", "+144", "144 ", "1e3", "0x90", "", "99999999999999999999"})
  void aSizeMustBePlainDecimalDigits(final String size) {
    assertThatThrownBy(() -> NarInfo.parse(MINIMAL.replace("NarSize: 144", "NarSize: " + size), STORE_DIR))
        .isInstanceOf(NixFormatException.class)
        .hasMessageStartingWith("line 5: NarSize: ");
  }

  @Test
  void aStorePathOutsideTheStoreDirectoryIsRejected() {
    assertThatThrownBy(() -> NarInfo.parse(MINIMAL, "/gnu/store"))
        .isInstanceOf(NixFormatException.class)
        .hasMessageStartingWith("line 1: StorePath: ")
        .hasMessageContaining("is not in the Nix store '/gnu/store'");
  }

  @Test
  void aCustomStoreDirectoryIsHonoured() {
    NarInfo narInfo = NarInfo.parse(MINIMAL.replace("/nix/store/", "/opt/store/"), "/opt/store");

    assertThat(narInfo.toText()).startsWith("StorePath: /opt/store/bgcwswhizdnd4vy4nka65illanb4k7if-small.txt\n");
  }

  @Test
  void aStorePathWithASubpathIsRejected() {
    String text = MINIMAL.replace("-small.txt", "-small.txt/etc");

    assertThatThrownBy(() -> NarInfo.parse(text, STORE_DIR))
        .isInstanceOf(NixFormatException.class)
        .hasMessageStartingWith("line 1: StorePath: ");
  }

  @Test
  void referencesKeepTheOrderTheyWereGivenIn() {
    String text = RC_SIGNED_XZ.replace(
        "References: 2bjnibaqqch1khga9z3w2br5sxz7ssb8-rb-1.0 bgcwswhizdnd4vy4nka65illanb4k7if-small.txt",
        "References: bgcwswhizdnd4vy4nka65illanb4k7if-small.txt 2bjnibaqqch1khga9z3w2br5sxz7ssb8-rb-1.0");

    assertThat(NarInfo.parse(text, STORE_DIR).references())
        .containsExactly("bgcwswhizdnd4vy4nka65illanb4k7if-small.txt", "2bjnibaqqch1khga9z3w2br5sxz7ssb8-rb-1.0");
  }

  @Test
  void referencesSeparatedByRunsOfSpacesAreReadLikeNixDoes() {
    String text = RC_SIGNED_XZ.replace("-rb-1.0 bgcw", "-rb-1.0   bgcw");

    assertThat(NarInfo.parse(text, STORE_DIR).toText()).isEqualTo(RC_SIGNED_XZ);
  }

  @Test
  void anInvalidReferenceIsRejectedNamingTheField() {
    String text = RC_SIGNED_XZ.replace("-rb-1.0 ", "-rb-1.0/x ");

    assertThatThrownBy(() -> NarInfo.parse(text, STORE_DIR))
        .isInstanceOf(NixFormatException.class)
        .hasMessageStartingWith("line 8: References: store path '2bjnibaqqch1khga9z3w2br5sxz7ssb8-rb-1.0/x'");
  }

  @Test
  void aReferenceListedTwiceIsRejected() {
    String text = RC_SIGNED_XZ.replace("-small.txt\n", "-small.txt 2bjnibaqqch1khga9z3w2br5sxz7ssb8-rb-1.0\n");

    assertThatThrownBy(() -> NarInfo.parse(text, STORE_DIR))
        .isInstanceOf(NixFormatException.class)
        .hasMessageContaining("duplicate reference '2bjnibaqqch1khga9z3w2br5sxz7ssb8-rb-1.0'");
  }

  @Test
  void aMissingReferencesFieldMeansNoReferences() {
    // nix-serve omits the field
    NarInfo narInfo = NarInfo.parse(MINIMAL, STORE_DIR);

    assertThat(narInfo.references()).isEmpty();
    assertThat(narInfo.toText()).contains("References: \n");
  }

  @Test
  void unknownDeriverMeansNoDeriver() {
    NarInfo narInfo = NarInfo.parse(MINIMAL + "Deriver: unknown-deriver\n", STORE_DIR);

    assertThat(narInfo.deriver()).isEmpty();
    assertThat(narInfo.toText()).doesNotContain("Deriver");
  }

  @Test
  void aDeriverMustBeADrvBaseName() {
    assertThatThrownBy(() -> NarInfo.parse(MINIMAL + "Deriver: zif5c57hay69q7xrnk73jwyscwsd74gm-rb-1.0\n", STORE_DIR))
        .isInstanceOf(NixFormatException.class)
        .hasMessage("line 6: Deriver: deriver 'zif5c57hay69q7xrnk73jwyscwsd74gm-rb-1.0' does not end in '.drv'");
  }

  @Test
  void everySigLineIsKeptInOrder() {
    NarInfo narInfo = NarInfo.parse(NixVectors.RC_ZSTD_SIGNED_BY_NIX_STORE_SIGN + lineOf(RC_SIGNED_XZ, "Sig"),
        STORE_DIR);

    assertThat(narInfo.sigs()).hasSize(2);
    assertThat(narInfo.sigs().get(0)).startsWith("cache.example.org-1:");
    assertThat(narInfo.sigs().get(1)).startsWith("test-1:");
  }

  @Test
  void theSameSigTwiceIsRejected() {
    assertThatThrownBy(() -> NarInfo.parse(RC_SIGNED_XZ + lineOf(RC_SIGNED_XZ, "Sig"), STORE_DIR))
        .isInstanceOf(NixFormatException.class)
        .hasMessageStartingWith("line 11: Sig: duplicate signature");
  }

  @Test
  void thirtyTwoSignaturesAreFineTheThirtyThirdIsRefused() {
    StringBuilder text = new StringBuilder(MINIMAL);
    for (int i = 0; i < 32; i++) {
      text.append("Sig: key-").append(i).append(':').append(fakeSignature(i)).append('\n');
    }
    assertThat(NarInfo.parse(text.toString(), STORE_DIR).sigs()).hasSize(32);

    text.append("Sig: key-32:").append(fakeSignature(32)).append('\n');
    assertThatThrownBy(() -> NarInfo.parse(text.toString(), STORE_DIR))
        .isInstanceOf(NixFormatException.class)
        .hasMessage("line 38: Sig: more than 32 signatures; a narinfo carries at most 32");
  }

  @Test
  void aSignatureFloodIsRefusedAtItsThirtyThirdLine() {
    // issue 15: 9,400 Sig lines were accepted and served
    StringBuilder text = new StringBuilder(MINIMAL);
    for (int i = 0; i < 9400; i++) {
      text.append("Sig: key-").append(i).append(':').append(fakeSignature(i)).append('\n');
    }

    assertThatThrownBy(() -> NarInfo.parse(text.toString(), STORE_DIR))
        .isInstanceOf(NixFormatException.class)
        .hasMessageStartingWith("line 38: Sig: more than 32 signatures");
  }

  @Test
  void aNarinfoBuiltWithMoreThan32SignaturesIsRefusedToo() {
    NarInfo narInfo = NarInfo.parse(MINIMAL, STORE_DIR);
    List<String> sigs = new ArrayList<>();
    for (int i = 0; i < 33; i++) {
      sigs.add("key-" + i + ":" + fakeSignature(i));
    }

    assertThatThrownBy(() -> narInfo.withSigs(sigs))
        .isInstanceOf(NixFormatException.class)
        .hasMessageContaining("more than 32 signatures");
    assertThatThrownBy(() -> narInfo.withAddedSigs(sigs))
        .isInstanceOf(NixFormatException.class)
        .hasMessageContaining("more than 32 signatures");
  }

  @Test
  void moreThan32UnknownFieldsAreRefused() {
    StringBuilder text = new StringBuilder(MINIMAL);
    for (int i = 0; i < 32; i++) {
      text.append("X-").append(i).append(": y\n");
    }
    assertThat(NarInfo.parse(text.toString(), STORE_DIR).extraFields()).hasSize(32);

    text.append("X-32: y\n");
    assertThatThrownBy(() -> NarInfo.parse(text.toString(), STORE_DIR))
        .isInstanceOf(NixFormatException.class)
        .hasMessage("line 38: X-32: more than 32 fields this parser does not know; a narinfo has at most 32");
  }

  /** A well-formed signature text (64 bytes, base64) that verifies against nothing. */
  private static String fakeSignature(final int i) {
    byte[] bytes = new byte[64];
    bytes[0] = (byte) i;
    bytes[1] = (byte) (i >> 8);
    return Base64.getEncoder().encodeToString(bytes);
  }

  @ParameterizedTest(name = "''{0}''")
  @ValueSource(strings = {
      "test-1",
      ":JTjGMBQEiebcIQ1K7LobgR8zVBf+zBy1EM/6hx6JvP5oHKK5iyfqpmJ7evnHRTOksSK8eBiL1pK2VItFSXw1AQ==",
      "test-1:not base64!",
      "test-1:JTjGMBQEiebcIQ1K7LobgR8zVBf+zBy1EM/6hx6JvP5oHKK5iyfqpmJ7evnHRTOksSK8eBiL1pK2VItFSXw1",
      "test-1:WWiYQCSysZmJpKy+AWvmHzE3ySdRyKALh6ZlQXAQEe8="
  })
  void aSigThatIsNotNameColonBase64Of64BytesIsRejected(final String sig) {
    assertThatThrownBy(() -> NarInfo.parse(MINIMAL + "Sig: " + sig + "\n", STORE_DIR))
        .isInstanceOf(NixFormatException.class)
        .hasMessageStartingWith("line 6: Sig: ");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "fixed:r:sha256:1c0g8dk8hyvfrl1xcrsp4hin01rlpsvznfb6p29xk3hx45h5xr5v",
      "fixed:sha256:1c0g8dk8hyvfrl1xcrsp4hin01rlpsvznfb6p29xk3hx45h5xr5v",
      "text:sha256:1c0g8dk8hyvfrl1xcrsp4hin01rlpsvznfb6p29xk3hx45h5xr5v",
      "fixed:git:sha1:2bmr66rrwxvbpqcyhknzqa1dgb3f3m1g"
  })
  void contentAddressesAreKeptVerbatim(final String ca) {
    assertThat(NarInfo.parse(MINIMAL + "CA: " + ca + "\n", STORE_DIR).ca()).hasValue(ca);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"sha256:1c0g8dk8hyvfrl1xcrsp4hin01rlpsvznfb6p29xk3hx45h5xr5v", "fixed:r:nonsense", "fixed:"})
  void aMalformedContentAddressIsRejected(final String ca) {
    assertThatThrownBy(() -> NarInfo.parse(MINIMAL + "CA: " + ca + "\n", STORE_DIR))
        .isInstanceOf(NixFormatException.class)
        .hasMessageStartingWith("line 6: CA: ");
  }

  @Test
  void unknownFieldsAreKeptInOrderAfterTheStandardOnes() {
    NarInfo narInfo = NarInfo.parse("System: x86_64-linux\n" + MINIMAL + "FooBar: baz\nSystem: again\n", STORE_DIR);

    assertThat(narInfo.extraFields()).containsExactly(
        new SimpleImmutableEntry<>("System", "x86_64-linux"),
        new SimpleImmutableEntry<>("FooBar", "baz"),
        new SimpleImmutableEntry<>("System", "again"));
    assertThat(narInfo.toText()).endsWith("References: \nSystem: x86_64-linux\nFooBar: baz\nSystem: again\n");
  }

  @Test
  void anEmptyUrlIsRejected() {
    assertThatThrownBy(() -> NarInfo.parse(MINIMAL.replaceAll("URL: .*\n", "URL: \n"), STORE_DIR))
        .isInstanceOf(NixFormatException.class)
        .hasMessage("line 2: URL: must not be empty");
  }

  @Test
  void aUrlWithASpaceIsRejected() {
    assertThatThrownBy(() -> NarInfo.parse(MINIMAL.replace("URL: nar/", "URL: nar/a "), STORE_DIR))
        .isInstanceOf(NixFormatException.class)
        .hasMessageContaining("contains whitespace");
  }

  @Test
  void absoluteUrlsAndQueryStringsAreAccepted() {
    NarInfo narInfo = NarInfo.parse(MINIMAL.replace("URL: nar/", "URL: http://127.0.0.1:8911/nar/") + "", STORE_DIR);
    NarInfo harmonia = NarInfo.parse(MINIMAL.replace(".nar\n", ".nar?hash=bgcwswhizdnd4vy4nka65illanb4k7if\n"),
        STORE_DIR);

    assertThat(narInfo.url()).startsWith("http://127.0.0.1:8911/nar/");
    assertThat(harmonia.url()).endsWith(".nar?hash=bgcwswhizdnd4vy4nka65illanb4k7if");
  }

  @ParameterizedTest(name = "U+{0}")
  @ValueSource(ints = {0x00, 0x09, 0x0d, 0x1b, 0x7f})
  void aControlCharacterInAValueIsRejected(final int control) {
    String text = MINIMAL + "System: x86_64" + (char) control + "linux\n";

    assertThatThrownBy(() -> NarInfo.parse(text, STORE_DIR))
        .isInstanceOf(NixFormatException.class)
        .hasMessageStartingWith("line 6: System: value contains control character");
  }

  @Test
  void aLineLongerThan64KiBIsRejected() {
    String text = MINIMAL + "System: " + repeat('x', NarInfo.MAX_LINE_LENGTH) + "\n";

    assertThatThrownBy(() -> NarInfo.parse(text, STORE_DIR))
        .isInstanceOf(NixFormatException.class)
        .hasMessage("line 6: line is longer than 65536 characters");
  }

  @Test
  void aReferencesLineLongerThan64KiBIsAcceptedForPathsWithThousandsOfReferences() {
    StringBuilder references = new StringBuilder("References:");
    for (int i = 0; i < 2000; i++) {
      references.append(' ').append(String.format("%032d", i).replace('e', 'f')).append("-dependency-").append(i);
    }
    String text = MINIMAL + references + "\n";

    NarInfo narInfo = NarInfo.parse(text, STORE_DIR);

    assertThat(narInfo.references()).hasSize(2000);
    assertThat(references.length()).isGreaterThan(NarInfo.MAX_LINE_LENGTH);
  }

  @Test
  void aNarinfoLargerThan1MiBIsRejected() {
    StringBuilder text = new StringBuilder(MINIMAL);
    while (text.length() <= NarInfo.MAX_TEXT_LENGTH) {
      text.append("System: ").append(repeat('x', 60000)).append('\n');
    }

    assertThatThrownBy(() -> NarInfo.parse(text.toString(), STORE_DIR))
        .isInstanceOf(NixFormatException.class)
        .hasMessageContaining("larger than 1048576");
  }

  @Test
  void aStreamIsReadAsUtf8() throws IOException {
    NarInfo narInfo = NarInfo.parse(new ByteArrayInputStream(RB_SIGNED_XZ.getBytes(StandardCharsets.UTF_8)),
        STORE_DIR);

    assertThat(narInfo.toText()).isEqualTo(RB_SIGNED_XZ);
  }

  @Test
  void aStreamWithInvalidUtf8IsRejected() {
    byte[] bytes = (MINIMAL + "System: \u00ff\n").getBytes(StandardCharsets.ISO_8859_1);

    assertThatThrownBy(() -> NarInfo.parse(new ByteArrayInputStream(bytes), STORE_DIR))
        .isInstanceOf(NixFormatException.class)
        .hasMessage("narinfo is not valid UTF-8");
  }

  @Test
  void anEndlessStreamIsCutOffJustAfter1MiB() {
    long[] served = {0};
    InputStream endless = new InputStream()
    {
      @Override
      public int read() {
        served[0]++;
        return 'x';
      }
    };

    assertThatThrownBy(() -> NarInfo.parse(endless, STORE_DIR))
        .isInstanceOf(NixFormatException.class)
        .hasMessageContaining("larger than 1048576 bytes");
    assertThat(served[0]).isEqualTo(NarInfo.MAX_TEXT_LENGTH + 1L);
  }

  @Test
  void fieldOrderDoesNotMatterWhenReading() {
    String[] lines = RC_SIGNED_XZ.split("\n");
    StringBuilder reversed = new StringBuilder();
    for (int i = lines.length - 1; i >= 0; i--) {
      reversed.append(lines[i]).append('\n');
    }

    assertThat(NarInfo.parse(reversed.toString(), STORE_DIR).toText()).isEqualTo(RC_SIGNED_XZ);
  }

  static String lineOf(final String text, final String field) {
    for (String line : text.split("\n")) {
      if (line.startsWith(field + ": ")) {
        return line + "\n";
      }
    }
    throw new IllegalArgumentException("no " + field + " in " + text);
  }
}
