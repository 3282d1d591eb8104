/*global Ext, NX*/

/**
 * The nix-hosted member that pushes to a nix-group land in ({@code nix.writableMember}): chosen among the group's
 * nix-hosted members, and cleared when it stops being one.
 */
Ext.define('NX.nix.view.repository.facet.NixGroupWriteFacet', {
  extend: 'Ext.form.FieldContainer',
  alias: 'widget.nx-nix-repository-group-write-facet',
  requires: [
    'NX.I18n',
    'NX.coreui.store.RepositoryReference'
  ],

  /**
   * @override
   */
  initComponent: function() {
    var me = this;

    me.hostedRepositories = Ext.create('NX.coreui.store.RepositoryReference', {
      remote: true,
      remoteFilter: true,
      sorters: undefined,
      autoLoad: true,
      filters: [
        {property: 'format', value: 'nix'},
        {property: 'type', value: 'hosted'}
      ]
    });
    me.hostedMembers = Ext.create('Ext.data.ChainedStore', {
      source: me.hostedRepositories,
      remoteFilter: false
    });

    me.items = [
      {
        xtype: 'fieldset',
        cls: 'nx-form-section',
        title: NX.I18n.get('Repository_Facet_NixGroupWriteFacet_Title'),
        items: [
          {
            xtype: 'combo',
            name: 'attributes.nix.writableMember',
            itemId: 'nixWritableMember',
            fieldLabel: NX.I18n.get('Repository_Facet_NixGroupWriteFacet_WritableMember_FieldLabel'),
            helpText: NX.I18n.get('Repository_Facet_NixGroupWriteFacet_WritableMember_HelpText'),
            emptyText: NX.I18n.get('Repository_Facet_NixGroupWriteFacet_WritableMember_EmptyText'),
            allowBlank: true,
            editable: false,
            forceSelection: true,
            queryMode: 'local',
            store: me.hostedMembers,
            displayField: 'name',
            valueField: 'name',
            triggers: {
              clear: {
                cls: 'x-form-clear-trigger',
                weight: -1,
                handler: Ext.form.field.ComboBox.prototype.clearValue
              }
            }
          }
        ]
      }
    ];

    me.callParent();

    // the form is complete once rendered
    me.on('afterrender', function() {
      me.up('form').down('#groupMemberNames').on('change', me.onMembersChange, me);
      if (me.hostedRepositories.isLoaded()) {
        me.showSaved();
      }
      else {
        me.hostedRepositories.on('load', me.showSaved, me, {single: true});
      }
    }, me, {single: true});
  },

  /**
   * The saved choice can only be shown once the hosted repositories are known.
   *
   * @private
   */
  showSaved: function() {
    var me = this,
        record = me.up('form').getRecord(),
        nix = record && record.get('attributes').nix,
        writableMember = me.down('#nixWritableMember');

    me.filterByMembers();
    if (nix && nix.writableMember) {
      writableMember.setValue(nix.writableMember);
      writableMember.resetOriginalValue();
    }
  },

  /**
   * @private
   */
  onMembersChange: function() {
    var me = this,
        writableMember = me.down('#nixWritableMember');

    me.filterByMembers();
    // until the hosted repositories are known, nothing can be said about the choice (the load shows it again)
    if (me.hostedRepositories.isLoaded() && writableMember.getValue()
        && me.hostedMembers.find('name', writableMember.getValue(), 0, false, true, true) < 0) {
      writableMember.clearValue();
    }
  },

  /**
   * @private
   */
  filterByMembers: function() {
    var members = this.up('form').down('#groupMemberNames').getValue() || [];

    this.hostedMembers.clearFilter(true);
    this.hostedMembers.filterBy(function(repository) {
      return Ext.Array.contains(members, repository.get('name'));
    });
  }
});
