package org.sonatype.nexus.repository.nix.usage;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import javax.annotation.Nullable;
import javax.inject.Inject;
import javax.inject.Named;
import javax.inject.Singleton;

import org.sonatype.nexus.repository.Repository;
import org.sonatype.nexus.repository.manager.RepositoryManager;
import org.sonatype.nexus.repository.nix.NixFormat;
import org.sonatype.nexus.repository.nix.channels.NixChannelsProxyFacet;
import org.sonatype.nexus.repository.nix.content.NixSettingsFacet;
import org.sonatype.nexus.repository.nix.flakes.NixFlakesProxyFacet;
import org.sonatype.nexus.repository.nix.group.NixGroupFacet;
import org.sonatype.nexus.repository.nix.protocol.NixPublicKey;
import org.sonatype.nexus.repository.nix.proxy.NixProxyFacet;
import org.sonatype.nexus.repository.nix.signing.NixSigningFacet;
import org.sonatype.nexus.repository.nix.signing.UpstreamKeyMismatch;
import org.sonatype.nexus.repository.nix.signing.UpstreamTrust;
import org.sonatype.nexus.repository.security.RepositoryViewPermission;
import org.sonatype.nexus.repository.types.GroupType;
import org.sonatype.nexus.repository.types.HostedType;
import org.sonatype.nexus.repository.types.ProxyType;
import org.sonatype.nexus.security.BreadActions;
import org.sonatype.nexus.security.SecurityHelper;
import org.sonatype.nexus.security.anonymous.AnonymousManager;

import org.apache.shiro.subject.Subject;

import static com.google.common.base.Preconditions.checkNotNull;

/**
 * Gathers what {@link ClientSetup} shows for a repository, as the current user sees it: which group to substitute
 * from, which repository takes pushes, the keys narinfos are signed with, and what would make clients refuse them.
 *
 * <p>A hosted repository is substituted from a Nix group that contains it and that the user may read (the one that
 * takes pushes into it first); pushes go to the hosted repository itself (see {@link ClientSetup} for why). Read from
 * the repositories' configurations where possible, so a repository that is offline does not break the answer.
 */
@Named
@Singleton
public class ClientSetups
{
  private final RepositoryManager repositoryManager;

  private final SecurityHelper securityHelper;

  private final AnonymousManager anonymousManager;

  @Inject
  public ClientSetups(
      final RepositoryManager repositoryManager,
      final SecurityHelper securityHelper,
      final AnonymousManager anonymousManager)
  {
    this.repositoryManager = checkNotNull(repositoryManager);
    this.securityHelper = checkNotNull(securityHelper);
    this.anonymousManager = checkNotNull(anonymousManager);
  }

  /**
   * @param baseUrl   Nexus's URL as the client reaches it, without a trailing slash
   * @param netrcFile where nix.conf's netrc-file points, or null for Nix's default
   */
  public ClientSetup forRepository(final Repository repository, final String baseUrl, @Nullable final String netrcFile) {
    String type = repository.getType().getValue();
    ClientSetup.Builder setup = ClientSetup.builder()
        .repository(repository.getName(), type)
        .host(host(baseUrl))
        .login(currentLogin())
        .netrcFile(netrcFile);

    Repository substituter = repository;
    if (HostedType.NAME.equals(type)) {
      substituter = groupToSubstituteFrom(repository).orElse(repository);
      setup.push(repository.getName(), url(baseUrl, repository));
    }
    else if (GroupType.NAME.equals(type)) {
      writableMember(repository).ifPresent(member -> setup.push(member.getName(), url(baseUrl, member)));
    }
    setup.substituter(substituter.getName(), url(baseUrl, substituter));
    setup.trust(publicKeys(substituter, new HashSet<>()));
    setup.channels(!ProxyType.NAME.equals(substituter.getType().getValue())
        || isOn(nix(substituter), NixChannelsProxyFacet.CHANNELS_URL));
    setup.flakeRegistry(!ProxyType.NAME.equals(substituter.getType().getValue())
        || isOn(nix(substituter), NixFlakesProxyFacet.FLAKE_REGISTRY_URL));
    warnings(substituter, new HashSet<>()).forEach(setup::warning);
    if (substituter == repository && HostedType.NAME.equals(type)) {
      setup.note("No Nix group that you may read contains " + repository.getName() + ": the snippets substitute from "
          + "it directly. A machine that also pushes here should substitute from a group that contains it.");
    }
    return setup.build();
  }

  /** The warning for a proxy's upstream settings, if they look wrong (see {@link UpstreamKeyMismatch}). */
  private static Optional<String> upstreamWarning(final Repository proxy) {
    UpstreamTrust trust = proxy.facet(NixProxyFacet.class).upstreamTrust();
    return UpstreamKeyMismatch.warning(remoteUrl(proxy),
        trust.keys().keys().stream().map(NixPublicKey::toText).collect(Collectors.toList()), trust.required());
  }

  private Optional<Repository> groupToSubstituteFrom(final Repository hosted) {
    return StreamSupport.stream(repositoryManager.browse().spliterator(), false)
        .filter(repository -> isNix(repository) && GroupType.NAME.equals(repository.getType().getValue()))
        .filter(group -> memberNames(group).contains(hosted.getName()))
        .filter(this::mayRead)
        .min(Comparator.<Repository, Boolean>comparing(group -> !hosted.getName().equals(writableMemberName(group)))
            .thenComparing(Repository::getName));
  }

  private boolean mayRead(final Repository repository) {
    return securityHelper.anyPermitted(new RepositoryViewPermission(repository, BreadActions.READ));
  }

