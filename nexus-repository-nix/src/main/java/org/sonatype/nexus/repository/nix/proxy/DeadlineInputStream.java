package org.sonatype.nexus.repository.nix.proxy;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * An upstream body that must arrive whole within a time limit: the socket timeout only bounds the silence between
 * two bytes, and an upstream that trickles a byte a second would hold a request (and a server thread) for as long as
 * it likes.
 */
class DeadlineInputStream
    extends FilterInputStream
{
  private final long deadline;

  private final Duration limit;

  DeadlineInputStream(final InputStream in, final Duration limit) {
    super(in);
    this.limit = limit;
    this.deadline = System.nanoTime() + limit.toNanos();
  }

  @Override
  public int read() throws IOException {
    checkDeadline();
    return super.read();
  }

  @Override
  public int read(final byte[] buffer, final int offset, final int length) throws IOException {
    checkDeadline();
    return super.read(buffer, offset, length);
  }

  @Override
  public long skip(final long n) throws IOException {
    checkDeadline();
    return super.skip(n);
  }

  private void checkDeadline() throws SocketTimeoutException {
    if (System.nanoTime() - deadline > 0) {
      throw new SocketTimeoutException("the upstream did not send the whole body within " + limit.getSeconds() + " s");
    }
  }
}
