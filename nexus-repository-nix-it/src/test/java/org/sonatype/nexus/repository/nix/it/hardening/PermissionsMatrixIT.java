package org.sonatype.nexus.repository.nix.it.hardening;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.sonatype.nexus.repository.nix.it.support.ChannelTarball;
import org.sonatype.nexus.repository.nix.it.support.ClosureGenerator;
import org.sonatype.nexus.repository.nix.it.support.Curl;
import org.sonatype.nexus.repository.nix.it.support.ItDirs;
import org.sonatype.nexus.repository.nix.it.support.Names;
import org.sonatype.nexus.repository.nix.it.support.NarInfos;
import org.sonatype.nexus.repository.nix.it.support.NexusRest;
import org.sonatype.nexus.repository.nix.it.support.NexusServer;
import org.sonatype.nexus.repository.nix.it.support.NixClient;
import org.sonatype.nexus.repository.nix.it.support.RawHttp;
import org.sonatype.nexus.repository.nix.it.support.StaticCacheServer;
import org.sonatype.nexus.repository.nix.protocol.narinfo.NarInfo;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestMethodOrder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/**
 * Who may do what, cell by cell: anonymous (with Nexus's anonymous access off, and on), a read-only user, a deployer
 * and an administrator, times GET, HEAD, PUT and DELETE, on a hosted, a proxy and a group repository ({@link
 * #MATRIX}, one dynamic test per cell); then a deployer confined by a content selector to
 * {@code /channels/team-a/} of the hosted repository.
 *
 * <p>Every cell uses real content: GET and HEAD read a narinfo, its NAR and {@code nix-cache-info} (which admin
 * read first, so the bytes are known); PUT uploads a valid new NAR and then its narinfo; DELETE deletes a narinfo
 * (and, when refused, its NAR too). A refused request (anything not 2xx) must change nothing: the same assets with
 * the same checksums in all three repositories, the same bytes served to admin, no request reaching the proxy's
 * upstream (a refused read also asks for a path the proxy never fetched), nothing stored where a refused PUT went.
 * A request that is allowed must have its effect. No answer (status, headers, body), neither in the matrix nor from
 * the REST API, contains a user's password, the admin password or a signing secret key; the public keys are shown.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PermissionsMatrixIT
{
  /**
   * The expected status of every cell. {@code anonymous-off} is anonymous with Nexus's anonymous access disabled;
   * {@code anonymous} with it enabled (the built-in nx-anonymous role reads and browses every repository). The
   * read-only user has read + browse, the deployer read + browse + add + edit (no delete) on all three repositories;
   * admin has nx-admin. Proxies take no uploads and no deletes (405, once authorization passed); the group takes
   * both into its writable member (the hosted one), authorized on the group.
   */
  private static final String MATRIX = """
      #               hosted                  proxy                   group
      #               GET  HEAD PUT  DELETE   GET  HEAD PUT  DELETE   GET  HEAD PUT  DELETE
      anonymous-off   401  401  401  401      401  401  401  401      401  401  401  401
      anonymous       200  200  401  401      200  200  401  401      200  200  401  401
      read-only       200  200  403  403      200  200  403  403      200  200  403  403
      deployer        200  200  201  403      200  200  405  403      200  200  201  403
      admin           200  200  201  204      200  200  405  405      200  200  201  204
      """;

  /** The content selector of the last part: a team may deploy its own channel's snapshots, and nothing else. */
  private static final String TEAM_A_SELECTOR = "format == \"nix\" and path =^ \"/channels/team-a/\"";

  /** team-a's channel including its own URL ({@code channels/team-a}, what nix-channel --add is given). */
  private static final String TEAM_A_CHANNEL_SELECTOR =
      "format == \"nix\" and (path == \"/channels/team-a\" or path =^ \"/channels/team-a/\")";

  /** NARs only (docs/permissions.md). */
  private static final String NAR_SELECTOR = "format == \"nix\" and path =^ \"/nar/\"";

  /** Narinfos only (docs/permissions.md, with the backslash as it is typed in the UI). */
  private static final String NARINFO_SELECTOR = "format == \"nix\" and path =~ \"^/[0-9a-z]{32}\\\\.narinfo$\"";

  enum Principal
  {
    ANONYMOUS_OFF("anonymous-off"),
    ANONYMOUS("anonymous"),
    READ_ONLY("read-only"),
    DEPLOYER("deployer"),
    ADMIN("admin");

    final String label;

    Principal(final String label) {
      this.label = label;
    }
  }

  enum Repo
  {
    HOSTED, PROXY, GROUP;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  enum Method
  {
    GET, HEAD, PUT, DELETE
  }

  private static final Map<Principal, Map<Repo, Map<Method, Integer>>> EXPECTED = parse(MATRIX);

  private static NexusServer nexus;

  private static NexusRest rest;

  private static RawHttp admin;

  private static JsonNode originalAnonymous;

  private static Boolean anonymousEnabled;

  private static StaticCacheServer upstream;

  private static final Map<Repo, String> NAMES = new EnumMap<>(Repo.class);

  private static final Map<Repo, String> URLS = new EnumMap<>(Repo.class);

  private static final String READER_PASSWORD = password();

  private static final String DEPLOYER_PASSWORD = password();

  private static final String TEAM_A_PASSWORD = password();

  private static final String TEAM_A_READER_PASSWORD = password();

  private static final String NAR_DELETER_PASSWORD = password();

  private static final String ONE_NARINFO_DELETER_PASSWORD = password();

  private static final String NARINFO_DELETER_PASSWORD = password();

  private static String reader;

  private static String deployer;

  private static String teamA;

  private static String teamAReader;

  private static String narDeleter;

  private static String oneNarInfoDeleter;

  private static String narInfoDeleter;

  /** Closures pushed for the deletes confined by content selectors. */
  private static ClosureGenerator.Fresh narDeleterTarget;

  private static ClosureGenerator.Fresh cascadeRefusedTarget;

  private static ClosureGenerator.Fresh cascadeAllowedTarget;

  private static NixClient.SigningKey hostedKey;

  private static NixClient.SigningKey groupKey;

  /** What no answer may contain: every password, and the key material of both secret keys (and its seed half). */
  private static final List<String> SECRETS = new ArrayList<>();

  /** Every answer seen, for the count in the log and the final check of the Nexus log. */
  private static int answersChecked;

  /** The answers to the setup's REST requests (creating users, roles, repositories, selectors). */
  private static final List<NexusRest.Response> SETUP_ANSWERS = new ArrayList<>();

  /** The narinfo of a store path pushed by admin, read by the read cells and targeted by refused DELETEs. */
  private static String baselinePath;

  /** The store path the proxy serves from its upstream (fetched by admin first). */
  private static String upstreamPath;

  /** A store path the upstream has but the proxy never fetched: refused reads ask for it too. */
  private static String coldPath;

  /** What admin read from each repository in the setup: URL → bytes. */
  private static final Map<Repo, Map<String, byte[]>> READS = new EnumMap<>(Repo.class);

  /** NARs and narinfos from {@code nix copy --to file://}, for the PUT cells. */
  private static Path uploads;

  /** The new store path a refused PUT tries to upload. */
  private static String refusedUpload;

  /** One new store path per allowed PUT cell, one pushed victim per allowed DELETE cell. */
  private static final Map<String, String> CELL_PATHS = new LinkedHashMap<>();

  @BeforeAll
  static void setUp() {
    nexus = NexusServer.get();
    assumeTrue(nexus.pluginDeployed(), "needs the plugin");
    rest = nexus.rest();
    admin = RawHttp.basic("admin", nexus.adminPassword());
    originalAnonymous = rest.anonymousSettings();
    SECRETS.addAll(List.of(nexus.adminPassword(), READER_PASSWORD, DEPLOYER_PASSWORD, TEAM_A_PASSWORD,
        TEAM_A_READER_PASSWORD, NAR_DELETER_PASSWORD, ONE_NARINFO_DELETER_PASSWORD, NARINFO_DELETER_PASSWORD));
    NixClient nix = NixClient.builder().name("permissions-matrix")
        .netrc("127.0.0.1", "admin", nexus.adminPassword()).build();
    ClosureGenerator closure = ClosureGenerator.get();

    hostedKey = nix.generateSigningKey(Names.unique("matrix-hosted"));
    groupKey = nix.generateSigningKey(Names.unique("matrix-group"));
    for (NixClient.SigningKey key : List.of(hostedKey, groupKey)) {
      String material = NixClient.secretKeyText(key).substring(NixClient.secretKeyText(key).indexOf(':') + 1);
      SECRETS.add(material);
      SECRETS.add(material.substring(0, 43));
    }

    ClosureGenerator.Fresh proxied = closure.fresh(Names.unique("matrix-upstream"));
    ClosureGenerator.Fresh cold = closure.fresh(Names.unique("matrix-cold"));
    upstreamPath = proxied.root();
    coldPath = cold.root();
    upstream = StaticCacheServer.create(nix, "xz", List.of(proxied.dependency(), proxied.root(), cold.dependency(),
        cold.root()));

    NAMES.put(Repo.HOSTED, Names.unique("matrix-hosted"));
    NAMES.put(Repo.PROXY, Names.unique("matrix-proxy"));
    NAMES.put(Repo.GROUP, Names.unique("matrix-group"));
    SETUP_ANSWERS.add(rest.post("/service/rest/v1/repositories/nix/hosted", NexusRest.nixHostedRequest(
        NAMES.get(Repo.HOSTED), Map.of("signing", Map.of("secretKey", NixClient.secretKeyText(hostedKey))),
        "allow_once")).expect(201));
    SETUP_ANSWERS.add(rest.post("/service/rest/v1/repositories/nix/proxy",
        NexusRest.nixProxyRequest(NAMES.get(Repo.PROXY), upstream.url(), Map.of())).expect(201));
    SETUP_ANSWERS.add(rest.post("/service/rest/v1/repositories/nix/group", NexusRest.nixGroupRequest(
        NAMES.get(Repo.GROUP), List.of(NAMES.get(Repo.HOSTED), NAMES.get(Repo.PROXY)), Map.of(
            "writableMember", NAMES.get(Repo.HOSTED),
            "signing", Map.of("secretKey", NixClient.secretKeyText(groupKey))))).expect(201));
    NAMES.forEach((repo, name) -> URLS.put(repo, rest.repositoryUrl(name)));

    ClosureGenerator.Fresh baseline = closure.fresh(Names.unique("matrix-baseline"));
    baselinePath = baseline.root();
    nix.copyTo(URLS.get(Repo.HOSTED), baseline.paths());

    // a new path per allowed PUT cell and a victim per allowed DELETE cell, so every cell stands alone
    List<String> toUpload = new ArrayList<>();
    refusedUpload = closure.fresh(Names.unique("matrix-refused")).dependency();
    toUpload.add(refusedUpload);
    forEachCell((principal, repo, method, expected) -> {
      if (!allowed(expected) || method == Method.GET || method == Method.HEAD) {
        return;
      }
      if (repo == Repo.PROXY) {
        throw new IllegalStateException("the test has no content for an allowed " + method + " on the proxy");
      }
      ClosureGenerator.Fresh fresh = closure.fresh(Names.unique("matrix-" + principal.label + "-" + method));
      if (method == Method.PUT) {
        CELL_PATHS.put(cellName(principal, repo, method), fresh.dependency());
        toUpload.add(fresh.dependency());
      }
      else {
        CELL_PATHS.put(cellName(principal, repo, method), fresh.root());
        nix.copyTo(URLS.get(Repo.HOSTED), fresh.paths());
      }
    });
    uploads = ItDirs.newTempDir("matrix-uploads");
    StaticCacheServer.writeCache(nix, uploads, "xz", toUpload);

    READS.put(Repo.HOSTED, reference(Repo.HOSTED, baselinePath));
    READS.put(Repo.PROXY, reference(Repo.PROXY, upstreamPath));
    Map<String, byte[]> group = reference(Repo.GROUP, baselinePath);
    group.putAll(reference(Repo.GROUP, upstreamPath));
    READS.put(Repo.GROUP, group);

    reader = Names.unique("matrix-reader");
    deployer = Names.unique("matrix-deployer");
    List<String> readPrivileges = new ArrayList<>();
    List<String> deployPrivileges = new ArrayList<>();
    for (String name : NAMES.values()) {
      String prefix = "nx-repository-view-nix-" + name + "-";
      readPrivileges.addAll(List.of(prefix + "read", prefix + "browse"));
      deployPrivileges.addAll(List.of(prefix + "read", prefix + "browse", prefix + "add", prefix + "edit"));
    }
    SETUP_ANSWERS.add(rest.createRole(reader, readPrivileges.toArray(String[]::new)));
    SETUP_ANSWERS.add(rest.createUser(reader, READER_PASSWORD, reader));
    SETUP_ANSWERS.add(rest.createRole(deployer, deployPrivileges.toArray(String[]::new)));
    SETUP_ANSWERS.add(rest.createUser(deployer, DEPLOYER_PASSWORD, deployer));

    teamA = Names.unique("matrix-team-a");
    SETUP_ANSWERS.add(rest.createContentSelector(teamA, TEAM_A_SELECTOR));
    SETUP_ANSWERS.add(rest.createContentSelectorPrivilege(teamA, teamA, NAMES.get(Repo.HOSTED),
        "READ", "BROWSE", "ADD", "EDIT"));
    SETUP_ANSWERS.add(rest.createRole(teamA, teamA));
    SETUP_ANSWERS.add(rest.createUser(teamA, TEAM_A_PASSWORD, teamA));
    deploy(admin, "team-a", "a-0");
    deploy(admin, "team-b", "b-0");
    teamAReader = selectorUser("matrix-team-a-reader", TEAM_A_CHANNEL_SELECTOR, TEAM_A_READER_PASSWORD,
        "READ", "BROWSE");

    narDeleterTarget = closure.fresh(Names.unique("matrix-nar-deleter"));
    cascadeRefusedTarget = closure.fresh(Names.unique("matrix-cascade-refused"));
    cascadeAllowedTarget = closure.fresh(Names.unique("matrix-cascade-allowed"));
    for (ClosureGenerator.Fresh fresh : List.of(narDeleterTarget, cascadeRefusedTarget, cascadeAllowedTarget)) {
      nix.copyTo(URLS.get(Repo.HOSTED), fresh.paths());
    }
    narDeleter = selectorUser("matrix-nar-deleter", NAR_SELECTOR, NAR_DELETER_PASSWORD, "READ", "BROWSE", "DELETE");
    oneNarInfoDeleter = selectorUser("matrix-one-narinfo-deleter", "format == \"nix\" and path == \"/"
            + NarInfos.hashPart(cascadeRefusedTarget.dependency()) + ".narinfo\"", ONE_NARINFO_DELETER_PASSWORD,
        "READ", "BROWSE", "DELETE");
    narInfoDeleter = selectorUser("matrix-narinfo-deleter", NARINFO_SELECTOR, NARINFO_DELETER_PASSWORD,
        "READ", "BROWSE", "DELETE");
  }

  /** A user whose only privilege is a content-selector privilege with {@code actions} on the hosted repository. */
  private static String selectorUser(final String prefix, final String expression, final String password,
                                     final String... actions)
  {
    String name = Names.unique(prefix);
    SETUP_ANSWERS.add(rest.createContentSelector(name, expression));
    SETUP_ANSWERS.add(rest.createContentSelectorPrivilege(name, name, NAMES.get(Repo.HOSTED), actions));
    SETUP_ANSWERS.add(rest.createRole(name, name));
    SETUP_ANSWERS.add(rest.createUser(name, password, name));
    return name;
  }

  @AfterAll
  static void tearDown() {
    if (originalAnonymous != null) {
      rest.restoreAnonymous(originalAnonymous);
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  // --- the matrix -------------------------------------------------------------------------------

  @Order(1)
  @TestFactory
  Stream<DynamicTest> everyCellOfTheMatrix() {
    List<DynamicTest> cells = new ArrayList<>();
    forEachCell((principal, repo, method, expected) -> {
      String name = cellName(principal, repo, method) + " → " + expected;
      cells.add(dynamicTest(name, () -> named(name, () -> cell(principal, repo, method, expected))));
    });
    assertThat(cells).hasSize(Principal.values().length * Repo.values().length * Method.values().length);
    return cells.stream();
  }

  private static void cell(final Principal principal, final Repo repo, final Method method, final int expected) {
    RawHttp http = as(principal);
    String url = URLS.get(repo);
    String hosted = URLS.get(Repo.HOSTED);
    boolean allowed = allowed(expected);
    Map<String, String> before = allowed ? null : assets();
    int upstreamRequests = upstream.requests().size();

    switch (method) {
      case GET:
      case HEAD:
        READS.get(repo).forEach((target, bytes) -> {
          RawHttp.Response response = check(method + " " + target, expected,
              method == Method.GET ? http.get(target) : http.head(target));
          if (allowed && method == Method.GET) {
            assertThat(response.body()).as("GET " + target).isEqualTo(bytes);
          }
          if (allowed && method == Method.HEAD) {
            assertThat(response.body()).as("HEAD " + target).isEmpty();
            if (response.header("Content-Length") != null) {
              assertThat(response.header("Content-Length")).as("HEAD " + target + " Content-Length")
                  .isEqualTo(Integer.toString(bytes.length));
            }
          }
        });
        if (!allowed && repo != Repo.HOSTED) {
          // the proxy (directly, or as a member) would fetch this from the upstream, were the request let through
          check(method + " cold narinfo", expected, method == Method.GET
              ? http.get(NarInfos.url(url, coldPath)) : http.head(NarInfos.url(url, coldPath)));
        }
        break;
      case PUT:
        String path = allowed ? CELL_PATHS.get(cellName(principal, repo, method)) : refusedUpload;
        String narInfo = upload(path);
        String narUrl = narInfoUrlLine(narInfo);
        check("PUT " + narUrl, expected,
            http.put(url + "/" + narUrl, "application/x-nix-nar", read(uploads.resolve(narUrl))));
        check("PUT narinfo", expected, http.put(NarInfos.url(url, path), "text/x-nix-narinfo",
            narInfo.getBytes(StandardCharsets.UTF_8)));
        if (allowed) {
          assertThat(path).endsWith("/" + NarInfos.get(admin, hosted, path).storePath());
          assertThat(admin.get(hosted + "/" + narUrl).body()).isEqualTo(read(uploads.resolve(narUrl)));
        }
        else {
          assertThat(admin.get(NarInfos.url(hosted, path)).status()).as("the refused narinfo").isEqualTo(404);
          assertThat(admin.get(hosted + "/" + narUrl).status()).as("the refused NAR").isEqualTo(404);
        }
        break;
      case DELETE:
        if (allowed) {
          String victim = CELL_PATHS.get(cellName(principal, repo, method));
          assertThat(admin.get(NarInfos.url(hosted, victim)).status()).isEqualTo(200);
          check("DELETE narinfo", expected, http.delete(NarInfos.url(url, victim)));
          assertThat(admin.get(NarInfos.url(hosted, victim)).status()).as("deleted").isEqualTo(404);
        }
        else {
          // the narinfo and the NAR that the read cells read
          for (String target : READS.get(repo).keySet()) {
            if (!target.endsWith("/nix-cache-info")) {
              check("DELETE " + target, expected, http.delete(target));
            }
          }
        }
        break;
      default:
        throw new IllegalStateException(method.name());
    }

    if (!allowed) {
      assertThat(upstream.requests().size()).as("requests that reached the upstream; all: " + upstream.requests())
          .isEqualTo(upstreamRequests);
      assertThat(assets()).as("the assets of all three repositories").isEqualTo(before);
      READS.get(repo).forEach((target, bytes) ->
          assertThat(admin.get(target).body()).as("what admin reads at " + target).isEqualTo(bytes));
    }
  }

  /** What admin reads in the setup: the narinfo of {@code storePath}, its NAR and nix-cache-info. */
  private static Map<String, byte[]> reference(final Repo repo, final String storePath) {
    String url = URLS.get(repo);
    Map<String, byte[]> reads = new LinkedHashMap<>();
    RawHttp.Response narInfo = admin.get(NarInfos.url(url, storePath));
    assertThat(narInfo.status()).as(narInfo.toString()).isEqualTo(200);
    reads.put(NarInfos.url(url, storePath), narInfo.body());
    String nar = url + "/" + NarInfo.parse(narInfo.bodyText(), NarInfos.STORE_DIR).url();
    RawHttp.Response narResponse = admin.get(nar);
    assertThat(narResponse.status()).as(narResponse.toString()).isEqualTo(200);
    reads.put(nar, narResponse.body());
    RawHttp.Response cacheInfo = admin.get(url + "/nix-cache-info");
    assertThat(cacheInfo.status()).as(cacheInfo.toString()).isEqualTo(200);
    reads.put(url + "/nix-cache-info", cacheInfo.body());
    return reads;
  }

  // --- the content selector ---------------------------------------------------------------------

  /**
   * A user whose only privilege is a content-selector privilege (read, browse, add, edit) on the hosted repository
   * for {@link #TEAM_A_SELECTOR}: deploys and reads team-a's channel, and nothing else.
   */
  @Order(2)
  @TestFactory
  Stream<DynamicTest> aContentSelectorConfinesADeployerToItsChannel() {
    RawHttp team = RawHttp.basic(teamA, TEAM_A_PASSWORD);
    String url = URLS.get(Repo.HOSTED);
    String channels = url + "/channels/";
    Path a1 = ChannelTarball.withHello("team-a-1", "a-1");
    Path b1 = ChannelTarball.withHello("team-b-1", "b-1");
    String baseline = NarInfos.url(url, baselinePath);
    String baselineNar = READS.get(Repo.HOSTED).keySet().stream().filter(u -> u.contains("/nar/")).findFirst()
        .orElseThrow();
    String narInfo = upload(refusedUpload);
    String narUrl = narInfoUrlLine(narInfo);
    byte[] a0 = admin.get(channels + "team-a/nixpkgs/a-0/nixexprs.tar.xz").body();

    List<DynamicTest> cells = new ArrayList<>();
    cells.add(selectorCell("PUT channels/team-a/nixpkgs/a-1", 201,
        () -> team.put(channels + "team-a/nixpkgs/a-1", null, a1),
        () -> assertThat(admin.get(channels + "team-a/nixpkgs/a-1/nixexprs.tar.xz").body()).isEqualTo(read(a1))));
    cells.add(selectorCell("PUT channels/team-b/nixpkgs/b-1", 403,
        () -> team.put(channels + "team-b/nixpkgs/b-1", null, b1),
        () -> assertThat(admin.get(channels + "team-b/nixpkgs/b-1/nixexprs.tar.xz").status()).isEqualTo(404)));
    cells.add(selectorCell("PUT " + narUrl, 403,
        () -> team.put(url + "/" + narUrl, "application/x-nix-nar", read(uploads.resolve(narUrl))),
        () -> assertThat(admin.get(url + "/" + narUrl).status()).isEqualTo(404)));
    cells.add(selectorCell("PUT <hash>.narinfo", 403,
        () -> team.put(NarInfos.url(url, refusedUpload), "text/x-nix-narinfo",
            narInfo.getBytes(StandardCharsets.UTF_8)),
        () -> assertThat(admin.get(NarInfos.url(url, refusedUpload)).status()).isEqualTo(404)));
    cells.add(selectorCell("PUT nix-cache-info", 403,
        () -> team.put(url + "/nix-cache-info", "text/x-nix-cache-info",
            "StoreDir: /nix/store\n".getBytes(StandardCharsets.UTF_8)), () -> { }));
    cells.add(selectorCell("DELETE channels/team-a/nixpkgs/a-0 (no delete action)", 403,
        () -> team.delete(channels + "team-a/nixpkgs/a-0"),
        () -> assertThat(admin.get(channels + "team-a/nixpkgs/a-0/nixexprs.tar.xz").body()).isEqualTo(a0)));
    cells.add(selectorCell("GET channels/team-a/nixpkgs/a-0/nixexprs.tar.xz", 200,
        () -> team.get(channels + "team-a/nixpkgs/a-0/nixexprs.tar.xz"), null));
    cells.add(selectorCell("HEAD channels/team-a/nixpkgs/a-0/nixexprs.tar.xz", 200,
        () -> team.head(channels + "team-a/nixpkgs/a-0/nixexprs.tar.xz"), null));
    cells.add(selectorCell("GET channels/team-a/nixpkgs/a-0", 200,
        () -> team.get(channels + "team-a/nixpkgs/a-0"), null));
    cells.add(selectorCell("GET channels/team-a/ (listing)", 200,
        () -> team.get(channels + "team-a/"), null));
    cells.add(selectorCell("GET channels/team-a/nixexprs.tar.xz (latest)", 302,
        () -> team.get(channels + "team-a/nixexprs.tar.xz"), null));
    // the channel URL itself, without the trailing slash, is not under "/channels/team-a/"
    cells.add(selectorCell("GET channels/team-a (outside the selector's prefix)", 403,
        () -> team.get(channels + "team-a"), () -> { }));
    cells.add(selectorCell("GET channels/team-b/nixpkgs/b-0/nixexprs.tar.xz", 403,
        () -> team.get(channels + "team-b/nixpkgs/b-0/nixexprs.tar.xz"), () -> { }));
    cells.add(selectorCell("GET channels/ (listing of all channels)", 403,
        () -> team.get(channels), () -> { }));
    cells.add(selectorCell("GET <hash>.narinfo", 403, () -> team.get(baseline), () -> { }));
    cells.add(selectorCell("GET nar/...", 403, () -> team.get(baselineNar), () -> { }));
    cells.add(selectorCell("HEAD <hash>.narinfo", 403, () -> team.head(baseline), () -> { }));
    cells.add(selectorCell("GET nix-cache-info", 403, () -> team.get(url + "/nix-cache-info"), () -> { }));
    cells.add(selectorCell("GET the group's narinfo (no privilege on the group)", 403,
        () -> team.get(NarInfos.url(URLS.get(Repo.GROUP), baselinePath)), () -> { }));
    // the Components API (the UI's upload) checks the snapshot's path against the selector too
    Path a2 = ChannelTarball.withHello("team-a-2", "a-2");
    cells.add(selectorCell("Components API upload of channel team-a", 204,
        () -> componentUpload(teamA, TEAM_A_PASSWORD, "team-a", "a-2", a2),
        () -> assertThat(admin.get(channels + "team-a/nixpkgs/a-2/nixexprs.tar.xz").body()).isEqualTo(read(a2))));
    cells.add(selectorCell("Components API upload of channel team-b (Nexus: \"Not authorized for requested path\")",
        400, () -> componentUpload(teamA, TEAM_A_PASSWORD, "team-b", "b-2", b1),
        () -> assertThat(admin.get(channels + "team-b/nixpkgs/b-2/nixexprs.tar.xz").status()).isEqualTo(404)));
    // a selector that also names the channel's own URL lets nix-channel --add <repo>/channels/team-a work
    RawHttp teamReader = RawHttp.basic(teamAReader, TEAM_A_READER_PASSWORD);
    cells.add(selectorCell("reader with (path == \"/channels/team-a\" or path =^ \"/channels/team-a/\"): "
        + "GET channels/team-a", 302, () -> teamReader.get(channels + "team-a"), null));
    cells.add(selectorCell("reader with the channel's URL: GET channels/team-ab/", 403,
        () -> teamReader.get(channels + "team-ab/"), () -> { }));
    cells.add(selectorCell("reader with the channel's URL: PUT channels/team-a/nixpkgs/a-3 (no edit)", 403,
        () -> teamReader.put(channels + "team-a/nixpkgs/a-3", null, a1),
        () -> assertThat(admin.get(channels + "team-a/nixpkgs/a-3/nixexprs.tar.xz").status()).isEqualTo(404)));
    String browse = "team-a (content selector) browses only team-a's assets";
    cells.add(dynamicTest(browse, () -> named(browse, () -> {
      List<JsonNode> items = assetItems(rest.as(teamA, TEAM_A_PASSWORD), NAMES.get(Repo.HOSTED));
      List<String> paths = new ArrayList<>();
      items.forEach(item -> paths.add(item.get("path").asText()));
      assertThat(paths).contains("/channels/team-a/nixpkgs/a-0/nixexprs.tar.xz")
          .allMatch(p -> p.startsWith("/channels/team-a/"), "under /channels/team-a/");
    })));
    return cells.stream();
  }

  /** One content-selector cell, see {@link #requestCell}. */
  private static DynamicTest selectorCell(final String request, final int expected,
                                          final Supplier<RawHttp.Response> send, final Runnable after)
  {
    return requestCell("team-a (content selector) " + request, expected, send, after);
  }

  /** Runs a cell; its name is printed with the outcome and heads any failure's message. */
  private static void named(final String name, final Runnable cell) {
    try {
      cell.run();
      System.out.println("[matrix] ok    " + name);
    }
    catch (AssertionError | RuntimeException e) {
      System.out.println("[matrix] FAIL  " + name);
      throw new AssertionError(name + ": " + e.getMessage(), e);
    }
  }

  /**
   * Deletes that take more than the path they name (a NAR's store paths, a store path's dependents with {@code
   * ?cascade=true}) need the delete privilege on every store path they would take; a store path's own NAR and listing
   * go with it.
   */
  @Order(3)
  @TestFactory
  Stream<DynamicTest> cascadingDeletesStayWithinTheContentSelector() {
    String url = URLS.get(Repo.HOSTED);
    RawHttp narDeleterHttp = RawHttp.basic(narDeleter, NAR_DELETER_PASSWORD);
    String narOfRoot = "/" + NarInfos.get(admin, url, narDeleterTarget.root()).url();
    String refusedDependency = NarInfos.url(url, cascadeRefusedTarget.dependency());
    String allowedDependency = NarInfos.url(url, cascadeAllowedTarget.dependency());
    RawHttp oneNarInfo = RawHttp.basic(oneNarInfoDeleter, ONE_NARINFO_DELETER_PASSWORD);

    List<DynamicTest> cells = new ArrayList<>();
    cells.add(requestCell("nar-deleter (content selector /nar/) REST DELETE assets/<id of a NAR a narinfo uses>", 403,
        () -> restAnswer(rest.as(narDeleter, NAR_DELETER_PASSWORD)
            .delete("/service/rest/v1/assets/" + assetId(narOfRoot))),
        () -> assertThat(admin.get(NarInfos.url(url, narDeleterTarget.root())).status()).isEqualTo(200)));
    cells.add(requestCell("nar-deleter (content selector /nar/) DELETE <a NAR a narinfo uses>", 409,
        () -> narDeleterHttp.delete(url + narOfRoot),
        () -> assertThat(admin.get(url + narOfRoot).status()).isEqualTo(200)));
    cells.add(requestCell("one-narinfo-deleter (content selector on one narinfo) DELETE it?cascade=true", 403,
        () -> oneNarInfo.delete(refusedDependency + "?cascade=true"),
        () -> assertThat(admin.get(NarInfos.url(url, cascadeRefusedTarget.root())).status()).isEqualTo(200)));
    cells.add(requestCell("one-narinfo-deleter (content selector on one narinfo) DELETE it (referenced)", 409,
        () -> oneNarInfo.delete(refusedDependency),
        () -> assertThat(admin.get(refusedDependency).status()).isEqualTo(200)));
    cells.add(requestCell("narinfo-deleter (content selector on narinfos) DELETE <dependency>.narinfo?cascade=true",
        204, () -> RawHttp.basic(narInfoDeleter, NARINFO_DELETER_PASSWORD).delete(allowedDependency + "?cascade=true"),
        () -> {
          assertThat(admin.get(allowedDependency).status()).isEqualTo(404);
          assertThat(admin.get(NarInfos.url(url, cascadeAllowedTarget.root())).status()).isEqualTo(404);
        }));
    return cells.stream();
  }

  /**
   * One cell outside the matrix: the request's status; for a refusal, nothing changed in any repository; then
   * {@code after} (if given) checks the effect or its absence.
   */
  private static DynamicTest requestCell(final String request, final int expected,
                                        final Supplier<RawHttp.Response> send, final Runnable after)
  {
    String name = request + " → " + expected;
    return dynamicTest(name, () -> named(name, () -> {
      anonymousAccess(false);
      Map<String, String> before = assets();
      check(request, expected, send.get());
      if (!allowed(expected)) {
        assertThat(assets()).as("the assets of all three repositories").isEqualTo(before);
      }
      if (after != null) {
        after.run();
      }
    }));
  }

  /** The id of an asset of the hosted repository, by path. */
  private static String assetId(final String path) {
    List<JsonNode> items = assetItems(rest, NAMES.get(Repo.HOSTED));
    for (JsonNode item : items) {
      if (item.get("path").asText().equals(path)) {
        return item.get("id").asText();
      }
    }
    throw new AssertionError("no asset " + path + " in " + items);
  }

  private static RawHttp.Response restAnswer(final NexusRest.Response response) {
    return new RawHttp.Response(response.status(), response.headers(),
        response.body().getBytes(StandardCharsets.UTF_8));
  }

  private static RawHttp.Response componentUpload(final String user, final String password, final String channel,
                                                  final String snapshot, final Path tarball)
  {
    Curl.Result result = Curl.run("-u", user + ":" + password, "-F", "nix.channel=" + channel,
        "-F", "nix.flavor=nixpkgs", "-F", "nix.snapshot=" + snapshot, "-F", "nix.asset=@" + tarball,
        nexus.baseUrl() + "/service/rest/v1/components?repository=" + NAMES.get(Repo.HOSTED));
    return new RawHttp.Response(result.status(), java.net.http.HttpHeaders.of(Map.of(), (k, v) -> true),
        result.body().getBytes(StandardCharsets.UTF_8));
  }

  // --- secrets ----------------------------------------------------------------------------------

  @Order(4)
  @Test
  void noRestAnswerContainsASecretAndThePublicKeysAreShown() {
    Map<String, NexusRest> principals = new LinkedHashMap<>();
    principals.put("admin", rest);
    principals.put("read-only", rest.as(reader, READER_PASSWORD));
    principals.put("deployer", rest.as(deployer, DEPLOYER_PASSWORD));
    principals.put("team-a", rest.as(teamA, TEAM_A_PASSWORD));
    principals.put("nar-deleter", rest.as(narDeleter, NAR_DELETER_PASSWORD));
    principals.put("anonymous", rest.anonymous());
    principals.put("wrong password", rest.as(reader, DEPLOYER_PASSWORD));
    String hosted = NAMES.get(Repo.HOSTED);
    List<String> paths = new ArrayList<>(List.of(
        "/service/rest/v1/repositories/nix/hosted/" + hosted,
        "/service/rest/v1/repositories/nix/proxy/" + NAMES.get(Repo.PROXY),
        "/service/rest/v1/repositories/nix/group/" + NAMES.get(Repo.GROUP),
        "/service/rest/v1/repositories/" + hosted,
        "/service/rest/v1/repositories",
        "/service/rest/v1/repositorySettings",
        "/service/rest/v1/assets?repository=" + hosted,
        "/service/rest/v1/components?repository=" + hosted,
        "/service/rest/v1/search?repository=" + hosted,
        "/service/rest/v1/security/users",
        "/service/rest/v1/security/users?userId=" + reader,
        "/service/rest/v1/security/roles",
        "/service/rest/v1/security/privileges",
        "/service/rest/v1/security/content-selectors",
        "/service/rest/v1/security/anonymous",
        "/service/rest/v1/status/check"));
    List<NexusRest.Response> answers = new ArrayList<>(SETUP_ANSWERS);
    for (boolean anonymous : List.of(false, true)) {
      anonymousAccess(anonymous);
      principals.forEach((who, client) -> paths.forEach(path -> answers.add(client.get(path))));
    }
    anonymousAccess(false);
    // mistaken requests: a user that exists, a role naming an unknown privilege, a password change by a non-admin
    answers.add(rest.post("/service/rest/v1/security/users", Map.of("userId", reader, "firstName", "x",
        "lastName", "x", "emailAddress", "x@example.invalid", "password", READER_PASSWORD, "status", "active",
        "roles", List.of(reader))));
    answers.add(rest.as(reader, READER_PASSWORD).send("PUT",
        "/service/rest/v1/security/users/" + deployer + "/change-password", DEPLOYER_PASSWORD));
    answers.add(rest.as(deployer, DEPLOYER_PASSWORD).put("/service/rest/v1/repositories/nix/hosted/" + hosted,
        NexusRest.nixHostedRequest(hosted, Map.of("signing", Map.of("secretKey", NixClient.secretKeyText(groupKey))),
            "allow_once")));

    for (NexusRest.Response answer : answers) {
      assertNoSecret(answer.method() + " " + answer.url() + " -> " + answer.status(),
          answer.status() + " " + answer.headers().map() + " " + answer.body());
      if (answer.method().equals("GET")) {
        // (Nexus itself answers some mistakes with a 500, e.g. creating a user that exists)
        assertThat(answer.status()).as(answer.toString()).isLessThan(500);
      }
    }
    assertThat(rest.get("/service/rest/v1/repositories/nix/hosted/" + hosted).expect(200).json()
        .get("nix").get("signing").get("publicKey").asText()).isEqualTo(hostedKey.publicKey());
    assertThat(rest.get("/service/rest/v1/repositories/nix/group/" + NAMES.get(Repo.GROUP)).expect(200).json()
        .get("nix").get("signing").get("publicKey").asText()).isEqualTo(groupKey.publicKey());
    RawHttp.Response publicKey = check("GET nix-public-key as read-only", 200,
        RawHttp.basic(reader, READER_PASSWORD).get(URLS.get(Repo.HOSTED) + "/nix-public-key"));
    assertThat(publicKey.bodyText().trim()).isEqualTo(hostedKey.publicKey());
    // what a deployer may not do, it did not do
    assertThat(rest.get("/service/rest/v1/repositories/nix/hosted/" + hosted).expect(200).json()
        .get("nix").get("signing").get("publicKey").asText()).isEqualTo(hostedKey.publicKey());
    System.out.println("PermissionsMatrixIT: " + answers.size() + " REST answers and " + answersChecked
        + " repository answers free of secrets");
  }

  @Order(5)
  @Test
  void theNexusLogContainsNoPasswordAndNoSecretKey() throws IOException {
    String log = Files.readString(nexus.logFile());

    assertNoSecret("nexus.log", log);
  }

  // --- helpers ----------------------------------------------------------------------------------

  @FunctionalInterface
  private interface CellVisitor
  {
    void visit(Principal principal, Repo repo, Method method, int expected);
  }

  private static void forEachCell(final CellVisitor visitor) {
    for (Principal principal : Principal.values()) {
      for (Repo repo : Repo.values()) {
        for (Method method : Method.values()) {
          visitor.visit(principal, repo, method, EXPECTED.get(principal).get(repo).get(method));
        }
      }
    }
  }

  private static String cellName(final Principal principal, final Repo repo, final Method method) {
    return principal.label + " " + method + " " + repo.label();
  }

  private static boolean allowed(final int status) {
    return status >= 200 && status < 300;
  }

  private static Map<Principal, Map<Repo, Map<Method, Integer>>> parse(final String table) {
    Map<Principal, Map<Repo, Map<Method, Integer>>> expected = new EnumMap<>(Principal.class);
    table.lines().map(String::trim).filter(line -> !line.isEmpty() && !line.startsWith("#")).forEach(line -> {
      String[] cells = line.split("\\s+");
      Principal principal = Arrays.stream(Principal.values()).filter(p -> p.label.equals(cells[0])).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("unknown principal in " + line));
      if (cells.length != 1 + Repo.values().length * Method.values().length) {
        throw new IllegalArgumentException("a row needs a status per repository and method: " + line);
      }
      Map<Repo, Map<Method, Integer>> row = new EnumMap<>(Repo.class);
      int i = 1;
      for (Repo repo : Repo.values()) {
        Map<Method, Integer> statuses = new EnumMap<>(Method.class);
        for (Method method : Method.values()) {
          statuses.put(method, Integer.parseInt(cells[i++]));
        }
        row.put(repo, statuses);
      }
      expected.put(principal, row);
    });
    if (expected.size() != Principal.values().length) {
      throw new IllegalArgumentException("the matrix needs a row per principal: " + expected.keySet());
    }
    return expected;
  }

  /** The client of a principal; anonymous access is switched on for {@link Principal#ANONYMOUS} only. */
  private static RawHttp as(final Principal principal) {
    anonymousAccess(principal == Principal.ANONYMOUS);
    switch (principal) {
      case ANONYMOUS_OFF:
      case ANONYMOUS:
        return RawHttp.anonymous();
      case READ_ONLY:
        return RawHttp.basic(reader, READER_PASSWORD);
      case DEPLOYER:
        return RawHttp.basic(deployer, DEPLOYER_PASSWORD);
      case ADMIN:
        return admin;
      default:
        throw new IllegalStateException(principal.name());
    }
  }

  private static void anonymousAccess(final boolean enabled) {
    if (anonymousEnabled == null || anonymousEnabled != enabled) {
      rest.enableAnonymous(enabled);
      anonymousEnabled = enabled;
    }
  }

  /** The status is the expected one, a refusal says nothing about existence, and nothing in it is a secret. */
  private static RawHttp.Response check(final String what, final int expected, final RawHttp.Response response) {
    answersChecked++;
    assertNoSecret(what, response.status() + " " + response.headers().map() + " "
        + new String(response.body(), StandardCharsets.ISO_8859_1));
    assertThat(response.status()).as(what + " -> " + response).isEqualTo(expected);
    if (expected == 401) {
      assertThat(response.header("WWW-Authenticate")).as(what + ": the challenge").isNotNull();
    }
    return response;
  }

  private static void assertNoSecret(final String what, final String text) {
    for (String secret : SECRETS) {
      assertThat(text.contains(secret)).as(what + " contains a secret (" + secret.length() + " chars, starting "
          + secret.substring(0, 3) + "...)").isFalse();
    }
  }

  /** Every asset of the three repositories: {@code <repository>/<path>} → its checksums. */
  private static Map<String, String> assets() {
    Map<String, String> assets = new TreeMap<>();
    for (String repository : NAMES.values()) {
      assetItems(rest, repository).forEach(item ->
          assets.put(repository + item.get("path").asText(), item.get("checksum").toString()));
    }
    return assets;
  }

  /** {@code GET /service/rest/v1/assets?repository=}, every page, as {@code client} sees it. */
  private static List<JsonNode> assetItems(final NexusRest client, final String repository) {
    List<JsonNode> items = new ArrayList<>();
    String token = null;
    do {
      JsonNode page = client.get("/service/rest/v1/assets?repository=" + repository
          + (token == null ? "" : "&continuationToken=" + token)).expect(200).json();
      page.get("items").forEach(items::add);
      JsonNode next = page.get("continuationToken");
      token = next == null || next.isNull() ? null : next.asText();
    }
    while (token != null);
    return items;
  }

  /** The narinfo {@code nix copy --to file://} wrote for {@code storePath}. */
  private static String upload(final String storePath) {
    try {
      return Files.readString(uploads.resolve(NarInfos.hashPart(storePath) + ".narinfo"));
    }
    catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String narInfoUrlLine(final String narInfo) {
    return narInfo.lines().filter(line -> line.startsWith("URL: ")).findFirst().orElseThrow()
        .substring("URL: ".length());
  }

  private static byte[] read(final Path file) {
    try {
      return Files.readAllBytes(file);
    }
    catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deploy(final RawHttp http, final String channel, final String snapshot) {
    RawHttp.Response response = http.put(URLS.get(Repo.HOSTED) + "/channels/" + channel + "/nixpkgs/" + snapshot,
        null, ChannelTarball.withHello(channel + "-" + snapshot, snapshot));
    assertThat(response.status()).as(response.toString()).isEqualTo(201);
  }

  private static String password() {
    return "pw-" + UUID.randomUUID().toString().replace("-", "");
  }
}
