package org.sonatype.nexus.repository.nix.protocol;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * Files under src/test/resources in this package, written by the real tools (see each test).
 */
public final class Fixtures
{
  private Fixtures() {
  }

  public static byte[] bytes(final String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + name);
      }
      return readAll(in);
    }
    catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static byte[] readAll(final InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[4096];
    int n;
    while ((n = in.read(buffer)) >= 0) {
      out.write(buffer, 0, n);
    }
    return out.toByteArray();
  }

  public static byte[] concat(final byte[] a, final byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
