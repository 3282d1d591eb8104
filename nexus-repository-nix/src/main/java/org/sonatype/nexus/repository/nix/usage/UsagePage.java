package org.sonatype.nexus.repository.nix.usage;

import com.google.common.escape.Escaper;
import com.google.common.html.HtmlEscapers;

/**
 * The page a browser gets at a repository's URL: the same snippets as the UI's usage panel, as HTML. Everything
 * shown comes from names, URLs, keys and messages, so all of it is escaped.
 */
public final class UsagePage
{
  private static final Escaper HTML = HtmlEscapers.htmlEscaper();

  private static final String STYLE = ""
      + "body{font-family:sans-serif;margin:2em auto;max-width:60em;color:#222;line-height:1.4}"
      + "pre{background:#f4f4f4;border:1px solid #ddd;padding:.7em;white-space:pre-wrap;word-break:break-all}"
      + "h2{font-size:1.1em;margin-top:1.6em}"
      + ".warning{background:#fff4e5;border-left:4px solid #e67e00;padding:.5em .8em}"
      + ".note{color:#555}";

  private UsagePage() {
  }

  /**
   * @param browseUrl where the repository's content is in Nexus's UI
   */
  public static String render(final ClientSetup setup, final String browseUrl) {
    StringBuilder html = new StringBuilder(4096);
    String name = HTML.escape(setup.getRepository());
    html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>").append(name).append(" - Nix ").append(HTML.escape(setup.getType()))
        .append(" repository</title><style>").append(STYLE).append("</style></head><body>\n")
        .append("<h1>").append(name).append("</h1>\n")
        .append("<p>A Nix binary cache (nix-").append(HTML.escape(setup.getType()))
        .append(") in Nexus Repository. Nix uses this URL as a substituter; here is how to set it up. ")
        .append("<a href=\"").append(HTML.escape(browseUrl)).append("\">Browse its content</a>.</p>\n");
    for (String warning : setup.getWarnings()) {
      html.append("<p class=\"warning\">").append(HTML.escape(warning)).append("</p>\n");
    }
    for (Snippet snippet : setup.getSnippets()) {
      html.append("<h2 id=\"").append(HTML.escape(snippet.getId())).append("\">")
          .append(HTML.escape(snippet.getTitle())).append("</h2>\n")
          .append("<p>").append(HTML.escape(snippet.getDescription())).append("</p>\n")
          .append("<pre>").append(HTML.escape(snippet.getText())).append("</pre>\n");
    }
    for (String note : setup.getNotes()) {
      html.append("<p class=\"note\">").append(HTML.escape(note)).append("</p>\n");
    }
    html.append("</body></html>\n");
    return html.toString();
  }

  /** The snippets as text: each under a {@code #} comment line naming it, as {@code src/run.sh} prints them. */
  public static String text(final Iterable<Snippet> snippets) {
    StringBuilder text = new StringBuilder();
    for (Snippet snippet : snippets) {
      if (text.length() > 0) {
        text.append('\n');
      }
      text.append("# ").append(snippet.getTitle()).append('\n').append(snippet.getText()).append('\n');
    }
    return text.toString();
  }
}
