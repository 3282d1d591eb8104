/**
 * The hosted binary cache: what an upload (NAR, narinfo, other files) must satisfy before it is stored, deletes,
 * and its HTTP handlers.
 */
package org.sonatype.nexus.repository.nix.hosted;
