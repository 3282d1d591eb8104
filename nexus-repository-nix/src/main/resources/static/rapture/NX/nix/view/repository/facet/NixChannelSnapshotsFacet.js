/*global Ext, NX*/

/**
 * How many snapshots of each channel cleanup always keeps ({@code nix.channelSnapshotsToKeep}), on nix-hosted and
 * nix-proxy: empty means no minimum, so the cleanup policy alone decides.
 */
Ext.define('NX.nix.view.repository.facet.NixChannelSnapshotsFacet', {
  extend: 'Ext.form.FieldContainer',
  alias: 'widget.nx-nix-repository-channel-snapshots-facet',
  requires: [
    'NX.I18n'
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
        title: NX.I18n.get('Repository_Facet_NixChannelSnapshotsFacet_Title'),
        items: [
          {
            xtype: 'numberfield',
            name: 'attributes.nix.channelSnapshotsToKeep',
            itemId: 'nixChannelSnapshotsToKeep',
            fieldLabel: NX.I18n.get('Repository_Facet_NixChannelSnapshotsFacet_ToKeep_FieldLabel'),
            helpText: NX.I18n.get('Repository_Facet_NixChannelSnapshotsFacet_ToKeep_HelpText'),
            emptyText: NX.I18n.get('Repository_Facet_NixChannelSnapshotsFacet_ToKeep_EmptyText'),
            allowBlank: true,
            allowDecimals: false,
            minValue: 0,
            maxValue: 1000000
          }
        ]
      }
    ];

    me.callParent();
  }
});
