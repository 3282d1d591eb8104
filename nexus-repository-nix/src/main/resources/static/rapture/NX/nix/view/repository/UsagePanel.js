/*global Ext, NX*/

/**
 * How to use a Nix repository from Nix ("Set Me Up"): the nix.conf lines, the netrc line, the push command, the
 * channel and flake registry lines, each with a copy button, and what would stop clients from using the repository
 * as shown. The server puts the snippets together ({@code GET /service/rest/v1/nix/<repository>/usage}, the same the
 * page at the repository's URL shows), for the signed-in user: the netrc line never holds a password.
 */
Ext.define('NX.nix.view.repository.UsagePanel', {
  extend: 'Ext.Component',
  alias: 'widget.nx-nix-usage',
  requires: [
    'NX.I18n',
    'NX.Messages',
    'NX.util.Url'
  ],

  cls: 'nx-nix-usage',

  tpl: [
    '<tpl for="warnings">',
    '<div class="nx-nix-usage-warning"><i class="fa fa-exclamation-triangle"></i> ',
    '{[Ext.String.htmlEncode(values)]}</div>',
    '</tpl>',
    '<tpl for="snippets">',
    '<div class="nx-nix-snippet" data-snippet="{id:htmlEncode}">',
    '<div class="nx-nix-snippet-header">',
    '<span class="nx-nix-snippet-title">{title:htmlEncode}</span>',
    '<button type="button" class="nx-nix-copy" data-snippet="{id:htmlEncode}" title="{[this.copyTooltip]}">',
    '<i class="fa fa-copy"></i> <span class="nx-nix-copy-label">{[this.copyLabel]}</span></button>',
    '</div>',
    '<div class="nx-nix-snippet-description">{description:htmlEncode}</div>',
    '<pre class="nx-nix-snippet-text">{text:htmlEncode}</pre>',
    '</div>',
    '</tpl>',
    '<tpl for="notes">',
    '<div class="nx-nix-usage-note">{[Ext.String.htmlEncode(values)]}</div>',
    '</tpl>'
  ],

  /**
   * @override
   */
  initComponent: function() {
    var me = this;

    // the template's strings and its members: one array, the members last (as Ext.XTemplate takes them)
    me.tpl = new Ext.XTemplate(me.tpl.concat([{
      copyLabel: Ext.String.htmlEncode(NX.I18n.get('Nix_Usage_Copy_Button')),
      copyTooltip: Ext.String.htmlEncode(NX.I18n.get('Nix_Usage_Copy_Tooltip'))
    }]));
    me.data = {warnings: [], snippets: [], notes: []};

    me.callParent();

    me.on('afterrender', function() {
      me.getEl().on('click', me.onCopyClick, me, {delegate: 'button.nx-nix-copy'});
    }, me, {single: true});
  },

  /**
   * Shows the usage of a repository as the server has it now.
   *
   * @param {String} repositoryName
   */
  load: function(repositoryName) {
    var me = this;

    me.repositoryName = repositoryName;
    Ext.Ajax.request({
      url: NX.util.Url.relativePath + '/service/rest/v1/nix/' + encodeURIComponent(repositoryName) + '/usage',
      method: 'GET',
      headers: {Accept: 'application/json'},
      success: function(response) {
        if (me.isDestroyed || me.repositoryName !== repositoryName) {
          return;
        }
        me.usage = Ext.decode(response.responseText);
        me.update(me.usage);
        me.fireEvent('usageloaded', me, me.usage);
      },
      failure: function(response) {
        if (!me.isDestroyed) {
          me.update({
            warnings: [NX.I18n.format('Nix_Usage_Failed', repositoryName, response.status + ' ' + response.statusText)],
            snippets: [],
            notes: []
          });
        }
      }
    });
  },

  /**
   * @private
   */
  onCopyClick: function(event, button) {
    var me = this,
        id = button.getAttribute('data-snippet'),
        snippet = Ext.Array.findBy((me.usage && me.usage.snippets) || [], function(s) {
          return s.id === id;
        });

    if (snippet) {
      me.copy(snippet.text, function() {
        button.className = 'nx-nix-copy nx-nix-copied';
        button.querySelector('.nx-nix-copy-label').textContent = NX.I18n.get('Nix_Usage_Copied');
      });
    }
  },

  /**
   * Copies text to the clipboard: with the Clipboard API where the page may use it, else by selecting it in a hidden
   * text area, as Nexus's own copy buttons do. Nothing is left unhandled: a browser that refuses both gets a message.
   *
   * @private
   */
  copy: function(text, onCopied) {
    var me = this;

    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(onCopied, function() {
        me.copyBySelection(text, onCopied);
      });
    }
    else {
      me.copyBySelection(text, onCopied);
    }
  },

  /**
   * @private
   */
  copyBySelection: function(text, onCopied) {
    var area = document.createElement('textarea'),
        copied = false;

    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.left = '-99999px';
    document.body.appendChild(area);
    area.select();
    try {
      copied = document.execCommand('copy');
    }
    catch (e) {
      copied = false;
    }
    document.body.removeChild(area);
    if (copied) {
      onCopied();
    }
    else {
      NX.Messages.warning(NX.I18n.get('Nix_Usage_CopyFailed'));
    }
  }
});
