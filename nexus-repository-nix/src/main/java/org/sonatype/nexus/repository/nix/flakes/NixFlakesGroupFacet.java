package org.sonatype.nexus.repository.nix.flakes;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.inject.Named;

import org.sonatype.nexus.repository.Facet;
import org.sonatype.nexus.repository.FacetSupport;
import org.sonatype.nexus.repository.Repository;
import org.sonatype.nexus.repository.group.GroupFacet;
import org.sonatype.nexus.repository.nix.content.WriteOutcome;
import org.sonatype.nexus.repository.nix.group.NixGroupFacet;
import org.sonatype.nexus.repository.nix.http.NixRequestException;
import org.sonatype.nexus.repository.nix.protocol.flakes.FlakeRegistry;
import org.sonatype.nexus.repository.nix.protocol.flakes.FlakeRelease;
import org.sonatype.nexus.repository.view.Content;
import org.sonatype.nexus.repository.view.Payload;

/**
 * Flakes of a group. Its registry is its members' registries merged in member order ({@link FlakeRegistry#merge}):
 * with a hosted member before a proxy of the public registry, private flakes come first and shadow public ids of
 * the same name, so one {@code flake-registry} URL serves both. Flake versions and the newest version of a flake
 * come from the first member that has them; publishes and deletes go to the group's writable member.
 *
 * The members are asked through their {@link NixFlakesFacet}, not over HTTP, so every URL in the registry and every
 * redirect is built with the group's own URL. A member that does not serve a registry (a proxy with
 * {@code nix.flakeRegistryUrl} empty) is left out; a member that fails to answer fails the registry (502): a
 * registry missing a member's entries would be cached by Nix as if those flakes did not exist.
 */
@Named
@Facet.Exposed
public class NixFlakesGroupFacet
    extends FacetSupport
    implements NixFlakesFacet
{
  @FunctionalInterface
  private interface Question<T>
  {
    Optional<T> ask(NixFlakesFacet member) throws IOException;
  }

  @Override
  public FlakeRegistry registry(final String repositoryUrl) throws IOException {
    List<FlakeRegistry> registries = new ArrayList<>();
    for (Repository member : members()) {
      try {
        registries.add(flakesOf(member).registry(repositoryUrl));
      }
      catch (NixRequestException e) {
        if (e.status() >= 500) {
          throw NixRequestException.badGateway("the flake registry of group '" + getRepository().getName()
              + "' cannot be put together: member '" + member.getName() + "' failed (" + e.status() + " "
              + e.getMessage() + ")");
        }
        log.debug("Group {}: member {} serves no flake registry: {}", getRepository().getName(), member.getName(),
            e.getMessage());
      }
    }
    return FlakeRegistry.merge(registries);
  }

  @Override
  public Optional<StoredFlake> newest(final String name) throws IOException {
    return first(member -> member.newest(name));
  }

  @Override
  public Optional<Content> tarball(final FlakeRelease release) throws IOException {
    return first(member -> member.tarball(release));
  }

  @Override
  public WriteOutcome deploy(final FlakeRelease release, final Payload tarball) throws IOException {
    return flakesOf(writableMember("publishes")).deploy(release, tarball);
  }

  @Override
  public boolean delete(final FlakeRelease release) throws IOException {
    return flakesOf(writableMember("deletes")).delete(release);
  }

  /** The first member's answer. Members hold their own flakes, so there is no failure to skip past. */
  private <T> Optional<T> first(final Question<T> question) throws IOException {
    for (Repository member : members()) {
      Optional<T> answer = question.ask(flakesOf(member));
      if (answer.isPresent()) {
        return answer;
      }
    }
    return Optional.empty();
  }

  private List<Repository> members() {
    List<Repository> members = new ArrayList<>();
    for (Repository member : facet(GroupFacet.class).members()) {
      if (member.getConfiguration().isOnline() && member.optionalFacet(NixFlakesFacet.class).isPresent()) {
        members.add(member);
      }
    }
    return members;
  }

  private Repository writableMember(final String what) {
    return facet(NixGroupFacet.class).requireWritableMember(what);
  }

  private static NixFlakesFacet flakesOf(final Repository member) {
    return member.facet(NixFlakesFacet.class);
  }
}
