/*global Ext, NX*/

/**
 * Create and edit form of nix-group repositories: one substituter URL over nix-hosted and nix-proxy members, which
 * can also take pushes into a hosted member.
 */
Ext.define('NX.nix.view.repository.recipe.NixGroup', {
  extend: 'NX.coreui.view.repository.RepositorySettingsForm',
  alias: 'widget.nx-coreui-repository-nix-group',
  requires: [
    'NX.nix.view.repository.facet.NixUsageFacet',
    'NX.coreui.view.repository.facet.StorageFacet',
    'NX.coreui.view.repository.facet.GroupFacet',
    'NX.nix.view.repository.facet.NixCacheFacet',
    'NX.nix.view.repository.facet.NixGroupWriteFacet',
    'NX.nix.view.repository.facet.NixSigningFacet'
  ],

  /**
   * @override
   */
  initComponent: function() {
    var me = this;

    me.items = [
      {xtype: 'nx-nix-repository-usage-facet'},
      {xtype: 'nx-nix-repository-cache-facet', priority: 30, upstreamFailures: true},
      {xtype: 'nx-coreui-repository-storage-facet'},
      {xtype: 'nx-coreui-repository-group-facet', format: 'nix'},
      // after the group facet: it offers the members chosen there
      {xtype: 'nx-nix-repository-group-write-facet'},
      {xtype: 'nx-nix-repository-signing-facet'}
    ];

    me.callParent();
  }
});
