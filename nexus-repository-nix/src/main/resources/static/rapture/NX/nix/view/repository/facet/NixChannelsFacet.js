/*global Ext, NX*/

/**
 * The upstreams a nix-proxy follows besides its binary cache: Nix channels ({@code nix.channelsUrl}) and the flake
 * registry ({@code nix.flakeRegistryUrl}). Empty turns either off.
 */
Ext.define('NX.nix.view.repository.facet.NixChannelsFacet', {
  extend: 'Ext.form.FieldContainer',
  alias: 'widget.nx-nix-repository-channels-facet',
  requires: [
    'NX.I18n'
  ],

  /**
   * @override
   */
  initComponent: function() {
    var me = this;

    me.items = [
      {
        xtype: 'fieldset',
        cls: 'nx-form-section',
        title: NX.I18n.get('Repository_Facet_NixChannelsFacet_Title'),
        items: [
          {
            xtype: 'nx-url',
            name: 'attributes.nix.channelsUrl',
            itemId: 'nixChannelsUrl',
            fieldLabel: NX.I18n.get('Repository_Facet_NixChannelsFacet_ChannelsUrl_FieldLabel'),
            helpText: NX.I18n.get('Repository_Facet_NixChannelsFacet_ChannelsUrl_HelpText'),
            allowBlank: true,
            value: 'https://channels.nixos.org'
          },
          {
            xtype: 'nx-url',
            name: 'attributes.nix.flakeRegistryUrl',
            itemId: 'nixFlakeRegistryUrl',
            fieldLabel: NX.I18n.get('Repository_Facet_NixChannelsFacet_FlakeRegistryUrl_FieldLabel'),
            helpText: NX.I18n.get('Repository_Facet_NixChannelsFacet_FlakeRegistryUrl_HelpText'),
            allowBlank: true,
            value: 'https://channels.nixos.org/flake-registry.json'
          }
        ]
      }
    ];

    me.callParent();
  }
});
