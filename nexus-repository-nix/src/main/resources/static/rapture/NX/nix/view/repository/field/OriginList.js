/*global Ext, NX*/

/**
 * A list of origins ({@code scheme://host[:port]}), one per line, for {@code nix.allowedUpstreamOrigins}. The
 * server checks them again (UpstreamOrigins); this only spares a round trip.
 */
Ext.define('NX.nix.view.repository.field.OriginList', {
  extend: 'NX.nix.view.repository.field.PublicKeyList',
  requires: [
    'NX.I18n'
  ],
  alias: 'widget.nx-nix-originlist',

  statics: {
    /** http or https, a host, an optional port, nothing else (a trailing slash is tolerated). */
    ORIGIN: /^https?:\/\/[^\/\s?#@]+\/?$/i
  },

  cls: '',

  /**
   * @override
   */
  validator: function(raw) {
    var origins = this.rawToValue(raw),
        i;

    for (i = 0; i < origins.length; i++) {
      if (!NX.nix.view.repository.field.OriginList.ORIGIN.test(origins[i])) {
        return NX.I18n.format('Repository_Facet_NixOriginList_Invalid', i + 1);
      }
    }
    return true;
  }
});
