package org.sonatype.nexus.repository.nix.flakes;

import java.io.IOException;
import java.util.Optional;

import org.sonatype.nexus.repository.Facet;
import org.sonatype.nexus.repository.nix.content.WriteOutcome;
import org.sonatype.nexus.repository.nix.protocol.flakes.FlakeRegistry;
import org.sonatype.nexus.repository.nix.protocol.flakes.FlakeRelease;
import org.sonatype.nexus.repository.view.Content;
import org.sonatype.nexus.repository.view.Payload;

/**
 * The private flakes and the flake registry a repository serves. Hosted repositories keep published flake versions
 * and list them in their registry; proxies follow an upstream registry such as channels.nixos.org's; groups merge
 * their members' registries and ask members for flakes. {@link NixFlakesHandler} turns this into what Nix requests,
 * the same way for every type.
 *
 * "Not here" is an empty answer (or, for a registry a repository does not serve at all, a 404
 * {@link org.sonatype.nexus.repository.nix.http.NixRequestException}). An answer that could not be given (an
 * upstream that is down with nothing cached) is a NixRequestException with a 5xx status: never a 404, because Nix
 * remembers a failed registry download as a missing registry.
 */
@Facet.Exposed
public interface NixFlakesFacet
    extends Facet
{
  /**
   * The registry this repository serves.
   *
   * @param repositoryUrl the URL entries for flakes published here are built on: the repository's own, or that of
   *                      the group the registry is served through
   */
  FlakeRegistry registry(String repositoryUrl) throws IOException;

  /** The newest version of a flake, with what Nix locks it by. */
  Optional<StoredFlake> newest(String name) throws IOException;

  /** A version's source tarball. */
  Optional<Content> tarball(FlakeRelease release) throws IOException;

  /**
   * Publishes a flake version. Versions are immutable: the same bytes again are accepted and change nothing, other
   * bytes only where the write policy allows redeploys, another format of the same version never.
   */
  WriteOutcome deploy(FlakeRelease release, Payload tarball) throws IOException;

  /**
   * Deletes a flake version; if it was the newest, the next newest becomes the registry's and the latest URL's.
   *
   * @return false if there was no such version
   */
  boolean delete(FlakeRelease release) throws IOException;
}
