package org.sonatype.nexus.repository.nix.protocol.nar;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import org.sonatype.nexus.repository.nix.protocol.tar.SourceTree.Node;
import org.sonatype.nexus.repository.nix.protocol.tar.SourceTree;

/**
 * Writes a {@link SourceTree} node as a NAR, exactly as {@code nix-store --dump} writes the same tree from disk:
 * every string is a little-endian 64-bit length, the bytes and zero padding to a multiple of 8; directory entries
 * come in byte order of their names; regular files carry only the executable bit; symlinks only their target.
 */
public final class NarSerializer
{
  private static final byte[] PADDING = new byte[8];

  private final SourceTree tree;

  private final OutputStream out;

  public NarSerializer(final SourceTree tree, final OutputStream out) {
    this.tree = tree;
    this.out = out;
  }

  public void write(final Node node) throws IOException {
    string("nix-archive-1");
    node(node);
  }

  private void node(final Node node) throws IOException {
    string("(");
    string("type");
    switch (node.type()) {
      case REGULAR:
        string("regular");
        if (node.executable()) {
          string("executable");
          string("");
        }
        string("contents");
        number(node.size());
        tree.copyContents(node, out);
        pad(node.size());
        break;
      case SYMLINK:
        string("symlink");
        string("target");
        string(node.target());
        break;
      case DIRECTORY:
        string("directory");
        for (Node child : node.children()) {
          string("entry");
          string("(");
          string("name");
          string(child.name());
          string("node");
          node(child);
          string(")");
        }
        break;
      default:
        throw new IllegalStateException("unhandled " + node.type());
    }
    string(")");
  }

  private void string(final String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    number(bytes.length);
    out.write(bytes);
    pad(bytes.length);
  }

  private void number(final long value) throws IOException {
    for (int i = 0; i < 8; i++) {
      out.write((int) (value >>> (8 * i)) & 0xff);
    }
  }

  private void pad(final long length) throws IOException {
    int padding = (int) ((8 - length % 8) % 8);
    out.write(PADDING, 0, padding);
  }
}
