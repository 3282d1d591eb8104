/*global Ext, NX*/

/**
 * Labels and help texts of the Nix UI. Help texts say what a setting does for the people running Nix against the
 * repository, in Nix's own terms (nix.conf settings, store paths, narinfos). Nexus renders help texts as HTML:
 * placeholders are written &lt;like this&gt;.
 */
Ext.define('NX.nix.app.PluginStrings', {
  '@aggregate_priority': 90,

  singleton: true,
  requires: [
    'NX.I18n'
  ],

  keys: {
    // Binary cache settings (every recipe)
    Repository_Facet_NixCacheFacet_Title: 'Nix binary cache',
    Repository_Facet_NixCacheFacet_StoreDir_FieldLabel: 'Store directory',
    Repository_Facet_NixCacheFacet_StoreDir_HelpText:
        'The Nix store of the clients this cache serves (StoreDir in nix-cache-info). Narinfos for another store ' +
        'are refused; almost every installation uses /nix/store.',
    Repository_Facet_NixCacheFacet_StoreDir_Invalid: 'An absolute directory path without a trailing slash',
    Repository_Facet_NixCacheFacet_Priority_FieldLabel: 'Priority',
    Repository_Facet_NixCacheFacet_Priority_HelpText:
        'Advertised in nix-cache-info: Nix asks substituters with a lower number first. cache.nixos.org is 40; ' +
        'a lower number makes clients find your own store paths here before asking elsewhere.',
    Repository_Facet_NixCacheFacet_WhenUpstreamFails_FieldLabel: 'When an upstream fails',
    Repository_Facet_NixCacheFacet_WhenUpstreamFails_HelpText:
        'An error (502/503/504) lets clients retry but makes Nix abort builds that need the path (newer clients ' +
        'build it themselves with fallback = true), while 404 makes every client build it at once and then not ' +
        'ask here for it again for an hour (narinfo-cache-negative-ttl).',
    Repository_Facet_NixCacheFacet_WhenUpstreamFails_Error: 'Answer with an error (502/503/504)',
    Repository_Facet_NixCacheFacet_WhenUpstreamFails_NotFound: 'Answer 404 (not found)',

    // Upload checks (nix-hosted)
    Repository_Facet_NixUploadFacet_Title: 'Uploads (nix copy --to)',
    Repository_Facet_NixUploadFacet_VerifyNarHash_FieldLabel: 'NAR verification',
    Repository_Facet_NixUploadFacet_VerifyNarHash_HelpText:
        'Decompress every uploaded NAR and check it against the NarHash and NarSize of its narinfo before the ' +
        'store path becomes visible, so no client ever substitutes a corrupt path',
    Repository_Facet_NixUploadFacet_RequireCompleteClosure_FieldLabel: 'Complete closures',
    Repository_Facet_NixUploadFacet_RequireCompleteClosure_HelpText:
        'Refuse a narinfo until every store path it references is in this repository, so a client never gets a ' +
        'path whose dependencies are missing (nix copy uploads dependencies first)',
    Repository_Facet_NixUploadFacet_TrustedUploadKeys_FieldLabel: 'Required upload signatures',
    Repository_Facet_NixUploadFacet_TrustedUploadKeys_HelpText:
        'Public keys (name:base64, one per line, as in trusted-public-keys). If any are listed, a narinfo is ' +
        'only accepted with a valid signature by one of them (sign with nix store sign -k before nix copy); ' +
        'empty accepts unsigned uploads from anyone allowed to write.',

    // Lists of public keys (upload and upstream keys)
    Repository_Facet_NixPublicKeyList_Invalid: 'Key {0} is not a public key (name:base64 of 32 bytes)',

    // Upstream trust (nix-proxy)
    Repository_Facet_NixUpstreamFacet_Title: 'Upstream signatures',
    Repository_Facet_NixUpstreamFacet_TrustedUpstreamKeys_FieldLabel: 'Trusted upstream keys',
    Repository_Facet_NixUpstreamFacet_TrustedUpstreamKeys_HelpText:
        'Public keys (name:base64, one per line) the upstream\'s narinfos may be signed by, as in ' +
        'trusted-public-keys. cache.nixos.org signs with cache.nixos.org-1.',
    Repository_Facet_NixUpstreamFacet_RequireUpstreamSignature_FieldLabel: 'Require a signature',
    Repository_Facet_NixUpstreamFacet_RequireUpstreamSignature_HelpText:
        'Neither cache nor serve an upstream narinfo without a valid signature by a trusted upstream key ' +
        '(content-addressed paths excepted), as a client with require-sigs would refuse it',
    Repository_Facet_NixUpstreamFacet_Refusals:
        'Upstream narinfos refused since {1} for want of a trusted signature: {0}. Clients build those paths from ' +
        'source. The last, at {2}: {3}',
    Repository_Facet_NixUpstreamFacet_NoRefusals: 'No upstream narinfo refused since {0}.',

    Repository_Facet_NixUpstreamFacet_Origins_Title: 'Upstream origins',
    Repository_Facet_NixUpstreamFacet_AllowedUpstreamOrigins_FieldLabel: 'Other allowed origins',
    Repository_Facet_NixUpstreamFacet_AllowedUpstreamOrigins_HelpText:
        'Origins (scheme://host[:port], one per line) this proxy may also fetch from when an upstream points or ' +
        'redirects there: a narinfo\'s URL, a NAR or channel redirect. The remote\'s, the channels upstream\'s ' +
        'and the flake registry\'s own origins are always allowed; nothing else is fetched, and the remote\'s ' +
        'credentials go only to the remote\'s origin. channels.nixos.org redirects to https://releases.nixos.org.',
    Repository_Facet_NixOriginList_Invalid: 'Line {0} is not an origin such as https://cache.example.com:8443',

    // Channels and flakes (nix-proxy)
    Repository_Facet_NixChannelsFacet_Title: 'Channels and flakes',
    Repository_Facet_NixChannelsFacet_ChannelsUrl_FieldLabel: 'Channels upstream',
    Repository_Facet_NixChannelsFacet_ChannelsUrl_HelpText:
        'Where &lt;repository URL&gt;/channels/<channel> comes from, for nix-channel --add and NIX_PATH: each release ' +
        'is fetched once and kept, so clients keep resolving channels when the upstream is down. Empty turns ' +
        'channel proxying off.',
    Repository_Facet_NixChannelsFacet_FlakeRegistryUrl_FieldLabel: 'Flake registry upstream',
    Repository_Facet_NixChannelsFacet_FlakeRegistryUrl_HelpText:
        'The global flake registry this repository proxies for the flake-registry setting of nix.conf, which ' +
        'resolves names like nixpkgs in nix run nixpkgs#hello. Empty turns it off.',

    // Channel snapshots kept by cleanup (nix-hosted, nix-proxy)
    Repository_Facet_NixChannelSnapshotsFacet_Title: 'Channel snapshots',
    Repository_Facet_NixChannelSnapshotsFacet_ToKeep_FieldLabel: 'Snapshots to keep per channel',
    Repository_Facet_NixChannelSnapshotsFacet_ToKeep_HelpText:
        'Cleanup never deletes the newest this many snapshots of each channel, whatever the cleanup policy ' +
        'selects, so nix-channel --rollback and pinned snapshot URLs keep working. Empty: no minimum.',
    Repository_Facet_NixChannelSnapshotsFacet_ToKeep_EmptyText: 'No minimum',

    // Pushes through a group (nix-group)
    Repository_Facet_NixGroupWriteFacet_Title: 'Pushes to the group',
    Repository_Facet_NixGroupWriteFacet_WritableMember_FieldLabel: 'Writable member',
    Repository_Facet_NixGroupWriteFacet_WritableMember_HelpText:
        'The nix-hosted member that nix copy --to &lt;group URL&gt; stores into, so clients can use one URL for ' +
        'substituting and pushing. None: the group refuses pushes.',
    Repository_Facet_NixGroupWriteFacet_WritableMember_EmptyText: 'None: the group takes no pushes',

    // Signing key (nix-hosted, nix-group)
    Repository_Facet_NixSigningFacet_Title: 'Signing key',
    Repository_Facet_NixSigningFacet_PublicKey_FieldLabel: 'Public key',
    Repository_Facet_NixSigningFacet_PublicKey_HelpText:
        'Every narinfo this repository serves is signed with its key. Add this public key to the clients\' ' +
        'nix.conf: trusted-public-keys = &lt;this key&gt; cache.nixos.org-1:... (also served at ' +
        '&lt;repository URL&gt;/nix-public-key). The secret key is never shown.',
    Repository_Facet_NixSigningFacet_PublicKey_EmptyText: 'No signing key: narinfos are served as uploaded',
    Repository_Facet_NixSigningFacet_KeyName_FieldLabel: 'Key name',
    Repository_Facet_NixSigningFacet_KeyName_Default: '<repository name>',
    Repository_Facet_NixSigningFacet_KeyName_HelpText:
        'The name of the key, the part before the colon of its public key and signatures. A new key gets ' +
        '&lt;repository&gt;-1 unless you name it; give a rotated key a new name (e.g. -2), so clients can trust both ' +
        'for a while.',
    Repository_Facet_NixSigningFacet_Change_FieldLabel: 'Change the key',
    Repository_Facet_NixSigningFacet_Change_Keep: 'Keep the current key',
    Repository_Facet_NixSigningFacet_Change_Generate: 'Generate a new key',
    Repository_Facet_NixSigningFacet_Change_Import: 'Import a secret key',
    Repository_Facet_NixSigningFacet_Change_Remove: 'Remove the key',
    Repository_Facet_NixSigningFacet_Secret_FieldLabel: 'Secret key',
    Repository_Facet_NixSigningFacet_Secret_HelpText:
        'The contents of a file written by nix key generate-secret (or nix-store --generate-binary-cache-key): ' +
        'name:base64. It is stored encrypted and never shown again; the key name is taken from it.',

    // Pinned store paths (nix-hosted, nix-proxy; edit only)
    Repository_Facet_NixPinsFacet_Title: 'Pinned store paths',
    Repository_Facet_NixPinsFacet_HelpText:
        'Cleanup never deletes a pinned store path or anything in its closure. Pins take effect at once, ' +
        'without Save.',
    Repository_Facet_NixPinsFacet_Empty: 'Nothing is pinned',
    Repository_Facet_NixPinsFacet_Add_FieldLabel: 'Pin a store path',
    Repository_Facet_NixPinsFacet_Add_EmptyText: 'a store path (/nix/store/...) or its 32-character hash',
    Repository_Facet_NixPinsFacet_Add_Button: 'Pin',
    Repository_Facet_NixPinsFacet_Remove_Tooltip: 'Unpin',

    // Usage ("Set Me Up"): the repository settings' first section, and Browse's Usage button
    Nix_Usage_Title: 'Usage',
    Nix_Usage_Window_Title: 'Using {0} from Nix',
    Nix_Usage_Browse_Button: 'Usage',
    Nix_Usage_Browse_Tooltip: 'nix.conf, netrc and commands to use this repository from Nix',
    Nix_Usage_Copy_Button: 'Copy',
    Nix_Usage_Copy_Tooltip: 'Copy to clipboard',
    Nix_Usage_Copied: 'Copied',
    Nix_Usage_CopyFailed: 'The browser did not let the page copy: select the text and copy it.',
    Nix_Usage_Failed: 'The usage of {0} could not be loaded: {1}',

    // Search > Nix
    SearchNix_Group: 'Nix Repositories',
    SearchNix_Text: 'Nix',
    SearchNix_Description: 'Search for store paths in Nix repositories',
    SearchNix_StoreHash_FieldLabel: 'Store hash',
    SearchNix_StorePath_FieldLabel: 'Store path',
    SearchNix_NarHash_FieldLabel: 'NAR hash'
  }
}, function(self) {
  NX.I18n.register(self);
});
