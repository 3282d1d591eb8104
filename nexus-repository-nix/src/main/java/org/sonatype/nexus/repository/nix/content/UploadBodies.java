package org.sonatype.nexus.repository.nix.content;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;

import org.sonatype.nexus.repository.nix.http.NixRequestException;
import org.sonatype.nexus.repository.nix.http.RefusedBodyException;
import org.sonatype.nexus.repository.nix.http.ServiceUnavailability;
import org.sonatype.nexus.repository.view.Payload;
import org.sonatype.nexus.repository.view.payloads.TempBlob;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.google.common.io.ByteStreams;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.sonatype.nexus.repository.nix.http.NixRequestException.badRequest;
import static org.sonatype.nexus.repository.nix.http.NixRequestException.tooLarge;

/**
 * Reading request bodies the way Nix uploads need: bounded, complete, and never half-stored. A body that ends
 * before its Content-Length (a client that died, or Nix &le; 2.32 retrying a PUT with an empty body) is refused
 * with a 400 and leaves nothing behind.
 */
public final class UploadBodies
{
  /** A narinfo with thousands of references is a few hundred KiB; anything bigger is not a narinfo. */
  public static final int MAX_NARINFO_BYTES = 1024 * 1024;

  private static final JsonFactory JSON = new JsonFactory();

  private UploadBodies() {
  }

  /**
   * Streams the body into a temporary blob (deleted when closed unless stored), checking it arrived whole.
   */
  public static TempBlob ingest(final NixContentFacet content, final Payload payload, final String path) {
    TempBlob blob;
    try {
      blob = content.ingest(payload);
    }
    catch (IOException e) {
      throw refusedOrIncomplete(path, e);
    }
    catch (RuntimeException e) {
      if (isIoFailure(e)) {
        throw refusedOrIncomplete(path, e);
      }
      throw e;
    }
    long declared = payload.getSize();
    long received = blob.getBlob().getMetrics().getContentSize();
    if (declared >= 0 && declared != received) {
      blob.close();
      throw badRequest("upload of " + path.substring(1) + " ended after " + received + " of " + declared
          + " bytes (Content-Length); nothing was stored");
    }
    return blob;
  }

  /**
   * Reads a small text body (narinfo, nix-cache-info) as strict UTF-8, refusing more than {@code maxBytes}.
   */
  public static String readText(final Payload payload, final int maxBytes, final String what) throws IOException {
    if (payload.getSize() > maxBytes) {
      throw tooLarge(what + " is " + payload.getSize() + " bytes; at most " + maxBytes + " are accepted");
    }
    byte[] bytes;
    try (InputStream in = payload.openInputStream()) {
      bytes = ByteStreams.toByteArray(ByteStreams.limit(in, maxBytes + 1L));
    }
    catch (IOException e) {
      throw RefusedBodyException.refusalIn(e).orElseGet(() ->
          badRequest("upload of " + what + " did not complete (" + rootMessage(e) + "); nothing was stored"));
    }
    if (bytes.length > maxBytes) {
      throw tooLarge(what + " is larger than " + maxBytes + " bytes");
    }
    if (payload.getSize() >= 0 && payload.getSize() != bytes.length) {
      throw badRequest("upload of " + what + " ended after " + bytes.length + " of " + payload.getSize()
          + " bytes (Content-Length); nothing was stored");
    }
    try {
      return UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    }
    catch (CharacterCodingException e) {
      throw badRequest(what + " is not valid UTF-8");
    }
  }

  /**
   * Checks a stored body parses as JSON, streaming: listings of large NARs are megabytes.
   */
  public static void checkJson(final TempBlob blob, final String path) throws IOException {
    try (InputStream in = blob.get(); JsonParser parser = JSON.createParser(in)) {
      if (parser.nextToken() == null) {
        throw badRequest(path.substring(1) + " is empty; a JSON document was expected");
      }
      parser.skipChildren();
      if (parser.nextToken() != null) {
        throw badRequest(path.substring(1) + " has content after its JSON document");
      }
    }
    catch (JsonProcessingException e) {
      throw badRequest(path.substring(1) + " is not valid JSON: " + e.getOriginalMessage());
    }
  }

  /**
   * A body refused while it was read ({@link RefusedBodyException}, e.g. a Content-Encoding that does not decode)
   * gets its own answer, so does a blob store that could not store it ({@link ServiceUnavailability}: no space left);
   * any other failure means it did not arrive whole.
   */
  private static NixRequestException refusedOrIncomplete(final String path, final Exception e) {
    return RefusedBodyException.refusalIn(e)
        .or(() -> ServiceUnavailability.of(e))
        .orElseGet(() -> incomplete(path, e));
  }


  private static NixRequestException incomplete(final String path, final Exception e) {
    return badRequest("upload of " + path.substring(1) + " did not complete (" + rootMessage(e)
        + "); nothing was stored");
  }

  private static boolean isIoFailure(final Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IOException || t.getClass().getName().contains("Timeout")) {
        return true;
      }
    }
    return false;
  }

  private static String rootMessage(final Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
  }
}
