package org.sonatype.nexus.repository.nix.it.ui;

import java.util.List;
import java.util.Map;

import org.sonatype.nexus.repository.nix.it.support.ChannelsUpstream;
import org.sonatype.nexus.repository.nix.it.support.Names;
import org.sonatype.nexus.repository.nix.it.support.NexusRest;
import org.sonatype.nexus.repository.nix.it.support.NexusServer;
import org.sonatype.nexus.repository.nix.it.support.RawHttp;
import org.sonatype.nexus.repository.nix.it.support.RegistryUpstream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What an administrator sees of upstream failures in Nexus's UI, in real Chromium: a nix-proxy auto-blocked after a
 * failure of its channels host (asked after its flake registry's) is shown so in the repository list, with the
 * reason, as Nexus shows it for other formats; and the answer to upstream failures ({@code nix.whenUpstreamFails}) is chosen in the proxy and group
 * forms.
 */
class UiUpstreamFailuresIT
{
  /** Nothing listens here: the binary-cache upstream of these proxies, never asked. */
  private static final String UNUSED_CACHE = "http://127.0.0.1:9";

  private static NexusServer nexus;

  private static NexusRest rest;

  private static NexusUi ui;

  @RegisterExtension
  static final BrowserSession SESSION = new BrowserSession();

  @BeforeAll
  static void signIn() {
    nexus = NexusServer.get();
    assumeTrue(nexus.pluginDeployed(), "needs the plugin");
    rest = nexus.rest();
    ui = SESSION.signIn(nexus, "admin", nexus.adminPassword());
  }

  @Test
  void aProxyAutoBlockedAfterAFailureOfItsChannelsHostIsShownSoInTheRepositoryList() {
    try (ChannelsUpstream channels = ChannelsUpstream.start(); RegistryUpstream registry = RegistryUpstream.start()) {
      channels.failAll(502);
      String name = Names.unique("ui-auto-blocked");
      Map<String, Object> body = NexusRest.nixProxyRequest(name, UNUSED_CACHE,
          Map.of("channelsUrl", channels.url(), "flakeRegistryUrl", registry.url()));
      body.put("httpClient", Map.of("blocked", false, "autoBlock", true));
      rest.post("/service/rest/v1/repositories/nix/proxy", body).expect(201);
      RawHttp admin = RawHttp.basic("admin", nexus.adminPassword());
      // the flake registry's host is asked first (the one host Nexus's own HTTP client would watch), then channels
      assertThat(admin.get(nexus.repositoryUrl(name) + "/flake-registry.json").status()).isEqualTo(200);
      RawHttp.Response failed = admin.get(nexus.repositoryUrl(name) + "/channels/nixos-99.99");
      assertThat(failed.status()).as(failed.toString()).isEqualTo(502);

      ui.reload("admin/repository/repositories");
      // the list renders only the rows in view: scrolled to the repository's row, its text as shown
      String row = ui.browser().await(name + " in the repository list", d -> (String) ui.browser().js(
          "var grid = Ext.ComponentQuery.query('nx-coreui-repository-list')[0],"
              + " record = grid && grid.getStore().findRecord('name', arguments[0], 0, false, true, true);"
              + "if (!record) { return null; }"
              + "grid.ensureVisible(record);"
              + "var node = grid.getView().getNode(record);"
              + "return node ? node.innerText : null", name));

      assertThat(row).contains("Online - Remote Auto Blocked and Unavailable").contains("Bad Gateway");
    }
  }

  @Test
  void theAnswerToUpstreamFailuresIsChosenInTheProxyAndGroupForms() {
    String proxy = Names.unique("ui-when-fails-proxy");
    rest.createNixProxy(proxy, UNUSED_CACHE, Map.of());
    String group = Names.unique("ui-when-fails-group");
    rest.createNixGroup(group, List.of(proxy), Map.of());

    RepositoryForm proxyForm = RepositoryForm.edit(ui, "nix-proxy", proxy);
    assertThat(proxyForm.value("attributes.nix.whenUpstreamFails")).isEqualTo("error");
    proxyForm.choose("attributes.nix.whenUpstreamFails", "Answer 404 (not found)");
    proxyForm.screenshot("nix-proxy-when-upstream-fails");
    proxyForm.save();
    RepositoryForm groupForm = RepositoryForm.edit(ui, "nix-group", group);
    // the member list loads after the form: saving before would send none
    ui.browser().await("the group's members to show",
        d -> List.of(proxy).equals(groupForm.value("attributes.group.memberNames")));
    groupForm.choose("attributes.nix.whenUpstreamFails", "Answer 404 (not found)").save();

    assertThat(rest.get("/service/rest/v1/repositories/nix/proxy/" + proxy).expect(200).json()
        .get("nix").get("whenUpstreamFails").asText()).isEqualTo("notFound");
    assertThat(rest.get("/service/rest/v1/repositories/nix/group/" + group).expect(200).json()
        .get("nix").get("whenUpstreamFails").asText()).isEqualTo("notFound");
    assertThat(RepositoryForm.edit(ui, "nix-proxy", proxy).value("attributes.nix.whenUpstreamFails"))
        .isEqualTo("notFound");
  }
}
