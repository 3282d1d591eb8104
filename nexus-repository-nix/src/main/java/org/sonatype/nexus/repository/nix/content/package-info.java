/**
 * Storage of Nix content on Nexus: the content facet (narinfos as components, NARs and files as assets), settings,
 * the write rule, request errors and shared HTTP plumbing, upload bodies, maintenance (deletion rules, closure
 * guard).
 */
package org.sonatype.nexus.repository.nix.content;
