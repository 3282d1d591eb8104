/*global Ext, NX*/

/**
 * Takes a Nix secret key to import ({@code name:base64}, as nix key generate-secret writes it) and never shows one:
 * Nexus's UI reads a repository's configuration as it is stored, signing key included (encrypted), and fills
 * every form field that has a matching name. The field is named {@code secret} because Nexus redacts attributes of
 * that name wherever it writes a configuration out, including the log line of every save.
 */
Ext.define('NX.nix.view.repository.field.SecretKeyImport', {
  extend: 'Ext.form.field.Text',
  alias: 'widget.nx-nix-secretkeyimport',

  statics: {
    /** How the server stores a key it encrypted (SigningKeyCipher). */
    STORED_PREFIX: 'nix-encrypted:'
  },

  inputType: 'password',
  cls: 'nx-nix-key',

  /**
   * @override
   */
  setValue: function(value) {
    var stored = Ext.isString(value) && Ext.String.startsWith(value, this.self.STORED_PREFIX);

    return this.callParent([stored ? '' : value]);
  }
});
