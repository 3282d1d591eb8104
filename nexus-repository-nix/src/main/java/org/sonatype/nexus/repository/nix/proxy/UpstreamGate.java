package org.sonatype.nexus.repository.nix.proxy;

import java.io.IOException;

import org.sonatype.nexus.repository.httpclient.RemoteBlockedIOException;

import org.apache.http.HttpResponse;
import org.apache.http.client.methods.HttpUriRequest;

/**
 * The repository's part in each request {@link UpstreamRequests} sends: whether anything may go out now, and what
 * each answer or failure says about the upstream. A proxy's is its {@link NixUpstreamGateFacet} (blocked, auto-block).
 */
interface UpstreamGate
{
  /**
   * Asked before every request and every redirect hop, whatever its host, before anything else.
   *
   * @throws RemoteBlockedIOException if no request may go out now, saying why
   */
  void checkOpen() throws RemoteBlockedIOException;

  /** {@code request} was answered with {@code response}. */
  void answered(HttpUriRequest request, HttpResponse response);

  /** {@code request} got no answer. */
  void failed(HttpUriRequest request, IOException e);
}
