package org.sonatype.nexus.repository.nix.usage;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UsagePageTest
{
  private static ClientSetup setup(final String host, final String warning) {
    return ClientSetup.builder()
        .repository("nix-hosted", "hosted")
        .substituter("nix-group", "http://" + host + "/repository/nix-group")
        .push("nix-hosted", "http://" + host + "/repository/nix-hosted")
        .trust(List.of("team-1:h6QIQQIGmDZP5twRqtmdy80a5sHRFsSG2juT4RYDB5E="))
        .host(host)
        .login("alice")
        .warning(warning)
        .build();
  }

  @Test
  void thePageShowsEverySnippetInPreformattedText() {
    String html = UsagePage.render(setup("nexus.example.com", "careful"), "http://nexus.example.com/#browse/browse:x");

    assertThat(html)
        .contains("<pre>substituters = http://nexus.example.com/repository/nix-group\n")
        .contains("<pre>machine nexus.example.com login alice password &lt;password&gt;</pre>")
        .contains("<pre>nix copy --to http://nexus.example.com/repository/nix-hosted /nix/store/&lt;hash&gt;-&lt;name&gt;")
        .contains("<p class=\"warning\">careful</p>")
        .contains("<a href=\"http://nexus.example.com/#browse/browse:x\">");
  }

  @Test
  void everythingShownIsEscaped() {
    String hostile = "<script>alert(1)</script>\"'&";

    String html = UsagePage.render(setup("h", hostile), "http://h/#browse/browse:\"><script>x</script>");

    assertThat(html)
        .doesNotContain("<script>")
        .contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;")
        .contains("href=\"http://h/#browse/browse:&quot;&gt;&lt;script&gt;x&lt;/script&gt;\"");
  }

  @Test
  void theTextFormPutsEachSnippetUnderItsTitle() {
    ClientSetup setup = setup("nexus.example.com", "careful");

    String text = UsagePage.text(setup.getSnippets(List.of(Snippet.NETRC, Snippet.PUSH)));

    assertThat(text).isEqualTo(""
        + "# netrc (/etc/nix/netrc)\n"
        + "machine nexus.example.com login alice password <password>\n"
        + "\n"
        + "# Push (nix copy)\n"
        + "nix copy --to http://nexus.example.com/repository/nix-hosted /nix/store/<hash>-<name>\n");
  }
}
