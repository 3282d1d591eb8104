package org.sonatype.nexus.repository.nix.proxy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.sonatype.nexus.httpclient.PreemptiveAuthHttpRequestInterceptor;
import org.sonatype.nexus.repository.httpclient.RemoteBlockedIOException;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.apache.http.HttpResponse;
import org.apache.http.auth.AuthScope;
import org.apache.http.auth.UsernamePasswordCredentials;
import org.apache.http.client.methods.HttpGet;
import org.apache.http.client.methods.HttpUriRequest;
import org.apache.http.impl.client.BasicCredentialsProvider;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.util.EntityUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Against an Apache client set up as Nexus 3.71 sets up a proxy repository's client with a username and password
 * and preemptive authentication ({@code ConfigurationCustomizer}: the credentials for {@code AuthScope.ANY} and
 * {@code PreemptiveAuthHttpRequestInterceptor}), redirects on: the remote, another origin, and a third.
 */
class UpstreamRequestsTest
{
  private Origin remote;

  private Origin allowed;

  private Origin stranger;

  private CloseableHttpClient client;

  private RecordingGate gate;

  /** A gate that is open until closed, and records what it was told. */
  static final class RecordingGate
      implements UpstreamGate
  {
    volatile String closedBecause;

    /** Closes after this many answers (a concurrent request's failure auto-blocking the repository meanwhile). */
    volatile int closeAfterAnswers = Integer.MAX_VALUE;

    final List<String> outcomes = new CopyOnWriteArrayList<>();

    @Override
    public void checkOpen() throws RemoteBlockedIOException {
      if (closedBecause != null) {
        throw new RemoteBlockedIOException(closedBecause);
      }
    }

    @Override
    public void answered(final HttpUriRequest request, final HttpResponse response) {
      outcomes.add(response.getStatusLine().getStatusCode() + " " + request.getURI());
      if (outcomes.size() >= closeAfterAnswers) {
        closedBecause = "auto-blocked meanwhile";
      }
    }

    @Override
    public void failed(final HttpUriRequest request, final IOException e) {
      outcomes.add(e.getClass().getSimpleName() + " " + request.getURI());
    }
  }

  /** A server on 127.0.0.1 that records what it was sent and answers as told. */
  static final class Origin
  {
    final HttpServer server;

    final List<String> authorizations = new CopyOnWriteArrayList<>();

    final List<String> paths = new CopyOnWriteArrayList<>();

    final Map<String, String> redirects = new ConcurrentHashMap<>();

    Origin() throws IOException {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
      server.createContext("/", this::handle);
      server.start();
    }

    String url(final String path) {
      return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private void handle(final HttpExchange exchange) throws IOException {
      try {
        String path = exchange.getRequestURI().getPath();
        paths.add(path);
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        authorizations.add(authorization == null ? "none" : authorization);
        if (redirects.containsKey(path)) {
          exchange.getResponseHeaders().set("Location", redirects.get(path));
          exchange.sendResponseHeaders(302, -1);
          return;
        }
        byte[] body = ("body of " + path).getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
      }
      finally {
        exchange.close();
      }
    }
  }

  @BeforeEach
  void setUp() throws IOException {
    remote = new Origin();
    gate = new RecordingGate();
    allowed = new Origin();
    stranger = new Origin();
    BasicCredentialsProvider credentials = new BasicCredentialsProvider();
    credentials.setCredentials(AuthScope.ANY, new UsernamePasswordCredentials("remote-user", "remote-password"));
    client = HttpClients.custom()
        .setDefaultCredentialsProvider(credentials)
        .addInterceptorFirst(new PreemptiveAuthHttpRequestInterceptor())
        .build();
  }

  @AfterEach
  void tearDown() throws IOException {
    client.close();
    remote.server.stop(0);
    allowed.server.stop(0);
    stranger.server.stop(0);
  }

  private UpstreamRequests requests() {
    return new UpstreamRequests(client, UpstreamOrigins.of(URI.create(remote.url("/")),
        List.of(allowed.url("/"))), gate);
  }

  @Test
  void theClientAsNexusBuildsItSendsTheRemotesCredentialsToAnyHost() throws IOException {
    // why UpstreamRequests exists: the client alone follows the redirect and authenticates to the stranger
    remote.redirects.put("/nar/x.nar", stranger.url("/steal"));
    HttpResponse response = client.execute(new HttpGet(remote.url("/nar/x.nar")));
    EntityUtils.consume(response.getEntity());

    assertThat(stranger.paths).containsExactly("/steal");
    assertThat(stranger.authorizations.get(0)).startsWith("Basic ");
  }

  @Test
  void theRemoteGetsItsCredentials() throws IOException {
    HttpResponse response = requests().follow(new HttpGet(remote.url("/x.narinfo"))).response();

    assertThat(EntityUtils.toString(response.getEntity())).isEqualTo("body of /x.narinfo");
    assertThat(remote.authorizations).hasSize(1).allMatch(header -> header.startsWith("Basic "));
  }

