/*global Ext, NX*/

/**
 * The pinned store paths of a nix-hosted or nix-proxy repository: roots whose whole closure cleanup keeps. Pins are
 * repository content, not configuration: the list comes from, and changes go straight to, the REST API
 * ({@code /service/rest/v1/nix/<repository>/pins}), without Save. Shown when editing a repository only.
 */
Ext.define('NX.nix.view.repository.facet.NixPinsFacet', {
  extend: 'Ext.form.FieldContainer',
  alias: 'widget.nx-nix-repository-pins-facet',
  requires: [
    'NX.I18n',
    'NX.Messages',
    'NX.util.Url'
  ],

  statics: {
    /** The hash part of a store path, alone or at the start of the path's last segment. */
    STORE_HASH: /^(?:.*\/)?([0-9a-df-np-sv-z]{32})(?:-[^\/]*)?$/
  },

  hidden: true,

  /**
   * @override
   */
  initComponent: function() {
    var me = this;

    me.pins = Ext.create('Ext.data.Store', {
      fields: ['storeHash', 'storePath'],
      proxy: {
        type: 'ajax',
        reader: {type: 'json'}
      }
    });

    me.items = [
      {
        xtype: 'fieldset',
        cls: 'nx-form-section',
        title: NX.I18n.get('Repository_Facet_NixPinsFacet_Title'),
        items: [
          {
            xtype: 'component',
            cls: 'nx-nix-help',
            html: NX.I18n.get('Repository_Facet_NixPinsFacet_HelpText')
          },
          {
            xtype: 'dataview',
            itemId: 'nixPins',
            store: me.pins,
            itemSelector: 'div.nx-nix-pin',
            tpl: [
              '<tpl for=".">',
              '<div class="nx-nix-pin">',
              '<span class="nx-nix-pin-path">{[Ext.String.htmlEncode(values.storePath || values.storeHash)]}</span>',
              '<a class="nx-nix-unpin" data-qtip="{[this.unpin]}"><i class="x-fa fa-times"></i></a>',
              '</div>',
              '</tpl>',
              {unpin: NX.I18n.get('Repository_Facet_NixPinsFacet_Remove_Tooltip')}
            ],
            emptyText: '<div class="nx-nix-help">' + NX.I18n.get('Repository_Facet_NixPinsFacet_Empty') + '</div>',
            deferEmptyText: false,
            listeners: {
              itemclick: function(view, pin, item, index, event) {
                if (event.getTarget('.nx-nix-unpin')) {
                  me.change('DELETE', pin.get('storeHash'));
                }
              }
            }
          },
          {
            xtype: 'fieldcontainer',
            fieldLabel: NX.I18n.get('Repository_Facet_NixPinsFacet_Add_FieldLabel'),
            layout: 'hbox',
            items: [
              {
                xtype: 'textfield',
                itemId: 'nixPinStorePath',
                // an action, not a setting: not part of what Save sends
                isFormField: false,
                cls: 'nx-nix-key',
                flex: 1,
                emptyText: NX.I18n.get('Repository_Facet_NixPinsFacet_Add_EmptyText'),
                validator: function(value) {
                  return !value || me.self.STORE_HASH.test(Ext.String.trim(value));
                }
              },
              {
                xtype: 'button',
                itemId: 'nixPinButton',
                text: NX.I18n.get('Repository_Facet_NixPinsFacet_Add_Button'),
                margin: '0 0 0 8',
                handler: function() {
                  me.pinEntered();
                }
              }
            ]
          }
        ]
      }
    ];

    me.callParent();

    me.on('added', function() {
      me.up('form').on('recordloaded', function(form, repository) {
        me.repositoryName = repository.get('name');
        me.show();
        me.load();
      });
    }, me, {single: true});
  },

  /**
   * @private
   */
  pinsUrl: function() {
    return NX.util.Url.relativePath + '/service/rest/v1/nix/' + encodeURIComponent(this.repositoryName) + '/pins';
  },

  /**
   * @private
   */
  load: function() {
    this.pins.getProxy().setUrl(this.pinsUrl());
    this.pins.load();
  },

  /**
   * @private
   */
  pinEntered: function() {
    var me = this,
        input = me.down('#nixPinStorePath'),
        match = me.self.STORE_HASH.exec(Ext.String.trim(input.getValue() || ''));

    if (match) {
      me.change('POST', match[1], function() {
        input.setValue('');
      });
    }
  },

  /**
   * Pins (POST) or unpins (DELETE) a store path by its hash, then shows the list as it is now.
   *
   * @private
   */
  change: function(method, storeHash, onSuccess) {
    var me = this;

    Ext.Ajax.request({
      url: me.pinsUrl() + '/' + encodeURIComponent(storeHash),
      method: method,
      success: function() {
        if (onSuccess) {
          onSuccess();
        }
        me.load();
      },
      failure: function(response) {
        NX.Messages.error(Ext.String.htmlEncode(response.responseText || response.statusText));
      }
    });
  }
});
