/**
 * Deletes from the UI, the REST API and cleanup, done the way a binary cache must: a store path goes as a whole, a
 * referenced one only with its dependents, and cleanup never takes what a kept or pinned store path needs.
 */
package org.sonatype.nexus.repository.nix.maintenance;
