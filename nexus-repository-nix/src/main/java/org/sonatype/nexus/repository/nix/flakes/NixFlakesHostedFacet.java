package org.sonatype.nexus.repository.nix.flakes;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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
import org.sonatype.nexus.repository.nix.protocol.compression.DecoderMemoryException;
import org.sonatype.nexus.repository.nix.protocol.flakes.FlakeRegistry;
import org.sonatype.nexus.repository.nix.protocol.flakes.FlakeRelease;
import org.sonatype.nexus.repository.nix.protocol.flakes.FlakeSource;
import org.sonatype.nexus.repository.nix.protocol.flakes.FlakeTarballs;
import org.sonatype.nexus.repository.view.Content;
import org.sonatype.nexus.repository.view.Payload;
import org.sonatype.nexus.repository.view.payloads.TempBlob;

import com.fasterxml.jackson.databind.node.ObjectNode;

import static org.sonatype.nexus.repository.nix.http.NixRequestException.badRequest;
import static org.sonatype.nexus.repository.nix.http.NixRequestException.busy;
import static org.sonatype.nexus.repository.nix.http.NixRequestException.conflict;

/**
 * Private flakes of a hosted repository: the versions teams publish ({@code curl -T mytool.tar.gz
 * <repo>/flakes/mytool/1.0.0.tar.gz}, the UI or the Components API), and a registry listing the newest version of
 * each, by its immutable URL.
 *
 * A publish is checked whole before anything is stored: the body must have arrived complete and be a flake tarball
 * ({@link FlakeTarballs}), which is measured (NAR hash, last modification) once, here. A version is immutable: the
 * same bytes again change nothing, other bytes are a conflict unless the write policy allows redeploys (which breaks
 * the lock files of everyone who locked it), and a version has one tarball, whatever its format.
 */
@Named
@Facet.Exposed
public class NixFlakesHostedFacet
    extends FacetSupport
    implements NixFlakesFacet
{
  @Override
  public FlakeRegistry registry(final String repositoryUrl) {
    List<ObjectNode> entries = new ArrayList<>();
    for (StoredFlake flake : store().newestOfEach()) {
      entries.add(FlakeRegistry.tarballEntry(flake.release().name(), flake.immutableUrl(repositoryUrl),
          flake.narHash()));
    }
    return FlakeRegistry.of(entries);
  }

  @Override
  public Optional<StoredFlake> newest(final String name) {
    return store().newest(name);
  }

  @Override
  public Optional<Content> tarball(final FlakeRelease release) {
    return store().find(release).map(FluentAsset::download);
  }

  @Override
  public WriteOutcome deploy(final FlakeRelease release, final Payload tarball) throws IOException {
    writeRule().checkWritable("flake " + release + " was not published");
    try (TempBlob blob = UploadBodies.ingest(content(), tarball, release.tarballPath())) {
      FlakeSource source = measure(release, blob);
      // the check for an existing version and the save are one transaction: of two publishes of one version (on any
      // node) one creates it, the other runs again and finds it
      return content().inTransaction(() -> publishChecked(release, blob, source));
    }
  }

  /** Within a transaction: stores a checked version unless it exists. */
  private WriteOutcome publishChecked(final FlakeRelease release, final TempBlob blob, final FlakeSource source) {
    Optional<FluentAsset> existing = store().findVersion(release);
    if (existing.isPresent()) {
      if (!existing.get().path().equals(release.tarballPath())) {
        throw conflict("flake " + release + " is already published as " + existing.get().path().substring(1)
            + "; a version has one tarball: publish a new version instead");
      }
      WriteOutcome outcome = writeRule().overwrite(ComponentFiles.sameBytes(existing.get(), blob),
          policy -> "flake " + release + " is already published with other content; versions are immutable "
              + "(lock files record their NAR hash, and the repository's write policy " + policy
              + " does not allow redeploy): publish a new version instead");
      if (outcome == WriteOutcome.UNCHANGED) {
        return outcome;
      }
      store().save(release, blob, source);
      log.info("Repository {}: flake {} replaced (write policy ALLOW); locks of the old content no longer match",
          getRepository().getName(), release);
      return WriteOutcome.UPDATED;
    }
    store().save(release, blob, source);
    return WriteOutcome.CREATED;
  }

  private static FlakeSource measure(final FlakeRelease release, final TempBlob blob) throws IOException {
    try (InputStream in = blob.get()) {
      return FlakeTarballs.read(in, release.archive(), temporaryDirectory());
    }
    catch (NixFormatException e) {
      throw badRequest("flake " + release + " refused: " + e.getMessage() + "; nothing was stored");
    }
    catch (DecoderMemoryException e) {
      throw busy(e);
    }
  }

  /** Nexus points {@code java.io.tmpdir} at its own data directory's {@code tmp}. */
  private static Path temporaryDirectory() {
    return Paths.get(System.getProperty("java.io.tmpdir"));
  }

  @Override
  public boolean delete(final FlakeRelease release) {
    writeRule().checkWritable("flake " + release + " was not deleted");
    return store().delete(release);
  }

  private WritePolicyRule writeRule() {
    return WritePolicyRule.of(getRepository());
  }

  private FlakeStore store() {
    return new FlakeStore(content());
  }

  private NixContentFacet content() {
    return facet(NixContentFacet.class);
  }
}
