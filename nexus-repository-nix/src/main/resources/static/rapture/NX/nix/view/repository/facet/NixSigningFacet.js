/*global Ext, NX*/

/**
 * A nix-hosted or nix-group repository's own signing key ({@code nix.signing}): its public key to copy into
 * clients' trusted-public-keys, and the ways to change the key. The secret key is never shown.
 *
 * What the form sends mirrors the REST API's signing block: {@code generate} (with an optional {@code keyName}),
 * {@code remove}, or {@code secret}, a key to import (the REST API calls it {@code secretKey}; see
 * SecretKeyImport for the name). The server turns that into the stored, encrypted key before the configuration is
 * saved (SigningKeyFormRequests); sending none of them keeps the current key. A repository created here gets a
 * generated key unless another choice is made (the REST API creates a repository without a key unless asked).
 */
Ext.define('NX.nix.view.repository.facet.NixSigningFacet', {
  extend: 'Ext.form.FieldContainer',
  alias: 'widget.nx-nix-repository-signing-facet',
  requires: [
    'NX.I18n',
    'NX.nix.view.repository.field.SecretKeyImport'
  ],

  /**
   * @override
   */
  initComponent: function() {
    var me = this;

    // a new repository gets a key unless told otherwise: without one, clients with require-sigs refuse its narinfos
    me.creating = !!me.up('nx-coreui-repository-add');

    me.items = [
      {
        xtype: 'fieldset',
        cls: 'nx-form-section',
        title: NX.I18n.get('Repository_Facet_NixSigningFacet_Title'),
        items: [
          {
            xtype: 'textfield',
            name: 'attributes.nix.signing.publicKey',
            itemId: 'nixSigningPublicKey',
            cls: 'nx-nix-key',
            fieldLabel: NX.I18n.get('Repository_Facet_NixSigningFacet_PublicKey_FieldLabel'),
            helpText: NX.I18n.get('Repository_Facet_NixSigningFacet_PublicKey_HelpText'),
            emptyText: NX.I18n.get('Repository_Facet_NixSigningFacet_PublicKey_EmptyText'),
            allowBlank: true,
            readOnly: true,
            // one click selects the whole key, ready to copy
            selectOnFocus: true
          },
          {
            xtype: 'combo',
            itemId: 'nixSigningChange',
            // a choice of what to send, not a value of its own
            isFormField: false,
            fieldLabel: NX.I18n.get('Repository_Facet_NixSigningFacet_Change_FieldLabel'),
            editable: false,
            queryMode: 'local',
            store: [
              ['keep', NX.I18n.get('Repository_Facet_NixSigningFacet_Change_Keep')],
              ['generate', NX.I18n.get('Repository_Facet_NixSigningFacet_Change_Generate')],
              ['import', NX.I18n.get('Repository_Facet_NixSigningFacet_Change_Import')],
              ['remove', NX.I18n.get('Repository_Facet_NixSigningFacet_Change_Remove')]
            ],
            value: me.creating ? 'generate' : 'keep',
            listeners: {
              change: function(combo, change) {
                me.showChange(change);
              }
            }
          },
          {
            xtype: 'textfield',
            name: 'attributes.nix.signing.keyName',
            itemId: 'nixSigningKeyName',
            fieldLabel: NX.I18n.get('Repository_Facet_NixSigningFacet_KeyName_FieldLabel'),
            helpText: NX.I18n.get('Repository_Facet_NixSigningFacet_KeyName_HelpText'),
            allowBlank: true,
            readOnly: true,
            hidden: true
          },
          {
            xtype: 'nx-nix-secretkeyimport',
            name: 'attributes.nix.signing.secret',
            itemId: 'nixSigningSecret',
            fieldLabel: NX.I18n.get('Repository_Facet_NixSigningFacet_Secret_FieldLabel'),
            helpText: NX.I18n.get('Repository_Facet_NixSigningFacet_Secret_HelpText'),
            allowBlank: false,
            // not sent unless a key is imported
            disabled: true,
            hidden: true
          },
          {
            xtype: 'checkbox',
            name: 'attributes.nix.signing.generate',
            itemId: 'nixSigningGenerate',
            hidden: true,
            value: me.creating
          },
          {
            xtype: 'checkbox',
            name: 'attributes.nix.signing.remove',
            itemId: 'nixSigningRemove',
            hidden: true,
            value: false
          }
        ]
      }
    ];

    me.callParent();

    if (me.creating) {
      me.on('afterrender', function() {
        me.showChange('generate');
      }, me, {single: true});
    }

    // a loaded (or just saved) repository shows its key as it is now
    me.on('added', function() {
      me.up('form').on('recordloaded', function() {
        me.down('#nixSigningChange').setValue('keep');
        me.showChange('keep');
      });
    }, me, {single: true});
  },

  /**
   * Shows the fields the chosen change needs, and sets what the form sends for it.
   *
   * @private
   * @param {String} change keep, generate, import or remove
   */
  showChange: function(change) {
    var me = this,
        keyName = me.down('#nixSigningKeyName'),
        secret = me.down('#nixSigningSecret'),
        importing = change === 'import';

    me.down('#nixSigningGenerate').setValue(change === 'generate');
    me.down('#nixSigningRemove').setValue(change === 'remove');

    // a generated key may be named (Nexus names it after the repository otherwise); an imported one brings its name
    keyName.setReadOnly(change !== 'generate');
    keyName.setEmptyText(change === 'generate'
        ? (me.up('form').down('#name').getValue() || NX.I18n.get('Repository_Facet_NixSigningFacet_KeyName_Default'))
          + '-1'
        : '');
    keyName.setValue(change === 'keep' ? keyName.originalValue : '');
    keyName.setHidden(change === 'keep' ? !keyName.getValue() : change !== 'generate');

    secret.setDisabled(!importing);
    secret.setHidden(!importing);
    if (!importing) {
      secret.setValue('');
    }
  }
});
