/*global Ext, NX*/

/**
 * Create and edit form of nix-proxy repositories: a caching pull-through of a binary cache such as cache.nixos.org,
 * with its channels and flake registry.
 */
Ext.define('NX.nix.view.repository.recipe.NixProxy', {
  extend: 'NX.coreui.view.repository.RepositorySettingsForm',
  alias: 'widget.nx-coreui-repository-nix-proxy',
  requires: [
    'NX.nix.view.repository.facet.NixUsageFacet',
    'NX.coreui.view.repository.facet.ProxyFacet',
    'NX.coreui.view.repository.facet.StorageFacet',
    'NX.coreui.view.repository.facet.RoutingRuleFacet',
    'NX.coreui.view.repository.facet.NegativeCacheFacet',
    'NX.coreui.view.repository.facet.CleanupPolicyFacet',
    'NX.nix.view.repository.facet.NixChannelSnapshotsFacet',
    'NX.coreui.view.repository.facet.HttpClientFacet',
    'NX.nix.view.repository.facet.NixCacheFacet',
    'NX.nix.view.repository.facet.NixUpstreamFacet',
    'NX.nix.view.repository.facet.NixChannelsFacet',
    'NX.nix.view.repository.facet.NixPinsFacet'
  ],

  /**
   * @override
   */
  initComponent: function() {
    var me = this;

    me.items = [
      {xtype: 'nx-nix-repository-usage-facet'},
      {xtype: 'nx-coreui-repository-proxy-facet'},
      {xtype: 'nx-nix-repository-cache-facet', priority: 40, upstreamFailures: true},
      {xtype: 'nx-nix-repository-upstream-facet'},
      {xtype: 'nx-nix-repository-channels-facet'},
      {xtype: 'nx-coreui-repository-storage-facet'},
      {xtype: 'nx-coreui-repository-routing-rule-facet'},
      {xtype: 'nx-coreui-repository-negativecache-facet'},
      {xtype: 'nx-coreui-repository-cleanup-policy-facet'},
      {xtype: 'nx-nix-repository-channel-snapshots-facet'},
      {xtype: 'nx-coreui-repository-httpclient-facet'},
      {xtype: 'nx-nix-repository-pins-facet'}
    ];

    me.callParent();
  }
});
