package org.sonatype.nexus.repository.nix.protocol.narinfo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Supplier;
import org.sonatype.nexus.repository.nix.protocol.NixBase32;
import org.sonatype.nexus.repository.nix.protocol.NixFormatException;
import org.sonatype.nexus.repository.nix.protocol.NixHash;
import org.sonatype.nexus.repository.nix.protocol.NixHashType;
import org.sonatype.nexus.repository.nix.protocol.SignatureText;
import org.sonatype.nexus.repository.nix.protocol.StorePath;
import org.sonatype.nexus.repository.nix.protocol.compression.Compression;

import static java.util.Objects.requireNonNull;

/**
 * A {@code <hash>.narinfo} document: the metadata of one store path in a binary cache.
 *
 * Parsing is strict wherever Nix is strict, so that a hosted repository never stores what a client would call
 * corrupt, and lenient only where the difference disappears on re-serialisation (CRLF line endings, a missing final
 * newline, hash encodings): {@link #toText()} always writes the canonical form Nix itself writes.
 *
 * Only StorePath, NarHash, NarSize and References are covered by signatures ({@link #fingerprint()}), so URL,
 * Compression, FileHash and FileSize may be rewritten (see {@link #withFile}) without invalidating them.
 */
public final class NarInfo
{
  /**
   * Abuse guard on the whole document. Real narinfos are a few hundred bytes; a path with thousands of references
   * still fits easily.
   */
  public static final int MAX_TEXT_LENGTH = 1 << 20;

  /**
   * Abuse guard on one line. {@code References} is exempt (bounded by {@link #MAX_TEXT_LENGTH} only): a path with
   * ~1,500 references, such as a large buildEnv, legitimately has a longer References line.
   */
  public static final int MAX_LINE_LENGTH = 64 << 10;

  /**
   * {@code Sig} lines a narinfo may carry. cache.nixos.org serves one; a path signed along its way (by CI, a team's
   * key, a key kept during a rotation, and each repository that serves it) carries a handful. Nix itself sets no
   * limit, but every signature is verified by whoever checks it and served to every client.
   */
  public static final int MAX_SIGS = 32;

  /** Fields Nix does not know (it ignores them): caches write none today, old Nix wrote {@code System}. */
  public static final int MAX_EXTRA_FIELDS = 32;

  public static final String STORE_PATH = "StorePath";

  public static final String URL = "URL";

  public static final String COMPRESSION = "Compression";

  public static final String FILE_HASH = "FileHash";

  public static final String FILE_SIZE = "FileSize";

  public static final String NAR_HASH = "NarHash";

  public static final String NAR_SIZE = "NarSize";

  public static final String REFERENCES = "References";

  public static final String DERIVER = "Deriver";

  public static final String SIG = "Sig";

  public static final String CA = "CA";

  /**
   * What Nix writes in {@code Deriver} when it does not know the deriver; read as no deriver.
   */
  public static final String UNKNOWN_DERIVER = "unknown-deriver";

  private static final Set<String> KNOWN_FIELDS = Collections.unmodifiableSet(new HashSet<>(Arrays.asList(
      STORE_PATH, URL, COMPRESSION, FILE_HASH, FILE_SIZE, NAR_HASH, NAR_SIZE, REFERENCES, DERIVER, SIG, CA)));

  private final String storeDir;

  private final StorePath storePath;

  private final String url;

  private final Compression compression;

  private final NixHash fileHash;

  private final Long fileSize;

  private final NixHash narHash;

  private final long narSize;

  private final List<String> references;

  private final String deriver;

  private final List<String> sigs;

  private final String ca;

  private final List<Map.Entry<String, String>> extraFields;

  private NarInfo(final Builder b) {
    this.storeDir = StorePath.validateStoreDir(b.storeDir);
    this.storePath = required(STORE_PATH, b.storePath);
    this.url = required(URL, b.url);
    inField(URL, () -> validateUrl(url));
    this.compression = requireNonNull(b.compression, "compression");
    this.fileHash = b.fileHash;
    if (b.fileSize != null && b.fileSize < 0) {
      throw new NixFormatException(FILE_SIZE + ": must not be negative");
    }
    this.fileSize = b.fileSize;
    this.narHash = required(NAR_HASH, b.narHash);
    this.narSize = required(NAR_SIZE, b.narSize);
    if (narSize <= 0) {
      throw new NixFormatException(NAR_SIZE + ": must be greater than 0");
    }
    this.references = inField(REFERENCES, () -> validateReferences(b.references));
    this.deriver = b.deriver;
    if (deriver != null) {
      inField(DERIVER, () -> validateDeriver(deriver));
    }
    this.sigs = inField(SIG, () -> validateSigs(b.sigs));
    this.ca = b.ca;
    if (ca != null) {
      inField(CA, () -> validateCa(ca));
    }
    this.extraFields = validateExtraFields(b.extraFields);
  }

