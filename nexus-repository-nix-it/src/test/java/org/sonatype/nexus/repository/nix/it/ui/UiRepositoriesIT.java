package org.sonatype.nexus.repository.nix.it.ui;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.sonatype.nexus.repository.nix.it.support.Names;
import org.sonatype.nexus.repository.nix.it.support.NexusRest;
import org.sonatype.nexus.repository.nix.it.support.NexusServer;
import org.sonatype.nexus.repository.nix.it.support.NixClient;
import org.sonatype.nexus.repository.nix.it.support.RawHttp;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * An administrator sets up Nix repositories in Nexus's UI, in real Chromium: the wizard creates a nix-hosted, a
 * nix-proxy and a nix-group of the two with Nix settings changed from their defaults, each serves
 * {@code nix-cache-info} as configured, and editing shows the saved values. Screenshots of every form go to
 * {@code target/ui-screenshots} (docs/ui.md shows them). No test may leave an error in the browser's console.
 */
@TestMethodOrder(OrderAnnotation.class)
class UiRepositoriesIT
{
  private static final String CACHE_NIXOS_ORG_KEY = "cache.nixos.org-1:6NCHdD59X431o0gWypbMrAURkbJ16ZPMQFGspcDShjY=";

  private static final String HOSTED = Names.unique("ui-hosted");

  private static final String PROXY = Names.unique("ui-proxy");

  private static final String GROUP = Names.unique("ui-group");

  private static NexusServer nexus;

  private static NexusRest rest;

  private static Browser browser;

  private static NexusUi ui;

  @RegisterExtension
  static final BrowserSession SESSION = new BrowserSession();

  /** A CI key whose signature the hosted repository requires; the proxy trusts it upstream. */
  private static NixClient.SigningKey uploadKey;

  /** The group's key, imported in the wizard. */
  private static NixClient.SigningKey groupKey;

  @BeforeAll
  static void signIn() {
    nexus = NexusServer.get();
    assumeTrue(nexus.pluginDeployed(), "needs the plugin");
    rest = nexus.rest();
    NixClient keys = NixClient.builder().name("ui-keys").build();
    uploadKey = keys.generateSigningKey(Names.unique("ci"));
    groupKey = keys.generateSigningKey(Names.unique("team-cache"));
    ui = SESSION.signIn(nexus, "admin", nexus.adminPassword());
    browser = ui.browser();
  }

  @Test
  @Order(1)
  void theWizardCreatesANixHostedRepository() {
    RepositoryForm form = RepositoryForm.create(ui, "nix-hosted")
        .type("#name", HOSTED)
        .type("attributes.nix.priority", "25")
        .check("attributes.nix.requireCompleteClosure", false)
        .type("attributes.nix.trustedUploadKeys", uploadKey.publicKey())
        .type("attributes.nix.channelSnapshotsToKeep", "5")
        .choose("#nixSigningChange", "Generate a new key")
        .type("attributes.nix.signing.keyName", HOSTED + "-key-1");
    form.screenshot("nix-hosted-create");

    form.create();

    JsonNode nix = rest.get("/service/rest/v1/repositories/nix/hosted/" + HOSTED).expect(200).json().get("nix");
    assertThat(nix.get("priority").asInt()).isEqualTo(25);
    assertThat(nix.get("verifyNarHash").asBoolean()).isTrue();
    assertThat(nix.get("requireCompleteClosure").asBoolean()).isFalse();
    assertThat(texts(nix.get("trustedUploadKeys"))).containsExactly(uploadKey.publicKey());
    assertThat(nix.get("channelSnapshotsToKeep").asInt()).isEqualTo(5);
    assertThat(nix.get("signing").get("publicKey").asText()).startsWith(HOSTED + "-key-1:");
    assertThat(cacheInfo(HOSTED)).contains("StoreDir: /nix/store").contains("Priority: 25");
  }

