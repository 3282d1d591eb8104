package org.sonatype.nexus.repository.nix.proxy;

import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

import javax.annotation.Nullable;

import org.sonatype.nexus.repository.view.Payload;

import org.apache.http.Header;
import org.apache.http.HttpEntity;
import org.apache.http.HttpResponse;
import org.apache.http.conn.EofSensorInputStream;

/**
 * Letting go of upstream responses without reading what is left of them. Apache's HTTP client (and Nexus's payload on
 * top of it) reads a response to its end before releasing the connection, to reuse it; for an upstream that trickles
 * bytes, or a gigabyte NAR a client stopped reading, that holds a server thread for as long as the upstream likes.
 * Abandoning closes the connection instead.
 */
public final class UpstreamResponses
{
  private UpstreamResponses() {
  }

  /** Closes the response's connection without reading the rest of its body. */
  public static void abandon(@Nullable final HttpResponse response) {
    if (response != null && response.getEntity() != null) {
      try {
        InputStream content = response.getEntity().getContent();
        if (content instanceof EofSensorInputStream) {
          ((EofSensorInputStream) content).abortConnection();
        }
      }
      catch (IOException | IllegalStateException e) {
        // already consumed or closed
      }
    }
    if (response instanceof Closeable) {
      try {
        ((Closeable) response).close();
      }
      catch (IOException e) {
        // nothing more to release
      }
    }
  }

  /**
   * An upstream body whose {@code close()} before the end abandons the connection instead of reading the rest (which
   * is what closing Apache's own stream does).
   */
  public static InputStream body(final HttpResponse response) throws IOException {
    InputStream content = response.getEntity().getContent();
    return new FilterInputStream(content)
    {
      private boolean ended;

      @Override
      public int read() throws IOException {
        int b = super.read();
        ended |= b < 0;
        return b;
      }

      @Override
      public int read(final byte[] buffer, final int offset, final int length) throws IOException {
        int n = super.read(buffer, offset, length);
        ended |= n < 0;
        return n;
      }

      @Override
      public void close() throws IOException {
        if (!ended && content instanceof EofSensorInputStream) {
          ((EofSensorInputStream) content).abortConnection();
        }
        else {
          super.close();
        }
      }
    };
  }

  /** An upstream body as a payload that, when closed, abandons whatever was not read. */
  static Payload payload(final HttpResponse response) {
    return new Payload()
    {
      private final HttpEntity entity = response.getEntity();

      @Override
      public InputStream openInputStream() throws IOException {
        return body(response);
      }

      @Override
      public long getSize() {
        return entity.getContentLength();
      }

      @Nullable
      @Override
      public String getContentType() {
        Header type = entity.getContentType();
        return type != null ? type.getValue() : null;
      }

      @Override
      public void close() {
        abandon(response);
      }
    };
  }
}