  private static <T> T required(final String field, final T value) {
    if (value == null) {
      throw new NixFormatException("missing required field '" + field + "'");
    }
    return value;
  }

  private static void inField(final String field, final Runnable validation) {
    inField(field, () -> {
      validation.run();
      return null;
    });
  }

  private static <T> T inField(final String field, final Supplier<T> validation) {
    try {
      return validation.get();
    }
    catch (NixFormatException e) {
      throw new NixFormatException(field + ": " + e.getMessage(), e);
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Parsing

  /**
   * Parses a narinfo whose store path must lie in {@code storeDir}.
   *
   * @throws NixFormatException naming the line or field that is wrong
   */
  public static NarInfo parse(final String text, final String storeDir) {
    requireNonNull(text, "text");
    StorePath.validateStoreDir(storeDir);
    if (text.length() > MAX_TEXT_LENGTH) {
      throw new NixFormatException("narinfo is larger than " + MAX_TEXT_LENGTH + " characters");
    }
    return new Parser(text, storeDir).parse();
  }

  /**
   * Reads and parses a UTF-8 narinfo of at most {@link #MAX_TEXT_LENGTH} bytes, reading no more than one byte past
   * that limit. Does not close the stream.
   */
  public static NarInfo parse(final InputStream in, final String storeDir) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    int n;
    while ((n = in.read(buffer, 0, (int) Math.min(buffer.length, MAX_TEXT_LENGTH + 1L - out.size()))) > 0) {
      out.write(buffer, 0, n);
      if (out.size() > MAX_TEXT_LENGTH) {
        throw new NixFormatException("narinfo is larger than " + MAX_TEXT_LENGTH + " bytes");
      }
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(out.toByteArray()))
          .toString();
    }
    catch (CharacterCodingException e) {
      throw new NixFormatException("narinfo is not valid UTF-8", e);
    }
    return parse(text, storeDir);
  }

  private static final class Parser
  {
    private final String text;

    private final String storeDir;

    private final Builder builder;

    private final Set<String> seen = new HashSet<>();

    /** A set: a flood of {@code Sig} lines must not cost a comparison with every earlier one. */
    private final Set<String> sigs = new LinkedHashSet<>();

    private int extraFields;

    private int lineNumber;

    Parser(final String text, final String storeDir) {
      this.text = text;
      this.storeDir = storeDir;
      this.builder = new Builder(storeDir);
    }

    NarInfo parse() {
      int position = 0;
      while (position < text.length()) {
        int newline = text.indexOf('\n', position);
        int end = newline < 0 ? text.length() : newline;
        String line = text.substring(position, end);
        position = newline < 0 ? text.length() : newline + 1;
        lineNumber++;
        // CRLF would reach Nix as a '\r' inside every value; we re-serialise with LF, so accepting it is safe.
        if (line.endsWith("\r")) {
          line = line.substring(0, line.length() - 1);
        }
        parseLine(line);
      }
      builder.sigs(new ArrayList<>(sigs));
      requireField(STORE_PATH);
      requireField(URL);
      requireField(NAR_HASH);
      requireField(NAR_SIZE);
      return builder.build();
    }

    private void requireField(final String key) {
      if (!seen.contains(key)) {
        throw new NixFormatException("missing required field '" + key + "'");
      }
    }

    private void parseLine(final String line) {
      if (line.isEmpty()) {
        throw error("empty line");
      }
      int colon = line.indexOf(':');
      // Nix skips exactly one character after the colon, so 'Key:value' would lose the value's first character.
      if (colon <= 0 || colon + 1 >= line.length() || line.charAt(colon + 1) != ' ') {
        throw error("expected 'Key: value', got '" + shown(line) + "'");
      }
      String key = line.substring(0, colon);
      String value = line.substring(colon + 2);
      if (line.length() > MAX_LINE_LENGTH && !REFERENCES.equals(key)) {
        throw error("line is longer than " + MAX_LINE_LENGTH + " characters");
      }
      checkFieldName(key);
      checkValueCharacters(key, value);
      if (!SIG.equals(key) && KNOWN_FIELDS.contains(key) && !seen.add(key)) {
        throw error("duplicate field '" + key + "'");
      }
      try {
        parseField(key, value);
      }
      catch (NixFormatException e) {
        throw error(key + ": " + e.getMessage(), e);
      }
    }

