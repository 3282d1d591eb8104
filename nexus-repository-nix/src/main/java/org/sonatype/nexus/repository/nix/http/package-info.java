/**
 * HTTP answers every handler shares: request errors with their status (NixRequestException), unavailability of the
 * database (503 with Retry-After), text responses, the error and range handlers. Knows nothing of Nix content.
 */
package org.sonatype.nexus.repository.nix.http;
