/*global Ext, NX*/

/**
 * What a nix-hosted repository checks before an uploaded store path becomes visible: the NAR against its narinfo
 * ({@code nix.verifyNarHash}), the closure ({@code nix.requireCompleteClosure}) and, optionally, a signature by one
 * of the listed keys ({@code nix.trustedUploadKeys}).
 */
Ext.define('NX.nix.view.repository.facet.NixUploadFacet', {
  extend: 'Ext.form.FieldContainer',
  alias: 'widget.nx-nix-repository-upload-facet',
  requires: [
    'NX.I18n',
    'NX.nix.view.repository.field.PublicKeyList'
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
        title: NX.I18n.get('Repository_Facet_NixUploadFacet_Title'),
        items: [
          {
            xtype: 'checkbox',
            name: 'attributes.nix.verifyNarHash',
            itemId: 'nixVerifyNarHash',
            fieldLabel: NX.I18n.get('Repository_Facet_NixUploadFacet_VerifyNarHash_FieldLabel'),
            helpText: NX.I18n.get('Repository_Facet_NixUploadFacet_VerifyNarHash_HelpText'),
            value: true
          },
          {
            xtype: 'checkbox',
            name: 'attributes.nix.requireCompleteClosure',
            itemId: 'nixRequireCompleteClosure',
            fieldLabel: NX.I18n.get('Repository_Facet_NixUploadFacet_RequireCompleteClosure_FieldLabel'),
            helpText: NX.I18n.get('Repository_Facet_NixUploadFacet_RequireCompleteClosure_HelpText'),
            value: true
          },
          {
            xtype: 'nx-nix-publickeylist',
            name: 'attributes.nix.trustedUploadKeys',
            itemId: 'nixTrustedUploadKeys',
            fieldLabel: NX.I18n.get('Repository_Facet_NixUploadFacet_TrustedUploadKeys_FieldLabel'),
            helpText: NX.I18n.get('Repository_Facet_NixUploadFacet_TrustedUploadKeys_HelpText')
          }
        ]
      }
    ];

    me.callParent();
  }
});