  @Test
  void aRedirectToAnotherOriginIsNotFollowedAndNothingIsSentThere() {
    remote.redirects.put("/nar/x.nar", stranger.url("/steal"));

    assertThatThrownBy(() -> requests().follow(new HttpGet(remote.url("/nar/x.nar"))))
        .isInstanceOf(RefusedUpstreamUrlException.class)
        .hasMessageContaining("redirected " + remote.url("/nar/x.nar") + " to " + stranger.url("/steal"))
        .hasMessageContaining("nix.allowedUpstreamOrigins");
    assertThat(stranger.paths).isEmpty();
  }

  @Test
  void aUrlOnAnotherOriginIsNotRequestedAtAll() {
    assertThatThrownBy(() -> requests().send(new HttpGet(stranger.url("/latest/meta-data/"))))
        .isInstanceOf(RefusedUpstreamUrlException.class)
        .hasMessageContaining("refused to fetch " + stranger.url("/latest/meta-data/"));
    assertThat(stranger.paths).isEmpty();
  }

  @Test
  void anAllowedOriginIsFetchedWithoutTheRemotesCredentialsRedirectedToOrNot() throws IOException {
    remote.redirects.put("/nar/x.nar", allowed.url("/bucket/x.nar"));

    UpstreamRequests.Followed redirected = requests().follow(new HttpGet(remote.url("/nar/x.nar")));
    assertThat(EntityUtils.toString(redirected.response().getEntity())).isEqualTo("body of /bucket/x.nar");
    assertThat(redirected.url().toString()).isEqualTo(allowed.url("/bucket/x.nar"));
    assertThat(redirected.redirects()).isEqualTo(1);

    HttpResponse direct = requests().follow(new HttpGet(allowed.url("/bucket/y.nar"))).response();
    EntityUtils.consume(direct.getEntity());

    assertThat(allowed.authorizations).containsExactly("none", "none");
    assertThat(remote.authorizations).hasSize(1).allMatch(header -> header.startsWith("Basic "));
  }

  @Test
  void aRedirectFromAnAllowedOriginToAnotherIsCheckedToo() {
    allowed.redirects.put("/bucket/x.nar", stranger.url("/steal"));

    assertThatThrownBy(() -> requests().follow(new HttpGet(allowed.url("/bucket/x.nar"))))
        .isInstanceOf(RefusedUpstreamUrlException.class);
    assertThat(stranger.paths).isEmpty();
  }

  @Test
  void redirectLoopsEndAfterTenHops() {
    remote.redirects.put("/a", remote.url("/b"));
    remote.redirects.put("/b", remote.url("/a"));

    assertThatThrownBy(() -> requests().follow(new HttpGet(remote.url("/a"))))
        .isInstanceOf(RefusedUpstreamUrlException.class)
        .hasMessageContaining("more than 10 times");
    assertThat(remote.paths).hasSize(UpstreamRequests.MAX_REDIRECTS + 1);
  }

  @Test
  void sendReturnsARedirectAsItIs() throws IOException {
    remote.redirects.put("/channel", allowed.url("/release"));

    HttpResponse response = requests().send(new HttpGet(remote.url("/channel")));

    assertThat(response.getStatusLine().getStatusCode()).isEqualTo(302);
    assertThat(allowed.paths).isEmpty();
  }

  @Test
  void aClosedGateSendsNothingAnywhereNotEvenToARefusedOrigin() {
    gate.closedBecause = "blocked by configuration";

    for (String url : List.of(remote.url("/x.narinfo"), allowed.url("/y"), stranger.url("/z"))) {
      assertThatThrownBy(() -> requests().follow(new HttpGet(url)))
          .isInstanceOf(RemoteBlockedIOException.class)
          .hasMessage("blocked by configuration");
    }
    assertThat(remote.paths).isEmpty();
    assertThat(allowed.paths).isEmpty();
    assertThat(stranger.paths).isEmpty();
  }

  @Test
  void eachRedirectHopAsksTheGateFirst() {
    remote.redirects.put("/nar/x.nar", allowed.url("/bucket/x.nar"));
    gate.closeAfterAnswers = 1;

    assertThatThrownBy(() -> requests().follow(new HttpGet(remote.url("/nar/x.nar"))))
        .isInstanceOf(RemoteBlockedIOException.class);
    assertThat(remote.paths).containsExactly("/nar/x.nar");
    assertThat(allowed.paths).isEmpty();
  }

  @Test
  void theGateIsToldEachHopsOutcomeButNotOfARefusal() throws IOException {
    remote.redirects.put("/nar/x.nar", allowed.url("/bucket/x.nar"));
    allowed.server.stop(0);

    assertThatThrownBy(() -> requests().follow(new HttpGet(remote.url("/nar/x.nar")))).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> requests().send(new HttpGet(stranger.url("/z"))))
        .isInstanceOf(RefusedUpstreamUrlException.class);

    assertThat(gate.outcomes).hasSize(2);
    assertThat(gate.outcomes.get(0)).isEqualTo("302 " + remote.url("/nar/x.nar"));
    assertThat(gate.outcomes.get(1)).endsWith(" " + allowed.url("/bucket/x.nar")).doesNotStartWith("2");
  }
}
