package org.sonatype.nexus.repository.nix.protocol.flakes;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.sonatype.nexus.repository.nix.protocol.NixFormatException;
import org.sonatype.nexus.repository.nix.protocol.NixHash;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * A flake registry, version 2, as Nix reads it from the {@code flake-registry} setting:
 *
 * <pre>
 * {"version": 2, "flakes": [{"from": {"type": "indirect", "id": "mytool"},
 *                            "to": {"type": "tarball", "url": "https://...", "narHash": "sha256-..."}}, ...]}
 * </pre>
 *
 * Within one registry the first entry that matches a reference wins. Entries are kept as the JSON they are
 * (attributes this class does not know, such as {@code exact}, pass through), in order.
 */
public final class FlakeRegistry
{
  public static final int VERSION = 2;

  /** An upstream registry bigger than this is not a registry (channels.nixos.org's is a few KiB). */
  public static final int MAX_BYTES = 16 * 1024 * 1024;

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final List<ObjectNode> entries;

  private FlakeRegistry(final List<ObjectNode> entries) {
    this.entries = List.copyOf(entries);
  }

  public static FlakeRegistry of(final List<ObjectNode> entries) {
    return new FlakeRegistry(entries);
  }

  /**
   * An entry mapping the registry id {@code id} to a tarball, with its NAR hash: Nix 2.8 checks a {@code narHash}
   * given as an attribute of {@code to} (it does not check one that is only part of the URL) and locks the URL
   * with that hash.
   */
  public static ObjectNode tarballEntry(final String id, final String url, final NixHash narHash) {
    ObjectNode entry = NODES.objectNode();
    entry.putObject("from").put("type", "indirect").put("id", id);
    entry.putObject("to").put("type", "tarball").put("url", url).put("narHash", narHash.toSri());
    return entry;
  }

  /**
   * Reads a registry document.
   *
   * @throws NixFormatException if it is not JSON, not version {@value #VERSION}, or its entries are not objects with
   *                            {@code from} and {@code to} objects
   */
  public static FlakeRegistry parse(final InputStream json) throws IOException {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    }
    catch (JsonProcessingException e) {
      throw new NixFormatException("not a flake registry: not valid JSON (" + e.getOriginalMessage() + ")");
    }
    if (root == null || !root.isObject()) {
      throw new NixFormatException("not a flake registry: not a JSON object");
    }
    JsonNode version = root.get("version");
    if (version == null || !version.isInt() || version.intValue() != VERSION) {
      throw new NixFormatException("not a flake registry of version " + VERSION + " (version " + version + ")");
    }
    JsonNode flakes = root.get("flakes");
    if (flakes == null || !flakes.isArray()) {
      throw new NixFormatException("not a flake registry: it has no \"flakes\" list");
    }
    List<ObjectNode> entries = new ArrayList<>();
    int index = 0;
    for (JsonNode entry : flakes) {
      if (!entry.isObject() || !entry.path("from").isObject() || !entry.path("to").isObject()) {
        throw new NixFormatException("not a flake registry: entry " + index + " has no \"from\" and \"to\" objects");
      }
      entries.add((ObjectNode) entry);
      index++;
    }
    return new FlakeRegistry(entries);
  }

  /**
   * One registry from several, in order, so that Nix, which takes the first entry that matches, resolves every
   * id the way the first registry that knows it does: an entry whose {@code from} is an indirect id an earlier
   * registry already maps is left out; every other entry is kept, in order.
   */
  public static FlakeRegistry merge(final List<FlakeRegistry> registries) {
    List<ObjectNode> merged = new ArrayList<>();
    Set<String> shadowed = new HashSet<>();
    for (FlakeRegistry registry : registries) {
      Set<String> ids = new HashSet<>();
      for (ObjectNode entry : registry.entries) {
        Optional<String> id = indirectId(entry);
        if (id.isPresent() && shadowed.contains(id.get())) {
          continue;
        }
        id.ifPresent(ids::add);
        merged.add(entry);
      }
      shadowed.addAll(ids);
    }
    return new FlakeRegistry(merged);
  }

  /** The id an entry maps, if its {@code from} is an indirect reference. */
  public static Optional<String> indirectId(final JsonNode entry) {
    JsonNode from = entry.path("from");
    if ("indirect".equals(from.path("type").asText(null)) && from.path("id").isTextual()) {
      return Optional.of(from.get("id").asText());
    }
    return Optional.empty();
  }

  public List<ObjectNode> entries() {
    return entries;
  }

  /** The registry document, UTF-8: the same entries always give the same bytes. */
  public byte[] toJson() {
    ObjectNode root = NODES.objectNode();
    root.put("version", VERSION);
    ArrayNode flakes = root.putArray("flakes");
    entries.forEach(flakes::add);
    try {
      return (JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n").getBytes(UTF_8);
    }
    catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree that cannot be written", e);
    }
  }
}
