/*global Ext, NX*/

/**
 * Search > Nix: store paths by name, version and the hash part of their store path (what Nix prints in
 * /nix/store/<hash>-<name>), with the store path and NAR hash as further criteria. The Nix criteria search the
 * narinfo asset's attributes, the same fields as the REST search's nix.storeHash, nix.storePath and nix.narHash.
 */
Ext.define('NX.nix.controller.SearchNix', {
  extend: 'NX.app.Controller',
  requires: [
    'NX.I18n'
  ],

  /**
   * @override
   */
  init: function() {
    var me = this,
        search = me.getController('NX.coreui.controller.Search');

    search.registerCriteria([
      me.criteria('assets.attributes.nix.storeHash', 'SearchNix_StoreHash_FieldLabel'),
      me.criteria('assets.attributes.nix.storePath', 'SearchNix_StorePath_FieldLabel'),
      me.criteria('assets.attributes.nix.narHash', 'SearchNix_NarHash_FieldLabel')
    ], me);

    search.registerFilter({
      id: 'nix',
      name: 'Nix',
      text: NX.I18n.get('SearchNix_Text'),
      description: NX.I18n.get('SearchNix_Description'),
      readOnly: true,
      criterias: [
        {id: 'format', value: 'nix', hidden: true},
        {id: 'name.raw'},
        {id: 'version'},
        {id: 'assets.attributes.nix.storeHash'}
      ]
    }, me);
  },

  /**
   * @private
   */
  criteria: function(id, labelKey) {
    return {
      id: id,
      group: NX.I18n.get('SearchNix_Group'),
      config: {
        format: 'nix',
        fieldLabel: NX.I18n.get(labelKey),
        width: 250
      }
    };
  }
});
