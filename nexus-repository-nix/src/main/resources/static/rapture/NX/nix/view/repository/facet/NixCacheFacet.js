/*global Ext, NX*/

/**
 * What every Nix repository announces in nix-cache-info: its store directory and priority ({@code nix.storeDir},
 * {@code nix.priority}).
 */
Ext.define('NX.nix.view.repository.facet.NixCacheFacet', {
  extend: 'Ext.form.FieldContainer',
  alias: 'widget.nx-nix-repository-cache-facet',
  requires: [
    'NX.I18n'
  ],

  defaults: {
    allowBlank: false,
    itemCls: 'required-field'
  },

  /**
   * @cfg {Number} priority of a new repository: 30 for hosted and group (ahead of cache.nixos.org), 40 for proxies
   */
  priority: 30,

  /**
   * @cfg {Boolean} whether the repository has an upstream that can fail ({@code nix.whenUpstreamFails}): proxy, group
   */
  upstreamFailures: false,

  /**
   * @override
   */
  initComponent: function() {
    var me = this;

    me.items = [
      {
        xtype: 'fieldset',
        cls: 'nx-form-section',
        title: NX.I18n.get('Repository_Facet_NixCacheFacet_Title'),
        items: [
          {
            xtype: 'textfield',
            name: 'attributes.nix.storeDir',
            itemId: 'nixStoreDir',
            fieldLabel: NX.I18n.get('Repository_Facet_NixCacheFacet_StoreDir_FieldLabel'),
            helpText: NX.I18n.get('Repository_Facet_NixCacheFacet_StoreDir_HelpText'),
            allowBlank: false,
            regex: /^\/([^\/\x00-\x1f]+\/)*[^\/\x00-\x1f]+$/,
            regexText: NX.I18n.get('Repository_Facet_NixCacheFacet_StoreDir_Invalid'),
            value: '/nix/store'
          },
          {
            xtype: 'numberfield',
            name: 'attributes.nix.priority',
            itemId: 'nixPriority',
            fieldLabel: NX.I18n.get('Repository_Facet_NixCacheFacet_Priority_FieldLabel'),
            helpText: NX.I18n.get('Repository_Facet_NixCacheFacet_Priority_HelpText'),
            allowBlank: false,
            allowDecimals: false,
            minValue: 0,
            maxValue: 10000,
            value: me.priority
          }
        ].concat(me.upstreamFailures ? [
          {
            xtype: 'combo',
            name: 'attributes.nix.whenUpstreamFails',
            itemId: 'nixWhenUpstreamFails',
            fieldLabel: NX.I18n.get('Repository_Facet_NixCacheFacet_WhenUpstreamFails_FieldLabel'),
            helpText: NX.I18n.get('Repository_Facet_NixCacheFacet_WhenUpstreamFails_HelpText'),
            editable: false,
            forceSelection: true,
            queryMode: 'local',
            store: [
              ['error', NX.I18n.get('Repository_Facet_NixCacheFacet_WhenUpstreamFails_Error')],
              ['notFound', NX.I18n.get('Repository_Facet_NixCacheFacet_WhenUpstreamFails_NotFound')]
            ],
            value: 'error'
          }
        ] : [])
      }
    ];

    me.callParent();
  }
});
