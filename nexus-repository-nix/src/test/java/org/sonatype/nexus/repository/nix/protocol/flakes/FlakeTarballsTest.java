package org.sonatype.nexus.repository.nix.protocol.flakes;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sonatype.nexus.repository.nix.protocol.Fixtures;
import org.sonatype.nexus.repository.nix.protocol.NixFormatException;
import org.sonatype.nexus.repository.nix.protocol.NixHash;
import org.sonatype.nexus.repository.nix.protocol.TestTarballs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sonatype.nexus.repository.nix.protocol.TestTarballs.flake;
import static org.sonatype.nexus.repository.nix.protocol.TestTarballs.tar;

/**
 * A flake tarball holds one directory with flake.nix; its NAR hash is what Nix 2.8 records as the input's narHash.
 *
 * The three fixtures under {@code flakes/} were made with GNU tar 1.34 and hashed by the real Nix 2.8.0:
 * {@code nix flake metadata --json file://<fixture>} printed the {@code locked.narHash} asserted here, and
 * {@code nix hash path} of the directory before packing printed the same.
 * <ul>
 * <li>{@code v1-mytool.tar.gz} ({@code tar --sort=name -czf}): nested and empty directories, an executable script,
 * an empty file, a relative and an absolute symlink; the directory's own mtime (1600000000) is older than its
 * entries' (newest: {@code mytool/sub}, 1700000123);</li>
 * <li>{@code v2-src.tar.xz} ({@code tar -cJf ... ./src}): a {@code ./} entry and {@code ./} prefixes, a 168,894-byte
 * file with mode 0700 and a hard link to it, names whose byte order differs from Java's String order
 * ({@code B}, {@code a}, {@code a b}, {@code ä}, U+E000, U+1F600), newest mtime 1720000000 ({@code src/a});</li>
 * <li>{@code v3-top.tar.zst} ({@code tar --no-recursion --zstd -cf ... top/flake.nix top/lib/x.nix}): no entry for
 * the top-level directory or {@code lib/} itself, an executable with mode 0744, all mtimes 1690000000.</li>
 * </ul>
 */
class FlakeTarballsTest
{
  @TempDir
  Path spool;

  @Test
  void theNarHashOfAGzipFlakeIsWhatNixRecords() throws IOException {
    FlakeSource source = readFixture("v1-mytool.tar.gz", FlakeArchive.TAR_GZ);

    assertThat(source.narHash().toSri()).isEqualTo("sha256-RBFH6l9xCXLXYA+sVfJiTWj6orR4l/uBq7SEloY8zVo=");
    assertThat(source.topLevelDirectory()).isEqualTo("mytool");
    assertThat(source.entries()).isEqualTo(10);
    assertThat(source.lastModified()).isEqualTo(1700000123L);
  }

  @Test
  void theNarHashOfAnXzFlakeWithHardLinksAndUnicodeNamesIsWhatNixRecords() throws IOException {
    FlakeSource source = readFixture("v2-src.tar.xz", FlakeArchive.TAR_XZ);

    assertThat(source.narHash().toSri()).isEqualTo("sha256-j1EKi9Jn4wp3fXeQkrirEM6ax+0uhMlogRTd8GZDFig=");
    assertThat(source.topLevelDirectory()).isEqualTo("src");
    assertThat(source.lastModified()).isEqualTo(1720000000L);
    assertThat(source.unpackedBytes()).isEqualTo(168_894L + 210 + 6 * 2);
  }

  @Test
  void theNarHashOfAZstdFlakeWithoutDirectoryEntriesIsWhatNixRecords() throws IOException {
    FlakeSource source = readFixture("v3-top.tar.zst", FlakeArchive.TAR_ZST);

    assertThat(source.narHash().toSri()).isEqualTo("sha256-arlKyfIF3eoIEGfHptP6zsg8ImfXMVpX9xnZBFvi+rY=");
    assertThat(source.topLevelDirectory()).isEqualTo("top");
    assertThat(source.lastModified()).isEqualTo(1690000000L);
  }

  @Test
  void theSameTreeHashesTheSameWhateverTheCompressionAndEntryOrder() throws IOException {
    TestTarballs ordered = flake("f").directory("f/lib/").file("f/lib/a.nix", "a").executable("f/run", "#!/bin/sh");
    TestTarballs shuffled = tar().executable("f/run", "#!/bin/sh").file("f/lib/a.nix", "a")
        .file("f/flake.nix", "{ outputs = { self }: { }; }\n");

    NixHash gz = read(ordered.toTarGz(), FlakeArchive.TAR_GZ).narHash();

    assertThat(read(ordered.toTarXz(), FlakeArchive.TAR_XZ).narHash()).isEqualTo(gz);
    assertThat(read(ordered.toTarZst(), FlakeArchive.TAR_ZST).narHash()).isEqualTo(gz);
    assertThat(read(shuffled.toTarGz(), FlakeArchive.TAR_GZ).narHash()).isEqualTo(gz);
  }

  @Test
  void theExecutableBitChangesTheHash() throws IOException {
    NixHash plain = read(flake("f").file("f/run", "x").toTarGz(), FlakeArchive.TAR_GZ).narHash();
    NixHash executable = read(flake("f").executable("f/run", "x").toTarGz(), FlakeArchive.TAR_GZ).narHash();

    assertThat(executable).isNotEqualTo(plain);
  }

