package org.sonatype.nexus.repository.nix.it.ui;

import java.nio.file.Path;
import java.util.List;

import org.openqa.selenium.By;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The create or edit form of a Nix repository in Administration > Repositories. Fields are named as in the
 * repository's configuration ({@code attributes.nix.priority}) or, for the few without one, by Nexus's item id
 * ({@code #name}, {@code #nixSigningChange}).
 */
final class RepositoryForm
{
  /** Field errors of the form, or whether it is still waiting for the server. */
  private static final String FORM_STATE = ""
      + "var form = Ext.ComponentQuery.query(arguments[0]).filter(function(f) { return f.isVisible(true); })[0];"
      + "if (!form) { return arguments[1] ? 'closed' : null; }"
      + "var errors = form.getForm().getFields().filterBy(function(f) { return !!f.getActiveError(); }).getRange()"
      + "    .map(function(f) { return (f.name || f.itemId) + ': ' + f.getActiveError(); });"
      + "if (errors.length) { return 'refused: ' + errors.join('; '); }"
      + "return !arguments[1] && !form.isDirty() && !form.isMasked() ? 'saved' : null;";

  private final NexusUi ui;

  private final String form;

  private RepositoryForm(final NexusUi ui, final String recipe) {
    this.ui = ui;
    this.form = "nx-coreui-repository-" + recipe;
  }

  /** Opens the wizard (Create repository) and picks the recipe, e.g. {@code nix-hosted}. */
  static RepositoryForm create(final NexusUi ui, final String recipe) {
    ui.reload("admin/repository/repositories");
    ui.click("nx-coreui-repository-list button[action=new]");
    String label = recipe.replaceFirst("-(.*)", " ($1)");
    // the list of recipes may render again between finding the entry and clicking it: find it again then
    ui.browser().await("a click on " + label, d -> {
      ui.element("nx-coreui-repository-selectrecipe")
          .findElement(By.xpath(".//div[contains(@class, 'x-grid-cell-inner') and text() = '" + label + "']"))
          .click();
      return true;
    });
    RepositoryForm form = new RepositoryForm(ui, recipe);
    ui.element(form.form + " #name");
    // Nexus preselects the blob store only while there is one: the S3 tests add another to the shared server
    return form.choose("attributes.storage.blobStoreName", "default");
  }

  /** Opens a repository's settings as they are now. */
  static RepositoryForm edit(final NexusUi ui, final String recipe, final String name) {
    RepositoryForm form = new RepositoryForm(ui, recipe);
    ui.reload("admin/repository/repositories:" + name);
    ui.browser().await(name + "'s settings", d -> ui.browser().js(
        "var form = Ext.ComponentQuery.query(arguments[0]).filter(function(f) { return f.isVisible(true); })[0];"
            + "return form && form.getRecord() && form.getRecord().get('name') === arguments[1]", form.form, name));
    return form;
  }

  /**
   * A field by its configuration attribute, or a component by {@code #itemId}. Not {@code field[name=...]}: a group's
   * member list is a field container, not a field.
   */
  String field(final String name) {
    return name.startsWith("#") ? form + " " + name : form + " [name=\"" + name + "\"]";
  }

  RepositoryForm type(final String name, final String text) {
    ui.type(field(name), text);
    return this;
  }

  RepositoryForm check(final String name, final boolean checked) {
    ui.check(field(name), checked);
    return this;
  }

  RepositoryForm choose(final String name, final String text) {
    ui.choose(field(name), text);
    return this;
  }

  RepositoryForm select(final String name, final List<String> entries) {
    ui.select(field(name), entries);
    return this;
  }

  Object value(final String name) {
    return ui.value(field(name));
  }

  boolean isShown(final String name) {
    return ui.isShown(field(name));
  }

  Path screenshot(final String name) {
    return ui.screenshot(name);
  }

  /** Clicks Create repository and waits until the wizard closes. */
  void create() {
    ui.click(form + " button[action=add]");
    assertThat(awaitState(true)).isEqualTo("closed");
  }

  /** Clicks Save and waits until the settings are saved. */
  void save() {
    ui.click(form + " button[action=save]");
    assertThat(awaitState(false)).isEqualTo("saved");
  }

  private String awaitState(final boolean closes) {
    return ui.browser().await(form + " to be " + (closes ? "created" : "saved"),
        d -> (String) ui.browser().js(FORM_STATE, form, closes));
  }
}
