package org.sonatype.nexus.repository.nix.channels;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.annotation.Nullable;
import javax.inject.Named;

import org.sonatype.nexus.repository.Facet;
import org.sonatype.nexus.repository.FacetSupport;
import org.sonatype.nexus.repository.content.fluent.FluentAsset;
import org.sonatype.nexus.repository.nix.content.ComponentFiles;
import org.sonatype.nexus.repository.nix.content.NixContentFacet;
import org.sonatype.nexus.repository.nix.content.UploadBodies;
import org.sonatype.nexus.repository.nix.content.WriteOutcome;
import org.sonatype.nexus.repository.nix.content.WritePolicyRule;
import org.sonatype.nexus.repository.nix.protocol.NixFormatException;
import org.sonatype.nexus.repository.nix.protocol.channels.ChannelFlavor;
import org.sonatype.nexus.repository.nix.protocol.channels.ChannelSnapshot;
import org.sonatype.nexus.repository.nix.protocol.channels.ChannelTarballs;
import org.sonatype.nexus.repository.nix.protocol.compression.DecoderMemoryException;
import org.sonatype.nexus.repository.view.Content;
import org.sonatype.nexus.repository.view.Payload;
import org.sonatype.nexus.repository.view.payloads.TempBlob;

import static org.sonatype.nexus.repository.nix.http.NixRequestException.badRequest;
import static org.sonatype.nexus.repository.nix.http.NixRequestException.busy;

/**
 * Channels of a hosted repository: the snapshots teams deploy ({@code curl -T nixexprs.tar.xz
 * <repo>/channels/<channel>/<flavor>/<snapshot>}, the UI or the Components API).
 *
 * A deploy is checked whole before anything is stored: the body must have arrived complete and be a tarball
 * nix-channel can unpack. A snapshot is immutable: the same bytes again change nothing, other bytes are a conflict
 * unless the write policy allows redeploys.
 */
@Named
@Facet.Exposed
public class NixChannelsHostedFacet
    extends FacetSupport
    implements NixChannelsFacet
{
  @Override
  public List<String> channels() {
    return store().channels();
  }

  @Override
  public List<ChannelSnapshot> snapshots(final String channel, @Nullable final ChannelFlavor flavor) {
    return store().snapshots(channel, flavor, ChannelStore.MAX_LISTED);
  }

  @Override
  public Optional<ChannelSnapshot> latest(final String channel, @Nullable final ChannelFlavor flavor) {
    return store().latest(channel, flavor);
  }

  @Override
  public boolean has(final ChannelSnapshot snapshot) {
    return store().find(snapshot).isPresent();
  }

  @Override
  public Optional<Content> tarball(final ChannelSnapshot snapshot) {
    return store().find(snapshot).map(FluentAsset::download);
  }

  @Override
  public WriteOutcome deploy(final ChannelSnapshot snapshot, final Payload tarball) throws IOException {
    writeRule().checkWritable(snapshot + " was not deployed");
    try (TempBlob blob = UploadBodies.ingest(content(), tarball, snapshot.tarballPath())) {
      checkTarball(snapshot, blob);
      // the check for an existing snapshot and the save are one transaction: of two deploys of one snapshot (on any
      // node) one creates it, the other runs again and finds it
      return content().inTransaction(() -> deployChecked(snapshot, blob));
    }
  }

  /** Within a transaction: stores a checked snapshot unless it exists. */
  private WriteOutcome deployChecked(final ChannelSnapshot snapshot, final TempBlob blob) {
    Optional<FluentAsset> existing = store().find(snapshot);
    if (existing.isPresent()) {
      WriteOutcome outcome = writeRule().overwrite(ComponentFiles.sameBytes(existing.get(), blob),
          policy -> "snapshot " + snapshot + " already exists with other content; snapshots are immutable "
              + "(the repository's write policy " + policy + " does not allow redeploy): deploy a new "
              + "snapshot name instead");
      if (outcome == WriteOutcome.UPDATED) {
        store().save(snapshot, blob, Map.of());
      }
      return outcome;
    }
    store().save(snapshot, blob, Map.of());
    return WriteOutcome.CREATED;
  }

  private static void checkTarball(final ChannelSnapshot snapshot, final TempBlob blob) throws IOException {
    try (InputStream in = blob.get()) {
      ChannelTarballs.check(in);
    }
    catch (NixFormatException e) {
      throw badRequest("snapshot " + snapshot + " refused: " + e.getMessage() + "; nothing was stored");
    }
    catch (DecoderMemoryException e) {
      throw busy(e);
    }
  }

  @Override
  public boolean delete(final ChannelSnapshot snapshot) {
    writeRule().checkWritable(snapshot + " was not deleted");
    return store().delete(snapshot);
  }

  private WritePolicyRule writeRule() {
    return WritePolicyRule.of(getRepository());
  }

  private ChannelStore store() {
    return new ChannelStore(content());
  }

  private NixContentFacet content() {
    return facet(NixContentFacet.class);
  }
}
