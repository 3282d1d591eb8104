/*global Ext*/

/**
 * The Nix format's contribution to Nexus's UI: repository forms for nix-hosted, nix-proxy and nix-group with their
 * usage panel, links to Nix assets from Browse and Search, Browse's Usage button, the Usage panel of a store path
 * in Browse and Search, and Search > Nix.
 */
Ext.define('NX.nix.app.PluginConfig', {
  '@aggregate_priority': 100,

  requires: [
    'NX.nix.app.PluginStrings',
    'NX.nix.util.NixRepositoryUrls',
    'NX.nix.view.repository.recipe.NixHosted',
    'NX.nix.view.repository.recipe.NixProxy',
    'NX.nix.view.repository.recipe.NixGroup'
  ],

  controllers: [
    'NX.nix.controller.RepositoriesWithoutFirewall',
    {
      id: 'NX.nix.controller.BrowseUsage',
      active: function() {
        return NX.app.Application.bundleActive('org.sonatype.nexus.plugins.nexus-repository-nix');
      }
    },
    {
      id: 'NX.nix.controller.StorePathSnippets',
      active: function() {
        return NX.app.Application.bundleActive('org.sonatype.nexus.plugins.nexus-repository-nix');
      }
    },
    {
      id: 'NX.nix.controller.SearchNix',
      active: function() {
        return NX.app.Application.bundleActive('org.sonatype.nexus.plugins.nexus-repository-nix');
      }
    }
  ]
});
