package org.sonatype.nexus.repository.nix.flakes;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.inject.Named;
import javax.inject.Singleton;

import org.sonatype.nexus.repository.Repository;
import org.sonatype.nexus.repository.nix.protocol.flakes.FlakeArchive;
import org.sonatype.nexus.repository.nix.protocol.flakes.FlakeRelease;
import org.sonatype.nexus.repository.nix.upload.NixUploadKind;
import org.sonatype.nexus.repository.upload.AssetUpload;
import org.sonatype.nexus.repository.upload.UploadFieldDefinition.Type;
import org.sonatype.nexus.repository.upload.UploadFieldDefinition;
import org.sonatype.nexus.repository.upload.UploadResponse;
import org.sonatype.nexus.rest.ValidationErrorsException;

/**
 * A flake version uploaded from the UI or the Components API: fields {@code name} and {@code version} and the source
 * tarball as the file ({@code nix.asset}), whose file name says its format ({@code .tar.gz} or {@code .tgz},
 * {@code .tar.xz}, {@code .tar.zst}). Stored exactly as an HTTP publish to
 * {@code flakes/<name>/<version>.<ext>} is, with the same checks.
 */
@Named
@Singleton
public class FlakeUpload
    implements NixUploadKind
{
  static final String NAME = "name";

  static final String VERSION = "version";

  private static final String GROUP = "Flake";

  private static final List<UploadFieldDefinition> FIELDS = List.of(
      new UploadFieldDefinition(NAME, "Flake name", "The flake's registry id, e.g. mytool (nix build mytool#default "
          + "with flake-registry = <repository URL>/flake-registry.json)", false, Type.STRING, GROUP),
      new UploadFieldDefinition(VERSION, "Flake version", "e.g. 1.2.0; the file is the flake's source: a .tar.gz, "
          + ".tar.xz or .tar.zst with one top-level directory holding flake.nix", false, Type.STRING, GROUP));

  @Override
  public String displayName() {
    return "flake";
  }

  @Override
  public List<UploadFieldDefinition> fields() {
    return FIELDS;
  }

  @Override
  public UploadResponse upload(
      final Repository repository,
      final Map<String, String> fields,
      final AssetUpload file,
      final Permission permission) throws IOException
  {
    NixUploadKind.requireAll(FIELDS, fields);
    FlakeArchive archive = archiveOf(file.getPayload().getName()).orElseThrow(() -> new ValidationErrorsException(
        "the file " + (file.getPayload().getName() == null ? "" : "'" + file.getPayload().getName() + "' ")
            + "is not named as a flake tarball: " + FlakeArchive.describeAll() + " (or .tgz)"));
    FlakeRelease release = NixUploadKind.parsed(() -> FlakeRelease.of(fields.get(NAME), fields.get(VERSION), archive));
    Map<String, String> coordinates = new LinkedHashMap<>();
    coordinates.put(NAME, release.name());
    coordinates.put(VERSION, release.version());
    NixFlakesFacet flakes = repository.facet(NixFlakesFacet.class);
    return NixUploadKind.store(permission, release.tarballPath(), coordinates,
        () -> flakes.deploy(release, file.getPayload()), () -> flakes.tarball(release));
  }

  private static Optional<FlakeArchive> archiveOf(final String fileName) {
    if (fileName == null) {
      return Optional.empty();
    }
    if (fileName.endsWith(".tgz")) {
      return Optional.of(FlakeArchive.TAR_GZ);
    }
    return FlakeArchive.ofFileName(fileName);
  }
}
