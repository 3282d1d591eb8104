package org.sonatype.nexus.repository.nix.it.ui;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.sonatype.nexus.repository.nix.it.support.ChannelTarball;
import org.sonatype.nexus.repository.nix.it.support.FlakeTarball;
import org.sonatype.nexus.repository.nix.it.support.Names;
import org.sonatype.nexus.repository.nix.it.support.NexusServer;
import org.sonatype.nexus.repository.nix.it.support.RawHttp;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Nix content in Nexus's UI, in real Chromium: the Upload page takes a channel snapshot and a flake, Browse opens
 * every kind of Nix file with a link that downloads it (a narinfo with the commands that get its store path in
 * Nexus's Usage panel), Search > Nix finds a store path by name, version and store hash, and cleanup policies offer
 * the Nix format with the criteria that apply to it, and a repository's settings pin and unpin store paths. No page
 * may log a console error.
 */
@TestMethodOrder(OrderAnnotation.class)
class UiContentIT
{
  private static final String REPOSITORY = Names.unique("ui-content");

  private static final String NAME = NixContent.packageName("ui-hello");

  private static NexusServer nexus;

  private static NixContent content;

  private static Browser browser;

  private static NexusUi ui;

  @RegisterExtension
  static final BrowserSession SESSION = new BrowserSession();

  @BeforeAll
  static void pushContentAndSignIn() {
    nexus = NexusServer.get();
    assumeTrue(nexus.pluginDeployed(), "needs the plugin");
    nexus.rest().createNixHosted(REPOSITORY);
    content = NixContent.push(nexus, REPOSITORY, NAME);
    ui = SESSION.signIn(nexus, "admin", nexus.adminPassword());
    browser = ui.browser();
  }

  @Test
  @Order(1)
  void theUploadPageTakesAChannelSnapshot() {
    Path tarball = ChannelTarball.withHello("team-24.11.1", "hi");
    ui.open("browse/upload:" + REPOSITORY);
    WebElement file = browser.await("the upload form", d -> d.findElements(By.cssSelector("input[type=file]")).stream()
        .findFirst().orElse(null));

    file.sendKeys(tarball.toString());
    browser.driver().findElement(By.id("channel")).sendKeys("team");
    browser.driver().findElement(By.id("flavor")).sendKeys("nixpkgs");
    browser.driver().findElement(By.id("snapshot")).sendKeys("team-24.11.1");
    ui.screenshot("upload-channel-snapshot");
    browser.driver().findElement(By.xpath("//button[normalize-space() = 'Upload']")).click();

    // after an upload, Nexus searches for what it stored
    browser.await("the upload to finish", d -> d.getCurrentUrl().contains("browse/search"));
    RawHttp.Response snapshot = RawHttp.basic("admin", nexus.adminPassword())
        .get(nexus.repositoryUrl(REPOSITORY) + "/channels/team/nixpkgs/team-24.11.1/nixexprs.tar.xz");
    assertThat(snapshot.status()).as(snapshot.toString()).isEqualTo(200);
  }

  @Test
  @Order(1)
  void theUploadPageTakesAFlake() {
    Path tarball = FlakeTarball.writing("ui-flake", "1.0.0", "hi");
    ui.open("browse/upload:" + REPOSITORY);
    WebElement file = browser.await("the upload form", d -> d.findElements(By.cssSelector("input[type=file]")).stream()
        .findFirst().orElse(null));

    file.sendKeys(tarball.toString());
    browser.driver().findElement(By.id("name")).sendKeys("ui-flake");
    browser.driver().findElement(By.id("version")).sendKeys("1.0.0");
    ui.screenshot("upload-flake");
    browser.driver().findElement(By.xpath("//button[normalize-space() = 'Upload']")).click();

    browser.await("the upload to finish", d -> d.getCurrentUrl().contains("browse/search"));
    RawHttp.Response flake = RawHttp.basic("admin", nexus.adminPassword())
        .get(nexus.repositoryUrl(REPOSITORY) + "/flakes/ui-flake/1.0.0.tar.gz");
    assertThat(flake.status()).as(flake.toString()).isEqualTo(200);
  }

  static Stream<Arguments> kinds() {
    return NixContent.KINDS.keySet().stream().map(Arguments::of);
  }

  @ParameterizedTest(name = "a {0}")
  @MethodSource("kinds")
  @Order(2)
  void browseShowsEveryKindOfFileWithALinkThatDownloadsIt(final String kind) {
    Map.Entry<String, String> file = NixContent.browsePaths(nexus, REPOSITORY).entrySet().stream()
        .filter(entry -> NixContent.KINDS.get(kind).test(entry.getKey()))
        .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " in " + REPOSITORY));

    ui.open("browse/browse:" + REPOSITORY + ":" + urlEncode(file.getValue()));
    WebElement link = browser.await("the link of " + file.getKey(), d -> d.findElements(
        By.xpath("//a[contains(@href, '/repository/" + REPOSITORY + "/') and normalize-space() = '"
            + file.getKey().substring(1) + "']")).stream().filter(WebElement::isDisplayed).findFirst().orElse(null));
    if ("narinfo".equals(kind)) {
      ui.screenshot("browse-narinfo");
    }

    RawHttp.Response download = RawHttp.basic("admin", nexus.adminPassword()).get(link.getAttribute("href"));
    assertThat(download.status()).as(download.toString()).isEqualTo(200);
  }

  @Test
  @Order(2)
  void aNarinfoInBrowseHasNexussUsagePanelWithItsStorePathsCommands() {
    String narInfo = NixContent.browsePaths(nexus, REPOSITORY).entrySet().stream()
        .filter(entry -> entry.getKey().endsWith(".narinfo"))
        .findFirst().orElseThrow().getValue();

    ui.open("browse/browse:" + REPOSITORY + ":" + urlEncode(narInfo));
    String snippet = browser.await("the narinfo's Usage panel", d -> (String) browser.js(
        "var panel = Ext.ComponentQuery.query('nx-coreui-component-componentassetinfo nx-info-dependency-snippet-panel')"
            + "    .filter(function(c) { return c.isVisible(true); })[0],"
            + "  data = panel && panel.down('component[name=snippet]').getData();"
            + "return data && data.snippetText ? Ext.String.htmlDecode(data.snippetText) : null"));
    // Browse's next bookmark comes from another page, as for the tests below when they were first
    ui.open("browse/welcome");

    assertThat(snippet).isEqualTo("nix-store --realise " + content.storePath());
  }

  static Stream<Arguments> criteria() {
    return Stream.of(
        Arguments.of("name.raw", NAME),
        Arguments.of("version", "1.0"),
        Arguments.of("assets.attributes.nix.storeHash", content.storeHash()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("criteria")
  @Order(3)
  void searchNixFindsTheStorePath(final String criterion, final String value) {
    // Search is Elasticsearch, which indexes a little after the upload
    nexus.rest().searchUntil(Map.of("format", "nix", "repository", REPOSITORY, "name", NAME),
        answer -> answer.get("items").size() == 1, Duration.ofSeconds(60));
    ui.open("browse/search/nix");
    WebElement field = ui.input("nx-coreui-searchcriteria-text[criteriaId=\"" + criterion + "\"]");
    browser.await("no results before the search", d -> !ui.isCellShown(NAME));

    field.sendKeys(Keys.chord(Keys.CONTROL, "a"), value, Keys.ENTER);

    browser.await(NAME + " among the results", d -> ui.isCellShown(NAME));
    if (criterion.contains("storeHash")) {
      ui.screenshot("search-nix");
    }
    field.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE, Keys.ENTER);
  }

  @Test
  @Order(4)
  void cleanupPoliciesOfferNixWithTheCriteriaThatApplyToIt() {
    ui.open("admin/repository/cleanuppolicies");
    browser.await("the list of cleanup policies", d -> d.findElements(
        By.xpath("//button[normalize-space() = 'Create Cleanup Policy']")).stream().findFirst().orElse(null)).click();

    new Select(browser.await("the format list", d -> d.findElement(By.name("format")))).selectByValue("nix");

    List<String> criteria = browser.await("Nix's cleanup criteria", d -> {
      // each criterion is a check box followed by its label
      List<String> shown = d.findElements(By.xpath("//label[contains(@class, 'nx-checkbox')]/following::label[1]"))
          .stream()
          .filter(WebElement::isDisplayed).map(WebElement::getText).map(String::trim).toList();
      return shown.isEmpty() ? null : shown;
    });
    ui.screenshot("cleanup-policy-nix");
    assertThat(criteria).contains("Component Age", "Component Usage", "Asset Name Matcher")
        .noneMatch(criterion -> criterion.contains("Release"));
  }

  @Test
  @Order(5)
  void theSettingsPinAndUnpinAStorePath() {
    RepositoryForm form = RepositoryForm.edit(ui, "nix-hosted", REPOSITORY);

    form.type("#nixPinStorePath", content.storePath());
    ui.click(form.field("#nixPinButton"));

    browser.await(content.storePath() + " among the pins", d -> pinnedHashes().equals(List.of(content.storeHash()))
        && shownPins().equals(List.of(content.storePath())));
    form.screenshot("nix-hosted-pins");

    browser.await("the unpin button", d -> d.findElements(By.cssSelector(".nx-nix-unpin")).stream()
        .filter(WebElement::isDisplayed).findFirst().orElse(null)).click();

    browser.await("no pins", d -> pinnedHashes().isEmpty() && shownPins().isEmpty());
  }

  /** What the pins REST API lists. */
  private static List<String> pinnedHashes() {
    List<String> hashes = new ArrayList<>();
    nexus.rest().get("/service/rest/v1/nix/" + REPOSITORY + "/pins").expect(200).json()
        .forEach(pin -> hashes.add(pin.get("storeHash").asText()));
    return hashes;
  }

  /** What the settings list as pinned. */
  private static List<String> shownPins() {
    return browser.driver().findElements(By.cssSelector(".nx-nix-pin-path")).stream()
        .filter(WebElement::isDisplayed).map(WebElement::getText).toList();
  }

  /** As Browse writes a path into its bookmark. */
  private static String urlEncode(final String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
