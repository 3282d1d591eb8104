/*global Ext, NX*/

/**
 * The usage panel of a repository in a window, opened from Browse (the Usage button next to HTML View).
 */
Ext.define('NX.nix.view.repository.UsageWindow', {
  extend: 'NX.view.ModalDialog',
  alias: 'widget.nx-nix-usage-window',
  requires: [
    'NX.I18n',
    'NX.nix.view.repository.UsagePanel'
  ],

  /**
   * @cfg {String} repositoryName the repository whose usage is shown
   */
  repositoryName: null,

  ui: 'nx-inset',

  /**
   * @override
   */
  initComponent: function() {
    var me = this;

    me.width = 860;
    me.maxHeight = Math.max(400, Ext.Element.getViewportHeight() - 100);
    me.title = NX.I18n.format('Nix_Usage_Window_Title', Ext.String.htmlEncode(me.repositoryName));
    me.items = {
      xtype: 'panel',
      scrollable: true,
      bodyPadding: 12,
      items: {
        xtype: 'nx-nix-usage',
        itemId: 'nixUsage'
      }
    };
    me.buttonAlign = 'left';
    me.buttons = [
      {
        text: NX.I18n.get('Button_Close'),
        action: 'close',
        handler: function() {
          me.close();
        }
      }
    ];

    me.callParent();

    me.down('#nixUsage').on('usageloaded', function() {
      me.updateLayout();
      me.center();
    });
    me.down('#nixUsage').load(me.repositoryName);
  }
});
