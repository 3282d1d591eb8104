/*global Ext, NX*/

/**
 * Which signatures a nix-proxy requires of its upstream's narinfos ({@code nix.trustedUpstreamKeys},
 * {@code nix.requireUpstreamSignature}). A new proxy trusts cache.nixos.org's key and requires its signature, as
 * Nix itself does by default.
 */
Ext.define('NX.nix.view.repository.facet.NixUpstreamFacet', {
  extend: 'Ext.form.FieldContainer',
  alias: 'widget.nx-nix-repository-upstream-facet',
  requires: [
    'NX.I18n',
    'NX.nix.view.repository.field.PublicKeyList'
  ],

  statics: {
    CACHE_NIXOS_ORG_KEY: 'cache.nixos.org-1:6NCHdD59X431o0gWypbMrAURkbJ16ZPMQFGspcDShjY='
  },

  /**
   * @override
   */
  initComponent: function() {
    var me = this;

    me.items = [
      {
        xtype: 'fieldset',
        cls: 'nx-form-section',
        title: NX.I18n.get('Repository_Facet_NixUpstreamFacet_Title'),
        items: [
          {
            xtype: 'nx-nix-publickeylist',
            name: 'attributes.nix.trustedUpstreamKeys',
            itemId: 'nixTrustedUpstreamKeys',
            fieldLabel: NX.I18n.get('Repository_Facet_NixUpstreamFacet_TrustedUpstreamKeys_FieldLabel'),
            helpText: NX.I18n.get('Repository_Facet_NixUpstreamFacet_TrustedUpstreamKeys_HelpText'),
            value: [me.self.CACHE_NIXOS_ORG_KEY]
          },
          {
            xtype: 'checkbox',
            name: 'attributes.nix.requireUpstreamSignature',
            itemId: 'nixRequireUpstreamSignature',
            fieldLabel: NX.I18n.get('Repository_Facet_NixUpstreamFacet_RequireUpstreamSignature_FieldLabel'),
            helpText: NX.I18n.get('Repository_Facet_NixUpstreamFacet_RequireUpstreamSignature_HelpText'),
            value: true
          }
        ]
      }
    ];

    me.callParent();

    me.on('added', function() {
      me.up('form').on('beforerecordloaded', me.showAbsentAsStored, me);
    }, me, {single: true});
  },

  /**
   * A proxy saved before upstream keys existed has none, and then requires no signature; the defaults of a new
   * proxy must not show (and be saved) as its settings.
   *
   * @private
   */
  showAbsentAsStored: function(form, repository) {
    var nix = repository.get('attributes').nix || {},
        keys = this.down('#nixTrustedUpstreamKeys'),
        require = this.down('#nixRequireUpstreamSignature');

    if (!Ext.isDefined(nix.trustedUpstreamKeys)) {
      keys.setValue([]);
      keys.resetOriginalValue();
      if (!Ext.isDefined(nix.requireUpstreamSignature)) {
        require.setValue(false);
        require.resetOriginalValue();
      }
    }
  }
});
