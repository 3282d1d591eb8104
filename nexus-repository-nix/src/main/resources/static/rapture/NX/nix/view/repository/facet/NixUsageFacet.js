/*global Ext, NX*/

/**
 * The usage panel at the top of a Nix repository's settings: how clients use the repository as it is saved (see
 * UsagePanel). Shown when editing a repository only; loaded again after every save.
 */
Ext.define('NX.nix.view.repository.facet.NixUsageFacet', {
  extend: 'Ext.form.FieldContainer',
  alias: 'widget.nx-nix-repository-usage-facet',
  requires: [
    'NX.I18n',
    'NX.nix.view.repository.UsagePanel'
  ],

  hidden: true,

  /**
   * @override
   */
  initComponent: function() {
    var me = this;

    me.items = [
      {
        xtype: 'fieldset',
        cls: 'nx-form-section',
        title: NX.I18n.get('Nix_Usage_Title'),
        items: [
          {
            xtype: 'nx-nix-usage',
            itemId: 'nixUsage'
          }
        ]
      }
    ];

    me.callParent();

    me.on('added', function() {
      me.up('form').on('recordloaded', function(form, repository) {
        me.show();
        me.down('#nixUsage').load(repository.get('name'));
      });
    }, me, {single: true});
  }
});
