package org.sonatype.nexus.repository.nix.upload;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response.Status;

import org.sonatype.nexus.repository.Repository;
import org.sonatype.nexus.repository.nix.http.NixRequestException;
import org.sonatype.nexus.repository.nix.protocol.NixFormatException;
import org.sonatype.nexus.repository.upload.AssetUpload;
import org.sonatype.nexus.repository.upload.UploadFieldDefinition;
import org.sonatype.nexus.repository.upload.UploadResponse;
import org.sonatype.nexus.repository.view.Content;
import org.sonatype.nexus.rest.ValidationErrorsException;
import org.sonatype.nexus.rest.WebApplicationMessageException;

/**
 * One kind of component a nix-hosted repository takes through the UI's upload page and the Components API
 * ({@code POST /service/rest/v1/components?repository=<repo>}): channel snapshots and private flake versions. Each
 * kind owns a set of component fields; {@link NixUploadHandler} routes an upload to the kind whose fields it
 * carries.
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

  /**
   * Checks that every one of a kind's fields was given.
   *
   * @throws ValidationErrorsException naming each missing field
   */
  static void requireAll(final List<UploadFieldDefinition> definitions, final Map<String, String> fields) {
    ValidationErrorsException missing = new ValidationErrorsException();
    for (UploadFieldDefinition field : definitions) {
      if (!fields.containsKey(field.getName())) {
        missing.withError(field.getName(), "Missing required component field '" + field.getDisplayName() + "'");
      }
    }
    if (!missing.getValidationErrors().isEmpty()) {
      throw missing;
    }
  }

  /** Something parsed from the upload's fields that may not follow Nix's rules. */
  @FunctionalInterface
  interface Parse<T>
  {
    T parse() throws NixFormatException;
  }

  /** Reading back what the repository serves for the upload. */
  @FunctionalInterface
  interface Stored
  {
    Optional<Content> read() throws IOException;
  }

  /** Storing the upload's file through a repository facet. */
  @FunctionalInterface
  interface Deploy
  {
    void deploy() throws IOException, NixRequestException;
  }

  /**
   * What {@code parse} makes of the fields.
   *
   * @throws ValidationErrorsException with the parser's message when the fields break Nix's rules
   */
  static <T> T parsed(final Parse<T> parse) {
    try {
      return parse.parse();
    }
    catch (NixFormatException e) {
      throw new ValidationErrorsException(e.getMessage());
    }
  }

  /**
   * The steps every kind takes once its fields are parsed: asks {@code permission} for {@code path}, deploys (a
   * refusal becomes {@link #refused}) and answers with what the repository now serves at {@code path}.
   */
  static UploadResponse store(
      final Permission permission,
      final String path,
      final Map<String, String> coordinates,
      final Deploy deploy,
      final Stored stored) throws IOException
  {
    permission.ensurePermitted(path, coordinates);
    try {
      deploy.deploy();
    }
    catch (NixRequestException e) {
      throw refused(e);
    }
    Content content = stored.read()
        .orElseThrow(() -> new IllegalStateException(path + " vanished right after its upload"));
    return new UploadResponse(content, List.of(path));
  }

  /**
   * What the UI and the Components API answer for an upload the repository refused: a validation error for a bad
   * file (400), otherwise the refusal's own status and message (a 409 for a conflicting version, a 405 for a
   * read-only repository).
   */
  static RuntimeException refused(final NixRequestException e) {
    if (e.status() == 400) {
      return new ValidationErrorsException(e.getMessage());
    }
    Status status = Status.fromStatusCode(e.status());
    return new WebApplicationMessageException(status != null ? status : Status.BAD_REQUEST, e.getMessage(),
        MediaType.TEXT_PLAIN);
  }
}
