package org.sonatype.nexus.repository.nix.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A small client for the Nexus REST API, authenticated as admin unless {@link #as(String, String)} says
 * otherwise. Instances are immutable and cheap; get the admin one from {@link NexusServer#rest()}.
 *
 * <p>Two kinds of methods: the generic {@link #get}/{@link #post}/{@link #put}/{@link #delete} return the
 * {@link Response} whatever its status (for tests about error handling), while the {@code create...}
 * helpers expect success and throw {@link AssertionError} with the server's answer otherwise (for tests that
 * merely need the thing to exist).
 */
public final class NexusRest
{
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10))
      .build();

  private static final Duration TIMEOUT = Duration.ofMinutes(2);

  private static final String NIX_FORMAT = "nix";

  private final String baseUrl;

  private final String user;

  private final String password;

  /**
   * @param baseUrl  e.g. {@code http://127.0.0.1:8081} (no trailing slash)
   * @param user     null for anonymous requests
   */
  public NexusRest(final String baseUrl, final String user, final String password) {
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.user = user;
    this.password = password;
  }

  /** The same server, as another user. */
  public NexusRest as(final String otherUser, final String otherPassword) {
    return new NexusRest(baseUrl, otherUser, otherPassword);
  }

  /** The same server, without credentials. */
  public NexusRest anonymous() {
    return new NexusRest(baseUrl, null, null);
  }

  public String baseUrl() {
    return baseUrl;
  }

  public String user() {
    return user;
  }

  /** {@code <baseUrl>/repository/<name>}, the URL Nix is given as substituter or copy target. */
  public String repositoryUrl(final String name) {
    return baseUrl + "/repository/" + name;
  }

  // --- generic requests -------------------------------------------------------------------------

  /**
   * The answer to a request: status, body as text, headers.
   */
  public record Response(String method, String url, int status, String body, HttpHeaders headers)
  {
    public JsonNode json() {
      return Json.parse(body);
    }

    /** @return this, if the status is one of {@code expected}; an {@link AssertionError} with the body otherwise */
    public Response expect(final int... expected) {
      if (Arrays.stream(expected).noneMatch(s -> s == status)) {
        throw new AssertionError("expected HTTP " + Arrays.toString(expected) + " but got " + this);
      }
      return this;
    }

    @Override
    public String toString() {
      return method + " " + url + " -> " + status + (body.isEmpty() ? "" : ": " + Json.abbreviate(body));
    }
  }

  /** @param path {@code /service/rest/...} or a full URL */
  public Response get(final String path) {
    return send("GET", path, null);
  }

  public Response delete(final String path) {
    return send("DELETE", path, null);
  }

  /** @param body JSON text, or any object Jackson can serialize (maps and lists are handy) */
  public Response post(final String path, final Object body) {
    return send("POST", path, body);
  }

  /** @param body JSON text, or any object Jackson can serialize */
  public Response put(final String path, final Object body) {
    return send("PUT", path, body);
  }

  /** Any method; a non-null body is sent as {@code application/json}. */
  public Response send(final String method, final String path, final Object body) {
    String url = path.startsWith("http://") || path.startsWith("https://") ? path : baseUrl + path;
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
        .timeout(TIMEOUT)
        .header("Accept", "application/json")
        .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(Json.write(body)));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    if (user != null) {
      // Preemptive, like Nix and curl: no 401 round trip, and no session cookie.
      request.header("Authorization", basicAuth(user, password));
    }
    try {
      var response = HTTP.send(request.build(), BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Response(method, url, response.statusCode(), response.body(), response.headers());
    }
    catch (IOException e) {
      throw new UncheckedIOException(method + " " + url + " failed", e);
    }
    catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + method + " " + url, e);
    }
  }

  public static String basicAuth(final String user, final String password) {
    return "Basic " + Base64.getEncoder()
        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  // --- repositories -----------------------------------------------------------------------------

  /**
   * The body of {@code POST /service/rest/v1/repositories/nix/hosted}; for tests that send variations of
   * it (invalid values, missing blocks) through {@link #post}.
   *
   * @param nix         the {@code nix} block (e.g. {@code Map.of("priority", 30)}); null or empty for defaults
   * @param writePolicy {@code allow}, {@code allow_once} or {@code deny}
   */
  public static Map<String, Object> nixHostedRequest(
      final String name,
      final Map<String, ?> nix,
      final String writePolicy)
  {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("online", true);
    body.put("storage", Map.of(
        "blobStoreName", TestBlobStore.forNewRepositories().name(),
        "strictContentTypeValidation", true,
        "writePolicy", writePolicy));
    body.put("nix", nix == null ? Map.of() : nix);
    return body;
  }

  /**
   * Creates a {@code nix-hosted} repository (needs the plugin).
   *
   * @return the repository URL, ready to be used as a Nix store URL
   */
  public String createNixHosted(final String name, final Map<String, ?> nix, final String writePolicy) {
    post("/service/rest/v1/repositories/nix/hosted", nixHostedRequest(name, nix, writePolicy)).expect(201);
    return repositoryUrl(name);
  }

  /** A {@code nix-hosted} repository with default settings and {@code allow_once}. */
  public String createNixHosted(final String name) {
    return createNixHosted(name, Map.of(), "allow_once");
  }

  /**
   * Creates a {@code nix-proxy} repository of {@code remoteUrl} (metadata and content max age 24 h, negative
   * cache on, auto-block off so fault tests see every failure, no trusted upstream keys unless {@code nix} names
   * some: test upstreams are unsigned).
   *
   * @param nix the {@code nix} block; null or empty for defaults
   * @return the repository URL
   */
  public String createNixProxy(final String name, final String remoteUrl, final Map<String, ?> nix) {
    post("/service/rest/v1/repositories/nix/proxy", nixProxyRequest(name, remoteUrl, nix)).expect(201);
    return repositoryUrl(name);
  }

  /** The body of {@code POST /service/rest/v1/repositories/nix/proxy}, for tests that vary it. */
  public static Map<String, Object> nixProxyRequest(final String name, final String remoteUrl, final Map<String, ?> nix) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("online", true);
    body.put("storage", Map.of("blobStoreName", TestBlobStore.forNewRepositories().name(),
        "strictContentTypeValidation", true));
    body.put("proxy", Map.of("remoteUrl", remoteUrl, "contentMaxAge", 1440, "metadataMaxAge", 1440));
    body.put("negativeCache", Map.of("enabled", true, "timeToLive", 1440));
    body.put("httpClient", Map.of("blocked", false, "autoBlock", false));
    // test upstreams are unsigned: no trusted upstream keys (so no signature required) unless the test says so;
    // a proxy created without the field trusts cache.nixos.org's key and requires its signature
    Map<String, Object> block = new LinkedHashMap<>();
    block.put("trustedUpstreamKeys", List.of());
    if (nix != null) {
      block.putAll(nix);
    }
    body.put("nix", block);
    return body;
  }

  /**
   * Creates a {@code nix-group} repository over {@code members} (in order).
   *
   * @param nix the {@code nix} block (e.g. {@code Map.of("writableMember", "hosted")}); null or empty for defaults
   * @return the repository URL
   */
  public String createNixGroup(final String name, final List<String> members, final Map<String, ?> nix) {
    post("/service/rest/v1/repositories/nix/group", nixGroupRequest(name, members, nix)).expect(201);
    return repositoryUrl(name);
  }

  /** The body of {@code POST /service/rest/v1/repositories/nix/group}, for tests that vary it. */
  public static Map<String, Object> nixGroupRequest(final String name, final List<String> members,
                                                    final Map<String, ?> nix)
  {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("online", true);
    body.put("storage", Map.of("blobStoreName", TestBlobStore.forNewRepositories().name(),
        "strictContentTypeValidation", true));
    body.put("group", Map.of("memberNames", members));
    body.put("nix", nix == null ? Map.of() : nix);
    return body;
  }

  /**
   * Creates a raw hosted repository that Nix can use as a binary cache: no strict content-type validation
   * (it would re-type narinfos) and write policy {@code allow} (Nix PUTs {@code nix-cache-info} itself).
   *
   * @return the repository URL
   */
  public String createRawHosted(final String name) {
    post("/service/rest/v1/repositories/raw/hosted", Map.of(
        "name", name,
        "online", true,
        "storage", Map.of(
            "blobStoreName", TestBlobStore.forNewRepositories().name(),
            "strictContentTypeValidation", false,
            "writePolicy", "allow")))
        .expect(201);
    return repositoryUrl(name);
  }

  /** {@code GET /service/rest/v1/repositories/<name>}: the generic view of any repository. */
  public JsonNode repository(final String name) {
    return get("/service/rest/v1/repositories/" + name).expect(200).json();
  }

  public void deleteRepository(final String name) {
    delete("/service/rest/v1/repositories/" + name).expect(204);
  }

  // --- security ---------------------------------------------------------------------------------

  /** Anonymous access is off in a fresh Nexus; Nix substituters without netrc need it on. */
  public void enableAnonymous(final boolean enabled) {
    put("/service/rest/v1/security/anonymous", Map.of(
        "enabled", enabled,
        "userId", "anonymous",
        "realmName", "NexusAuthorizingRealm"))
        .expect(200);
  }

  /**
   * {@code GET /service/rest/v1/security/anonymous}: {@code enabled}, {@code userId}, {@code realmName}; send it back
   * with {@link #restoreAnonymous} to undo {@link #enableAnonymous}.
   */
  public JsonNode anonymousSettings() {
    return get("/service/rest/v1/security/anonymous").expect(200).json();
  }

  /** Puts back settings read with {@link #anonymousSettings()}. */
  public void restoreAnonymous(final JsonNode settings) {
    put("/service/rest/v1/security/anonymous", settings).expect(200);
  }

  /**
   * Creates a role holding the given privileges, e.g. {@code nx-repository-view-nix-<repo>-read}.
   */
  public Response createRole(final String id, final String... privileges) {
    return post("/service/rest/v1/security/roles", Map.of(
        "id", id,
        "name", id,
        "description", "created by an integration test",
        "privileges", List.of(privileges),
        "roles", List.of()))
        .expect(200);
  }

  /** Creates an active local user with the given roles. */
  public Response createUser(final String id, final String password, final String... roles) {
    return post("/service/rest/v1/security/users", Map.of(
        "userId", id,
        "firstName", id,
        "lastName", "it",
        "emailAddress", id + "@example.invalid",
        "password", password,
        "status", "active",
        "roles", List.of(roles)))
        .expect(200);
  }

  /**
   * Creates a content selector ({@code POST /service/rest/v1/security/content-selectors}), e.g.
   * {@code format == "nix" and path =^ "/channels/team-a/"}.
   */
  public Response createContentSelector(final String name, final String expression) {
    return post("/service/rest/v1/security/content-selectors", Map.of(
        "name", name,
        "description", "created by an integration test",
        "expression", expression))
        .expect(204);
  }

  /**
   * Creates a privilege of type <i>Repository Content Selector</i>
   * ({@code POST /service/rest/v1/security/privileges/repository-content-selector}): {@code actions} (e.g.
   * {@code READ}, {@code BROWSE}, {@code ADD}, {@code EDIT}, {@code DELETE}) on the paths of {@code repository} that
   * {@code selector} matches.
   */
  public Response createContentSelectorPrivilege(final String name, final String selector, final String repository,
                                                 final String... actions)
  {
    return post("/service/rest/v1/security/privileges/repository-content-selector", Map.of(
        "name", name,
        "description", "created by an integration test",
        "actions", List.of(actions),
        "format", NIX_FORMAT,
        "repository", repository,
        "contentSelector", selector))
        .expect(201);
  }

  // --- search -----------------------------------------------------------------------------------

  /**
   * {@code GET /service/rest/v1/search?<params>}; search is backed by Elasticsearch and indexes
   * asynchronously, so prefer {@link #searchUntil} right after writing.
   *
   * @return the whole answer ({@code items}, {@code continuationToken})
   */
  public JsonNode search(final Map<String, String> params) {
    return get("/service/rest/v1/search?" + query(params)).expect(200).json();
  }

  /**
   * Repeats {@link #search} until {@code done} accepts the answer, for at most {@code timeout}.
   *
   * @return the accepted answer; an {@link AssertionError} with the last answer after the timeout
   */
  public JsonNode searchUntil(final Map<String, String> params, final Predicate<JsonNode> done, final Duration timeout)
  {
    Instant deadline = Instant.now().plus(timeout);
    JsonNode last;
    do {
      last = search(params);
      if (done.test(last)) {
        return last;
      }
      sleep(250);
    }
    while (Instant.now().isBefore(deadline));
    throw new AssertionError("search " + params + " did not converge within " + timeout + "; last answer: " + last);
  }

  static String query(final Map<String, String> params) {
    return params.entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
            + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  static void sleep(final long millis) {
    try {
      Thread.sleep(millis);
    }
    catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
