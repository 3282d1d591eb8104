/*global Ext, NX*/

/**
 * Which signatures a nix-proxy requires of its upstream's narinfos ({@code nix.trustedUpstreamKeys},
 * {@code nix.requireUpstreamSignature}). A new proxy trusts cache.nixos.org's key and requires its signature, as
 * Nix itself does by default. Warns, as the settings are typed, when an upstream other than cache.nixos.org is trusted
 * with cache.nixos.org's key only; shows how many upstream narinfos the saved settings refused.
 */
Ext.define('NX.nix.view.repository.facet.NixUpstreamFacet', {
  extend: 'Ext.form.FieldContainer',
  alias: 'widget.nx-nix-repository-upstream-facet',
  requires: [
    'NX.I18n',
    'NX.util.Url',
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
          },
          {
            // the likeliest mistake in these settings, said as they are typed (UpstreamKeyMismatch on the server)
            xtype: 'component',
            itemId: 'nixUpstreamKeyWarning',
            cls: 'nx-nix-usage-warning',
            hidden: true
          },
          {
            // what the saved settings refused so far: a client only sees "not in this cache"
            xtype: 'component',
            itemId: 'nixUpstreamRefusals',
            cls: 'nx-nix-help',
            hidden: true
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
      var form = me.up('form');

      form.on('beforerecordloaded', me.showAbsentAsStored, me);
      form.on('recordloaded', function(f, repository) {
        me.loadRefusals(repository.get('name'));
      });
    }, me, {single: true});

    me.on('afterrender', function() {
      var form = me.up('form'),
          remoteUrl = form.down('field[name=attributes.proxy.remoteUrl]'),
          check = Ext.Function.createBuffered(me.checkKeys, 300, me);

      Ext.Array.each([remoteUrl, me.down('#nixTrustedUpstreamKeys'), me.down('#nixRequireUpstreamSignature')],
          function(field) {
            if (field) {
              field.on('change', check);
            }
          });
      check();
    }, me, {single: true});
  },

  /**
   * Asks the server whether the upstream and keys as they are now look like a proxy that refuses everything.
   *
   * @private
   */
  checkKeys: function() {
    var me = this,
        form = me.up('form'),
        remoteUrl = form && form.down('field[name=attributes.proxy.remoteUrl]'),
        keys = me.down('#nixTrustedUpstreamKeys'),
        warning = me.down('#nixUpstreamKeyWarning'),
        params;

    if (me.isDestroyed || !remoteUrl) {
      return;
    }
    params = {
      remoteUrl: remoteUrl.getValue() || '',
      trustedUpstreamKeys: keys.getValue(),
      requireUpstreamSignature: !!me.down('#nixRequireUpstreamSignature').getValue()
    };
    Ext.Ajax.request({
      url: NX.util.Url.relativePath + '/service/rest/v1/nix/upstream-trust-check',
      method: 'GET',
      params: params,
      headers: {Accept: 'application/json'},
      success: function(response) {
        var answer = Ext.decode(response.responseText, true) || {};

        if (!warning.isDestroyed) {
          warning.update(answer.warning
              ? '<i class="fa fa-exclamation-triangle"></i> ' + Ext.String.htmlEncode(answer.warning) : '');
          warning.setHidden(!answer.warning);
        }
      }
    });
  },

  /**
   * @private
   */
  loadRefusals: function(repositoryName) {
    var me = this,
        status = me.down('#nixUpstreamRefusals');

    Ext.Ajax.request({
      url: NX.util.Url.relativePath + '/service/rest/v1/nix/' + encodeURIComponent(repositoryName) +
          '/upstream-refusals',
      method: 'GET',
      headers: {Accept: 'application/json'},
      success: function(response) {
        var refusals = Ext.decode(response.responseText, true);

        if (!refusals || status.isDestroyed) {
          return;
        }
        status.update(Ext.String.htmlEncode(refusals.count > 0
            ? NX.I18n.format('Repository_Facet_NixUpstreamFacet_Refusals', refusals.count, refusals.since,
                refusals.lastRefusedAt, refusals.lastReason)
            : NX.I18n.format('Repository_Facet_NixUpstreamFacet_NoRefusals', refusals.since)));
        status.removeCls('nx-nix-usage-warning');
        if (refusals.count > 0) {
          status.addCls('nx-nix-usage-warning');
        }
        status.show();
      }
    });
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
