package org.sonatype.nexus.repository.nix.upload;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import javax.inject.Inject;
import javax.inject.Named;
import javax.inject.Singleton;

import org.sonatype.nexus.repository.Repository;
import org.sonatype.nexus.repository.nix.NixFormat;
import org.sonatype.nexus.repository.rest.UploadDefinitionExtension;
import org.sonatype.nexus.repository.security.ContentPermissionChecker;
import org.sonatype.nexus.repository.security.VariableResolverAdapter;
import org.sonatype.nexus.repository.upload.ComponentUpload;
import org.sonatype.nexus.repository.upload.UploadDefinition;
import org.sonatype.nexus.repository.upload.UploadFieldDefinition;
import org.sonatype.nexus.repository.upload.UploadHandlerSupport;
import org.sonatype.nexus.repository.upload.UploadResponse;
import org.sonatype.nexus.rest.ValidationErrorsException;

import static com.google.common.base.Preconditions.checkNotNull;
import static java.util.Collections.emptyList;

/**
 * Uploads to nix-hosted repositories from the UI and the Components API. The format has one upload definition but
 * several kinds of components ({@link NixUploadKind}); an upload goes to the kind whose component fields it
 * carries, and mixing the fields of two kinds is refused. Every field is optional in the definition for that
 * reason: each kind checks its own. One file per upload ({@code nix.asset}).
 */
@Named(NixFormat.NAME)
@Singleton
public class NixUploadHandler
    extends UploadHandlerSupport
{
  private final ContentPermissionChecker contentPermissionChecker;

  private final VariableResolverAdapter variableResolverAdapter;

  private final List<NixUploadKind> kinds;

  private UploadDefinition definition;

  @Inject
  public NixUploadHandler(
      final ContentPermissionChecker contentPermissionChecker,
      @Named("simple") final VariableResolverAdapter variableResolverAdapter,
      final Set<UploadDefinitionExtension> uploadDefinitionExtensions,
      final List<NixUploadKind> kinds)
  {
    super(uploadDefinitionExtensions);
    this.contentPermissionChecker = checkNotNull(contentPermissionChecker);
    this.variableResolverAdapter = checkNotNull(variableResolverAdapter);
    this.kinds = List.copyOf(kinds);
  }

  @Override
  public UploadResponse handle(final Repository repository, final ComponentUpload upload) throws IOException {
    Map<String, String> fields = new LinkedHashMap<>();
    upload.getFields().forEach((name, value) -> {
      if (value != null && !value.trim().isEmpty()) {
        fields.put(name, value.trim());
      }
    });
    List<NixUploadKind> matching = kinds.stream()
        .filter(kind -> kind.fields().stream().anyMatch(field -> fields.containsKey(field.getName())))
        .collect(Collectors.toList());
    if (matching.isEmpty()) {
      throw new ValidationErrorsException("Fill in the fields of what you upload: " + describeKinds());
    }
    if (matching.size() > 1) {
      throw new ValidationErrorsException("The fields given belong to different kinds of upload ("
          + matching.stream().map(NixUploadKind::displayName).collect(Collectors.joining(", "))
          + "); upload one at a time");
    }
    if (upload.getAssetUploads().size() != 1) {
      throw new ValidationErrorsException("Upload exactly one file");
    }
    return matching.get(0).upload(repository, fields, upload.getAssetUploads().get(0),
        (path, coordinates) -> ensurePermitted(repository.getName(), NixFormat.NAME, path, coordinates));
  }

  private String describeKinds() {
    return kinds.stream()
        .map(kind -> kind.displayName() + " (" + kind.fields().stream().map(UploadFieldDefinition::getName)
            .collect(Collectors.joining(", ")) + ")")
        .collect(Collectors.joining(" or "));
  }

  @Override
  public UploadDefinition getDefinition() {
    if (definition == null) {
      List<UploadFieldDefinition> fields = new ArrayList<>();
      for (NixUploadKind kind : kinds) {
        for (UploadFieldDefinition field : kind.fields()) {
          fields.add(new UploadFieldDefinition(field.getName(), field.getDisplayName(), field.getHelpText(), true,
              field.getType(), field.getGroup()));
        }
      }
      definition = getDefinition(NixFormat.NAME, false, fields, emptyList(), null);
    }
    return definition;
  }

  @Override
  public VariableResolverAdapter getVariableResolverAdapter() {
    return variableResolverAdapter;
  }

  @Override
  public ContentPermissionChecker contentPermissionChecker() {
    return contentPermissionChecker;
  }
}