  /** The keys whose signatures the repository's narinfos carry: its own, its members', its upstream's. */
  private List<String> publicKeys(final Repository repository, final Set<String> visited) {
    List<String> keys = new ArrayList<>();
    if (!visited.add(repository.getName())) {
      return keys;
    }
    repository.optionalFacet(NixSigningFacet.class)
        .flatMap(NixSigningFacet::publicKey)
        .ifPresent(key -> keys.add(key.toText()));
    repository.optionalFacet(NixProxyFacet.class).ifPresent(proxy ->
        proxy.upstreamTrust().keys().keys().forEach(key -> keys.add(key.toText())));
    for (Repository member : members(repository)) {
      keys.addAll(publicKeys(member, visited));
    }
    return keys;
  }

  /** What makes clients refuse narinfos, or proxies refuse upstream ones, in the repository and its members. */
  private List<String> warnings(final Repository repository, final Set<String> visited) {
    List<String> warnings = new ArrayList<>();
    if (!visited.add(repository.getName())) {
      return warnings;
    }
    String type = repository.getType().getValue();
    boolean signs = repository.optionalFacet(NixSigningFacet.class).flatMap(NixSigningFacet::publicKey).isPresent();
    if (HostedType.NAME.equals(type) && !signs) {
      warnings.add(repository.getName() + " has no signing key: clients with require-sigs (Nix's default) refuse its "
          + "narinfos unless whoever pushes signs them with a key the clients trust. Generate a key in its settings "
          + "(Signing key).");
    }
    repository.optionalFacet(NixProxyFacet.class).ifPresent(proxy -> {
      upstreamWarning(repository).ifPresent(warning -> warnings.add(repository.getName() + ": " + warning));
      String refusals = proxy.upstreamRefusals().summary();
      if (refusals != null) {
        warnings.add(repository.getName() + ": " + refusals);
      }
    });
    if (GroupType.NAME.equals(type) && !signs) {
      for (Repository member : members(repository)) {
        warnings.addAll(warnings(member, visited));
      }
    }
    else {
      for (Repository member : members(repository)) {
        warnings.addAll(memberProxyWarnings(member, visited));
      }
    }
    return warnings;
  }

  /** A group that signs covers unsigned members; what its proxy members refuse it cannot cover. */
  private List<String> memberProxyWarnings(final Repository repository, final Set<String> visited) {
    List<String> warnings = new ArrayList<>();
    if (ProxyType.NAME.equals(repository.getType().getValue())) {
      warnings.addAll(warnings(repository, visited));
    }
    else if (visited.add(repository.getName())) {
      for (Repository member : members(repository)) {
        warnings.addAll(memberProxyWarnings(member, visited));
      }
    }
    return warnings;
  }

  private List<Repository> members(final Repository repository) {
    if (!GroupType.NAME.equals(repository.getType().getValue())) {
      return List.of();
    }
    return memberNames(repository).stream()
        .map(repositoryManager::get)
        .filter(member -> member != null && isNix(member))
        .collect(Collectors.toList());
  }

  private static Collection<String> memberNames(final Repository group) {
    Object names = section(group, "group").get("memberNames");
    if (!(names instanceof Collection)) {
      return List.of();
    }
    return ((Collection<?>) names).stream().map(String::valueOf).collect(Collectors.toList());
  }

  private Optional<Repository> writableMember(final Repository group) {
    String name = writableMemberName(group);
    return name == null || name.isEmpty() ? Optional.empty() : Optional.ofNullable(repositoryManager.get(name));
  }

  @Nullable
  private static String writableMemberName(final Repository group) {
    Object name = nix(group).get(NixGroupFacet.WRITABLE_MEMBER);
    return name instanceof String ? (String) name : null;
  }

  private static Map<String, Object> nix(final Repository repository) {
    return section(repository, NixSettingsFacet.SECTION);
  }

  /** A section of the repository's configuration as it is, read only: empty if absent. */
  private static Map<String, Object> section(final Repository repository, final String name) {
    Map<String, Map<String, Object>> attributes = repository.getConfiguration().getAttributes();
    Map<String, Object> section = attributes != null ? attributes.get(name) : null;
    return section != null ? section : Map.of();
  }

  /** An upstream URL setting: absent means the default upstream, empty means off. */
  private static boolean isOn(final Map<String, Object> nix, final String key) {
    Object value = nix.get(key);
    return !nix.containsKey(key) || (value instanceof String && !((String) value).trim().isEmpty());
  }

  @Nullable
  private static String remoteUrl(final Repository proxy) {
    Object url = section(proxy, "proxy").get("remoteUrl");
    return url instanceof String ? (String) url : null;
  }

  private static boolean isNix(final Repository repository) {
    return NixFormat.NAME.equals(repository.getFormat().getValue());
  }

  private static String url(final String baseUrl, final Repository repository) {
    return baseUrl + "/repository/" + repository.getName();
  }

  private static String host(final String baseUrl) {
    String host = URI.create(baseUrl).getHost();
    return host != null ? host : "localhost";
  }

  /** The signed-in user's name for the netrc line; null for someone not signed in. */
  @Nullable
  private String currentLogin() {
    Subject subject = securityHelper.subject();
    Object principal = subject != null ? subject.getPrincipal() : null;
    if (principal == null) {
      return null;
    }
    String login = principal.toString();
    boolean anonymous = anonymousManager.isEnabled() && login.equals(anonymousManager.getConfiguration().getUserId());
    return anonymous ? null : login;
  }
}
