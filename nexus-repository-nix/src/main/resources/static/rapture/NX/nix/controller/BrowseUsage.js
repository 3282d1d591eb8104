/*global Ext, NX*/

/**
 * Browse's Usage button for Nix repositories: next to HTML View above a repository's content, it opens the
 * repository's usage panel (UsageWindow), how Nix clients use the repository. Hidden for other formats.
 */
Ext.define('NX.nix.controller.BrowseUsage', {
  extend: 'NX.app.Controller',
  requires: [
    'NX.I18n',
    'NX.nix.view.repository.UsageWindow'
  ],

  /**
   * @override
   */
  init: function() {
    var me = this;

    me.listen({
      component: {
        'nx-coreui-componentassettreefeature nx-coreui-component-asset-tree nx-actions': {
          afterrender: me.addUsageButton
        },
        'nx-coreui-componentassettreefeature button[action=nixUsage]': {
          click: me.showUsage
        }
      },
      store: {
        // loaded whenever Browse shows a repository (and when a folder opens): the moment to show or hide the button
        '#ComponentAssetTree': {
          beforeload: me.updateUsageButton
        }
      }
    });
  },

  /**
   * @private
   */
  addUsageButton: function(actions) {
    var htmlView = actions.down('#nx-coreui-component-asset-tree-html-view');

    if (actions.down('button[action=nixUsage]')) {
      return;
    }
    actions.insert(htmlView ? actions.items.indexOf(htmlView) + 1 : 0, {
      xtype: 'button',
      text: NX.I18n.get('Nix_Usage_Browse_Button'),
      tooltip: NX.I18n.get('Nix_Usage_Browse_Tooltip'),
      iconCls: 'x-fa fa-terminal',
      action: 'nixUsage',
      hidden: true
    });
    this.updateUsageButton(Ext.getStore('ComponentAssetTree'));
  },

  /**
   * @private
   */
  updateUsageButton: function(store) {
    var button = Ext.ComponentQuery.query('nx-coreui-componentassettreefeature button[action=nixUsage]')[0],
        repository = this.repositoryName(store),
        model = repository && Ext.getStore('RepositoryReference') &&
            Ext.getStore('RepositoryReference').getById(repository);

    if (button) {
      button.setVisible(!!model && model.get('format') === 'nix');
    }
  },

  /**
   * @private
   */
  showUsage: function() {
    var repository = this.repositoryName(Ext.getStore('ComponentAssetTree'));

    if (repository) {
      Ext.widget('nx-nix-usage-window', {repositoryName: repository});
    }
  },

  /**
   * The repository Browse shows: the one its content is loaded for.
   *
   * @private
   */
  repositoryName: function(store) {
    var proxy = store && store.getProxy && store.getProxy();

    return proxy && proxy.getExtraParams ? proxy.getExtraParams().repositoryName : null;
  }
});
