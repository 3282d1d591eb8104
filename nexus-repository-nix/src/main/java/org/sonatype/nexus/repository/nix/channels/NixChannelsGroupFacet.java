package org.sonatype.nexus.repository.nix.channels;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import javax.annotation.Nullable;
import javax.inject.Named;

import org.sonatype.nexus.repository.Facet;
import org.sonatype.nexus.repository.FacetSupport;
import org.sonatype.nexus.repository.Repository;
import org.sonatype.nexus.repository.group.GroupFacet;
import org.sonatype.nexus.repository.nix.content.WriteOutcome;
import org.sonatype.nexus.repository.nix.group.NixGroupFacet;
import org.sonatype.nexus.repository.nix.http.NixRequestException;
import org.sonatype.nexus.repository.nix.protocol.channels.ChannelFlavor;
import org.sonatype.nexus.repository.nix.protocol.channels.ChannelSnapshot;
import org.sonatype.nexus.repository.view.Content;
import org.sonatype.nexus.repository.view.Payload;

/**
 * Channels of a group: each channel is answered by the first member that knows it, in member order, so a hosted
 * team channel placed before a proxy shadows an upstream channel of the same name. Deploys and deletes go to the
 * group's writable member.
 *
 * The members are asked through their {@link NixChannelsFacet}, not over HTTP, so every redirect and listing is
 * built with the group's own URL. A member that fails does not hide a later member's answer; when no member knows
 * the thing and one failed, the answer is that failure (a 502), not a 404.
 */
@Named
@Facet.Exposed
public class NixChannelsGroupFacet
    extends FacetSupport
    implements NixChannelsFacet
{
  @FunctionalInterface
  private interface Question<T>
  {
    Optional<T> ask(NixChannelsFacet member) throws IOException;
  }

  @Override
  public List<String> channels() throws IOException {
    Set<String> channels = new LinkedHashSet<>();
    for (Repository member : members()) {
      try {
        channels.addAll(channelsOf(member).channels());
      }
      catch (NixRequestException e) {
        // a member without channels (a proxy that does not follow any) or one that cannot answer now
        log.debug("Group {}: member {} lists no channels: {}", getRepository().getName(), member.getName(),
            e.getMessage());
      }
    }
    return new ArrayList<>(channels);
  }

  @Override
  public List<ChannelSnapshot> snapshots(final String channel, @Nullable final ChannelFlavor flavor)
      throws IOException
  {
    return first(member -> Optional.of(member.snapshots(channel, flavor)).filter(list -> !list.isEmpty()),
        "channel " + channel).orElse(List.of());
  }

  @Override
  public Optional<ChannelSnapshot> latest(final String channel, @Nullable final ChannelFlavor flavor)
      throws IOException
  {
    return first(member -> member.latest(channel, flavor), "channel " + channel);
  }

  @Override
  public boolean has(final ChannelSnapshot snapshot) throws IOException {
    return first(member -> member.has(snapshot) ? Optional.of(true) : Optional.empty(), "snapshot " + snapshot)
        .isPresent();
  }

  @Override
  public Optional<Content> tarball(final ChannelSnapshot snapshot) throws IOException {
    return first(member -> member.tarball(snapshot), "snapshot " + snapshot);
  }

  @Override
  public WriteOutcome deploy(final ChannelSnapshot snapshot, final Payload tarball) throws IOException {
    return channelsOf(writableMember("deploys")).deploy(snapshot, tarball);
  }

  @Override
  public boolean delete(final ChannelSnapshot snapshot) throws IOException {
    return channelsOf(writableMember("deletes")).delete(snapshot);
  }

  /**
   * The first member's answer; members that do not know (empty, 404) are skipped, members that fail remembered.
   */
  private <T> Optional<T> first(final Question<T> question, final String what) throws IOException {
    List<String> failures = new ArrayList<>();
    for (Repository member : members()) {
      try {
        Optional<T> answer = question.ask(channelsOf(member));
        if (answer.isPresent()) {
          return answer;
        }
      }
      catch (NixRequestException e) {
        if (e.status() >= 500) {
          failures.add("member '" + member.getName() + "' failed (" + e.status() + " " + e.getMessage() + ")");
        }
      }
      catch (IOException e) {
        failures.add("member '" + member.getName() + "' failed (" + e + ")");
      }
    }
    if (!failures.isEmpty()) {
      throw NixRequestException.badGateway(what + " is in none of the members that answered, and "
          + String.join("; ", failures) + "; try again later");
    }
    return Optional.empty();
  }

  private List<Repository> members() {
    List<Repository> members = new ArrayList<>();
    for (Repository member : facet(GroupFacet.class).members()) {
      if (member.getConfiguration().isOnline() && member.optionalFacet(NixChannelsFacet.class).isPresent()) {
        members.add(member);
      }
    }
    return members;
  }

  private Repository writableMember(final String what) {
    return facet(NixGroupFacet.class).requireWritableMember(what);
  }

  private static NixChannelsFacet channelsOf(final Repository member) {
    return member.facet(NixChannelsFacet.class);
  }
}
