package org.sonatype.nexus.repository.nix.channels;

import java.util.List;

import javax.annotation.Nullable;

import org.sonatype.nexus.repository.nix.protocol.ChannelNames;
import org.sonatype.nexus.repository.nix.protocol.channels.ChannelFlavor;
import org.sonatype.nexus.repository.nix.protocol.channels.ChannelSnapshot;
import org.sonatype.nexus.repository.view.Payload;
import org.sonatype.nexus.repository.view.payloads.StringPayload;

/**
 * The small HTML pages under {@code channels/}: for people choosing a snapshot to pin or roll back to, and for
 * nix-channel, which only needs a snapshot's URL to answer 200. Links are absolute, built from the repository URL,
 * so they work whether or not the page was requested with a trailing slash.
 */
final class ChannelPages
{
  private static final String HTML = "text/html; charset=utf-8";

  private ChannelPages() {
  }

  /** {@code channels/}: every channel, most recently published first. */
  static Payload channels(final String repositoryUrl, final String repositoryName, final List<String> channels) {
    StringBuilder body = new StringBuilder();
    body.append("<p>Subscribe with <code>nix-channel --add ").append(escape(repositoryUrl))
        .append("/channels/&lt;channel&gt; &lt;name&gt;</code>.</p>\n");
    if (channels.isEmpty()) {
      body.append("<p>No channels yet.</p>\n");
    }
    else {
      body.append("<ul>\n");
      for (String channel : channels) {
        String url = repositoryUrl + "/channels/" + channel;
        body.append("<li><a href=\"").append(escape(url)).append("/\">").append(escape(channel)).append("</a>")
            .append(" (<a href=\"").append(escape(url)).append("\">latest</a>)</li>\n");
      }
      body.append("</ul>\n");
    }
    return page("Channels of " + repositoryName, body);
  }

  /** {@code channels/<channel>/[<flavor>/]}: its snapshots, most recently published first. */
  static Payload snapshots(
      final String repositoryUrl,
      final String channel,
      @Nullable final ChannelFlavor flavor,
      final List<ChannelSnapshot> snapshots)
  {
    StringBuilder body = new StringBuilder();
    String channelUrl = repositoryUrl + "/channels/" + channel + (flavor == null ? "" : "/" + flavor.segment());
    body.append("<p>Latest: <a href=\"").append(escape(channelUrl)).append("\">").append(escape(channelUrl))
        .append("</a>. Pin a snapshot with <code>nix-channel --add &lt;snapshot URL&gt; ").append(escape(channel))
        .append("</code>.</p>\n<ol>\n");
    boolean latest = true;
    for (ChannelSnapshot snapshot : snapshots) {
      String url = repositoryUrl + snapshot.path();
      body.append("<li><a href=\"").append(escape(url)).append("\">").append(escape(snapshot.name())).append("</a> ")
          .append(snapshot.flavor().segment())
          .append(latest ? " (latest)" : "")
          .append(" <a href=\"").append(escape(url)).append('/').append(ChannelNames.TARBALL).append("\">")
          .append(ChannelNames.TARBALL).append("</a></li>\n");
      latest = false;
    }
    body.append("</ol>\n");
    return page("Channel " + channel + (flavor == null ? "" : " (" + flavor.segment() + ")"), body);
  }

  /** {@code channels/<channel>/<flavor>/<snapshot>}: what nix-channel lands on after the channel's redirect. */
  static Payload snapshot(final String repositoryUrl, final ChannelSnapshot snapshot) {
    String url = repositoryUrl + snapshot.path();
    StringBuilder body = new StringBuilder();
    body.append("<p>Snapshot <b>").append(escape(snapshot.name())).append("</b> of channel <a href=\"")
        .append(escape(repositoryUrl)).append("/channels/").append(escape(snapshot.channel())).append("/\">")
        .append(escape(snapshot.channel())).append("</a> (").append(snapshot.flavor().segment()).append(").</p>\n")
        .append("<ul>\n<li><a href=\"").append(escape(url)).append('/').append(ChannelNames.TARBALL).append("\">")
        .append(ChannelNames.TARBALL).append("</a></li>\n</ul>\n")
        .append("<p>Pin it with <code>nix-channel --add ").append(escape(url)).append(' ')
        .append(escape(snapshot.channel())).append("</code>.</p>\n");
    return page(snapshot.channel() + " " + snapshot.name(), body);
  }

  private static Payload page(final String title, final CharSequence body) {
    String html = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + escape(title)
        + "</title></head>\n<body>\n<h1>" + escape(title) + "</h1>\n" + body + "</body></html>\n";
    return new StringPayload(html, HTML);
  }

  private static String escape(final String text) {
    StringBuilder escaped = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      switch (c) {
        case '&':
          escaped.append("&amp;");
          break;
        case '<':
          escaped.append("&lt;");
          break;
        case '>':
          escaped.append("&gt;");
          break;
        case '"':
          escaped.append("&quot;");
          break;
        default:
          escaped.append(c);
      }
    }
    return escaped.toString();
  }
}