    private void checkFieldName(final String key) {
      for (int i = 0; i < key.length(); i++) {
        char c = key.charAt(i);
        if (c <= ' ' || c == 0x7f) {
          throw error("field name '" + shown(key) + "' contains illegal character '" + NixBase32.printable(c) + "'");
        }
      }
    }

    private void checkValueCharacters(final String key, final String value) {
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        if (c < ' ' || c == 0x7f) {
          throw error(key + ": value contains control character '" + NixBase32.printable(c) + "'");
        }
      }
    }

    private void parseField(final String key, final String value) {
      switch (key) {
        case STORE_PATH:
          builder.storePath(StorePath.parse(storeDir, value));
          break;
        case URL:
          validateUrl(value);
          builder.url(value);
          break;
        case COMPRESSION:
          builder.compression(Compression.fromNarInfo(value));
          break;
        case FILE_HASH:
          builder.fileHash(NixHash.parse(value));
          break;
        case FILE_SIZE:
          builder.fileSize(parseSize(value));
          break;
        case NAR_HASH:
          builder.narHash(NixHash.parse(value));
          break;
        case NAR_SIZE:
          long narSize = parseSize(value);
          if (narSize == 0) {
            throw new NixFormatException("must be greater than 0");
          }
          builder.narSize(narSize);
          break;
        case REFERENCES:
          List<String> references = parseReferences(value);
          validateReferences(references);
          builder.references(references);
          break;
        case DERIVER:
          if (!UNKNOWN_DERIVER.equals(value)) {
            validateDeriver(value);
            builder.deriver(value);
          }
          break;
        case SIG:
          if (sigs.size() >= MAX_SIGS) {
            throw tooManySigs();
          }
          validateSig(value);
          if (!sigs.add(value)) {
            throw new NixFormatException("duplicate signature '" + shown(value) + "'");
          }
          break;
        case CA:
          validateCa(value);
          builder.ca(value);
          break;
        default:
          if (++extraFields > MAX_EXTRA_FIELDS) {
            throw tooManyExtraFields();
          }
          builder.addExtraField(key, value);
      }
    }

    private static List<String> parseReferences(final String value) {
      List<String> references = new ArrayList<>();
      // Nix splits on runs of spaces; the canonical form has single spaces.
      for (String reference : value.split(" ")) {
        if (!reference.isEmpty()) {
          references.add(reference);
        }
      }
      return references;
    }

