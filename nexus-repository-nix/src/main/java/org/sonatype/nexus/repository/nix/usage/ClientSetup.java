package org.sonatype.nexus.repository.nix.usage;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import javax.annotation.Nullable;

import static com.google.common.base.Preconditions.checkNotNull;
import static com.google.common.base.Preconditions.checkState;

/**
 * How a Nix client uses one repository ("Set Me Up"): the {@code nix.conf} lines, the netrc line, the push command,
 * the channel and flake registry lines, with notes and warnings. The repository UI's usage panel, the page at the
 * repository's URL and {@code src/run.sh} all show these snippets.
 *
 * <p>Clients push to a hosted repository and substitute from a group that contains it, never both through one URL:
 * {@code nix copy --to} keeps the narinfo it uploaded (without the signature the repository adds when serving it) in
 * the client's narinfo cache for 30 days, and with {@code require-sigs} the client then refuses the path from that
 * URL (NixOS/nix#16175).
 */
public final class ClientSetup
{
  /** In the netrc line instead of a password: the line is shown to whoever may read, the password never is. */
  public static final String PASSWORD_PLACEHOLDER = "<password>";

  /** The login of a user who is not signed in (anonymous access). */
  public static final String LOGIN_PLACEHOLDER = "<user>";

  /** Where nix.conf's netrc-file points unless told otherwise: Nix's own default, the daemon's file. */
  public static final String DEFAULT_NETRC_FILE = "/etc/nix/netrc";

  private final String repository;

  private final String type;

  private final String substituter;

  private final String substituterUrl;

  @Nullable
  private final String pushTo;

  @Nullable
  private final String pushUrl;

  private final List<String> trustedPublicKeys;

  private final String host;

  private final String login;

  private final String netrcFile;

  private final boolean channels;

  private final boolean flakeRegistry;

  private final List<String> notes;

  private final List<String> warnings;

  private ClientSetup(final Builder builder) {
    this.repository = checkNotNull(builder.repository);
    this.type = checkNotNull(builder.type);
    this.substituter = checkNotNull(builder.substituter);
    this.substituterUrl = checkNotNull(builder.substituterUrl);
    this.pushTo = builder.pushTo;
    this.pushUrl = builder.pushUrl;
    this.trustedPublicKeys = List.copyOf(builder.trustedPublicKeys);
    this.host = checkNotNull(builder.host);
    this.login = builder.login != null && !builder.login.isEmpty() ? builder.login : LOGIN_PLACEHOLDER;
    this.netrcFile = builder.netrcFile != null ? builder.netrcFile : DEFAULT_NETRC_FILE;
    this.channels = builder.channels;
    this.flakeRegistry = builder.flakeRegistry;
    this.notes = Collections.unmodifiableList(new ArrayList<>(builder.notes));
    this.warnings = Collections.unmodifiableList(new ArrayList<>(builder.warnings));
  }

  public static Builder builder() {
    return new Builder();
  }

  public String getRepository() {
    return repository;
  }

  /** {@code hosted}, {@code proxy} or {@code group}. */
  public String getType() {
    return type;
  }

  /** The repository clients substitute from: a group containing a hosted repository, else the repository. */
  public String getSubstituter() {
    return substituter;
  }

  public String getSubstituterUrl() {
    return substituterUrl;
  }

  /** The hosted repository clients push to, or null if this repository takes no pushes. */
  @Nullable
  public String getPushTo() {
    return pushTo;
  }

  @Nullable
  public String getPushUrl() {
    return pushUrl;
  }

  /** The keys the substituter's narinfos are signed with: its own, its members', its upstream's. */
  public List<String> getTrustedPublicKeys() {
    return trustedPublicKeys;
  }

  public List<String> getNotes() {
    return notes;
  }

  /** What stops clients from using the repository as shown, e.g. a repository that signs nothing. */
  public List<String> getWarnings() {
    return warnings;
  }

  public List<Snippet> getSnippets() {
    List<Snippet> snippets = new ArrayList<>();
    snippets.add(new Snippet(Snippet.NIX_CONF, "nix.conf", nixConfDescription(), nixConf()));
    snippets.add(new Snippet(Snippet.NETRC, "netrc (" + netrcFile + ")",
        "The file netrc-file names, readable only by whoever runs Nix (chmod 600; root's, with the Nix daemon). Nix "
            + "sends these credentials with every request to " + host + ". Put your Nexus password in place of "
            + PASSWORD_PLACEHOLDER + ".",
        "machine " + host + " login " + login + " password " + PASSWORD_PLACEHOLDER));
    if (pushUrl != null) {
      snippets.add(new Snippet(Snippet.PUSH, "Push (nix copy)", pushDescription(),
          "nix copy --to " + pushUrl + " /nix/store/<hash>-<name>"));
    }
    if (channels) {
      snippets.add(new Snippet(Snippet.CHANNEL, "Channels (nix-channel)",
          "Subscribes to a channel " + substituter + " serves: put its name in place of <channel> (e.g. "
              + "nixos-24.11) and the local name in place of <name> (e.g. nixpkgs).",
          "nix-channel --add " + substituterUrl + "/channels/<channel> <name>\nnix-channel --update"));
    }
    if (flakeRegistry) {
      snippets.add(new Snippet(Snippet.FLAKE_REGISTRY, "Flake registry (nix.conf)",
          "With experimental-features = nix-command flakes: flake names such as nixpkgs, and the private flakes "
              + "published here, resolve through " + substituter + ".",
          "flake-registry = " + substituterUrl + "/flake-registry.json"));
    }
    return snippets;
  }

