package org.sonatype.nexus.repository.nix.content;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.sonatype.nexus.common.collect.NestedAttributesMap;
import org.sonatype.nexus.repository.nix.NixFormat;
import org.sonatype.nexus.repository.nix.protocol.NixHash;
import org.sonatype.nexus.repository.nix.protocol.StorePath;
import org.sonatype.nexus.repository.nix.protocol.compression.Compression;
import org.sonatype.nexus.repository.nix.protocol.narinfo.NarInfo;

/**
 * A narinfo's facts as asset attributes ({@code attributes.nix.*}): what search, browse and the asset details
 * show, and what the repository serves the narinfo from without reading a blob.
 */
public final class NarInfoAttributes
{
  /**
   * The section of an asset's attributes that holds what Nix knows of it (a narinfo's facts, the claims a NAR was
   * verified against, a channel's pointer, a flake's hashes, the URL a proxy fetched it from): {@code nix}.
   */
  public static final String SECTION = NixFormat.NAME;

  public static final String STORE_PATH = "storePath";

  public static final String STORE_HASH = "storeHash";

  public static final String NAME = "name";

  public static final String VERSION = "version";

  public static final String URL = "url";

  public static final String COMPRESSION = "compression";

  public static final String FILE_HASH = "fileHash";

  public static final String FILE_SIZE = "fileSize";

  public static final String NAR_HASH = "narHash";

  public static final String NAR_SIZE = "narSize";

  public static final String REFERENCES = "references";

  public static final String DERIVER = "deriver";

  public static final String SIGNATURES = "signatures";

  public static final String CA = "ca";

  public static final String EXTRA_FIELDS = "extraFields";

  private NarInfoAttributes() {
  }

  public static Map<String, Object> toAttributes(final NarInfo narInfo) {
    StorePath storePath = narInfo.storePath();
    Map<String, Object> map = new LinkedHashMap<>();
    map.put(STORE_PATH, storePath.toAbsolute(narInfo.storeDir()));
    map.put(STORE_HASH, storePath.hashPart());
    map.put(NAME, storePath.packageName());
    map.put(VERSION, storePath.version());
    map.put(URL, narInfo.url());
    map.put(COMPRESSION, narInfo.compression().nixName());
    narInfo.fileHash().ifPresent(hash -> map.put(FILE_HASH, hash.toString()));
    if (narInfo.fileSize().isPresent()) {
      map.put(FILE_SIZE, narInfo.fileSize().getAsLong());
    }
    map.put(NAR_HASH, narInfo.narHash().toString());
    map.put(NAR_SIZE, narInfo.narSize());
    map.put(REFERENCES, new ArrayList<>(narInfo.references()));
    narInfo.deriver().ifPresent(deriver -> map.put(DERIVER, deriver));
    map.put(SIGNATURES, new ArrayList<>(narInfo.sigs()));
    narInfo.ca().ifPresent(ca -> map.put(CA, ca));
    if (!narInfo.extraFields().isEmpty()) {
      List<List<String>> extra = new ArrayList<>();
      for (Map.Entry<String, String> field : narInfo.extraFields()) {
        List<String> pair = new ArrayList<>(2);
        pair.add(field.getKey());
        pair.add(field.getValue());
        extra.add(pair);
      }
      map.put(EXTRA_FIELDS, extra);
    }
    return map;
  }

  /** The {@link #SECTION nix} attributes of an asset or component. */
  public static NestedAttributesMap of(final NestedAttributesMap attributes) {
    return attributes.child(SECTION);
  }

  @SuppressWarnings("unchecked")
  public static NarInfo fromAttributes(final NestedAttributesMap attributes) {
    Map<String, Object> nix = of(attributes).backing();
    // the store dir is the one the path was stored under, even if the repository's setting changed since
    String absolutePath = (String) nix.get(STORE_PATH);
    String storeDir = absolutePath.substring(0, absolutePath.lastIndexOf('/'));
    NarInfo.Builder builder = NarInfo.builder(storeDir)
        .storePath(StorePath.parse(storeDir, absolutePath))
        .url((String) nix.get(URL))
        .compression(Compression.fromNarInfo((String) nix.get(COMPRESSION)))
        .narHash(NixHash.parse((String) nix.get(NAR_HASH)))
        .narSize(((Number) nix.get(NAR_SIZE)).longValue())
        .references((List<String>) nix.getOrDefault(REFERENCES, List.of()))
        .sigs((List<String>) nix.getOrDefault(SIGNATURES, List.of()));
    if (nix.get(FILE_HASH) != null) {
      builder.fileHash(NixHash.parse((String) nix.get(FILE_HASH)));
    }
    if (nix.get(FILE_SIZE) != null) {
      builder.fileSize(((Number) nix.get(FILE_SIZE)).longValue());
    }
    if (nix.get(DERIVER) != null) {
      builder.deriver((String) nix.get(DERIVER));
    }
    if (nix.get(CA) != null) {
      builder.ca((String) nix.get(CA));
    }
    for (List<String> field : (List<List<String>>) nix.getOrDefault(EXTRA_FIELDS, List.of())) {
      builder.addExtraField(field.get(0), field.get(1));
    }
    return builder.build();
  }
}
