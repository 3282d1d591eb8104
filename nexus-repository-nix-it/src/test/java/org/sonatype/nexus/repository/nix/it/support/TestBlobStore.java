package org.sonatype.nexus.repository.nix.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The Nexus blob store the tests' repositories are created on: Nexus's default file blob store, or an S3 blob store
 * on {@link S3Proxy}. {@link NexusRest}'s repository requests name {@link #forNewRepositories()}, which is the file
 * store unless a test class runs {@link OnS3BlobStore}; so one test class covers both kinds by being extended.
 */
public final class TestBlobStore
{
  private static final TestBlobStore FILE = new TestBlobStore("default", null);

  private static TestBlobStore s3;

  private static volatile TestBlobStore forNewRepositories = FILE;

  private final String name;

  /** The S3 bucket's directory in S3Proxy's filesystem backend; null for the file blob store. */
  private final Path bucketDir;

  private TestBlobStore(final String name, final Path bucketDir) {
    this.name = name;
    this.bucketDir = bucketDir;
  }

  /** Nexus's default file blob store, {@code default}. */
  public static TestBlobStore file() {
    return FILE;
  }

  /**
   * An S3 blob store in the shared Nexus, on a new bucket of the shared S3Proxy: created on first use (once per test
   * JVM) through Nexus's REST API, with the settings S3Proxy needs (path-style access, no lifecycle expiration).
   */
  public static synchronized TestBlobStore s3() {
    if (s3 == null) {
      S3Proxy proxy = S3Proxy.get();
      // a fresh bucket: a create that failed halfway leaves its bucket behind, and Nexus refuses to adopt it
      String bucket = Names.unique("nix-it-s3");
      String name = "s3-" + bucket;
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("name", name);
      body.put("bucketConfiguration", Map.of(
          "bucket", Map.of("region", "us-east-1", "name", bucket, "prefix", "", "expiration", -1),
          "bucketSecurity", Map.of("accessKeyId", S3Proxy.ACCESS_KEY, "secretAccessKey", S3Proxy.SECRET_KEY),
          "advancedBucketConnection", Map.of("endpoint", proxy.endpoint(), "forcePathStyle", true)));
      NexusServer.get().rest().post("/service/rest/v1/blobstores/s3", body).expect(201, 204);
      s3 = new TestBlobStore(name, proxy.dataDir().resolve(bucket));
      NexusServer.log("S3 blob store " + name + " on bucket " + bucket);
    }
    return s3;
  }

  /** The blob store {@link NexusRest} creates repositories on. */
  public static TestBlobStore forNewRepositories() {
    return forNewRepositories;
  }

  static void useForNewRepositories(final TestBlobStore store) {
    forNewRepositories = store;
  }

  public String name() {
    return name;
  }

  public boolean isS3() {
    return bucketDir != null;
  }

  /**
   * Where the blob store's blobs are on this machine's disk, as {@code <uuid>.properties} and {@code <uuid>.bytes}
   * files under {@code vol-*}/{@code chap-*}: the file store's {@code content} directory, or the bucket's
   * {@code content/} objects in S3Proxy's filesystem backend.
   */
  public Path contentDirectory() {
    return bucketDir != null
        ? bucketDir.resolve("content")
        : NexusServer.get().dataDir().resolve("blobs").resolve(name).resolve("content");
  }

  /** How many blob bytes files the blob store holds (soft-deleted ones included). */
  public long blobCount() {
    Path content = contentDirectory();
    if (!Files.isDirectory(content)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(content)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".bytes")).count();
    }
    catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Deletes the bytes of the blob of an asset behind Nexus's back, the way a disk fault or a careless admin would.
   */
  public void deleteBlobBytes(final String repository, final String assetPath) {
    try {
      Files.delete(blobBytes(repository, assetPath));
    }
    catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Makes the blob store fail to read the blob of an asset (an I/O error, not an absence) until the returned handle
   * is closed: on the file blob store its bytes file becomes a directory (EISDIR, like a failing disk); on S3 the
   * whole S3 API stops answering for a while (connections refused, like a network outage), so every blob of the
   * store fails to read meanwhile.
   */
  public AutoCloseable failingReads(final String repository, final String assetPath) throws IOException {
    if (isS3()) {
      return S3Proxy.get().unreachable();
    }
    Path bytes = blobBytes(repository, assetPath);
    Path aside = bytes.resolveSibling(bytes.getFileName() + ".aside");
    Files.move(bytes, aside);
    Files.createDirectory(bytes);
    return () -> {
      Files.delete(bytes);
      Files.move(aside, bytes);
    };
  }

  /** The file on this machine's disk that holds the bytes of the blob of an asset. */
  public Path blobBytes(final String repository, final String assetPath) {
    Path content = contentDirectory();
    try (Stream<Path> files = Files.walk(content)) {
      for (Path properties : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".properties"))::iterator) {
        String text = Files.readString(properties);
        if (text.contains("@BlobStore.blob-name=" + assetPath + "\n")
            && text.contains("@Bucket.repo-name=" + repository + "\n")) {
          return properties.resolveSibling(properties.getFileName().toString().replace(".properties", ".bytes"));
        }
      }
    }
    catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new AssertionError("no blob for " + assetPath + " of " + repository + " in " + content);
  }

  @Override
  public String toString() {
    return name + (isS3() ? " (S3)" : " (file)");
  }
}
