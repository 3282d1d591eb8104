/**
 * Uploads from the UI and the Components API: one upload definition, several kinds of component, each checking its
 * own fields.
 */
package org.sonatype.nexus.repository.nix.upload;