  @Test
  @Order(2)
  void theWizardCreatesANixProxyRepository() {
    RepositoryForm form = RepositoryForm.create(ui, "nix-proxy")
        .type("#name", PROXY)
        .type("attributes.proxy.remoteUrl", "http://127.0.0.1:9/cache")
        .type("attributes.nix.priority", "45")
        .type("attributes.nix.trustedUpstreamKeys", CACHE_NIXOS_ORG_KEY + "\n" + uploadKey.publicKey())
        .check("attributes.nix.requireUpstreamSignature", false)
        .type("attributes.nix.channelsUrl", "http://127.0.0.1:9/channels")
        .type("attributes.nix.flakeRegistryUrl", "")
        .type("attributes.nix.allowedUpstreamOrigins", "https://releases.nixos.org\nhttps://nars.example.com:8443");
    form.screenshot("nix-proxy-create");

    form.create();

    JsonNode proxy = rest.get("/service/rest/v1/repositories/nix/proxy/" + PROXY).expect(200).json();
    JsonNode nix = proxy.get("nix");
    assertThat(proxy.get("proxy").get("remoteUrl").asText()).isEqualTo("http://127.0.0.1:9/cache");
    assertThat(nix.get("priority").asInt()).isEqualTo(45);
    assertThat(texts(nix.get("trustedUpstreamKeys"))).containsExactly(CACHE_NIXOS_ORG_KEY, uploadKey.publicKey());
    assertThat(nix.get("requireUpstreamSignature").asBoolean()).isFalse();
    assertThat(nix.get("channelsUrl").asText()).isEqualTo("http://127.0.0.1:9/channels");
    assertThat(texts(nix.get("allowedUpstreamOrigins")))
        .containsExactly("https://releases.nixos.org", "https://nars.example.com:8443");
    assertThat(nix.path("channelSnapshotsToKeep").isNull() || nix.path("channelSnapshotsToKeep").isMissingNode())
        .as("left empty: no minimum").isTrue();
    assertThat(cacheInfo(PROXY)).contains("StoreDir: /nix/store").contains("Priority: 45");
  }

  @Test
  @Order(3)
  void theWizardCreatesANixGroupOfTheTwo() {
    RepositoryForm form = RepositoryForm.create(ui, "nix-group")
        .type("#name", GROUP)
        .type("attributes.nix.priority", "20")
        .select("attributes.group.memberNames", List.of(HOSTED, PROXY))
        .choose("attributes.nix.writableMember", HOSTED)
        .choose("#nixSigningChange", "Import a secret key")
        .type("attributes.nix.signing.secret", NixClient.secretKeyText(groupKey));
    form.screenshot("nix-group-create");

    form.create();

    JsonNode group = rest.get("/service/rest/v1/repositories/nix/group/" + GROUP).expect(200).json();
    assertThat(texts(group.get("group").get("memberNames"))).containsExactly(HOSTED, PROXY);
    assertThat(group.get("nix").get("writableMember").asText()).isEqualTo(HOSTED);
    assertThat(group.get("nix").get("signing").get("publicKey").asText()).isEqualTo(groupKey.publicKey());
    assertThat(cacheInfo(GROUP)).contains("StoreDir: /nix/store").contains("Priority: 20");
  }

  @Test
  @Order(4)
  void theHostedRepositoryShowsItsSavedValues() {
    RepositoryForm form = RepositoryForm.edit(ui, "nix-hosted", HOSTED);
    form.screenshot("nix-hosted-edit");

    assertThat(form.value("attributes.nix.storeDir")).isEqualTo("/nix/store");
    assertThat(form.value("attributes.nix.priority")).isEqualTo(25L);
    assertThat(form.value("attributes.nix.verifyNarHash")).isEqualTo(true);
    assertThat(form.value("attributes.nix.requireCompleteClosure")).isEqualTo(false);
    assertThat(form.value("attributes.nix.trustedUploadKeys")).isEqualTo(List.of(uploadKey.publicKey()));
    assertThat(form.value("attributes.nix.channelSnapshotsToKeep")).isEqualTo(5L);
    assertThat(form.value("attributes.nix.signing.keyName")).isEqualTo(HOSTED + "-key-1");
    assertThat(form.value("attributes.nix.signing.publicKey")).isEqualTo(publicKeyOf("hosted", HOSTED));
  }

  @Test
  @Order(5)
  void theProxyRepositoryShowsItsSavedValues() {
    RepositoryForm form = RepositoryForm.edit(ui, "nix-proxy", PROXY);
    form.screenshot("nix-proxy-edit");

    assertThat(form.value("attributes.proxy.remoteUrl")).isEqualTo("http://127.0.0.1:9/cache");
    assertThat(form.value("attributes.nix.priority")).isEqualTo(45L);
    assertThat(form.value("attributes.nix.trustedUpstreamKeys"))
        .isEqualTo(List.of(CACHE_NIXOS_ORG_KEY, uploadKey.publicKey()));
    assertThat(form.value("attributes.nix.requireUpstreamSignature")).isEqualTo(false);
    assertThat(form.value("attributes.nix.channelsUrl")).isEqualTo("http://127.0.0.1:9/channels");
    assertThat(form.value("attributes.nix.flakeRegistryUrl")).isEqualTo("");
    assertThat(form.value("attributes.nix.allowedUpstreamOrigins"))
        .isEqualTo(List.of("https://releases.nixos.org", "https://nars.example.com:8443"));
  }

