package org.sonatype.nexus.repository.nix.proxy;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

import org.sonatype.nexus.repository.nix.content.NixAssetKind;
import org.sonatype.nexus.repository.nix.protocol.NixHash;
import org.sonatype.nexus.repository.nix.protocol.NixHashType;
import org.sonatype.nexus.repository.view.Payload;

import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import org.apache.http.HttpResponse;

/**
 * A NAR fetched for its name alone ({@code nar/<FileHash>.nar<ext>}, e.g. the archive a debuginfo index points at),
 * which no narinfo of the proxy describes: passed through to the client as it arrives and checked at its end
 * against the file hash its name carries. A file that does not match fails the client's last read, so the client
 * sees a broken transfer rather than a complete wrong file. Not cached: a NAR is cached with its narinfo.
 */
class NamedNarPayload
    implements Payload
{
  private final String path;

  private final NixHash fileHash;

  private final HttpResponse response;

  NamedNarPayload(final String path, final NixHash fileHash, final HttpResponse response) {
    this.path = path;
    this.fileHash = fileHash;
    this.response = response;
  }

  @Override
  public InputStream openInputStream() throws IOException {
    return new FilterInputStream(UpstreamResponses.body(response))
    {
      private final Hasher sha256 = Hashing.sha256().newHasher();

      private boolean finished;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(final byte[] buffer, final int offset, final int length) throws IOException {
        if (finished) {
          return -1;
        }
        int n = super.read(buffer, offset, length);
        if (n < 0) {
          finished = true;
          NixHash received = NixHash.of(NixHashType.SHA256, sha256.hash().asBytes());
          if (!received.equals(fileHash)) {
            throw new IOException("NAR " + path.substring(1) + " from the upstream hashes to " + received
                + ", not to the file hash its name says");
          }
          return -1;
        }
        sha256.putBytes(buffer, offset, n);
        return n;
      }

      @Override
      public long skip(final long n) throws IOException {
        // skipping (a Range request) must still hash what is skipped
        byte[] buffer = new byte[(int) Math.min(64 * 1024, Math.max(n, 1))];
        long skipped = 0;
        while (skipped < n) {
          int r = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
          if (r < 0) {
            break;
          }
          skipped += r;
        }
        return skipped;
      }

      @Override
      public boolean markSupported() {
        return false;
      }
    };
  }

  @Override
  public long getSize() {
    return response.getEntity() != null ? response.getEntity().getContentLength() : UNKNOWN_SIZE;
  }

  @Override
  public String getContentType() {
    return NixAssetKind.NAR.contentType();
  }

  @Override
  public void close() {
    UpstreamResponses.abandon(response);
  }
}
