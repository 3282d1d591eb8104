/**
 * The Nexus UI contributions: the plugin's ExtJS code and the signing-key form requests.
 */
package org.sonatype.nexus.repository.nix.ui;
