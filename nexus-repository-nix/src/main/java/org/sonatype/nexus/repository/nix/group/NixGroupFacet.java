package org.sonatype.nexus.repository.nix.group;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import javax.annotation.Nullable;
import javax.inject.Inject;
import javax.inject.Named;
import javax.validation.ConstraintViolation;

import org.sonatype.nexus.common.stateguard.StateGuardAware;
import org.sonatype.nexus.repository.Facet;
import org.sonatype.nexus.repository.FacetSupport;
import org.sonatype.nexus.repository.Repository;
import org.sonatype.nexus.repository.config.Configuration;
import org.sonatype.nexus.repository.config.ConfigurationFacet;
import org.sonatype.nexus.repository.group.GroupFacetImpl;
import org.sonatype.nexus.repository.manager.RepositoryManager;
import org.sonatype.nexus.repository.nix.NixFormat;
import org.sonatype.nexus.repository.nix.content.NixSettingsFacet;
import org.sonatype.nexus.repository.nix.http.NixRequestException;
import org.sonatype.nexus.repository.types.HostedType;
import org.sonatype.nexus.validation.ConstraintViolationFactory;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import static com.google.common.base.Preconditions.checkNotNull;
import static org.sonatype.nexus.common.stateguard.StateGuardLifecycleSupport.State.STARTED;
import static org.sonatype.nexus.validation.ConstraintViolations.maybeAdd;
import static org.sonatype.nexus.validation.ConstraintViolations.maybePropagate;

/**
 * The Nix side of a group: its optional writable member, and the rule that all members serve the same store dir
 * (a group answering narinfos for two store dirs would hand clients paths they cannot use).
 */
@Named
@Facet.Exposed
public class NixGroupFacet
    extends FacetSupport
{
  public static final String WRITABLE_MEMBER = "writableMember";

  @JsonIgnoreProperties(ignoreUnknown = true)
  public static class Config
  {
    @Nullable
    public String writableMember;
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  static class Members
  {
    public Set<String> memberNames;
  }

  private final RepositoryManager repositoryManager;

  private final ConstraintViolationFactory violations;

  private Config config;

  @Inject
  public NixGroupFacet(final RepositoryManager repositoryManager, final ConstraintViolationFactory violations) {
    this.repositoryManager = checkNotNull(repositoryManager);
    this.violations = checkNotNull(violations);
  }

  @Override
  protected void doValidate(final Configuration configuration) throws Exception {
    if (!repositoriesAvailable()) {
      return;
    }
    ConfigurationFacet configurationFacet = facet(ConfigurationFacet.class);
    Config toValidate = configurationFacet.readSection(configuration, NixSettingsFacet.SECTION, Config.class);
    Members members = configurationFacet.readSection(configuration, GroupFacetImpl.CONFIG_KEY, Members.class);
    NixSettingsFacet.Config settings =
        configurationFacet.readSection(configuration, NixSettingsFacet.SECTION, NixSettingsFacet.Config.class);
    Set<String> memberNames = members.memberNames != null ? members.memberNames : Set.of();

    Set<ConstraintViolation<?>> found = new HashSet<>();
    for (String name : memberNames) {
      Repository member = repositoryManager.get(name);
      if (member == null || !NixFormat.NAME.equals(member.getFormat().getValue())) {
        continue;
      }
      String memberStoreDir = member.getConfiguration().attributes(NixSettingsFacet.SECTION)
          .get("storeDir", String.class, NixSettingsFacet.DEFAULT_STORE_DIR);
      if (!memberStoreDir.equals(settings.storeDir)) {
        maybeAdd(found, violations.createViolation("group.memberNames", "Member '" + name + "' serves store dir '"
            + memberStoreDir + "' but this group serves '" + settings.storeDir + "'"));
      }
    }
    if (toValidate.writableMember != null && !toValidate.writableMember.isEmpty()) {
      Repository writable = repositoryManager.get(toValidate.writableMember);
      if (!memberNames.contains(toValidate.writableMember)) {
        maybeAdd(found, violations.createViolation("nix." + WRITABLE_MEMBER, "Writable member '"
            + toValidate.writableMember + "' is not a member of the group"));
      }
      else if (writable == null || !(writable.getType() instanceof HostedType)
          || !NixFormat.NAME.equals(writable.getFormat().getValue())) {
        maybeAdd(found, violations.createViolation("nix." + WRITABLE_MEMBER, "Writable member '"
            + toValidate.writableMember + "' must be a nix-hosted repository"));
      }
    }
    maybePropagate(found, log);
  }

  /**
   * The checks look at other repositories, which the repository manager cannot hand out while it restores the
   * repositories at startup (asking then fails the restore, and Nexus does not start). A restored configuration was
   * checked when it was saved; Nexus's own GroupFacetImpl skips its member checks then too.
   */
  private boolean repositoriesAvailable() {
    return !(repositoryManager instanceof StateGuardAware)
        || ((StateGuardAware) repositoryManager).getStateGuard().is(STARTED);
  }

  @Override
  protected void doConfigure(final Configuration configuration) throws Exception {
    config = facet(ConfigurationFacet.class).readSection(configuration, NixSettingsFacet.SECTION, Config.class);
  }

  @Override
  protected void doDestroy() throws Exception {
    config = null;
  }

  /** The hosted member that pushes through the group are stored in, if the group takes pushes. */
  public Optional<Repository> writableMember() {
    if (config.writableMember == null || config.writableMember.isEmpty()) {
      return Optional.empty();
    }
    return Optional.ofNullable(repositoryManager.get(config.writableMember));
  }

  /**
   * The writable member, for writes that only it can take (channel snapshots, flake versions).
   *
   * @param what what the group is asked to take, e.g. "deploys"
   * @throws NixRequestException (405) if the group has no writable member
   */
  public Repository requireWritableMember(final String what) {
    return writableMember().orElseThrow(() -> NixRequestException.methodNotAllowed("group '"
        + getRepository().getName() + "' takes no " + what + ": it has no writable member (set nix."
        + WRITABLE_MEMBER + " to one of its nix-hosted members)"));
  }
}
