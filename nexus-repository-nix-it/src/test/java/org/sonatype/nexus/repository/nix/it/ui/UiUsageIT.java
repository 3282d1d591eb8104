package org.sonatype.nexus.repository.nix.it.ui;

import java.util.List;
import java.util.Map;

import org.sonatype.nexus.repository.nix.it.support.ClosureGenerator;
import org.sonatype.nexus.repository.nix.it.support.Names;
import org.sonatype.nexus.repository.nix.it.support.NexusRest;
import org.sonatype.nexus.repository.nix.it.support.NexusServer;
import org.sonatype.nexus.repository.nix.it.support.RawHttp;
import org.sonatype.nexus.repository.nix.it.support.StaticCacheServer;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * "Set Me Up" in Nexus's UI, in real Chromium: a Nix repository's settings and Browse show how Nix uses it (push to
 * the hosted repository, substitute from its group, the keys to trust, the netrc line without a password) with copy
 * buttons that copy exactly the snippet; the repository's URL opened in the browser shows the same; a repository
 * created in the UI gets a signing key unless told otherwise; the proxy form warns of an upstream other than
 * cache.nixos.org trusted with cache.nixos.org's key only, and shows what a proxy refused. Screenshots go to
 * {@code target/ui-screenshots} (docs/ui.md shows them).
 */
@TestMethodOrder(OrderAnnotation.class)
class UiUsageIT
{
  private static final String HOSTED = Names.unique("ui-usage-hosted");

  private static final String GROUP = Names.unique("ui-usage-group");

  private static NexusServer nexus;

  private static NexusRest rest;

  private static Browser browser;

  private static NexusUi ui;

  private static StaticCacheServer unsignedUpstream;

  @RegisterExtension
  static final BrowserSession SESSION = new BrowserSession();

  @BeforeAll
  static void repositoriesAndSignIn() {
    nexus = NexusServer.get();
    assumeTrue(nexus.pluginDeployed(), "needs the plugin");
    rest = nexus.rest();
    rest.createNixHosted(HOSTED, Map.of("signing", Map.of("generate", true)), "allow_once");
    rest.createNixGroup(GROUP, List.of(HOSTED), Map.of("writableMember", HOSTED, "signing", Map.of("generate", true)));
    ui = SESSION.signIn(nexus, "admin", nexus.adminPassword());
    browser = ui.browser();
    // the copy buttons write to the clipboard; the test reads it back
    ((ChromeDriver) browser.driver()).executeCdpCommand("Browser.grantPermissions",
        Map.of("permissions", List.of("clipboardReadWrite", "clipboardSanitizedWrite")));
  }

  @AfterAll
  static void stopUpstream() {
    if (unsignedUpstream != null) {
      unsignedUpstream.close();
    }
  }

  @Test
  @Order(1)
  void aRepositorysSettingsShowHowNixUsesItAndCopyEachSnippet() {
    RepositoryForm.edit(ui, "nix-hosted", HOSTED);
    WebElement nixConf = snippet("nx-coreui-repository-nix-hosted nx-nix-usage", "nixConf");
    ui.screenshot("nix-hosted-usage");

    assertThat(nixConf.findElement(By.cssSelector("pre")).getText())
        .startsWith("substituters = " + nexus.repositoryUrl(GROUP) + "\n")
        .contains("trusted-public-keys = " + publicKey("group", GROUP) + " " + publicKey("hosted", HOSTED))
        .endsWith("netrc-file = /etc/nix/netrc\nfallback = true");
    assertThat(snippet("nx-coreui-repository-nix-hosted nx-nix-usage", "netrc").getText())
        .contains("machine 127.0.0.1 login admin password <password>")
        .doesNotContain(nexus.adminPassword());
    assertThat(snippet("nx-coreui-repository-nix-hosted nx-nix-usage", "push").getText())
        .contains("nix copy --to " + nexus.repositoryUrl(HOSTED) + " /nix/store/<hash>-<name>");

    nixConf.findElement(By.cssSelector("button.nx-nix-copy")).click();

    browser.await("the copy button to say it copied", d -> nixConf.findElement(By.cssSelector("button.nx-nix-copied")));
    assertThat(clipboard()).isEqualTo(nixConf.findElement(By.cssSelector("pre")).getText());
  }

  @Test
  @Order(2)
  void browseHasAUsageButtonThatShowsTheSame() {
    ui.reload("browse/browse:" + HOSTED);
    ui.click("nx-coreui-componentassettreefeature button[action=nixUsage]");
    WebElement push = snippet("nx-nix-usage-window nx-nix-usage", "push");
    ui.screenshot("browse-usage");

    assertThat(push.findElement(By.cssSelector("pre")).getText())
        .isEqualTo("nix copy --to " + nexus.repositoryUrl(HOSTED) + " /nix/store/<hash>-<name>");
    assertThat(snippet("nx-nix-usage-window nx-nix-usage", "channel").getText())
        .contains("nix-channel --add " + nexus.repositoryUrl(GROUP) + "/channels/<channel> <name>");
    assertThat(snippet("nx-nix-usage-window nx-nix-usage", "flakeRegistry").getText())
        .contains("flake-registry = " + nexus.repositoryUrl(GROUP) + "/flake-registry.json");
    ui.click("nx-nix-usage-window button[action=close]");
  }

