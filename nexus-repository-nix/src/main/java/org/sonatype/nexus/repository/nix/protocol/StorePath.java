package org.sonatype.nexus.repository.nix.protocol;

import static java.util.Objects.requireNonNull;

/**
 * A store path without its store directory: {@code <hash>-<name>}, where the hash part is 32 nix32 characters
 * (160 bits) and the name follows Nix's store path name rules. Narinfo {@code References} and {@code Deriver} use
 * this base-name form; {@code StorePath} uses the absolute form, see {@link #parse(String, String)}.
 */
public final class StorePath
{
  public static final int HASH_PART_LENGTH = 32;

  public static final int MAX_NAME_LENGTH = 211;

  private final String hashPart;

  private final String name;

  private StorePath(final String hashPart, final String name) {
    this.hashPart = hashPart;
    this.name = name;
  }

  /**
   * Parses an absolute store path, which must be exactly one path segment below {@code storeDir}.
   */
  public static StorePath parse(final String storeDir, final String absolutePath) {
    validateStoreDir(storeDir);
    if (absolutePath == null) {
      throw new NixFormatException("store path is null");
    }
    String prefix = storeDir + "/";
    if (!absolutePath.startsWith(prefix)) {
      throw new NixFormatException("path '" + NixBase32.abbreviate(absolutePath) + "' is not in the Nix store '"
          + storeDir + "'");
    }
    String baseName = absolutePath.substring(prefix.length());
    if (baseName.indexOf('/') >= 0) {
      throw new NixFormatException("path '" + NixBase32.abbreviate(absolutePath)
          + "' is not a store path: it has more than one segment below '" + storeDir + "'");
    }
    return fromBaseName(baseName);
  }

  /**
   * Parses {@code <hash>-<name>}, the form narinfo references use.
   */
  public static StorePath fromBaseName(final String baseName) {
    if (baseName == null) {
      throw new NixFormatException("store path base name is null");
    }
    if (baseName.length() < HASH_PART_LENGTH + 2 || baseName.charAt(HASH_PART_LENGTH) != '-') {
      throw new NixFormatException("store path '" + NixBase32.abbreviate(baseName)
          + "' is not '<32-character hash>-<name>'");
    }
    String hashPart = baseName.substring(0, HASH_PART_LENGTH);
    if (!isValidHashPart(hashPart)) {
      throw new NixFormatException("store path '" + NixBase32.abbreviate(baseName) + "' has an invalid hash part '"
          + hashPart + "' (expected 32 characters of " + NixBase32.ALPHABET + ")");
    }
    String name = baseName.substring(HASH_PART_LENGTH + 1);
    validateName(baseName, name);
    return new StorePath(hashPart, name);
  }

  /**
   * Builds a store path from its parts, e.g. to name a path whose hash part came from a request.
   */
  public static StorePath of(final String hashPart, final String name) {
    requireNonNull(hashPart, "hashPart");
    requireNonNull(name, "name");
    return fromBaseName(hashPart + "-" + name);
  }

  public static boolean isValidHashPart(final String hashPart) {
    return hashPart != null && hashPart.length() == HASH_PART_LENGTH && NixBase32.isNix32(hashPart);
  }

  /**
   * Nix's store path name rule: 1 to 211 characters of {@code [A-Za-z0-9+-._?=]}, not starting with a dot (so a name
   * can never be "." or "..", nor make a hidden file).
   */
  public static boolean isValidName(final String name) {
    return nameProblem(name) == null;
  }

  private static void validateName(final String baseName, final String name) {
    String problem = nameProblem(name);
    if (problem != null) {
      throw new NixFormatException("store path '" + NixBase32.abbreviate(baseName) + "' " + problem);
    }
  }

  private static String nameProblem(final String name) {
    if (name == null || name.isEmpty()) {
      return "has an empty name";
    }
    if (name.length() > MAX_NAME_LENGTH) {
      return "has a name longer than " + MAX_NAME_LENGTH + " characters";
    }
    if (name.charAt(0) == '.') {
      return "has a name starting with '.'";
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!isNameChar(c)) {
        return "contains illegal character '" + NixBase32.printable(c) + "'";
      }
    }
    return null;
  }

  static boolean isNameChar(final char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || c == '+' || c == '-' || c == '.' || c == '_' || c == '?' || c == '=';
  }

  /**
   * Checks a store directory setting: absolute, no trailing slash, no empty, "." or ".." segments, no control
   * characters. Returns it unchanged so it can be used inline.
   */
  public static String validateStoreDir(final String storeDir) {
    if (storeDir == null) {
      throw new NixFormatException("store directory is null");
    }
    if (!storeDir.startsWith("/")) {
      throw new NixFormatException("store directory '" + storeDir + "' is not absolute");
    }
    if (storeDir.endsWith("/")) {
      throw new NixFormatException("store directory '" + storeDir + "' must not end with '/'");
    }
    for (int i = 0; i < storeDir.length(); i++) {
      char c = storeDir.charAt(i);
      if (c < 0x20 || c == 0x7f || c == '\\') {
        throw new NixFormatException(
            "store directory '" + storeDir + "' contains illegal character '" + NixBase32.printable(c) + "'");
      }
    }
    for (String segment : storeDir.substring(1).split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        throw new NixFormatException(
            "store directory '" + storeDir + "' has an empty, '.' or '..' segment");
      }
    }
    return storeDir;
  }

  /**
   * The 32 nix32 characters that identify the path; a narinfo is looked up as {@code <hashPart>.narinfo}.
   */
  public String hashPart() {
    return hashPart;
  }

  public String name() {
    return name;
  }

  /**
   * {@code <hashPart>-<name>}.
   */
  public String baseName() {
    return hashPart + "-" + name;
  }

  public String toAbsolute(final String storeDir) {
    return validateStoreDir(storeDir) + "/" + baseName();
  }

  /**
   * The name without its version: everything before the first '-' that is followed by a digit (Nix's rule for
   * splitting derivation names), or the whole name if there is no such '-'.
   */
  public String packageName() {
    int split = versionSeparator();
    return split < 0 ? name : name.substring(0, split);
  }

  /**
   * The version: everything after the first '-' that is followed by a digit, or "" if there is none.
   */
  public String version() {
    int split = versionSeparator();
    return split < 0 ? "" : name.substring(split + 1);
  }

  private int versionSeparator() {
    for (int i = 0; i + 1 < name.length(); i++) {
      if (name.charAt(i) == '-' && name.charAt(i + 1) >= '0' && name.charAt(i + 1) <= '9') {
        return i;
      }
    }
    return -1;
  }

  @Override
  public boolean equals(final Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof StorePath)) {
      return false;
    }
    StorePath other = (StorePath) o;
    return hashPart.equals(other.hashPart) && name.equals(other.name);
  }

  @Override
  public int hashCode() {
    return 31 * hashPart.hashCode() + name.hashCode();
  }

  /**
   * The base name; the store directory is not part of this value.
   */
  @Override
  public String toString() {
    return baseName();
  }
}
