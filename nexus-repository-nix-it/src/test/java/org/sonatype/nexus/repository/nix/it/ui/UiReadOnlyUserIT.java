package org.sonatype.nexus.repository.nix.it.ui;

import org.sonatype.nexus.repository.nix.it.support.Names;
import org.sonatype.nexus.repository.nix.it.support.NexusRest;
import org.sonatype.nexus.repository.nix.it.support.NexusServer;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A user holding only a repository's browse and read privileges ({@code nx-repository-view-nix-<repo>-browse},
 * {@code -read}), in real Chromium: the repository and its store paths are in Browse, and Nexus offers no way to
 * change its settings.
 * (Over REST, where search needs no more: RestReadOnlyUserIT. The UI's Search pages need Nexus's
 * {@code nx-search-read} as well, for every format.)
 */
class UiReadOnlyUserIT
{
  private static final String REPOSITORY = Names.unique("ui-readable");

  private static final String OTHER = Names.unique("ui-unreadable");

  private static final String NAME = NixContent.packageName("ui-readable-path");

  private static final String USER = Names.unique("ui-reader");

  private static final String PASSWORD = "pw-" + USER;

  private static Browser browser;

  private static NexusUi ui;

  @RegisterExtension
  static final BrowserSession SESSION = new BrowserSession();

  @BeforeAll
  static void signInAsReader() {
    NexusServer nexus = NexusServer.get();
    assumeTrue(nexus.pluginDeployed(), "needs the plugin");
    NexusRest rest = nexus.rest();
    rest.createNixHosted(REPOSITORY);
    rest.createNixHosted(OTHER);
    NixContent.push(nexus, REPOSITORY, NAME);
    rest.createRole(USER + "-role",
        "nx-repository-view-nix-" + REPOSITORY + "-browse", "nx-repository-view-nix-" + REPOSITORY + "-read");
    rest.createUser(USER, PASSWORD, USER + "-role");
    ui = SESSION.signIn(nexus, USER, PASSWORD);
    browser = ui.browser();
  }

  @Test
  void browseListsTheRepositoryAndNoOther() {
    ui.open("browse/browse");

    browser.await(REPOSITORY + " in Browse", d -> ui.isCellShown(REPOSITORY));
    ui.screenshot("read-only-user-browse");
    assertThat(ui.isCellShown(OTHER)).isFalse();
  }

  @Test
  void browseShowsItsStorePaths() {
    ui.open("browse/browse:" + REPOSITORY);

    browser.await(NAME + " in " + REPOSITORY, d -> d.findElements(By.xpath(
        "//span[contains(@class, 'x-tree-node-text') and normalize-space() = '" + NAME + "']")).stream()
        .anyMatch(WebElement::isDisplayed));
  }

  @Test
  void theAdministrationIsNotOffered() {
    assertThat(ui.isShown("nx-header-mode[name=admin]")).isFalse();
  }

  @Test
  void theRepositorySettingsCannotBeOpened() {
    ui.open("admin/repository/repositories:" + REPOSITORY);

    browser.await("Nexus to refuse the feature", d -> d.findElements(By.xpath(
        "//*[contains(text(), 'do not have the required permissions')]")).stream().anyMatch(WebElement::isDisplayed));
    assertThat(ui.isShown("nx-coreui-repository-nix-hosted")).isFalse();
  }
}
