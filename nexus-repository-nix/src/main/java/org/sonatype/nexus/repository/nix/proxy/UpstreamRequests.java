package org.sonatype.nexus.repository.nix.proxy;

import java.io.IOException;
import java.net.URI;
import java.util.Optional;

import javax.annotation.Nullable;

import org.sonatype.nexus.repository.httpclient.RemoteBlockedIOException;

import org.apache.http.Header;
import org.apache.http.HttpHeaders;
import org.apache.http.HttpHost;
import org.apache.http.HttpResponse;
import org.apache.http.auth.AuthScope;
import org.apache.http.auth.Credentials;
import org.apache.http.client.CredentialsProvider;
import org.apache.http.client.HttpClient;
import org.apache.http.client.methods.HttpGet;
import org.apache.http.client.methods.HttpHead;
import org.apache.http.client.methods.HttpRequestBase;
import org.apache.http.client.params.ClientPNames;
import org.apache.http.client.protocol.HttpClientContext;
import org.apache.http.client.utils.URIUtils;
import org.apache.http.protocol.BasicHttpContext;

import static com.google.common.base.Preconditions.checkNotNull;

/**
 * The one way out of a Nix proxy: sends the repository's requests to its upstreams, one hop at a time. Before the
 * first URL and every redirect target, in this order: nothing goes out while the repository is blocked or
 * auto-blocked ({@link UpstreamGate}, whatever the host); the URL must be on one of the repository's
 * {@link UpstreamOrigins}. The remote's credentials go only to the remote's own origin, and the outcome of each hop
 * is recorded for auto-blocking.
 *
 * <p>Nexus's HTTP client would follow redirects by itself, to any host, with the remote's credentials: Nexus 3.71
 * registers a repository's username and password for every host ({@code AuthScope.ANY}) and, with preemptive
 * authentication on, sends them unasked to whatever host a request goes to. So every upstream request of a Nix
 * proxy (narinfos, NARs, {@code nix-cache-info}, channels, the flake registry) goes through here.
 */
// request parameters: the one way to turn off redirects and keep the client's other defaults (timeouts, auth schemes)
@SuppressWarnings("deprecation")
public final class UpstreamRequests
{
  /** As many as Nix (curl) follows. */
  public static final int MAX_REDIRECTS = 10;

  private final HttpClient client;

  private final UpstreamOrigins origins;

  private final UpstreamGate gate;

  UpstreamRequests(final HttpClient client, final UpstreamOrigins origins, final UpstreamGate gate) {
    this.client = checkNotNull(client);
    this.origins = checkNotNull(origins);
    this.gate = checkNotNull(gate);
  }

  /** A response and the URL that answered it, after {@code redirects} redirects. */
  public static final class Followed
  {
    private final HttpResponse response;

    private final URI url;

    private final int redirects;

    Followed(final HttpResponse response, final URI url, final int redirects) {
      this.response = response;
      this.url = url;
      this.redirects = redirects;
    }

    public HttpResponse response() {
      return response;
    }

    public URI url() {
      return url;
    }

    public int redirects() {
      return redirects;
    }
  }

  /**
   * One request as it is, no redirect followed: a 3xx comes back to the caller.
   *
   * @throws RemoteBlockedIOException    if the repository is blocked or auto-blocked (nothing is sent)
   * @throws RefusedUpstreamUrlException if the URL is not on one of the repository's upstream origins (nothing is
   *                                     sent)
   */
  public HttpResponse send(final HttpRequestBase request) throws IOException {
    return send(request, null);
  }

  /**
   * A GET or HEAD, following up to {@value #MAX_REDIRECTS} redirects, each checked before it is followed. The
   * request's headers (conditional ones, for instance) go along, as Apache's client would send them.
   *
   * @throws RemoteBlockedIOException    if the repository is blocked or auto-blocked, before the first request or a
   *                                     redirect hop (that hop is not sent)
   * @throws RefusedUpstreamUrlException if the URL or a redirect target is not on one of the repository's upstream
   *                                     origins, or the upstream redirects too often
   */
  public Followed follow(final HttpRequestBase request) throws IOException {
    HttpRequestBase current = request;
    URI redirectedFrom = null;
    for (int redirects = 0; ; redirects++) {
      URI url = current.getURI();
      HttpResponse response = send(current, redirectedFrom);
      int status = response.getStatusLine().getStatusCode();
      if (!isRedirect(status)) {
        return new Followed(response, url, redirects);
      }
      Header location = response.getFirstHeader(HttpHeaders.LOCATION);
      UpstreamResponses.abandon(response);
      if (location == null) {
        throw new RefusedUpstreamUrlException("the upstream answered " + url + " with " + status
            + " but no Location to follow");
      }
      if (redirects == MAX_REDIRECTS) {
        throw new RefusedUpstreamUrlException("the upstream redirected " + request.getURI() + " more than "
            + MAX_REDIRECTS + " times");
      }
      current = next(current, resolve(url, location.getValue()));
      redirectedFrom = url;
    }
  }

