package org.sonatype.nexus.repository.nix.channels;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.inject.Named;
import javax.inject.Singleton;

import org.sonatype.nexus.repository.Repository;
import org.sonatype.nexus.repository.nix.protocol.channels.ChannelFlavor;
import org.sonatype.nexus.repository.nix.protocol.channels.ChannelSnapshot;
import org.sonatype.nexus.repository.nix.upload.NixUploadKind;
import org.sonatype.nexus.repository.upload.AssetUpload;
import org.sonatype.nexus.repository.upload.UploadFieldDefinition.Type;
import org.sonatype.nexus.repository.upload.UploadFieldDefinition;
import org.sonatype.nexus.repository.upload.UploadResponse;

/**
 * A channel snapshot uploaded from the UI or the Components API: fields {@code channel}, {@code flavor},
 * {@code snapshot} and the tarball as the file ({@code nix.asset}). Stored exactly as an HTTP deploy to
 * {@code channels/<channel>/<flavor>/<snapshot>} is, with the same checks.
 */
@Named
@Singleton
public class ChannelSnapshotUpload
    implements NixUploadKind
{
  static final String CHANNEL = "channel";

  static final String FLAVOR = "flavor";

  static final String SNAPSHOT = "snapshot";

  private static final String GROUP = "Channel snapshot";

  private static final List<UploadFieldDefinition> FIELDS = List.of(
      new UploadFieldDefinition(CHANNEL, "Channel", "Channel name, e.g. team-unstable (subscribe with nix-channel "
          + "--add <repository URL>/channels/<channel>)", false, Type.STRING, GROUP),
      new UploadFieldDefinition(FLAVOR, "Flavor", "nixpkgs (a package set) or nixos (a NixOS release)", false,
          Type.STRING, GROUP),
      new UploadFieldDefinition(SNAPSHOT, "Snapshot", "Snapshot name, e.g. team-24.11.20250101; the file is its "
          + "nixexprs.tar.xz: an xz tarball with one top-level directory", false, Type.STRING, GROUP));

  @Override
  public String displayName() {
    return "channel snapshot";
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
    ChannelSnapshot snapshot = NixUploadKind.parsed(() -> ChannelSnapshot.of(fields.get(CHANNEL),
        ChannelFlavor.fromSegment(fields.get(FLAVOR)), fields.get(SNAPSHOT)));
    Map<String, String> coordinates = new LinkedHashMap<>();
    coordinates.put(CHANNEL, snapshot.channel());
    coordinates.put(FLAVOR, snapshot.flavor().segment());
    coordinates.put(SNAPSHOT, snapshot.name());
    NixChannelsFacet channels = repository.facet(NixChannelsFacet.class);
    return NixUploadKind.store(permission, snapshot.tarballPath(), coordinates,
        () -> channels.deploy(snapshot, file.getPayload()), () -> channels.tarball(snapshot));
  }
}
