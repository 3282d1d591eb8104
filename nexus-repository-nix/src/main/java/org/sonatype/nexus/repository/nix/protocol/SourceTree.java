package org.sonatype.nexus.repository.nix.protocol;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * A file tree unpacked from a tarball without touching the file system's idea of names, links or permissions: the
 * structure (directories, symlinks, executable bits) is kept in memory, the bytes of regular files in one spool file,
 * each file a range of it. This is what Nix sees after unpacking a tarball, in the shape a NAR needs: directory
 * entries in order, re-readable in any order, nothing followed or created outside the spool.
 *
 * Entries are added in archive order. Parents that have no entry of their own are created as directories (as
 * unpacking does); an entry inside a file or symlink, or a second entry of the same name (other than a directory
 * named again), is refused: Nix's result would depend on unpacking order.
 *
 * A tree of {@link #namesOnly() names only} checks the same rules without keeping any file bytes (channels).
 */
final class SourceTree
    implements Closeable
{
  enum Type
  {
    DIRECTORY,
    REGULAR,
    SYMLINK
  }

  /**
   * NAR order: names compared byte by byte as UTF-8, which is code point order (Java's own String order differs
   * for characters outside the Basic Multilingual Plane).
   */
  static final Comparator<String> NAR_ORDER = (a, b) -> {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int x = a.codePointAt(i);
      int y = b.codePointAt(j);
      if (x != y) {
        return Integer.compare(x, y);
      }
      i += Character.charCount(x);
      j += Character.charCount(y);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  };

  static final class Node
  {
    private final Type type;

    private final Map<String, Node> children;

    private final long offset;

    private final long size;

    private final boolean executable;

    private final String target;

    private Node(final Type type, final long offset, final long size, final boolean executable, final String target) {
      this.type = type;
      this.children = type == Type.DIRECTORY ? new TreeMap<>(NAR_ORDER) : Collections.emptyMap();
      this.offset = offset;
      this.size = size;
      this.executable = executable;
      this.target = target;
    }

    static Node directory() {
      return new Node(Type.DIRECTORY, 0, 0, false, null);
    }

    Type type() {
      return type;
    }

    /** A directory's entries, in NAR order. */
    Map<String, Node> children() {
      return Collections.unmodifiableMap(children);
    }

    long size() {
      return size;
    }

    boolean executable() {
      return executable;
    }

    /** A symlink's target, as written in the archive: never followed. */
    String target() {
      return target;
    }
  }

  /** The spool file, or null for a tree of names only. */
  private final Path spool;

  private final FileChannel channel;

  private final Node root = Node.directory();

  private long spoolSize;

  SourceTree(final Path temporaryDirectory) throws IOException {
    this.spool = Files.createTempFile(temporaryDirectory, "flake-source-", ".spool");
    this.channel = FileChannel.open(spool, StandardOpenOption.READ, StandardOpenOption.WRITE,
        StandardOpenOption.DELETE_ON_CLOSE);
  }

  private SourceTree() {
    this.spool = null;
    this.channel = null;
  }

  /**
   * A tree that keeps the structure only: file bytes are read (and counted) but not kept, so the tree can check an
   * archive's layout, not serialise it.
   */
  static SourceTree namesOnly() {
    return new SourceTree();
  }

  /** What the archive unpacks into: its top-level entries are this directory's children. */
  Node root() {
    return root;
  }

  /** Bytes of regular files so far (spooled, or only counted). */
  long unpackedBytes() {
    return spoolSize;
  }

  void addDirectory(final String name) {
    List<String> segments = segments(name);
    Node parent = parentOf(name, segments);
    String last = segments.get(segments.size() - 1);
    Node existing = parent.children.get(last);
    if (existing == null) {
      parent.children.put(last, Node.directory());
    }
    else if (existing.type != Type.DIRECTORY) {
      throw twice(name);
    }
  }

  /**
   * Adds an entry {@link TarballReader} passed: a regular file (its data read from {@code content}), a directory, a
   * symlink or a hard link.
   */
  void add(final TarArchiveEntry entry, final String name, final InputStream content) throws IOException {
    if (entry.isLink()) {
      addHardLink(name, entry.getLinkName());
    }
    else if (entry.isSymbolicLink()) {
      if (entry.getLinkName() == null || entry.getLinkName().isEmpty()) {
        throw new NixFormatException("the tarball's symlink " + ChannelNames.quote(name) + " has no target");
      }
      addSymlink(name, entry.getLinkName());
    }
    else if (entry.isDirectory()) {
      addDirectory(name);
    }
    else {
      // the owner's execute bit is what Nix keeps (S_IXUSR)
      addFile(name, (entry.getMode() & 0100) != 0, content);
    }
  }

  /** Spools a regular file's bytes (or only counts them, for a tree of names). */
  void addFile(final String name, final boolean executable, final InputStream content) throws IOException {
    List<String> segments = segments(name);
    Node parent = parentOf(name, segments);
    String last = segments.get(segments.size() - 1);
    if (parent.children.containsKey(last)) {
      throw twice(name);
    }
    long offset = spoolSize;
    long size = 0;
    byte[] buffer = new byte[64 * 1024];
    int n;
    while ((n = content.read(buffer)) >= 0) {
      size += n;
      if (channel == null) {
        spoolSize += n;
        continue;
      }
      ByteBuffer bytes = ByteBuffer.wrap(buffer, 0, n);
      while (bytes.hasRemaining()) {
        spoolSize += channel.write(bytes, spoolSize);
      }
    }
    parent.children.put(last, new Node(Type.REGULAR, offset, size, executable, null));
  }

  void addSymlink(final String name, final String target) {
    List<String> segments = segments(name);
    Node parent = parentOf(name, segments);
    String last = segments.get(segments.size() - 1);
    if (parent.children.containsKey(last)) {
      throw twice(name);
    }
    parent.children.put(last, new Node(Type.SYMLINK, 0, 0, false, target));
  }

  /**
   * A hard link unpacks as a second name for an earlier regular file: the same bytes and executable bit.
   */
  void addHardLink(final String name, final String targetName) {
    List<String> targetSegments = segments(targetName);
    Node target = find(targetSegments);
    if (target == null || target.type != Type.REGULAR) {
      throw new NixFormatException("the tarball's hard link " + ChannelNames.quote(name) + " points at "
          + ChannelNames.quote(targetName) + ", which is not a regular file earlier in the archive");
    }
    List<String> segments = segments(name);
    Node parent = parentOf(name, segments);
    String last = segments.get(segments.size() - 1);
    if (parent.children.containsKey(last)) {
      throw twice(name);
    }
    parent.children.put(last, target);
  }

  /** Writes a regular file's bytes to {@code out}. */
  void copyContents(final Node file, final OutputStream out) throws IOException {
    if (channel == null) {
      throw new IllegalStateException("a tree of names only has no file contents");
    }
    ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    long position = file.offset;
    long end = file.offset + file.size;
    while (position < end) {
      buffer.clear();
      buffer.limit((int) Math.min(buffer.capacity(), end - position));
      int n = channel.read(buffer, position);
      if (n < 0) {
        throw new IOException("the spool file " + spool + " ended early");
      }
      out.write(buffer.array(), 0, n);
      position += n;
    }
  }

  @Override
  public void close() throws IOException {
    if (channel != null) {
      channel.close();
      Files.deleteIfExists(spool);
    }
  }

  private Node find(final List<String> segments) {
    Node node = root;
    for (String segment : segments) {
      if (node.type != Type.DIRECTORY) {
        return null;
      }
      node = node.children.get(segment);
      if (node == null) {
        return null;
      }
    }
    return node;
  }

  /** The directory an entry goes into, creating missing directories on the way. */
  private Node parentOf(final String name, final List<String> segments) {
    Node node = root;
    for (int i = 0; i < segments.size() - 1; i++) {
      Node child = node.children.get(segments.get(i));
      if (child == null) {
        child = Node.directory();
        node.children.put(segments.get(i), child);
      }
      else if (child.type != Type.DIRECTORY) {
        throw new NixFormatException("the tarball's entry " + ChannelNames.quote(name) + " is inside "
            + ChannelNames.quote(String.join("/", segments.subList(0, i + 1))) + ", which is not a directory");
      }
      node = child;
    }
    return node;
  }

  /** An entry name's path segments: empty and "." segments dropped ({@code a//b/./c/} is a, b, c). */
  static List<String> segments(final String name) {
    List<String> segments = new ArrayList<>();
    for (String segment : name.split("/")) {
      if (!segment.isEmpty() && !segment.equals(".")) {
        segments.add(segment);
      }
    }
    if (segments.isEmpty()) {
      throw new NixFormatException("the tarball has an entry without a name (" + ChannelNames.quote(name) + ")");
    }
    return segments;
  }

  private static NixFormatException twice(final String name) {
    return new NixFormatException("the tarball has two entries named " + ChannelNames.quote(name)
        + "; what Nix unpacks would depend on their order");
  }
}
