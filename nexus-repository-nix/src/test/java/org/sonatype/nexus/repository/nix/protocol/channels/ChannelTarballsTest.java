package org.sonatype.nexus.repository.nix.protocol.channels;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.sonatype.nexus.repository.nix.protocol.CorruptDataException;
import org.sonatype.nexus.repository.nix.protocol.Fixtures;
import org.sonatype.nexus.repository.nix.protocol.NixFormatException;
import org.sonatype.nexus.repository.nix.protocol.TestTarballs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sonatype.nexus.repository.nix.protocol.TestTarballs.channel;
import static org.sonatype.nexus.repository.nix.protocol.TestTarballs.tar;

/**
 * A channel tarball is what nix-channel's unpack-channel accepts: xz, tar, exactly one top-level directory.
 */
class ChannelTarballsTest
{
  @Test
  void aDirectoryWithExpressionsIsAChannelTarball() throws IOException {
    ChannelTarballs.Summary summary = check(channel("team-1.0").toTarXz());

    assertThat(summary.topLevelDirectory()).isEqualTo("team-1.0");
    assertThat(summary.entries()).isEqualTo(3);
    assertThat(summary.unpackedBytes()).isEqualTo("{ ... }: { hello = \"world\"; }\n".length() + "1.0\n".length());
  }

  @Test
  void theTopLevelDirectoryNeedNotHaveAnEntryOfItsOwn() throws IOException {
    assertThat(check(tar().file("src/default.nix", "{}").toTarXz()).topLevelDirectory()).isEqualTo("src");
  }

  @Test
  void entriesUnderDotSlashBelongToTheDirectoryTheyName() throws IOException {
    // tar -C parent -cJf x.tar.xz ./dir
    byte[] tarball = tar().directory("./").directory("./dir/").file("./dir/default.nix", "{}").toTarXz();

    assertThat(check(tarball).topLevelDirectory()).isEqualTo("dir");
  }

  @Test
  void relativeSymlinksInsideTheDirectoryAreFine() throws IOException {
    byte[] tarball = channel("dir").symlink("dir/lib", "default.nix").symlink("dir/abs", "/etc/hostname").toTarXz();

    assertThat(check(tarball).topLevelDirectory()).isEqualTo("dir");
  }

  @Test
  void twoTopLevelDirectoriesAreRefusedNamingBoth() {
    byte[] tarball = channel("a").directory("b/").toTarXz();

    assertThatThrownBy(() -> check(tarball))
        .isInstanceOf(NixFormatException.class)
        .hasMessageContaining("more than one top-level entry ('a', 'b')")
        .hasMessageContaining("exactly one top-level directory");
  }

  @Test
  void filesNextToTheDirectoryAreRefused() {
    // what tar -C dir -cJf x.tar.xz . produces for a directory with two files
    byte[] tarball = tar().directory("./").file("./default.nix", "{}").file("./.version", "1").toTarXz();

    assertThatThrownBy(() -> check(tarball))
        .isInstanceOf(NixFormatException.class)
        .hasMessageContaining("top-level entry 'default.nix' is not a directory");
  }

  @Test
  void aSingleTopLevelFileIsRefused() {
    assertThatThrownBy(() -> check(tar().file("default.nix", "{}").toTarXz()))
        .isInstanceOf(NixFormatException.class)
        .hasMessageContaining("is not a directory");
  }

  @Test
  void aTopLevelSymlinkIsRefused() {
    assertThatThrownBy(() -> check(tar().symlink("dir", "/nix/store").toTarXz()))
        .isInstanceOf(NixFormatException.class)
        .hasMessageContaining("top-level entry 'dir' is not a directory");
  }

  @Test
  void anEmptyArchiveIsRefused() {
    assertThatThrownBy(() -> check(tar().toTarXz()))
        .isInstanceOf(NixFormatException.class)
        .hasMessageContaining("the tarball is empty");
  }

  @Test
  void absoluteEntriesAreRefused() {
    assertThatThrownBy(() -> check(tar().rawFile("/etc/passwd").toTarXz()))
        .isInstanceOf(NixFormatException.class)
        .hasMessageContaining("'/etc/passwd' is an absolute path");
  }

  @Test
  void dotDotEntriesAreRefused() {
    assertThatThrownBy(() -> check(channel("dir").rawFile("dir/../../evil").toTarXz()))
        .isInstanceOf(NixFormatException.class)
        .hasMessageContaining("'dir/../../evil' has a '..' segment");
  }

  @Test
  void hardLinksOutOfTheArchiveAreRefused() {
    assertThatThrownBy(() -> check(channel("dir").hardLink("dir/passwd", "/etc/passwd").toTarXz()))
        .isInstanceOf(NixFormatException.class)
        .hasMessageContaining("hard link target");
  }

