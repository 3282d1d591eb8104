/**
 * Storage of Nix content on Nexus: the content facet (narinfos as components, NARs and files as assets), settings,
 * the write rule, the narinfo signing contract, upload bodies, the closure guard deletes obey, and the handlers
 * and matcher that need to know a Nix file's kind.
 */
package org.sonatype.nexus.repository.nix.content;
