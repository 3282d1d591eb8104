package org.sonatype.nexus.repository.nix.channels;

import javax.annotation.Nonnull;

import org.sonatype.nexus.repository.nix.protocol.channels.ChannelPath;
import org.sonatype.nexus.repository.view.Context;
import org.sonatype.nexus.repository.view.Matcher;

/**
 * Matches everything under {@code channels/}, {@code //} included (nix-channel sends
 * {@code <snapshot>//nixexprs.tar.xz} when a redirect target ends in "/"). Which channel resource the path names
 * is {@link NixChannelsHandler}'s business, after security: a malformed path is a 404 for a read and a 400 for a
 * write.
 */
public class ChannelPathMatcher
    implements Matcher
{
  @Override
  public boolean matches(@Nonnull final Context context) {
    return ChannelPath.isChannelPath(context.getRequest().getPath());
  }
}