  @Test
  void theSpoolIsGoneAfterwards() throws IOException {
    read(flake("f").file("f/big", "x".repeat(200_000)).toTarGz(), FlakeArchive.TAR_GZ);

    try (var left = Files.list(spool)) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void aTarballWithoutFlakeNixIsRefused() {
    assertRefused(tar().directory("f/").file("f/default.nix", "{}").toTarGz(), "'f' has no flake.nix");
  }

  @Test
  void flakeNixMustBeAtTheTopOfTheDirectory() {
    assertRefused(tar().file("f/sub/flake.nix", "{}").toTarGz(), "'f' has no flake.nix");
  }

  @Test
  void flakeNixMustBeAFile() {
    assertRefused(tar().directory("f/").directory("f/flake.nix/").toTarGz(), "'f/flake.nix' is not a regular file");
  }

  @Test
  void twoTopLevelDirectoriesAreRefusedNamingBoth() {
    assertRefused(flake("a").directory("b/").toTarGz(), "more than one top-level entry ('a', 'b')");
  }

  @Test
  void aFileNextToTheDirectoryIsRefused() {
    assertRefused(flake("a").file("README", "x").toTarGz(), "more than one top-level entry ('a', 'README')");
  }

  @Test
  void aTopLevelFileIsRefused() {
    assertRefused(tar().file("flake.nix", "{}").toTarGz(), "top-level entry 'flake.nix' is not a directory");
  }

  @Test
  void anEmptyArchiveIsRefused() {
    assertRefused(tar().toTarGz(), "the tarball is empty");
  }

  @Test
  void absoluteAndDotDotEntriesAreRefused() {
    assertRefused(flake("f").rawFile("/etc/passwd").toTarGz(), "is an absolute path");
    assertRefused(flake("f").rawFile("f/../../evil").toTarGz(), "has a '..' segment");
  }

  @Test
  void hardLinksMustPointAtAnEarlierFile() {
    assertRefused(flake("f").hardLink("f/passwd", "/etc/passwd").toTarGz(), "hard link target");
    assertRefused(flake("f").hardLink("f/x", "f/missing").toTarGz(), "not a regular file earlier in the archive");
  }

  @Test
  void fifosAreRefused() {
    assertRefused(flake("f").fifo("f/pipe").toTarGz(), "'f/pipe' is a device or FIFO");
  }

  @Test
  void entriesInsideAFileOrSymlinkAreRefused() {
    assertRefused(flake("f").file("f/a", "x").file("f/a/b", "y").toTarGz(), "is inside 'f/a', which is not a "
        + "directory");
    assertRefused(flake("f").symlink("f/l", "/etc").file("f/l/passwd", "y").toTarGz(), "is inside 'f/l'");
  }

  @Test
  void aNameTwiceIsRefusedButADirectoryMayBeNamedAgain() throws IOException {
    assertRefused(flake("f").file("f/a", "x").file("f/a", "y").toTarGz(), "two entries named 'f/a'");

    assertThat(read(flake("f").file("f/d/x", "x").directory("f/d/").toTarGz(), FlakeArchive.TAR_GZ)
        .topLevelDirectory()).isEqualTo("f");
  }

  @Test
  void theCompressionMustBeTheOneTheNameSays() {
    assertRefused(flake("f").toTarGz(), FlakeArchive.TAR_XZ, "not an xz-compressed tarball");
    assertRefused(flake("f").toTarXz(), FlakeArchive.TAR_ZST, "not a zstd-compressed tarball");
    assertRefused(flake("f").toTar(), FlakeArchive.TAR_GZ, "not a gzip-compressed tarball");
  }

  @Test
  void aZstdTarballWithAFewBytesAfterItsFrameIsRefused() {
    // zstd-jni alone reads it as complete; Nix says "Truncated zstd input"
    assertRefused(Fixtures.concat(flake("f").toTarZst(), new byte[]{'Q', 'Q'}), FlakeArchive.TAR_ZST,
        "not a zstd-compressed tarball: corrupt or truncated zstd stream: it ends inside a frame");
  }

  @Test
  void hardLinksCannotMakeTheNarHashReadGigabytes() {
    // 1 MiB of file and 2,048 more names for it: without the hard links counted, the NAR hash would read 2 GiB
    TestTarballs tarball = flake("f").file("f/big", "x".repeat(1 << 20));
    for (int i = 0; i < 2048; i++) {
      tarball.hardLink("f/link-" + i, "f/big");
    }

    // refused while the archive is read, before the NAR is serialised
    assertRefused(tarball.toTarGz(), "the tarball unpacks to more than 2048 MiB");
  }

  private FlakeSource readFixture(final String name, final FlakeArchive archive) throws IOException {
    return read(Fixtures.bytes("flakes/" + name), archive);
  }

  private FlakeSource read(final byte[] tarball, final FlakeArchive archive) throws IOException {
    return FlakeTarballs.read(new ByteArrayInputStream(tarball), archive, spool);
  }

  private void assertRefused(final byte[] tarball, final String message) {
    assertRefused(tarball, FlakeArchive.TAR_GZ, message);
  }

  private void assertRefused(final byte[] tarball, final FlakeArchive archive, final String message) {
    assertThatThrownBy(() -> read(tarball, archive))
        .isInstanceOf(NixFormatException.class)
        .hasMessageContaining(message);
  }
}
