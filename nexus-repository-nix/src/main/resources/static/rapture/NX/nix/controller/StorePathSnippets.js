/*global Ext, NX*/

/**
 * The Usage panel Nexus shows next to an asset in Browse and Search (its dependency snippets, as for Maven
 * artifacts), for a store path's narinfo: how to substitute the store path, copy it from the repository, or look at
 * it there. How to set up Nix for the repository is its own usage panel (UsagePanel).
 */
Ext.define('NX.nix.controller.StorePathSnippets', {
  extend: 'NX.app.Controller',
  requires: [
    'NX.util.Url'
  ],

  /**
   * @override
   */
  init: function() {
    NX.getApplication().getDependencySnippetController()
        .addDependencySnippetGenerator('nix', this.snippetGenerator);
  },

  /**
   * @param componentModel the selected component
   * @param assetModel the selected asset; none when a component is selected
   * @return the snippets for a narinfo asset, none for anything else
   */
  snippetGenerator: function(componentModel, assetModel) {
    var attributes = assetModel && assetModel.get('attributes'),
        storePath = attributes && attributes.nix && attributes.nix.storePath,
        repository = assetModel && assetModel.get('repositoryName'),
        url;

    if (!storePath || !repository) {
      return [];
    }
    url = NX.util.Url.baseUrl + '/repository/' + encodeURIComponent(repository);
    return [
      {
        displayName: 'nix-store --realise',
        description: 'Substitutes the store path and its closure from the substituters of nix.conf ' +
            '(see the repository\'s Usage)',
        snippetText: 'nix-store --realise ' + storePath
      },
      {
        displayName: 'nix copy --from',
        description: 'Copies the store path and its closure from this repository into the local store',
        snippetText: 'nix copy --from ' + url + ' ' + storePath
      },
      {
        displayName: 'nix path-info',
        description: 'What this repository knows about the store path and its closure: sizes, references, ' +
            'signatures',
        snippetText: 'nix path-info --store ' + url + ' -rsS ' + storePath
      }
    ];
  }
});