    private static long parseSize(final String value) {
      if (value.isEmpty() || value.length() > 18) {
        throw new NixFormatException("'" + shown(value) + "' is not a size in bytes");
      }
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        if (c < '0' || c > '9') {
          throw new NixFormatException("'" + shown(value) + "' is not a size in bytes");
        }
      }
      return Long.parseLong(value);
    }

    private NixFormatException error(final String message) {
      return new NixFormatException("line " + lineNumber + ": " + message);
    }

    private NixFormatException error(final String message, final Throwable cause) {
      return new NixFormatException("line " + lineNumber + ": " + message, cause);
    }

    private static String shown(final String text) {
      StringBuilder out = new StringBuilder();
      for (int i = 0; i < Math.min(text.length(), 80); i++) {
        out.append(NixBase32.printable(text.charAt(i)));
      }
      return text.length() <= 80 ? out.toString() : out + "...";
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Validation shared by the parser and the builder

  private static void validateUrl(final String url) {
    if (url.isEmpty()) {
      throw new NixFormatException("must not be empty");
    }
    for (int i = 0; i < url.length(); i++) {
      char c = url.charAt(i);
      if (c <= ' ' || c == 0x7f) {
        throw new NixFormatException("'" + NixBase32.abbreviate(url) + "' contains whitespace or a control character");
      }
    }
  }

  private static List<String> validateReferences(final List<String> references) {
    Set<String> unique = new HashSet<>();
    for (String reference : references) {
      StorePath.fromBaseName(reference);
      if (!unique.add(reference)) {
        throw new NixFormatException("duplicate reference '" + reference + "'");
      }
    }
    return Collections.unmodifiableList(new ArrayList<>(references));
  }

  private static void validateDeriver(final String deriver) {
    StorePath.fromBaseName(deriver);
    if (!deriver.endsWith(".drv")) {
      throw new NixFormatException("deriver '" + deriver + "' does not end in '.drv'");
    }
  }

  private static void validateSig(final String sig) {
    SignatureText.parse(sig, "signature", SignatureText.SIGNATURE_BYTES);
  }

  private static NixFormatException tooManySigs() {
    return new NixFormatException("more than " + MAX_SIGS + " signatures; a narinfo carries at most " + MAX_SIGS);
  }

  private static NixFormatException tooManyExtraFields() {
    return new NixFormatException("more than " + MAX_EXTRA_FIELDS + " fields this parser does not know; a narinfo "
        + "has at most " + MAX_EXTRA_FIELDS);
  }

  private static List<String> validateSigs(final List<String> sigs) {
    if (sigs.size() > MAX_SIGS) {
      throw tooManySigs();
    }
    Set<String> unique = new HashSet<>();
    for (String sig : sigs) {
      validateSig(sig);
      if (!unique.add(sig)) {
        throw new NixFormatException("duplicate signature '" + sig + "'");
      }
    }
    return Collections.unmodifiableList(new ArrayList<>(sigs));
  }

  /**
   * A content address: {@code text:<hash>} or {@code fixed:[r:|git:]<hash>}. Kept verbatim, but checked so that
   * nothing malformed is passed on.
   */
  private static void validateCa(final String ca) {
    String hash;
    if (ca.startsWith("text:")) {
      hash = ca.substring("text:".length());
    }
    else if (ca.startsWith("fixed:r:")) {
      hash = ca.substring("fixed:r:".length());
    }
    else if (ca.startsWith("fixed:git:")) {
      hash = ca.substring("fixed:git:".length());
    }
    else if (ca.startsWith("fixed:")) {
      hash = ca.substring("fixed:".length());
    }
    else {
      throw new NixFormatException("content address '" + NixBase32.abbreviate(ca)
          + "' does not start with 'text:' or 'fixed:'");
    }
    NixHash.parse(hash);
  }

  private static List<Map.Entry<String, String>> validateExtraFields(final List<Map.Entry<String, String>> fields) {
    if (fields.size() > MAX_EXTRA_FIELDS) {
      throw tooManyExtraFields();
    }
    List<Map.Entry<String, String>> copy = new ArrayList<>();
    for (Map.Entry<String, String> field : fields) {
      String key = requireNonNull(field.getKey(), "extra field name");
      String value = requireNonNull(field.getValue(), "extra field value");
      if (key.isEmpty() || KNOWN_FIELDS.contains(key)) {
        throw new NixFormatException("extra field name '" + key + "' is empty or a standard field");
      }
      for (int i = 0; i < key.length(); i++) {
        char c = key.charAt(i);
        if (c <= ' ' || c == 0x7f || c == ':') {
          throw new NixFormatException("extra field name '" + key + "' contains illegal character '"
              + NixBase32.printable(c) + "'");
        }
      }
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        if (c < ' ' || c == 0x7f) {
          throw new NixFormatException(key + ": value contains control character '" + NixBase32.printable(c) + "'");
        }
      }
      copy.add(new SimpleImmutableEntry<>(key, value));
    }
    return Collections.unmodifiableList(copy);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Accessors

  public String storeDir() {
    return storeDir;
  }

  public StorePath storePath() {
    return storePath;
  }

  /**
   * Where the (compressed) NAR is, relative to the cache's base URL, or absolute.
   */
  public String url() {
    return url;
  }

  public Compression compression() {
    return compression;
  }

  public Optional<NixHash> fileHash() {
    return Optional.ofNullable(fileHash);
  }

  public OptionalLong fileSize() {
    return fileSize == null ? OptionalLong.empty() : OptionalLong.of(fileSize);
  }

  public NixHash narHash() {
    return narHash;
  }

  public long narSize() {
    return narSize;
  }

  /**
   * Base names ({@code <hash>-<name>}) of the referenced store paths, in the order given.
   */
  public List<String> references() {
    return references;
  }

  public List<StorePath> referencePaths() {
    List<StorePath> paths = new ArrayList<>(references.size());
    for (String reference : references) {
      paths.add(StorePath.fromBaseName(reference));
    }
    return Collections.unmodifiableList(paths);
  }

  /**
   * Base name of the deriver ({@code <hash>-<name>.drv}); empty if none or {@code unknown-deriver}.
   */
  public Optional<String> deriver() {
    return Optional.ofNullable(deriver);
  }

  /**
   * {@code <keyname>:<base64 signature>} lines, in the order given.
   */
  public List<String> sigs() {
    return sigs;
  }

  public Optional<String> ca() {
    return Optional.ofNullable(ca);
  }

  /**
   * Fields Nix does not know (e.g. {@code System}), kept in order so they survive re-serialisation.
   */
  public List<Map.Entry<String, String>> extraFields() {
    return extraFields;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Serialisation and signing

  /**
   * The narinfo as Nix writes it: fixed field order, {@code Key: value} lines ending in LF, hashes as
   * {@code <type>:<nix32>}, {@code Compression} always present, {@code References} always present (an empty list
   * is written {@code "References: "}), unknown fields last.
   */
  public String toText() {
    StringBuilder out = new StringBuilder(512);
    line(out, STORE_PATH, storePath.toAbsolute(storeDir));
    line(out, URL, url);
    line(out, COMPRESSION, compression.nixName());
    if (fileHash != null) {
      line(out, FILE_HASH, fileHash.toString());
    }
    if (fileSize != null) {
      line(out, FILE_SIZE, Long.toString(fileSize));
    }
    line(out, NAR_HASH, narHash.toString());
    line(out, NAR_SIZE, Long.toString(narSize));
    line(out, REFERENCES, String.join(" ", references));
    if (deriver != null) {
      line(out, DERIVER, deriver);
    }
    for (String sig : sigs) {
      line(out, SIG, sig);
    }
    if (ca != null) {
      line(out, CA, ca);
    }
    for (Map.Entry<String, String> field : extraFields) {
      line(out, field.getKey(), field.getValue());
    }
    return out.toString();
  }

  private static void line(final StringBuilder out, final String key, final String value) {
    out.append(key).append(": ").append(value).append('\n');
  }

  /**
   * The text Nix signs: {@code 1;<store path>;<sha256:nix32 NarHash>;<NarSize>;<sorted, comma-joined absolute
   * reference paths>}.
   *
   * @throws IllegalStateException if NarHash is not sha256, which Nix cannot fingerprint either
   */
  public String fingerprint() {
    if (narHash.type() != NixHashType.SHA256) {
      throw new IllegalStateException("cannot fingerprint " + storePath + ": its NarHash is " + narHash.type().nixName()
          + ", not sha256");
    }
    List<String> sorted = new ArrayList<>(references.size());
    for (String reference : references) {
      sorted.add(storeDir + "/" + reference);
    }
    Collections.sort(sorted);
    return "1;" + storePath.toAbsolute(storeDir) + ";" + narHash + ";" + narSize + ";" + String.join(",", sorted);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Copies

  public static Builder builder(final String storeDir) {
    return new Builder(storeDir);
  }

  public Builder toBuilder() {
    Builder b = new Builder(storeDir);
    b.storePath = storePath;
    b.url = url;
    b.compression = compression;
    b.fileHash = fileHash;
    b.fileSize = fileSize;
    b.narHash = narHash;
    b.narSize = narSize;
    b.references = new ArrayList<>(references);
    b.deriver = deriver;
    b.sigs = new ArrayList<>(sigs);
    b.ca = ca;
    b.extraFields = new ArrayList<>(extraFields);
    return b;
  }

  public NarInfo withUrl(final String newUrl) {
    return toBuilder().url(newUrl).build();
  }

  public NarInfo withCompression(final Compression newCompression) {
    return toBuilder().compression(newCompression).build();
  }

  public NarInfo withFileHash(final Optional<NixHash> newFileHash) {
    return toBuilder().fileHash(newFileHash).build();
  }

  public NarInfo withFileHash(final NixHash newFileHash) {
    return withFileHash(Optional.of(newFileHash));
  }

  public NarInfo withFileSize(final OptionalLong newFileSize) {
    return toBuilder().fileSize(newFileSize).build();
  }

  public NarInfo withFileSize(final long newFileSize) {
    return withFileSize(OptionalLong.of(newFileSize));
  }

  /**
   * Points the narinfo at another file holding the same NAR, e.g. after re-compressing or re-homing it. None of
   * these fields is signed, so existing signatures stay valid.
   */
  public NarInfo withFile(
      final Compression newCompression,
      final String newUrl,
      final Optional<NixHash> newFileHash,
      final OptionalLong newFileSize)
  {
    return toBuilder().compression(newCompression).url(newUrl).fileHash(newFileHash).fileSize(newFileSize).build();
  }

  public NarInfo withSigs(final List<String> newSigs) {
    return toBuilder().sigs(newSigs).build();
  }

  /**
   * Adds signatures not already present, keeping the existing ones first and the order of the new ones.
   */
  public NarInfo withAddedSigs(final Collection<String> added) {
    Set<String> merged = new LinkedHashSet<>(sigs);
    merged.addAll(added);
    return toBuilder().sigs(new ArrayList<>(merged)).build();
  }

  /**
   * True if everything but the signatures is equal: the case of a re-upload that only adds {@code Sig} lines.
   */
  public boolean sameExceptSigs(final NarInfo other) {
    return other != null && toBuilder().sigs(Collections.<String>emptyList()).build()
        .equals(other.toBuilder().sigs(Collections.<String>emptyList()).build());
  }

  @Override
  public boolean equals(final Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof NarInfo)) {
      return false;
    }
    NarInfo other = (NarInfo) o;
    return narSize == other.narSize
        && storeDir.equals(other.storeDir)
        && storePath.equals(other.storePath)
        && url.equals(other.url)
        && compression == other.compression
        && Objects.equals(fileHash, other.fileHash)
        && Objects.equals(fileSize, other.fileSize)
        && narHash.equals(other.narHash)
        && references.equals(other.references)
        && Objects.equals(deriver, other.deriver)
        && sigs.equals(other.sigs)
        && Objects.equals(ca, other.ca)
        && extraFields.equals(other.extraFields);
  }

  @Override
  public int hashCode() {
    return Objects.hash(storeDir, storePath, url, compression, fileHash, fileSize, narHash, narSize, references,
        deriver, sigs, ca, extraFields);
  }

  @Override
  public String toString() {
    return "NarInfo{" + storePath.toAbsolute(storeDir) + ", url=" + url + ", compression=" + compression.nixName()
        + ", narHash=" + narHash + ", narSize=" + narSize + ", references=" + references.size()
        + ", sigs=" + sigs.size() + "}";
  }

  /**
   * Mutable assembly of a {@link NarInfo}; {@link #build()} applies the same validation as parsing.
   * Compression defaults to {@link Compression#BZIP2}, as an absent field does in Nix.
   */
  public static final class Builder
  {
    private String storeDir;

    private StorePath storePath;

    private String url;

    private Compression compression = Compression.BZIP2;

    private NixHash fileHash;

    private Long fileSize;

    private NixHash narHash;

    private Long narSize;

    private List<String> references = new ArrayList<>();

    private String deriver;

    private List<String> sigs = new ArrayList<>();

    private String ca;

    private List<Map.Entry<String, String>> extraFields = new ArrayList<>();

    private Builder(final String storeDir) {
      this.storeDir = storeDir;
    }

    public Builder storeDir(final String value) {
      this.storeDir = value;
      return this;
    }

    public Builder storePath(final StorePath value) {
      this.storePath = value;
      return this;
    }

    public Builder url(final String value) {
      this.url = value;
      return this;
    }

    public Builder compression(final Compression value) {
      this.compression = requireNonNull(value, "compression");
      return this;
    }

    public Builder fileHash(final NixHash value) {
      this.fileHash = value;
      return this;
    }

    public Builder fileHash(final Optional<NixHash> value) {
      this.fileHash = value.orElse(null);
      return this;
    }

    public Builder fileSize(final long value) {
      this.fileSize = value;
      return this;
    }

    public Builder fileSize(final OptionalLong value) {
      this.fileSize = value.isPresent() ? value.getAsLong() : null;
      return this;
    }

    public Builder narHash(final NixHash value) {
      this.narHash = value;
      return this;
    }

    public Builder narSize(final long value) {
      this.narSize = value;
      return this;
    }

    public Builder references(final List<String> value) {
      this.references = new ArrayList<>(value);
      return this;
    }

    public Builder deriver(final String value) {
      this.deriver = value;
      return this;
    }

    public Builder deriver(final Optional<String> value) {
      this.deriver = value.orElse(null);
      return this;
    }

    public Builder sigs(final List<String> value) {
      this.sigs = new ArrayList<>(value);
      return this;
    }

    public Builder ca(final String value) {
      this.ca = value;
      return this;
    }

    public Builder ca(final Optional<String> value) {
      this.ca = value.orElse(null);
      return this;
    }

    public Builder extraFields(final List<Map.Entry<String, String>> value) {
      this.extraFields = new ArrayList<>(value);
      return this;
    }

    public Builder addExtraField(final String key, final String value) {
      this.extraFields.add(new SimpleImmutableEntry<>(key, value));
      return this;
    }

    public NarInfo build() {
      return new NarInfo(this);
    }
  }
}
