package org.sonatype.nexus.repository.nix.upload;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import org.sonatype.nexus.repository.Repository;
import org.sonatype.nexus.repository.upload.AssetUpload;
import org.sonatype.nexus.repository.upload.UploadFieldDefinition;
import org.sonatype.nexus.repository.upload.UploadResponse;

/**
 * One kind of component a nix-hosted repository takes through the UI's upload page and the Components API
 * ({@code POST /service/rest/v1/components?repository=<repo>}): channel snapshots today, others (private flakes)
 * later. Each kind owns a set of component fields; {@link NixUploadHandler} routes an upload to the kind whose
 * fields it carries.
 */
public interface NixUploadKind
{
  /** Checks that the current user may write {@code path} (with these coordinates) to the repository. */
  @FunctionalInterface
  interface Permission
  {
    void ensurePermitted(String path, Map<String, String> coordinates);
  }

  /** What the UI calls this kind, e.g. "channel snapshot". */
  String displayName();

  /**
   * The component fields of this kind, required or not as this kind needs them. In the format's shared upload
   * definition they are all optional (a field one kind requires is absent from another kind's uploads); the kind
   * checks its own required fields.
   */
  List<UploadFieldDefinition> fields();

  /**
   * Stores one upload: checks the fields, asks {@code permission}, stores the file through the repository's facets.
   *
   * @param fields the component fields given (never blank)
   * @param file   the one file
   * @throws org.sonatype.nexus.rest.ValidationErrorsException for anything wrong with the fields or the file
   */
  UploadResponse upload(Repository repository, Map<String, String> fields, AssetUpload file, Permission permission)
      throws IOException;
}
