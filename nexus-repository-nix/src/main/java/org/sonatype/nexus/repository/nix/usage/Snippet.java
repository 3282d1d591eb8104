package org.sonatype.nexus.repository.nix.usage;

import static com.google.common.base.Preconditions.checkNotNull;

/**
 * One thing a user copies to use a repository from Nix: lines for a file ({@code nix.conf}, the netrc) or a command,
 * with what it is for.
 */
public final class Snippet
{
  public static final String NIX_CONF = "nixConf";

  public static final String NETRC = "netrc";

  public static final String PUSH = "push";

  public static final String CHANNEL = "channel";

  public static final String FLAKE_REGISTRY = "flakeRegistry";

  private final String id;

  private final String title;

  private final String description;

  private final String text;

  Snippet(final String id, final String title, final String description, final String text) {
    this.id = checkNotNull(id);
    this.title = checkNotNull(title);
    this.description = checkNotNull(description);
    this.text = checkNotNull(text);
  }

  /** Stable, for scripts and tests: {@code nixConf}, {@code netrc}, {@code push}, {@code channel}, ... */
  public String getId() {
    return id;
  }

  /** Where the text goes, e.g. {@code nix.conf}. */
  public String getTitle() {
    return title;
  }

  public String getDescription() {
    return description;
  }

  /** What to copy, as it is: lines without a final newline. */
  public String getText() {
    return text;
  }
}