  /**
   * One hop: nothing while the repository is blocked or auto-blocked, whatever the URL; then only to one of its
   * origins; its outcome recorded for auto-blocking.
   *
   * @param redirectedFrom the URL whose redirect this hop follows, or null for a first request
   */
  private HttpResponse send(final HttpRequestBase request, @Nullable final URI redirectedFrom) throws IOException {
    URI url = request.getURI();
    gate.checkOpen();
    Optional<String> refusal = origins.refusal(url);
    if (refusal.isPresent()) {
      throw new RefusedUpstreamUrlException(redirectedFrom == null
          ? "refused to fetch " + url + ": " + refusal.get()
          : "the upstream redirected " + redirectedFrom + " to " + url + ", which was not followed: "
              + refusal.get());
    }
    // the client's own settings (timeouts, cookies, authentication schemes) stay; only its redirects are off
    request.getParams().setBooleanParameter(ClientPNames.HANDLE_REDIRECTS, false);
    HttpClientContext context = HttpClientContext.create();
    if (!origins.isRemote(url)) {
      request.removeHeaders(HttpHeaders.AUTHORIZATION);
      context = withoutCredentialsFor(URIUtils.extractHost(url));
    }
    HttpResponse response;
    try {
      response = client.execute(request, context);
    }
    catch (IOException e) {
      gate.failed(request, e);
      throw e;
    }
    gate.answered(request, response);
    return response;
  }

  private static boolean isRedirect(final int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  private static URI resolve(final URI base, final String location) throws RefusedUpstreamUrlException {
    try {
      return base.resolve(new URI(location.trim()));
    }
    catch (Exception e) {
      throw new RefusedUpstreamUrlException("the upstream redirected " + base + " to '" + location
          + "', which is not a URL");
    }
  }

  /** The next hop: HEAD stays HEAD, anything else is a GET; headers go along, credentials never. */
  private static HttpRequestBase next(final HttpRequestBase previous, final URI target) {
    HttpRequestBase next = "HEAD".equals(previous.getMethod()) ? new HttpHead(target) : new HttpGet(target);
    for (Header header : previous.getAllHeaders()) {
      if (!HttpHeaders.AUTHORIZATION.equalsIgnoreCase(header.getName())
          && !HttpHeaders.HOST.equalsIgnoreCase(header.getName())) {
        next.addHeader(header);
      }
    }
    return next;
  }

  /**
   * A context whose credentials provider, once the client has installed its own, answers nothing for
   * {@code target}: neither a challenge nor the preemptive interceptor Nexus adds finds the remote's credentials,
   * while an HTTP proxy's own credentials (scoped to the proxy's host) still work.
   */
  private static HttpClientContext withoutCredentialsFor(final HttpHost target) {
    return new HttpClientContext(new BasicHttpContext()
    {
      @Override
      public void setAttribute(final String id, final Object value) {
        super.setAttribute(id, HttpClientContext.CREDS_PROVIDER.equals(id) && value instanceof CredentialsProvider
            ? new WithheldFor(target, (CredentialsProvider) value)
            : value);
      }
    });
  }

  /** Credentials for every host but one. */
  private static final class WithheldFor
      implements CredentialsProvider
  {
    private final HttpHost target;

    private final CredentialsProvider delegate;

    WithheldFor(final HttpHost target, final CredentialsProvider delegate) {
      this.target = target;
      this.delegate = delegate instanceof WithheldFor ? ((WithheldFor) delegate).delegate : delegate;
    }

    @Override
    public Credentials getCredentials(final AuthScope scope) {
      if (scope.getHost() == null || scope.getHost().equalsIgnoreCase(target.getHostName())) {
        return null;
      }
      return delegate.getCredentials(scope);
    }

    @Override
    public void setCredentials(final AuthScope scope, final Credentials credentials) {
      throw new UnsupportedOperationException("read-only");
    }

    @Override
    public void clear() {
      throw new UnsupportedOperationException("read-only");
    }
  }
}
