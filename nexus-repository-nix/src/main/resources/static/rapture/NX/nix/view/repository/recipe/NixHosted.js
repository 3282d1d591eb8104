/*global Ext, NX*/

/**
 * Create and edit form of nix-hosted repositories: a binary cache Nix pushes to with nix copy --to.
 */
Ext.define('NX.nix.view.repository.recipe.NixHosted', {
  extend: 'NX.coreui.view.repository.RepositorySettingsForm',
  alias: 'widget.nx-coreui-repository-nix-hosted',
  requires: [
    'NX.nix.view.repository.facet.NixUsageFacet',
    'NX.coreui.view.repository.facet.StorageFacet',
    'NX.coreui.view.repository.facet.StorageFacetHosted',
    'NX.coreui.view.repository.facet.CleanupPolicyFacet',
    'NX.nix.view.repository.facet.NixChannelSnapshotsFacet',
    'NX.nix.view.repository.facet.NixCacheFacet',
    'NX.nix.view.repository.facet.NixUploadFacet',
    'NX.nix.view.repository.facet.NixSigningFacet',
    'NX.nix.view.repository.facet.NixPinsFacet'
  ],

  /**
   * @override
   */
  initComponent: function() {
    var me = this;

    me.items = [
      {xtype: 'nx-nix-repository-usage-facet'},
      {xtype: 'nx-nix-repository-cache-facet', priority: 30},
      {xtype: 'nx-nix-repository-upload-facet'},
      {xtype: 'nx-nix-repository-signing-facet'},
      {xtype: 'nx-coreui-repository-storage-facet'},
      {xtype: 'nx-coreui-repository-storage-hosted-facet'},
      {xtype: 'nx-coreui-repository-cleanup-policy-facet'},
      {xtype: 'nx-nix-repository-channel-snapshots-facet'},
      {xtype: 'nx-nix-repository-pins-facet'}
    ];

    me.callParent();
  }
});
