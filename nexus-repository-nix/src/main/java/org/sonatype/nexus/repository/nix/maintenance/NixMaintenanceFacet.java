package org.sonatype.nexus.repository.nix.maintenance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.inject.Inject;
import javax.inject.Named;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response.Status;

import org.sonatype.nexus.repository.FacetSupport;
import org.sonatype.nexus.repository.content.Asset;
import org.sonatype.nexus.repository.content.Component;
import org.sonatype.nexus.repository.content.fluent.FluentAsset;
import org.sonatype.nexus.repository.content.fluent.FluentComponent;
import org.sonatype.nexus.repository.content.maintenance.ContentMaintenanceFacet;
import org.sonatype.nexus.repository.nix.content.ClosureGuard;
import org.sonatype.nexus.repository.nix.content.NixAssetKind;
import org.sonatype.nexus.repository.nix.content.NixAssetPaths;
import org.sonatype.nexus.repository.nix.content.NixContentFacet;
import org.sonatype.nexus.repository.nix.content.NixSettingsFacet;
import org.sonatype.nexus.repository.nix.content.NixTransactions;
import org.sonatype.nexus.repository.nix.content.ReferencedStorePathException;
import org.sonatype.nexus.repository.nix.protocol.StorePath;
import org.sonatype.nexus.repository.nix.security.NixDeletePermissions;
import org.sonatype.nexus.rest.WebApplicationMessageException;

import static com.google.common.base.Preconditions.checkNotNull;

/**
 * Deletes from the UI, the REST API and cleanup, done the way a binary cache must, so no deletion ever breaks a
 * closure a client may substitute:
 * <ul>
 * <li>a store path goes as a whole: narinfo, listing and NAR together, and a NAR another narinfo still uses stays;</li>
 * <li>deleting a NAR deletes the store paths that point at it (a narinfo without its NAR is a broken substitute);</li>
 * <li>a store path that other store paths reference is not deleted by hand: delete its dependents first;</li>
 * <li>cleanup deletes only store paths nothing it keeps refers to, and never the closure of a pinned root.</li>
 * </ul>
 */