  @Test
  @Order(6)
  void theGroupRepositoryShowsItsSavedValues() {
    RepositoryForm form = RepositoryForm.edit(ui, "nix-group", GROUP);
    ui.browser().await("the writable member to show", d -> HOSTED.equals(form.value("attributes.nix.writableMember")));
    form.screenshot("nix-group-edit");

    assertThat(form.value("attributes.nix.priority")).isEqualTo(20L);
    assertThat(form.value("attributes.group.memberNames")).isEqualTo(List.of(HOSTED, PROXY));
    assertThat(form.value("attributes.nix.signing.publicKey")).isEqualTo(groupKey.publicKey());
    assertThat(form.value("attributes.nix.signing.keyName")).isEqualTo(groupKey.name());
  }

  @Test
  @Order(7)
  void theImportedSecretKeyIsNeverShown() {
    RepositoryForm form = RepositoryForm.edit(ui, "nix-group", GROUP);
    String material = NixClient.secretKeyText(groupKey).substring(groupKey.name().length() + 1);

    assertThat(form.isShown("attributes.nix.signing.secret")).isFalse();
    assertThat(form.value("attributes.nix.signing.secret")).isEqualTo("");
    assertThat(browser.driver().getPageSource()).doesNotContain(material);
    String held = (String) browser.js("return JSON.stringify(Ext.ComponentQuery.query(arguments[0])[0].getRecord()"
        + ".data)", "nx-coreui-repository-nix-group");
    assertThat(held).as("the repository as the UI holds it").doesNotContain(material).doesNotContain("nix-encrypted")
        .doesNotContain("\"secret\"").contains("\"keyId\"");
  }

  @Test
  @Order(8)
  void theImportedSecretKeyIsNotInNexussLog() throws IOException {
    String material = NixClient.secretKeyText(groupKey).substring(groupKey.name().length() + 1);

    String log = Files.readString(nexus.logFile());

    assertThat(log).contains("Creating repository: " + GROUP).doesNotContain(material);
  }

  @Test
  @Order(9)
  void aRepositoryCreatedOverRestIsEditedInTheUi() {
    String name = Names.unique("rest-hosted");
    rest.createNixHosted(name, Map.of("priority", 31, "signing", Map.of("generate", true)), "allow_once");
    String publicKey = publicKeyOf("hosted", name);

    RepositoryForm.edit(ui, "nix-hosted", name)
        .type("attributes.nix.priority", "32")
        .check("attributes.nix.verifyNarHash", false)
        .save();

    JsonNode nix = rest.get("/service/rest/v1/repositories/nix/hosted/" + name).expect(200).json().get("nix");
    assertThat(nix.get("priority").asInt()).isEqualTo(32);
    assertThat(nix.get("verifyNarHash").asBoolean()).isFalse();
    assertThat(nix.get("signing").get("publicKey").asText()).as("the key is kept").isEqualTo(publicKey);
  }

  @Test
  @Order(10)
  void aRepositoryCreatedInTheUiIsUpdatedOverRest() {
    Map<String, Object> body = NexusRest.nixHostedRequest(HOSTED, Map.of("priority", 26), "allow_once");

    rest.put("/service/rest/v1/repositories/nix/hosted/" + HOSTED, body).expect(204);

    RepositoryForm form = RepositoryForm.edit(ui, "nix-hosted", HOSTED);
    assertThat(form.value("attributes.nix.priority")).isEqualTo(26L);
    assertThat(form.value("attributes.nix.signing.publicKey")).as("the key is kept")
        .isEqualTo(publicKeyOf("hosted", HOSTED));
  }

  private static String cacheInfo(final String repository) {
    RawHttp.Response answer = RawHttp.basic("admin", nexus.adminPassword())
        .get(nexus.repositoryUrl(repository) + "/nix-cache-info");
    assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
    return answer.bodyText();
  }

  private static String publicKeyOf(final String type, final String repository) {
    return rest.get("/service/rest/v1/repositories/nix/" + type + "/" + repository).expect(200).json()
        .get("nix").get("signing").get("publicKey").asText();
  }

  private static List<String> texts(final JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(item -> texts.add(item.asText()));
    return texts;
  }
}
