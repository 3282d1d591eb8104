/*global Ext, NX*/

/**
 * A list of Nix public keys ({@code name:base64}) as Nix users write them in trusted-public-keys: one per line (any
 * whitespace separates keys, so a pasted nix.conf value works too). The configuration keeps them as a list.
 */
Ext.define('NX.nix.view.repository.field.PublicKeyList', {
  extend: 'Ext.form.field.TextArea',
  requires: [
    'NX.I18n'
  ],
  alias: 'widget.nx-nix-publickeylist',

  statics: {
    /** An Ed25519 public key as Nix writes it: a name, a colon, 32 bytes in base64. */
    KEY: /^[^:\s]+:[A-Za-z0-9+\/]{43}=$/
  },

  cls: 'nx-nix-key',
  allowBlank: true,
  // room for a few keys; a growing text area overlaps the field below it in Nexus's form layout
  height: 80,

  /**
   * @override
   */
  valueToRaw: function(value) {
    return Ext.isArray(value) ? value.join('\n') : (value || '');
  },

  /**
   * @override
   */
  rawToValue: function(raw) {
    return Ext.Array.filter(Ext.String.trim(raw || '').split(/\s+/), function(key) {
      return key.length > 0;
    });
  },

  /**
   * The list itself, not its text: the form submits field values as they are.
   *
   * @override
   */
  getSubmitValue: function() {
    return this.getValue();
  },

  /**
   * Names the position of a wrong key, not the key: a secret key pasted here by mistake is not echoed.
   *
   * @override
   */
  validator: function(raw) {
    var keys = this.rawToValue(raw),
        i;

    for (i = 0; i < keys.length; i++) {
      if (!NX.nix.view.repository.field.PublicKeyList.KEY.test(keys[i])) {
        return NX.I18n.format('Repository_Facet_NixPublicKeyList_Invalid', i + 1);
      }
    }
    return true;
  }
});
