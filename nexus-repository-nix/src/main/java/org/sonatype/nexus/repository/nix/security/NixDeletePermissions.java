package org.sonatype.nexus.repository.nix.security;

import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

import javax.inject.Inject;
import javax.inject.Named;
import javax.inject.Singleton;

import org.sonatype.nexus.repository.Repository;
import org.sonatype.nexus.repository.security.ContentPermissionChecker;
import org.sonatype.nexus.repository.security.VariableResolverAdapter;
import org.sonatype.nexus.security.BreadActions;

import static com.google.common.base.Preconditions.checkNotNull;

/**
 * Whether the current user may delete paths of a repository, decided as for a {@code DELETE} of each path
 * (repository-view privileges and content selectors, on the path with its leading {@code /}).
 *
 * <p>Nexus checks the path a delete names (the request's, or the asset's in the UI and REST API). Some Nix deletes
 * take more store paths than that one: {@code ?cascade=true} takes the dependents, deleting a NAR takes the store
 * paths that use it. Those need this check on each store path taken, or a content-selector privilege for some paths
 * would delete others. (A store path's own NAR and listing go with its narinfo: they are part of it.)
 */
@Named
@Singleton
public class NixDeletePermissions
{
  /** How many refused paths a message names. */
  private static final int NAMED = 10;

  private final ContentPermissionChecker contentPermissionChecker;

  private final VariableResolverAdapter variableResolverAdapter;

  @Inject
  public NixDeletePermissions(
      final ContentPermissionChecker contentPermissionChecker,
      @Named("simple") final VariableResolverAdapter variableResolverAdapter)
  {
    this.contentPermissionChecker = checkNotNull(contentPermissionChecker);
    this.variableResolverAdapter = checkNotNull(variableResolverAdapter);
  }

  /**
   * @param paths repository paths with their leading {@code /}, e.g. {@code /<hash>.narinfo}
   * @return those of {@code paths} the current user may not delete, in order
   */
  public List<String> notPermitted(final Repository repository, final Collection<String> paths) {
    String format = repository.getFormat().getValue();
    return paths.stream()
        .filter(path -> !contentPermissionChecker.isPermitted(repository.getName(), format, BreadActions.DELETE,
            variableResolverAdapter.fromPath(path, format)))
        .collect(Collectors.toList());
  }

  /** {@code a, b, c} without the leading slashes, the first {@value #NAMED} and how many more. */
  public static String describe(final List<String> paths) {
    String named = paths.stream().limit(NAMED).map(path -> path.substring(1)).collect(Collectors.joining(", "));
    return paths.size() > NAMED ? named + " and " + (paths.size() - NAMED) + " more" : named;
  }
}
