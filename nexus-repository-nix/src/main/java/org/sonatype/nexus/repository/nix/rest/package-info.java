/**
 * The REST API: repository create/update/read for the three recipes, signing-key requests, maintenance and usage
 * resources.
 */
package org.sonatype.nexus.repository.nix.rest;
