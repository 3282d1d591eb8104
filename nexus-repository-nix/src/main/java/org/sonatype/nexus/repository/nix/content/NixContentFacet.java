package org.sonatype.nexus.repository.nix.content;

import java.io.IOException;
import java.io.InputStream;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

import org.sonatype.nexus.common.hash.HashAlgorithm;
import org.sonatype.nexus.repository.Facet;
import org.sonatype.nexus.repository.config.WritePolicy;
import org.sonatype.nexus.repository.content.facet.ContentFacet;
import org.sonatype.nexus.repository.content.fluent.FluentAsset;
import org.sonatype.nexus.repository.nix.protocol.narinfo.NarInfo;
import org.sonatype.nexus.repository.view.Content;
import org.sonatype.nexus.repository.view.Payload;
import org.sonatype.nexus.repository.view.payloads.TempBlob;

import com.google.common.collect.ImmutableList;
import com.google.common.hash.HashCode;

import static org.sonatype.nexus.common.hash.HashAlgorithm.SHA1;
import static org.sonatype.nexus.common.hash.HashAlgorithm.SHA256;

/**
 * Where a Nix repository keeps its binary-cache files: narinfos (as components and attributes), NARs and the
 * other files Nix uploads. It knows how Nix content is laid out, not who may write what: upload rules live in
 * the hosted facet, upstream rules in the proxy facet.
 */
@Facet.Exposed
public interface NixContentFacet
    extends ContentFacet
{
  /**
   * SHA-256 is what Nix names and checks files by; SHA-1 is what Nexus's blob store and ETags use.
   * Nothing else is computed: every extra digest costs CPU on every byte of every NAR.
   */
  Iterable<HashAlgorithm> HASHING = ImmutableList.of(SHA1, SHA256);

  /** Streams a request or upstream payload into a temporary blob, hashing it on the way. */
  TempBlob ingest(Payload payload) throws IOException;

  TempBlob ingest(InputStream in, String contentType) throws IOException;

  /**
   * Streams bytes whose digests the caller already computed (a proxied NAR, hashed as it arrived) into a temporary
   * blob, through the blob store's streaming API, so it works on every blob store (file, S3, groups) and the NAR is
   * not hashed twice; the blob store's own SHA-1 of what it stored must agree with {@code sha1}.
   */
  TempBlob ingestHashed(InputStream in, String contentType, HashCode sha1, HashCode sha256) throws IOException;

  /** The repository's configured write policy, which {@link WritePolicyRule} applies. */
  WritePolicy configuredWritePolicy();

  Optional<FluentAsset> findAsset(String path);

  /** The narinfo of the store path with the given hash part. */
  Optional<StoredNarInfo> findNarInfo(String storeHash);

  /**
   * Stores a NAR, listing, log or other file as it came. Files that belong to a store path join its component
   * when its narinfo is stored.
   */
  FluentAsset putFile(String path, NixAssetKind kind, TempBlob blob);

  /**
   * Stores (or replaces) a narinfo: its component (store path name and version), its attributes, its links to
   * its NAR and references, and moves its NAR and listing into the component. All or nothing.
   */
  StoredNarInfo putNarInfo(NarInfo narInfo) throws IOException;

  /**
   * As {@link #putNarInfo(NarInfo)}, keeping extra facts with the narinfo's attributes (a proxy remembers where the
   * NAR really lives upstream).
   */
  StoredNarInfo putNarInfo(NarInfo narInfo, Map<String, Object> extraAttributes) throws IOException;

  /** Renders a stored narinfo as served, from its attributes. */
  Content narInfoContent(StoredNarInfo narInfo);

  /** The stored bytes of a file, with the content type Nix uses for its kind. */
  Content download(FluentAsset asset);

  /** Which of the narinfo's references (hash parts) the repository does not hold, the path itself excepted. */
  Set<String> missingReferences(NarInfo narInfo);

  /**
   * {@link #missingReferences}, holding the narinfos of the references the repository does hold (see
   * {@link #holdShared}): none of them can be deleted until the current transaction ends.
   */
  Set<String> holdReferences(NarInfo narInfo);

  /**
   * Runs {@code work} as one database transaction; when it loses a race to a concurrent writer (on this node or
   * another), runs it again from the start, a few times, then answers 409 (see {@link NixTransactions}). Inside an
   * active transaction it just runs.
   */
  <T> T inTransaction(NixTransactions.Work<T> work) throws IOException;

  /**
   * Locks the assets at those of {@code paths} that exist against deletion and replacement until the current
   * transaction ends (shared: other transactions may hold them too), and returns them. A check that an asset is
   * there holds it, so a concurrent delete either committed before (and the check sees it gone) or waits until this
   * transaction has committed (and then sees what it wrote).
   */
  Set<String> holdShared(Collection<String> paths);

  /**
   * Locks the assets at those of {@code paths} that exist exclusively until the current transaction ends, and
   * returns them: what a delete takes before it checks whether anything still uses them.
   */
  Set<String> holdExclusive(Collection<String> paths);

  /** Narinfo paths whose URL points at the NAR with this asset path, at most {@code limit}. */
  List<String> narInfosUsing(String narPath, int limit);

  /** Narinfo paths that reference the store path with this hash part, at most {@code limit}. */
  List<String> referrers(String storeHash, int limit);

  /**
   * Paths of the assets of one kind (its {@code kind} column) under a path prefix, most recently created first, at
   * most {@code limit}.
   */
  List<String> newestPaths(String kind, String pathPrefix, int limit);

  /**
   * Deletes store paths (hash parts) in one transaction: each one's narinfo and listing, its NAR unless a narinfo
   * that stays still uses that file, and components left empty. The narinfos are locked first, then checked: a
   * store path that one not being deleted references stops the whole delete with
   * {@link ReferencedStorePathException}, so a push that references one of them has either committed before (and
   * stops the delete) or waits and then finds it gone.
   *
   * @param withDependents also delete, transitively, every store path that references one of them
   * @param approve        sees the final set of store hashes before anything is deleted, and may refuse by throwing
   * @return the asset paths deleted
   */
  List<String> deleteStorePaths(Set<String> storeHashes, boolean withDependents, Consumer<Set<String>> approve)
      throws IOException;

  /** Deletes a single non-narinfo file (log, realisation, ...). */
  boolean deleteFile(String path);

  /** Hash parts of the pinned store paths: roots whose whole closure cleanup keeps. */
  Set<String> pins();

  /** Pins a store path; false if the repository does not have it. */
  boolean pin(String storeHash);

  /** Unpins a store path; false if it was not pinned. */
  boolean unpin(String storeHash);
}
