package org.sonatype.nexus.repository.nix.protocol.tar;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.sonatype.nexus.repository.nix.protocol.ChannelNames;
import org.sonatype.nexus.repository.nix.protocol.NixFormatException;
import org.sonatype.nexus.repository.nix.protocol.compression.DecoderMemory;

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
 * The structure is kept compact, because an archive decides how large it grows: nodes are rows of a few primitive
 * arrays (about 40 bytes each, the lookup table included), names and symlink targets are UTF-8 bytes in one array,
 * and both are bounded by {@link TarballLimits#maxNodes()} and {@link TarballLimits#maxKeptNameBytes()}. What the
 * arrays take is reserved, as they grow, from the memory all decoding shares ({@link DecoderMemory}), so that any
 * number of archives read at once stay within it; the reservation ends when the tree is closed. Children are
 * found through a hash table keyed by (parent, name) whose hash is seeded per tree, so that no archive can be made of
 * names that all collide; directory listings are sorted only when asked for.
 *
 * A tree of {@link #namesOnly(TarballLimits) names only} checks the same rules without keeping any file bytes
 * (channels).
 */
public final class SourceTree
    implements Closeable
{
  public enum Type
  {
    DIRECTORY,
    REGULAR,
    SYMLINK
  }

  private static final int ROOT = 0;

  private static final byte EXECUTABLE = 0x10;

  private static final byte TYPE_MASK = 0x0f;

  private static final Type[] TYPES = Type.values();

  /** The arrays of one node: parent, name start and length, kind, data start and size, first child, next sibling. */
  private static final int BYTES_PER_NODE = 4 + 4 + 2 + 1 + 8 + 8 + 4 + 4;

  private final TarballLimits limits;

  private final DecoderMemory memory;

  private final List<Runnable> reservations = new ArrayList<>();

  /** Bytes of arrays reserved from {@link #memory}. */
  private long reserved;

  /** The spool file, or null for a tree of names only. */
  private final Path spool;

  private final FileChannel channel;

  private final long seed = ThreadLocalRandom.current().nextLong();

  // nodes by id, the root first

  private int nodes;

  private int[] parent;

  private int[] nameStart;

  private short[] nameLength;

  /** The type's ordinal, and {@link #EXECUTABLE} for executable regular files. */
  private byte[] kind;

  /** A regular file's start in the spool; a symlink's target's start in {@link #names}. */
  private long[] dataStart;

  /** A regular file's size; a symlink target's length. */
  private long[] dataSize;

  private int[] firstChild;

  private int[] nextSibling;

  /** Open addressing: node id + 1 at the slot of hash(parent, name), or 0. */
  private int[] slots;

  /** Names of nodes and symlink targets, UTF-8. */
  private byte[] names = new byte[4096];

  private int namesSize;

  private long spoolSize;

  /** What hard links add to the NAR of the tree: their file's bytes, once more per name. */
  private long linkedBytes;

  /** For copying file bytes: one per tree, not one per file. */
  private byte[] buffer;

  public SourceTree(final Path temporaryDirectory, final TarballLimits limits, final DecoderMemory memory)
      throws IOException
  {
    this.limits = limits;
    this.memory = memory;
    this.spool = Files.createTempFile(temporaryDirectory, "flake-source-", ".spool");
    this.channel = FileChannel.open(spool, StandardOpenOption.READ, StandardOpenOption.WRITE,
        StandardOpenOption.DELETE_ON_CLOSE);
    initialise();
  }

  private SourceTree(final TarballLimits limits, final DecoderMemory memory) {
    this.limits = limits;
    this.memory = memory;
    this.spool = null;
    this.channel = null;
    initialise();
  }

  /**
   * A tree that keeps the structure only: file bytes are read (and counted) but not kept, so the tree can check an
   * archive's layout, not serialise it.
   */
  public static SourceTree namesOnly(final TarballLimits limits, final DecoderMemory memory) {
    return new SourceTree(limits, memory);
  }

  private void initialise() {
    allocate(256);
    nodes = 1;
    kind[ROOT] = (byte) Type.DIRECTORY.ordinal();
    parent[ROOT] = -1;
    firstChild[ROOT] = -1;
    nextSibling[ROOT] = -1;
  }

  /** What the archive unpacks into: its top-level entries are this directory's children. */
  public Node root() {
    return new Node(ROOT);
  }

  /** Bytes of regular files so far (spooled, or only counted); a hard link adds nothing. */
  public long unpackedBytes() {
    return spoolSize;
  }

  /** Files, directories and links so far, the root not counted. */
  public int size() {
    return nodes - 1;
  }

  public void addDirectory(final String name) {
    List<String> segments = segments(name);
    int directory = parentOf(name, segments);
    byte[] last = utf8(segments.get(segments.size() - 1));
    int existing = find(directory, last);
    if (existing < 0) {
      create(directory, last, Type.DIRECTORY, false);
    }
    else if (type(existing) != Type.DIRECTORY) {
      throw twice(name);
    }
  }

  /**
   * Adds an entry {@link TarballReader} passed: a regular file (its data read from {@code content}), a directory, a
   * symlink or a hard link.
   */
  public void add(final TarArchiveEntry entry, final String name, final InputStream content) throws IOException {
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
  public void addFile(final String name, final boolean executable, final InputStream content) throws IOException {
    int node = createLeaf(name, Type.REGULAR, executable);
    long start = spoolSize;
    if (buffer == null) {
      buffer = new byte[64 * 1024];
    }
    int n;
    while ((n = content.read(buffer)) >= 0) {
      if (channel == null) {
        spoolSize += n;
        continue;
      }
      ByteBuffer bytes = ByteBuffer.wrap(buffer, 0, n);
      while (bytes.hasRemaining()) {
        spoolSize += channel.write(bytes, spoolSize);
      }
    }
    dataStart[node] = start;
    dataSize[node] = spoolSize - start;
  }

  public void addSymlink(final String name, final String target) {
    int node = createLeaf(name, Type.SYMLINK, false);
    byte[] bytes = utf8(target);
    dataStart[node] = keep(bytes);
    dataSize[node] = bytes.length;
  }

  /**
   * A hard link unpacks as a second name for an earlier regular file: the same bytes and executable bit, which the
   * NAR of the tree holds once more.
   */
  public void addHardLink(final String name, final String targetName) {
    int target = find(segments(targetName));
    if (target < 0 || type(target) != Type.REGULAR) {
      throw new NixFormatException("the tarball's hard link " + ChannelNames.quote(name) + " points at "
          + ChannelNames.quote(targetName) + ", which is not a regular file earlier in the archive");
    }
    linkedBytes += dataSize[target];
    limits.checkUnpacked(spoolSize + linkedBytes);
    int node = createLeaf(name, Type.REGULAR, (kind[target] & EXECUTABLE) != 0);
    dataStart[node] = dataStart[target];
    dataSize[node] = dataSize[target];
  }

  /** Writes a regular file's bytes to {@code out}. */
  public void copyContents(final Node file, final OutputStream out) throws IOException {
    if (channel == null) {
      throw new IllegalStateException("a tree of names only has no file contents");
    }
    ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    long position = dataStart[file.id];
    long end = position + dataSize[file.id];
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
    reservations.forEach(Runnable::run);
    reservations.clear();
    reserved = 0;
    if (channel != null) {
      channel.close();
      Files.deleteIfExists(spool);
    }
  }

  /** An entry name's path segments: empty and "." segments dropped ({@code a//b/./c/} is a, b, c). */
  public static List<String> segments(final String name) {
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

  /**
   * One node of the tree: its type, a file's size and executable bit, a symlink's target, a directory's entries.
   */
  public final class Node
  {
    private final int id;

    private Node(final int id) {
      this.id = id;
    }

    public Type type() {
      return SourceTree.this.type(id);
    }

    /** Its name in its directory ("" for the root). */
    public String name() {
      return id == ROOT ? "" : new String(names, nameStart[id], nameLength[id], StandardCharsets.UTF_8);
    }

    public long size() {
      return type() == Type.REGULAR ? dataSize[id] : 0;
    }

    public boolean executable() {
      return (kind[id] & EXECUTABLE) != 0;
    }

    /** A symlink's target, as written in the archive: never followed. */
    public String target() {
      return type() == Type.SYMLINK
          ? new String(names, (int) dataStart[id], (int) dataSize[id], StandardCharsets.UTF_8)
          : null;
    }

    /** A directory's entry of this name, or null. */
    public Node child(final String name) {
      int child = find(id, utf8(name));
      return child < 0 ? null : new Node(child);
    }

    /**
     * A directory's entries in NAR order: names compared byte by byte as UTF-8, which is code point order (Java's
     * own String order differs for characters outside the Basic Multilingual Plane).
     */
    public List<Node> children() {
      List<Integer> ids = new ArrayList<>();
      for (int child = firstChild[id]; child >= 0; child = nextSibling[child]) {
        ids.add(child);
      }
      ids.sort((a, b) -> Arrays.compareUnsigned(names, nameStart[a], nameStart[a] + nameLength[a], names,
          nameStart[b], nameStart[b] + nameLength[b]));
      List<Node> children = new ArrayList<>(ids.size());
      for (int child : ids) {
        children.add(new Node(child));
      }
      return children;
    }
  }

  // ---- the rows

  private Type type(final int node) {
    return TYPES[kind[node] & TYPE_MASK];
  }

  /** A file or symlink named {@code name}: its parents are created as needed, the name must be new. */
  private int createLeaf(final String name, final Type type, final boolean executable) {
    List<String> segments = segments(name);
    int directory = parentOf(name, segments);
    byte[] last = utf8(segments.get(segments.size() - 1));
    if (find(directory, last) >= 0) {
      throw twice(name);
    }
    return create(directory, last, type, executable);
  }

  /** The directory an entry goes into, creating missing directories on the way. */
  private int parentOf(final String name, final List<String> segments) {
    int node = ROOT;
    for (int i = 0; i < segments.size() - 1; i++) {
      byte[] segment = utf8(segments.get(i));
      int child = find(node, segment);
      if (child < 0) {
        child = create(node, segment, Type.DIRECTORY, false);
      }
      else if (type(child) != Type.DIRECTORY) {
        throw new NixFormatException("the tarball's entry " + ChannelNames.quote(name) + " is inside "
            + ChannelNames.quote(String.join("/", segments.subList(0, i + 1))) + ", which is not a directory");
      }
      node = child;
    }
    return node;
  }

  private int find(final List<String> segments) {
    int node = ROOT;
    for (String segment : segments) {
      if (type(node) != Type.DIRECTORY) {
        return -1;
      }
      node = find(node, utf8(segment));
      if (node < 0) {
        return -1;
      }
    }
    return node;
  }

  /** The child of {@code directory} named {@code name}, or -1. */
  private int find(final int directory, final byte[] name) {
    int mask = slots.length - 1;
    for (int slot = (int) hash(directory, name, 0, name.length) & mask; slots[slot] != 0; slot = (slot + 1) & mask) {
      int node = slots[slot] - 1;
      if (parent[node] == directory && Arrays.equals(names, nameStart[node], nameStart[node] + nameLength[node],
          name, 0, name.length))
      {
        return node;
      }
    }
    return -1;
  }

  private int create(final int directory, final byte[] name, final Type type, final boolean executable) {
    if (nodes - 1 >= limits.maxNodes()) {
      throw new NixFormatException("the tarball unpacks to more than " + limits.maxNodes() + " files, directories "
          + "and links (directories that entries' names imply included)");
    }
    if (nodes == parent.length) {
      allocate((int) Math.min(2L * parent.length, limits.maxNodes() + 1L));
    }
    int node = nodes++;
    parent[node] = directory;
    nameStart[node] = keep(name);
    nameLength[node] = (short) name.length;
    kind[node] = (byte) (type.ordinal() | (executable ? EXECUTABLE : 0));
    firstChild[node] = -1;
    nextSibling[node] = firstChild[directory];
    firstChild[directory] = node;
    insert(node);
    return node;
  }

  /** Appends UTF-8 bytes to {@link #names}, within {@link TarballLimits#maxKeptNameBytes()}: where they start. */
  private int keep(final byte[] bytes) {
    if ((long) namesSize + bytes.length > limits.maxKeptNameBytes()) {
      throw new NixFormatException("the tarball's names and symlink targets take more than "
          + TarballLimits.describe(limits.maxKeptNameBytes()));
    }
    if (namesSize + bytes.length > names.length) {
      int grown = (int) Math.min(Math.max(2L * names.length, (long) namesSize + bytes.length),
          limits.maxKeptNameBytes());
      reserve(footprint(parent.length, slots.length, grown));
      names = Arrays.copyOf(names, grown);
    }
    int start = namesSize;
    System.arraycopy(bytes, 0, names, start, bytes.length);
    namesSize += bytes.length;
    return start;
  }

  private void allocate(final int capacity) {
    // at most half full
    int slotCount = Integer.highestOneBit(Math.max(capacity, 2) - 1) << 2;
    if (parent != null) {
      // the first arrays (a few KiB) are not counted: a tree that never grows reserves nothing
      reserve(footprint(capacity, slotCount, names.length));
    }
    parent = parent == null ? new int[capacity] : Arrays.copyOf(parent, capacity);
    nameStart = nameStart == null ? new int[capacity] : Arrays.copyOf(nameStart, capacity);
    nameLength = nameLength == null ? new short[capacity] : Arrays.copyOf(nameLength, capacity);
    kind = kind == null ? new byte[capacity] : Arrays.copyOf(kind, capacity);
    dataStart = dataStart == null ? new long[capacity] : Arrays.copyOf(dataStart, capacity);
    dataSize = dataSize == null ? new long[capacity] : Arrays.copyOf(dataSize, capacity);
    firstChild = firstChild == null ? new int[capacity] : Arrays.copyOf(firstChild, capacity);
    nextSibling = nextSibling == null ? new int[capacity] : Arrays.copyOf(nextSibling, capacity);
    slots = new int[slotCount];
    for (int node = 1; node < nodes; node++) {
      insert(node);
    }
  }

  private static long footprint(final int nodeCapacity, final int slotCount, final int nameCapacity) {
    return (long) nodeCapacity * BYTES_PER_NODE + 4L * slotCount + nameCapacity;
  }

  /** Reserves what the arrays will take, beyond what is reserved already, before they are allocated. */
  private void reserve(final long footprint) {
    if (footprint > reserved) {
      reservations.add(memory.reserveFor(this, footprint - reserved));
      reserved = footprint;
    }
  }

  private void insert(final int node) {
    int mask = slots.length - 1;
    int slot = (int) hash(parent[node], names, nameStart[node], nameLength[node]) & mask;
    while (slots[slot] != 0) {
      slot = (slot + 1) & mask;
    }
    slots[slot] = node + 1;
  }

  /**
   * A hash of (parent, name) seeded per tree: each step mixes in eight bytes through a bijective avalanche function,
   * so names that collide for one seed do not for another, and an archive cannot be built to fill one slot chain.
   */
  private long hash(final int directory, final byte[] bytes, final int start, final int length) {
    long h = mix(seed ^ (directory * 0x9E3779B97F4A7C15L));
    int i = start;
    int end = start + length;
    while (i + 8 <= end) {
      long word = 0;
      for (int k = 0; k < 8; k++) {
        word |= (bytes[i + k] & 0xffL) << (8 * k);
      }
      h = mix(h ^ word);
      i += 8;
    }
    long tail = (long) length << 56;
    for (int k = 0; i < end; i++, k++) {
      tail |= (bytes[i] & 0xffL) << (8 * k);
    }
    return mix(h ^ tail);
  }

  /** SplitMix64's finaliser. */
  private static long mix(final long value) {
    long z = (value ^ (value >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static byte[] utf8(final String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static NixFormatException twice(final String name) {
    return new NixFormatException("the tarball has two entries named " + ChannelNames.quote(name)
        + "; what Nix unpacks would depend on their order");
  }
}