  /** The snippets with these ids, in the order given; unknown ids are left out. */
  public List<Snippet> getSnippets(final List<String> ids) {
    List<Snippet> all = getSnippets();
    List<Snippet> chosen = new ArrayList<>();
    for (String id : new LinkedHashSet<>(ids)) {
      all.stream().filter(snippet -> snippet.getId().equals(id)).findFirst().ifPresent(chosen::add);
    }
    return chosen;
  }

  private String nixConf() {
    List<String> lines = new ArrayList<>();
    lines.add("substituters = " + substituterUrl);
    if (!trustedPublicKeys.isEmpty()) {
      lines.add("trusted-public-keys = " + String.join(" ", trustedPublicKeys));
    }
    lines.add("netrc-file = " + netrcFile);
    lines.add("fallback = true");
    return String.join("\n", lines);
  }

  private String nixConfDescription() {
    return "In /etc/nix/nix.conf (with the Nix daemon) or ~/.config/nix/nix.conf. Nix substitutes from "
        + substituter + (substituter.equals(repository) ? "" : ", a group that contains " + repository)
        + ", trusts the keys its narinfos are signed with (require-sigs stays on), authenticates with the netrc "
        + "file and builds locally what it cannot substitute (fallback).";
  }

  private String pushDescription() {
    checkState(pushTo != null);
    String pushes = "Uploads a store path and its closure into " + pushTo + ". ";
    if (!pushTo.equals(substituter)) {
      return pushes + "Push to " + pushTo + " and substitute from " + substituter + ", never both through one URL: "
          + "Nix keeps the narinfo it uploaded, without the signature the repository adds, in its cache for 30 days "
          + "and would refuse that path from the URL it pushed to (NixOS/nix#16175).";
    }
    return pushes + "A machine that pushes here and substitutes from the same URL refuses its own pushes for 30 days "
        + "(NixOS/nix#16175): substitute from a group that contains " + pushTo + " instead.";
  }

  public static final class Builder
  {
    private String repository;

    private String type;

    private String substituter;

    private String substituterUrl;

    private String pushTo;

    private String pushUrl;

    private final Set<String> trustedPublicKeys = new LinkedHashSet<>();

    private String host;

    private String login;

    private String netrcFile;

    private boolean channels = true;

    private boolean flakeRegistry = true;

    private final List<String> notes = new ArrayList<>();

    private final List<String> warnings = new ArrayList<>();

    private Builder() {
    }

    public Builder repository(final String name, final String type) {
      this.repository = name;
      this.type = type;
      return this;
    }

    public Builder substituter(final String name, final String url) {
      this.substituter = name;
      this.substituterUrl = url;
      return this;
    }

    public Builder push(final String name, final String url) {
      this.pushTo = name;
      this.pushUrl = url;
      return this;
    }

    /** Adds keys in order; a key already there keeps its place. */
    public Builder trust(final List<String> publicKeys) {
      trustedPublicKeys.addAll(publicKeys);
      return this;
    }

    /** The host of the netrc line, as clients reach Nexus. */
    public Builder host(final String host) {
      this.host = host;
      return this;
    }

    /** The signed-in user, or null for none. */
    public Builder login(@Nullable final String login) {
      this.login = login;
      return this;
    }

    /** Where nix.conf's netrc-file points; null for {@value #DEFAULT_NETRC_FILE}. */
    public Builder netrcFile(@Nullable final String netrcFile) {
      this.netrcFile = netrcFile;
      return this;
    }

    public Builder channels(final boolean channels) {
      this.channels = channels;
      return this;
    }

    public Builder flakeRegistry(final boolean flakeRegistry) {
      this.flakeRegistry = flakeRegistry;
      return this;
    }

    public Builder note(final String note) {
      notes.add(note);
      return this;
    }

    public Builder warning(final String warning) {
      warnings.add(warning);
      return this;
    }

    public ClientSetup build() {
      return new ClientSetup(this);
    }
  }
}