  @Test
  void theDirectoryMustHoldDefaultNix() {
    assertThatThrownBy(() -> check(tar().directory("dir/").file("dir/lib.nix", "{}").toTarXz()))
        .isInstanceOf(NixFormatException.class)
        .hasMessageContaining("the tarball's directory 'dir' has no default.nix");
    assertThatThrownBy(() -> check(tar().file("dir/sub/default.nix", "{}").toTarXz()))
        .isInstanceOf(NixFormatException.class)
        .hasMessageContaining("has no default.nix");
    assertThatThrownBy(() -> check(tar().directory("dir/").file("dir/x.nix", "{}")
        .symlink("dir/default.nix", "x.nix").toTarXz()))
        .isInstanceOf(NixFormatException.class)
        .hasMessageContaining("'dir/default.nix' is not a regular file");
  }

  @Test
  void whatNixCannotStoreOrWouldUnpackDependingOnOrderIsRefused() {
    // nix-channel unpacks into its store: a FIFO cannot go there, a second entry of a name replaces the first
    assertThatThrownBy(() -> check(channel("dir").fifo("dir/pipe").toTarXz()))
        .isInstanceOf(NixFormatException.class)
        .hasMessageContaining("'dir/pipe' is a device or FIFO");
    assertThatThrownBy(() -> check(channel("dir").file("dir/default.nix", "{ other = 1; }").toTarXz()))
        .isInstanceOf(NixFormatException.class)
        .hasMessageContaining("two entries named 'dir/default.nix'");
    assertThatThrownBy(() -> check(channel("dir").symlink("dir/etc", "/etc").file("dir/etc/cron", "x").toTarXz()))
        .isInstanceOf(NixFormatException.class)
        .hasMessageContaining("is inside 'dir/etc', which is not a directory");
    assertThatThrownBy(() -> check(channel("dir").hardLink("dir/x", "dir/missing").toTarXz()))
        .isInstanceOf(NixFormatException.class)
        .hasMessageContaining("not a regular file earlier in the archive");
  }

  @Test
  void aGzipTarballIsNotXz() {
    assertThatThrownBy(() -> check(channel("dir").toTarGz()))
        .isInstanceOf(NixFormatException.class)
        .hasMessageContaining("not an xz-compressed tarball");
  }

  @Test
  void anUncompressedTarIsNotXz() {
    assertThatThrownBy(() -> check(channel("dir").toTar()))
        .isInstanceOf(NixFormatException.class)
        .hasMessageContaining("not an xz-compressed tarball");
  }

  @Test
  void anEmptyBodyIsNotXz() {
    assertThatThrownBy(() -> check(new byte[0]))
        .isInstanceOf(NixFormatException.class)
        .hasMessageContaining("not an xz-compressed tarball");
  }

  @Test
  void xzOfSomethingElseIsNotATarArchive() {
    byte[] text = "{ ... }: { hello = \"world\"; }\n".repeat(40).getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> check(TestTarballs.xz(text)))
        .isInstanceOf(NixFormatException.class)
        .hasMessageContaining("not a tar archive");
  }

  @Test
  void aTruncatedTarballIsRefused() {
    byte[] whole = channel("dir").file("dir/big.nix", "x".repeat(100_000)).toTarXz();
    byte[] truncated = Arrays.copyOf(whole, whole.length - 20);

    assertThatThrownBy(() -> check(truncated))
        .isInstanceOf(NixFormatException.class)
        .hasMessageContaining("not an xz-compressed tarball");
  }

  @Test
  void bytesAfterTheXzStreamAreRefused() {
    byte[] tarball = Fixtures.concat(channel("dir").toTarXz(), "garbage".getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(() -> check(tarball))
        .isInstanceOf(NixFormatException.class)
        .hasMessageContaining("not an xz-compressed tarball");
  }

  @Test
  void aFailingSourceIsAnIoErrorNotTheSendersFault() {
    byte[] tarball = channel("dir").toTarXz();
    InputStream failing = new InputStream()
    {
      private final InputStream in = new ByteArrayInputStream(tarball, 0, tarball.length / 2);

      @Override
      public int read() throws IOException {
        int b = in.read();
        if (b < 0) {
          throw new IOException("connection reset");
        }
        return b;
      }
    };

    assertThatThrownBy(() -> ChannelTarballs.check(failing))
        .isInstanceOf(IOException.class)
        .isNotInstanceOf(CorruptDataException.class)
        .hasMessage("connection reset");
  }

  private static ChannelTarballs.Summary check(final byte[] tarball) throws IOException {
    return ChannelTarballs.check(new ByteArrayInputStream(tarball));
  }
}
