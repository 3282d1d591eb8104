/*global Ext, NX*/

/**
 * Lets Administration > Repositories open a repository's settings in a Nexus without Sonatype's firewall plugin,
 * such as the nexus-base-template assembly: opening one asks the firewall's ExtDirect action whether the repository
 * is quarantined, and where that action does not exist the call throws and leaves the settings panel empty, for
 * every format. Where the action exists, nothing changes.
 *
 * The change is made when the controller starts: Nexus's controller classes are only created once the application
 * starts, too late for an {@code override} class in this plugin's script.
 */
Ext.define('NX.nix.controller.RepositoriesWithoutFirewall', {
  extend: 'NX.app.Controller',

  /**
   * @override
   */
  init: function() {
    var repositories = NX.coreui.controller.Repositories;

    if (repositories.prototype.withoutFirewall) {
      return;
    }
    repositories.override({
      withoutFirewall: true,

      checkFirewallCapabilitiesStatus: function(repositoryName, callback) {
        if (Ext.isDefined(NX.direct.firewall_RepositoryStatus)) {
          return this.callParent(arguments);
        }
        callback(false);
      },

      checkFirewallCapabilitiesStatusForPypi: function(repositoryName, callback) {
        if (Ext.isDefined(NX.direct.firewall_RepositoryStatus)) {
          return this.callParent(arguments);
        }
        callback(false);
      }
    });
  }
});
