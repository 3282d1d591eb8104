package org.sonatype.nexus.repository.nix.it.ui;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.sonatype.nexus.repository.nix.it.support.Json;
import org.sonatype.nexus.repository.nix.it.support.NexusRest;

import com.fasterxml.jackson.databind.JsonNode;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * Nexus's UI (ExtJS) worked the way a person works it: keys typed into fields, clicks on buttons, list items and
 * check boxes. Ext's component queries only find the element to act on (a form field's {@code input}, a button's
 * element), so a test names what it uses as Nexus's code does ({@code nx-coreui-repository-nix-hosted}, a field's
 * {@code name}) rather than by generated element ids.
 */
final class NexusUi
{
  private final Browser browser;

  private final String baseUrl;

  NexusUi(final Browser browser, final String baseUrl) {
    this.browser = browser;
    this.baseUrl = baseUrl;
  }

  Browser browser() {
    return browser;
  }

  /**
   * The first sign-in of admin opens Nexus's setup wizard, whose required step replaces the generated admin password.
   * The shared test Nexus keeps that password (every other test uses it), so the account is marked active, which is
   * all the wizard's step leaves behind besides the new password; the wizard then no longer opens.
   */
  static void skipAdminSetupWizard(final NexusRest admin) {
    JsonNode user = admin.get("/service/rest/v1/security/users?userId=admin").expect(200).json().get(0);
    @SuppressWarnings("unchecked")
    Map<String, Object> active = Json.MAPPER.convertValue(user, Map.class);
    active.put("status", "active");
    admin.put("/service/rest/v1/security/users/admin", active).expect(204);
  }

  // --- navigation -----------------------------------------------------------------------------

  /** Loads the UI and waits until Nexus's application has started. */
  void load() {
    browser.driver().get(baseUrl + "/");
    awaitStarted();
  }

  private void awaitStarted() {
    browser.await("Nexus's UI to start", d -> browser.js(
        "return !!(window.NX && NX.app && NX.app.Application && Ext.ComponentQuery.query('nx-header-signin').length)"));
  }

  void signIn(final String user, final String password) {
    load();
    click("nx-header-signin");
    type("nx-signin #username", user);
    type("nx-signin #password", password);
    click("nx-signin button[action=signin]");
    browser.await(user + " to be signed in", d -> user.equals(browser.js(
        "var user = NX.State.getValue('user'); return user && user.id")));
  }

  /** Opens a bookmark (what follows {@code #} in the address bar), e.g. {@code browse/search/nix}. */
  void open(final String bookmark) {
    browser.js("window.location.hash = arguments[0]", bookmark);
  }

  /**
   * Loads the UI afresh at a bookmark, as the browser's reload button does: what the page shows then is what Nexus
   * has now, whatever an earlier test did to the page (the UI keeps what it loaded until refreshed, and a wizard
   * stays open under the bookmark of its list).
   */
  void reload(final String bookmark) {
    // the browser would ask whether to leave a form with unsaved changes; leaving is the point
    browser.js("window.onbeforeunload = null; window.location.hash = arguments[0]", bookmark);
    browser.driver().navigate().refresh();
    awaitStarted();
    browser.await("the session to be back", d -> browser.js("return !!NX.State.getValue('user')"));
  }

  /**
   * A screenshot without the messages Nexus shows for a while after an action (they cover the page's header); the
   * messages are dismissed as a user dismisses them.
   */
  Path screenshot(final String name) {
    for (WebElement dismiss : browser.driver().findElements(By.cssSelector(".x-toast a[aria-label=Dismiss]"))) {
      if (dismiss.isDisplayed()) {
        dismiss.click();
      }
    }
    browser.await("Nexus's messages to close", d -> browser.js(
        "return Ext.ComponentQuery.query('toast').every(function(toast) { return !toast.isVisible(); })"));
    return browser.screenshot(name);
  }

  // --- components -----------------------------------------------------------------------------

  /** Whether a visible component matches the query. */
  boolean isShown(final String query) {
    return Boolean.TRUE.equals(browser.js(
        "return Ext.ComponentQuery.query(arguments[0]).some(function(c) { return c.isVisible(true); })", query));
  }

  /** Waits for the first visible component matching the query; returns its element. */
  WebElement element(final String query) {
    return dom(query, "el");
  }

  /** The text input (or text area, check box) of the first visible field matching the query. */
  WebElement input(final String query) {
    return dom(query, "inputEl");
  }

  private WebElement dom(final String query, final String part) {
    return browser.await("a visible " + query, d -> (WebElement) browser.js(
        "var c = Ext.ComponentQuery.query(arguments[0]).filter(function(c) { return c.isVisible(true); })[0];"
            + "return c && c.rendered && c[arguments[1]] ? c[arguments[1]].dom : null", query, part));
  }

  void click(final String query) {
    element(query).click();
  }

  /** Replaces a field's text by typing. */
  void type(final String query, final String text) {
    WebElement input = input(query);
    input.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
    input.sendKeys(text);
  }

  /** Clicks a check box if it is not as wanted. */
  void check(final String query, final boolean checked) {
    if (!Boolean.valueOf(checked).equals(value(query))) {
      input(query).click();
    }
  }

  /** Opens a combo box's list and clicks the entry showing {@code text}. */
  void choose(final String query, final String text) {
    input(query).click();
    WebElement item = browser.await("'" + text + "' in the list of " + query, d -> (WebElement) browser.js(
        "var c = Ext.ComponentQuery.query(arguments[0]).filter(function(c) { return c.isVisible(true); })[0],"
            + " record = c.getStore().findRecord(c.displayField, arguments[1], 0, false, true, true);"
            + "return record && c.getPicker().isVisible() ? c.getPicker().getNode(record) : null", query, text));
    item.click();
  }

  /**
   * Moves {@code names} from the available to the selected side of an item selector (a group's members), in order,
   * by double-clicking them. The available entries are loaded after the form shows, and loading them again drops
   * earlier choices: a double-click is repeated until the name is among the selected ones.
   */
  void select(final String query, final List<String> names) {
    for (String name : names) {
      browser.await(name + " among the selected entries of " + query, d -> {
        if (((List<?>) value(query)).contains(name)) {
          return true;
        }
        WebElement item = (WebElement) browser.js(
            "var list = Ext.ComponentQuery.query(arguments[0]).filter(function(c) { return c.isVisible(true); })[0]"
                + "    .fromField.boundList,"
                + " record = list.getStore().findRecord(list.displayField, arguments[1], 0, false, true, true);"
                + "return record ? list.getNode(record) : null", query, name);
        if (item != null) {
          new Actions(browser.driver()).doubleClick(item).perform();
        }
        return null;
      });
    }
  }

  /** Whether a grid (a list of repositories, search results) shows a cell with exactly this text. */
  boolean isCellShown(final String text) {
    return browser.driver().findElements(By.xpath(
            "//div[contains(@class, 'x-grid-cell-inner') and normalize-space() = '" + text + "']")).stream()
        .anyMatch(WebElement::isDisplayed);
  }

  /**
   * The value of the field matching the query, as Ext has it: strings, numbers, booleans, lists. A visible field is
   * preferred to a hidden one (a form left behind, or one of a field's hidden parts).
   */
  Object value(final String query) {
    return browser.js("var fields = Ext.ComponentQuery.query(arguments[0]);"
        + "return (fields.filter(function(c) { return c.isVisible(true); })[0] || fields[0]).getValue()", query);
  }
}
