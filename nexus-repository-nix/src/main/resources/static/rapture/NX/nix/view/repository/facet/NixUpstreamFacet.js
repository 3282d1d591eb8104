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
    'NX.nix.view.repository.field.PublicKeyList',
    'NX.nix.view.repository.field.OriginList'
  ],

  statics: {
    CACHE_NIXOS_ORG_KEY: 'cache.nixos.org-1:6NCHdD59X431o0gWypbMrAURkbJ16ZPMQFGspcDShjY=',
    /** Where channels.nixos.org redirects channels to; what a proxy without the setting allows (UpstreamOrigins). */
    DEFAULT_ALLOWED_ORIGINS: ['https://releases.nixos.org']
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
      },
      {
        xtype: 'fieldset',
        cls: 'nx-form-section',
        title: NX.I18n.get('Repository_Facet_NixUpstreamFacet_Origins_Title'),
        items: [
          {
            xtype: 'nx-nix-originlist',
            name: 'attributes.nix.allowedUpstreamOrigins',
            itemId: 'nixAllowedUpstreamOrigins',
            fieldLabel: NX.I18n.get('Repository_Facet_NixUpstreamFacet_AllowedUpstreamOrigins_FieldLabel'),
            helpText: NX.I18n.get('Repository_Facet_NixUpstreamFacet_AllowedUpstreamOrigins_HelpText'),
            value: me.self.DEFAULT_ALLOWED_ORIGINS
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
   * proxy must not show (and be saved) as its settings. A proxy saved before allowed origins existed has the
   * default list, which the field shows as it is.
   *
   * @private
   */
  showAbsentAsStored: function(form, repository) {
    var nix = repository.get('attributes').nix || {},
        keys = this.down('#nixTrustedUpstreamKeys'),
        require = this.down('#nixRequireUpstreamSignature'),
        origins = this.down('#nixAllowedUpstreamOrigins');

    if (!Ext.isDefined(nix.allowedUpstreamOrigins)) {
      origins.setValue(this.self.DEFAULT_ALLOWED_ORIGINS);
      origins.resetOriginalValue();
    }

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
