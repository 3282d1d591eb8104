/*global Ext, NX*/

/**
 * Download links of Nix assets in Browse and Search. Every asset of a Nix repository (narinfo, NAR, listing, build
 * log, realisation, build trace, debuginfo link, channel or flake tarball) is stored under the path Nix requests it
 * by, so the link is the repository URL plus the path. Without a strategy for the format, the asset details view
 * fails with a JavaScript error.
 */
Ext.define('NX.nix.util.NixRepositoryUrls', {
  '@aggregate_priority': 90,

  singleton: true,
  requires: [
    'NX.coreui.util.RepositoryUrls',
    'NX.util.Url'
  ],

  /**
   * @param {String} path an asset path, with or without its leading '/'
   * @return {String} the path relative to the repository, each segment URL-encoded
   */
  encodePath: function(path) {
    return Ext.Array.map(path.replace(/^\//, '').split('/'), encodeURIComponent).join('/');
  }
}, function(self) {
  NX.coreui.util.RepositoryUrls.addRepositoryUrlStrategy('nix', function(me, assetModel) {
    var repositoryName = assetModel.get('repositoryName'),
        assetName = me.getAssetName(assetModel);

    return NX.util.Url.asLink(
        NX.util.Url.relativePath + '/repository/' + encodeURIComponent(repositoryName) + '/' +
        self.encodePath(assetName),
        assetName);
  });
});