  @Test
  @Order(3)
  void browseShowsNoUsageButtonForOtherFormats() {
    String raw = Names.unique("ui-usage-raw");
    rest.createRawHosted(raw);
    ui.reload("browse/browse:" + HOSTED);
    browser.await("the Usage button of " + HOSTED,
        d -> ui.isShown("nx-coreui-componentassettreefeature button[action=nixUsage]"));

    ui.reload("browse/browse:" + raw);
    browser.await(raw + "'s content", d -> browser.js("var s = Ext.getStore('ComponentAssetTree');"
        + "return s && s.getProxy().getExtraParams().repositoryName === arguments[0]", raw));

    assertThat(ui.isShown("nx-coreui-componentassettreefeature button[action=nixUsage]")).isFalse();
  }

  @Test
  @Order(4)
  void theRepositoryUrlOpenedInTheBrowserShowsTheSameLines() {
    String text;
    try {
      // the UI's session signs the browser in here too
      browser.driver().get(nexus.repositoryUrl(HOSTED) + "/");
      text = browser.await("the page at " + HOSTED + "'s URL",
          d -> d.findElements(By.tagName("pre")).isEmpty() ? null : d.findElement(By.tagName("body")).getText());
      browser.screenshot("repository-url-page");
    }
    finally {
      ui.load();
    }

    assertThat(text)
        .contains("substituters = " + nexus.repositoryUrl(GROUP))
        .contains("nix copy --to " + nexus.repositoryUrl(HOSTED) + " /nix/store/<hash>-<name>")
        .contains("machine 127.0.0.1 login admin password <password>");
  }

  @Test
  @Order(5)
  void aRepositoryCreatedInTheUiGetsASigningKeyUnlessToldOtherwise() {
    String name = Names.unique("ui-usage-new");
    RepositoryForm form = RepositoryForm.create(ui, "nix-hosted").type("#name", name);

    assertThat(form.value("#nixSigningChange")).isEqualTo("generate");
    form.create();

    JsonNode signing = rest.get("/service/rest/v1/repositories/nix/hosted/" + name).expect(200).json()
        .get("nix").get("signing");
    assertThat(signing.get("publicKey").asText()).startsWith(name + "-1:");
  }

  @Test
  @Order(6)
  void theProxyFormWarnsOfAnotherUpstreamTrustedOnlyWithCacheNixosOrgsKey() {
    RepositoryForm form = RepositoryForm.create(ui, "nix-proxy")
        .type("#name", Names.unique("ui-usage-proxy"))
        .type("attributes.proxy.remoteUrl", "https://cache.example.com");
    String warning = "nx-coreui-repository-nix-proxy #nixUpstreamKeyWarning";
    browser.await("the upstream key warning", d -> ui.isShown(warning));
    ui.screenshot("nix-proxy-upstream-warning");

    assertThat(ui.element(warning).getText())
        .contains("The upstream cache.example.com is not cache.nixos.org")
        .contains("Add the public key the upstream signs with");

    form.type("attributes.proxy.remoteUrl", "https://cache.nixos.org");
    browser.await("the warning to go", d -> !ui.isShown(warning));
  }

  @Test
  @Order(7)
  void aProxysSettingsShowTheUpstreamNarinfosItRefused() {
    ClosureGenerator.Fresh fresh = ClosureGenerator.get().fresh(Names.unique("ui-usage-upstream"));
    unsignedUpstream = StaticCacheServer.create(ClosureGenerator.get().nix(), "zstd", fresh.paths());
    String proxy = Names.unique("ui-usage-refusing");
    rest.createNixProxy(proxy, unsignedUpstream.url(), Map.of("trustedUpstreamKeys",
        List.of("cache.nixos.org-1:6NCHdD59X431o0gWypbMrAURkbJ16ZPMQFGspcDShjY=")));
    String hash = fresh.root().substring("/nix/store/".length(), "/nix/store/".length() + 32);
    assertThat(RawHttp.basic("admin", nexus.adminPassword())
        .get(nexus.repositoryUrl(proxy) + "/" + hash + ".narinfo").status()).isEqualTo(404);

    RepositoryForm.edit(ui, "nix-proxy", proxy);
    String refusals = "nx-coreui-repository-nix-proxy #nixUpstreamRefusals";
    browser.await("the proxy's refusals", d -> ui.isShown(refusals));

    assertThat(ui.element(refusals).getText())
        .contains("Upstream narinfos refused")
        .contains(": 1.")
        .contains(fresh.root().substring("/nix/store/".length()))
        .contains("is not signed");
    assertThat(ui.isShown("nx-coreui-repository-nix-proxy #nixUpstreamKeyWarning")).isTrue();
  }

  /** The usage panel's snippet with this id, once the panel has loaded. */
  private static WebElement snippet(final String panel, final String id) {
    WebElement element = ui.element(panel);
    return browser.await(panel + "'s " + id + " snippet", d -> element
        .findElements(By.cssSelector("div.nx-nix-snippet[data-snippet='" + id + "']")).stream()
        .filter(WebElement::isDisplayed).findFirst().orElse(null));
  }

  private static String clipboard() {
    return (String) ((JavascriptExecutor) browser.driver()).executeAsyncScript(
        "var done = arguments[arguments.length - 1];"
            + "navigator.clipboard.readText().then(done, function(e) { done('clipboard not readable: ' + e); });");
  }

  private static String publicKey(final String type, final String repository) {
    return rest.get("/service/rest/v1/repositories/nix/" + type + "/" + repository).expect(200).json()
        .get("nix").get("signing").get("publicKey").asText();
  }
}