@Named
public class NixMaintenanceFacet
    extends FacetSupport
    implements ContentMaintenanceFacet
{
  /** How many kept store paths cleanup names one by one in the task log. */
  private static final int LOGGED_KEPT = 200;

  // the channel store's kinds (channels.ChannelStore), repeated here so content does not depend on channels
  private static final String CHANNEL_SNAPSHOT_KIND = "channel-snapshot";

  private static final String CHANNEL_TARBALL_KIND = "channel-tarball";

  private final NixDeletePermissions deletePermissions;

  @Inject
  public NixMaintenanceFacet(final NixDeletePermissions deletePermissions) {
    this.deletePermissions = checkNotNull(deletePermissions);
  }

  @Override
  public Set<String> deleteComponent(final Component component) {
    NixContentFacet content = content();
    return inTransaction(content, () -> {
      FluentComponent fluent = content.components().with(component);
      List<FluentAsset> assets = new ArrayList<>(fluent.assets(false));
      Set<String> deleted = new LinkedHashSet<>(deleteStorePaths(content, storeHashes(assets), hashes -> { }));
      for (FluentAsset asset : assets) {
        if (!deleted.contains(asset.path()) && !content.holdExclusive(List.of(asset.path())).isEmpty()
            && content.narInfosUsing(asset.path(), 1).isEmpty()) {
          deleteFile(content, asset, deleted);
        }
      }
      deleteIfEmpty(content, component);
      return deleted;
    });
  }

  @Override
  public Set<String> deleteAsset(final Asset asset) {
    NixContentFacet content = content();
    NixAssetKind kind = NixAssetKind.forKind(asset.kind()).orElse(null);
    return inTransaction(content, () -> {
      Set<String> deleted = new LinkedHashSet<>();
      if (kind == NixAssetKind.NARINFO) {
        deleted.addAll(deleteStorePaths(content, Set.of(NixAssetPaths.storeHash(asset.path())), hashes -> { }));
      }
      else if (kind == NixAssetKind.NAR) {
        // a NAR goes with every store path that points at it: a narinfo without its NAR is a broken substitute; held
        // before its users are counted, so a narinfo stored meanwhile is one of them or finds the NAR gone
        content.holdExclusive(List.of(asset.path()));
        Set<String> users = content.narInfosUsing(asset.path(), Integer.MAX_VALUE).stream()
            .map(NixAssetPaths::storeHash)
            .collect(Collectors.toCollection(LinkedHashSet::new));
        deleted.addAll(deleteStorePaths(content, users, doomed -> {
          // Nexus checked the NAR's path; the store paths it takes along need the delete privilege too
          List<String> refused = deletePermissions.notPermitted(getRepository(),
              doomed.stream().map(NixAssetPaths::narInfoPath).collect(Collectors.toList()));
          if (!refused.isEmpty()) {
            throw refusal(Status.FORBIDDEN, "deleting " + asset.path().substring(1)
                + " would also delete the store paths that use it, " + NixDeletePermissions.describe(refused)
                + ", which you may not delete; nothing was deleted");
          }
        }));
        content.findAsset(asset.path()).ifPresent(nar -> deleteFile(content, nar, deleted));
      }
      else {
        content.findAsset(asset.path()).ifPresent(file -> deleteFile(content, file, deleted));
      }
      return deleted;
    });
  }

  /**
   * Deletes store paths a user chose (in the UI or the REST API): one that a store path that stays references is
   * refused with a 409, nothing deleted.
   */
  private static List<String> deleteStorePaths(
      final NixContentFacet content,
      final Set<String> storeHashes,
      final Consumer<Set<String>> approve) throws IOException
  {
    try {
      return content.deleteStorePaths(storeHashes, false, approve);
    }
    catch (ReferencedStorePathException e) {
      throw refusal(Status.CONFLICT, e.getMessage()
          + ", or let cleanup remove whole unreferenced parts of the closure");
    }
  }

  /**
   * Cleanup: the components a policy selected are candidates, everything else is kept. A candidate store path is
   * deleted only if no kept store path references it (directly or through other kept candidates) and it is not in
   * the closure of a pinned root; what is kept is logged with the reason.
   */
  @Override
  public int deleteComponents(final Stream<FluentComponent> components) {
    NixContentFacet content = content();
    List<FluentComponent> selected = components.collect(Collectors.toList());
    Map<String, FluentComponent> candidates = new LinkedHashMap<>();
    for (FluentComponent component : selected) {
      for (String hash : storeHashes(component.assets(false))) {
        candidates.put(hash, component);
      }
    }

    Map<String, String> kept = keptCandidates(content, candidates.keySet());
    int logged = 0;
    for (Map.Entry<String, String> keep : kept.entrySet()) {
      if (logged++ < LOGGED_KEPT) {
        log.info("Cleanup of {} keeps {}: {}", getRepository().getName(), storePathOf(content, keep.getKey()),
            keep.getValue());
      }
    }
    if (kept.size() > LOGGED_KEPT) {
      log.info("Cleanup of {} keeps {} more store paths that kept ones still need", getRepository().getName(),
          kept.size() - LOGGED_KEPT);
    }

    int deletedComponents = 0;
    Map<String, Set<String>> newestSnapshots = new LinkedHashMap<>();
    Map<FluentComponent, Set<String>> deletable = new LinkedHashMap<>();
    for (FluentComponent component : selected) {
      Set<String> hashes = storeHashes(component.assets(false));
      if (hashes.isEmpty()) {
        // not a store path (a channel snapshot, a flake version): nothing references it
        if (isOneOfTheNewestSnapshots(content, component, newestSnapshots)) {
          log.info("Cleanup of {} keeps snapshot {} of channel {}: one of its newest {}", getRepository().getName(),
              component.version(), component.name(), settings().channelSnapshotsToKeep());
          continue;
        }
        deleteComponent(component);
        deletedComponents++;
        continue;
      }
      deletable.put(component, hashes.stream().filter(hash -> !kept.containsKey(hash)).collect(Collectors.toSet()));
    }

    // referrers before what they reference, each in a transaction of its own that checks again, holding the store
    // path, that nothing references it: a push that made it needed since the kept ones were worked out wins
    Set<String> doomed = new LinkedHashSet<>();
    deletable.values().forEach(doomed::addAll);
    for (String hash : referrersFirst(content, doomed)) {
      String storePath = storePathOf(content, hash);
      try {
        content.deleteStorePaths(Set.of(hash), false, hashes -> { });
        log.info("Cleanup of {} deletes {}", getRepository().getName(), storePath);
      }
      catch (ReferencedStorePathException e) {
        log.info("Cleanup of {} keeps {}: {} (since cleanup began)", getRepository().getName(), storePath,
            e.getMessage());
      }
      catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    for (FluentComponent component : deletable.keySet()) {
      if (deleteIfEmpty(content, component)) {
        deletedComponents++;
      }
    }
    return deletedComponents;
  }

  /**
   * The store paths in an order where each comes after every one of them that references it (the references form no
   * cycle: a store path cannot reference one created after it, other than itself).
   */
  private static List<String> referrersFirst(final NixContentFacet content, final Set<String> storeHashes) {
    List<String> referencesFirst = new ArrayList<>();
    Set<String> visited = new HashSet<>();
    for (String hash : storeHashes) {
      visitReferencesFirst(content, hash, storeHashes, visited, referencesFirst);
    }
    Collections.reverse(referencesFirst);
    return referencesFirst;
  }

  private static void visitReferencesFirst(
      final NixContentFacet content,
      final String storeHash,
      final Set<String> within,
      final Set<String> visited,
      final List<String> order)
  {
    if (!visited.add(storeHash)) {
      return;
    }
    for (String reference : references(content, storeHash)) {
      if (within.contains(reference)) {
        visitReferencesFirst(content, reference, within, visited, order);
      }
    }
    order.add(storeHash);
  }

  /**
   * Whether a channel snapshot is among the newest {@code nix.channelSnapshotsToKeep} of its channel, which cleanup
   * keeps whatever the policy says (so a channel always has snapshots to pin and roll back to).
   */
  private boolean isOneOfTheNewestSnapshots(
      final NixContentFacet content,
      final FluentComponent component,
      final Map<String, Set<String>> newestByChannel)
  {
    Integer keep = settings().channelSnapshotsToKeep();
    if (keep == null || keep <= 0 || !CHANNEL_SNAPSHOT_KIND.equals(component.kind())) {
      return false;
    }
    Set<String> newest = newestByChannel.computeIfAbsent(component.name(), channel ->
        new LinkedHashSet<>(content.newestPaths(CHANNEL_TARBALL_KIND, "/channels/" + channel + "/", keep)));
    return component.assets(false).stream().anyMatch(asset -> newest.contains(asset.path()));
  }

  /**
   * The candidates cleanup must keep, with why: pinned closures, then whatever a store path outside the
   * candidates references, then (transitively) whatever a kept candidate references.
   */
  static Map<String, String> keptCandidates(final NixContentFacet content, final Set<String> candidates) {
    Map<String, String> kept = new LinkedHashMap<>();
    Deque<String> queue = new ArrayDeque<>();
    // one walk over all pinned closures: shared parts are visited once, so the cost is the size of their union
    Set<String> visited = new HashSet<>();
    for (String pin : content.pins()) {
      for (String hash : closure(content, pin, visited)) {
        if (candidates.contains(hash) && kept.putIfAbsent(hash, "in the closure of pinned " + pin) == null) {
          queue.add(hash);
        }
      }
    }
    for (String candidate : candidates) {
      if (kept.containsKey(candidate)) {
        continue;
      }
      Optional<String> retainedReferrer = content.referrers(candidate, Integer.MAX_VALUE).stream()
          .map(NixAssetPaths::storeHash)
          .filter(referrer -> !candidates.contains(referrer))
          .findFirst();
      if (retainedReferrer.isPresent()) {
        kept.put(candidate, "referenced by " + storePathOf(content, retainedReferrer.get()) + ", which is kept");
        queue.add(candidate);
      }
    }
    while (!queue.isEmpty()) {
      String keeper = queue.removeFirst();
      for (String reference : references(content, keeper)) {
        if (candidates.contains(reference)
            && kept.putIfAbsent(reference, "referenced by kept " + storePathOf(content, keeper)) == null) {
          queue.add(reference);
        }
      }
    }
    return kept;
  }

  /**
   * The store hashes of the closure of a store path within this repository (itself included), less what
   * {@code visited} already holds (another pin's closure): those are added to it.
   */
  private static Set<String> closure(final NixContentFacet content, final String root, final Set<String> visited) {
    Set<String> closure = new LinkedHashSet<>();
    Deque<String> queue = new ArrayDeque<>(List.of(root));
    while (!queue.isEmpty()) {
      String hash = queue.removeFirst();
      if (visited.add(hash)) {
        closure.add(hash);
        queue.addAll(references(content, hash));
      }
    }
    return closure;
  }

  private static Set<String> references(final NixContentFacet content, final String storeHash) {
    return content.findNarInfo(storeHash)
        .map(stored -> stored.narInfo().references().stream()
            .map(reference -> StorePath.fromBaseName(reference).hashPart())
            .filter(hash -> !hash.equals(storeHash))
            .collect(Collectors.toCollection(LinkedHashSet::new)))
        .orElseGet(LinkedHashSet::new);
  }

  /**
   * A delete refused, as Nexus's REST API answers its own refusals: {@code {"id": "*", "message": "..."}} in JSON (a
   * plain-text answer would be the Java form of that object).
   */
  private static WebApplicationMessageException refusal(final Status status, final String message) {
    return new WebApplicationMessageException(status, message, MediaType.APPLICATION_JSON);
  }

  private static Set<String> storeHashes(final Iterable<? extends Asset> assets) {
    Set<String> hashes = new LinkedHashSet<>();
    for (Asset asset : assets) {
      if (NixAssetKind.NARINFO.kind().equals(asset.kind())) {
        hashes.add(NixAssetPaths.storeHash(asset.path()));
      }
    }
    return hashes;
  }

  private static String storePathOf(final NixContentFacet content, final String storeHash) {
    return ClosureGuard.storePathOf(content, storeHash);
  }

  /** Within a transaction. */
  private static void deleteFile(final NixContentFacet content, final Asset asset, final Set<String> deleted) {
    if (content.deleteFile(asset.path())) {
      deleted.add(asset.path());
    }
    // a component left without assets (a channel snapshot whose only tarball this was) goes with it
    asset.component().ifPresent(component -> deleteIfEmpty(content, component));
  }

  /**
   * Deletes the component if it has no assets left; true if it is gone (now, or already with its last asset). A
   * store path of the same name and version stored meanwhile keeps it: the database refuses to delete a component
   * an asset links to, and the transaction, run again, finds the asset.
   */
  private static boolean deleteIfEmpty(final NixContentFacet content, final Component component) {
    return inTransaction(content, () -> {
      FluentComponent fluent = content.components().with(component);
      if (fluent.assets(false).isEmpty()) {
        fluent.delete();
        return true;
      }
      return false;
    });
  }

  private static <T> T inTransaction(final NixContentFacet content, final NixTransactions.Work<T> work) {
    try {
      return content.inTransaction(work);
    }
    catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private NixContentFacet content() {
    return facet(NixContentFacet.class);
  }

  private NixSettingsFacet settings() {
    return facet(NixSettingsFacet.class);
  }
}
