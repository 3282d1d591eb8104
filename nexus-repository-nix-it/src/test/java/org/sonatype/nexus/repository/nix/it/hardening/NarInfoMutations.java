package org.sonatype.nexus.repository.nix.it.hardening;

import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;

/**
 * Generates broken narinfos from a valid one: each mutation makes the narinfo wrong in one way Nix (or the closure
 * rules of the repository) does not accept, optionally on top of changes that alone are harmless (reordered lines,
 * CRLF endings, a missing final newline), so the server cannot rely on a narinfo looking like what Nix writes.
 *
 * Every case is a {@link Case}: a name that says what is wrong, and the text.
 */
final class NarInfoMutations
{
  record Case(String name, String text)
  {
  }

  private static final String NIX32 = "0123456789abcdfghijklmnpqrsvwxyz";

  private static final String CONTROL = controlCharacters();

  private final Random random;

  NarInfoMutations(final long seed) {
    this.random = new Random(seed);
  }

  /** {@code count} broken narinfos derived from {@code valid}. */
  List<Case> generate(final String valid, final int count) {
    List<Case> cases = new ArrayList<>();
    List<Mutation> mutations = mutations();
    for (int i = 0; i < count; i++) {
      Mutation mutation = mutations.get(i % mutations.size());
      List<String> lines = new ArrayList<>(valid.lines().toList());
      String name = mutation.name;
      String text = mutation.apply.apply(lines, random);
      // harmless disguises on top, so the invalidity is not always in a narinfo that otherwise looks canonical
      int disguise = random.nextInt(4);
      if (disguise == 1) {
        text = reorder(text);
        name += " (lines reordered)";
      }
      else if (disguise == 2) {
        text = text.replace("\n", "\r\n");
        name += " (CRLF)";
      }
      else if (disguise == 3 && text.endsWith("\n")) {
        text = text.substring(0, text.length() - 1);
        name += " (no final newline)";
      }
      cases.add(new Case(name, text));
    }
    return cases;
  }

  private String reorder(final String text) {
    List<String> lines = new ArrayList<>(text.lines().toList());
    Collections.shuffle(lines, random);
    return String.join("\n", lines) + "\n";
  }

  private record Mutation(String name, BiFunction<List<String>, Random, String> apply)
  {
  }

  private static List<Mutation> mutations() {
    List<Mutation> all = new ArrayList<>();
    for (String field : List.of("StorePath", "URL", "NarHash", "NarSize")) {
      all.add(new Mutation("required " + field + " dropped", (lines, r) -> join(drop(lines, field))));
    }
    for (String field : List.of("StorePath", "URL", "NarHash", "NarSize", "Compression", "FileHash", "FileSize",
        "References", "Deriver")) {
      all.add(new Mutation(field + " duplicated", (lines, r) -> {
        String line = find(lines, field);
        List<String> copy = new ArrayList<>(lines);
        copy.add(r.nextInt(copy.size() + 1), line);
        return join(copy);
      }));
    }
    all.add(new Mutation("NarHash of other content", (lines, r) ->
        join(replace(lines, "NarHash", "sha256:" + randomNix32(r, 52)))));
    all.add(new Mutation("FileHash of other content", (lines, r) ->
        join(replace(lines, "FileHash", "sha256:" + randomNix32(r, 52)))));
    all.add(new Mutation("NarSize off by one", (lines, r) ->
        join(replace(lines, "NarSize", String.valueOf(Long.parseLong(value(lines, "NarSize")) + 1)))));
    all.add(new Mutation("NarSize zero", (lines, r) -> join(replace(lines, "NarSize", "0"))));
    all.add(new Mutation("NarSize negative", (lines, r) -> join(replace(lines, "NarSize", "-" + r.nextInt(1000)))));
    all.add(new Mutation("NarSize not a number", (lines, r) -> join(replace(lines, "NarSize", "12kB"))));
    all.add(new Mutation("FileSize wrong", (lines, r) ->
        join(replace(lines, "FileSize", String.valueOf(1 + r.nextInt(1_000_000))))));
    all.add(new Mutation("NarHash without algorithm", (lines, r) ->
        join(replace(lines, "NarHash", value(lines, "NarHash").substring("sha256:".length())))));
    all.add(new Mutation("NarHash with an unknown algorithm", (lines, r) ->
        join(replace(lines, "NarHash", "sha999:" + value(lines, "NarHash").substring("sha256:".length())))));
    all.add(new Mutation("NarHash with a character outside nix32", (lines, r) -> {
      String hash = value(lines, "NarHash");
      return join(replace(lines, "NarHash", hash.substring(0, hash.length() - 1) + "e"));
    }));
    all.add(new Mutation("NarHash truncated", (lines, r) ->
        join(replace(lines, "NarHash", value(lines, "NarHash").substring(0, 20 + r.nextInt(20))))));
    all.add(new Mutation("NarHash SRI with bad base64", (lines, r) -> join(replace(lines, "NarHash", "sha256-!!!!"))));
    all.add(new Mutation("StorePath in another store dir", (lines, r) ->
        join(replace(lines, "StorePath", value(lines, "StorePath").replace("/nix/store/", "/gnu/store/")))));
    all.add(new Mutation("StorePath with an illegal character in its name", (lines, r) ->
        join(replace(lines, "StorePath", value(lines, "StorePath") + "$" + (char) ('a' + r.nextInt(26))))));
    all.add(new Mutation("StorePath with a short hash", (lines, r) ->
        join(replace(lines, "StorePath", value(lines, "StorePath").replaceFirst("/nix/store/[0-9a-z]", "/nix/store/")))));
    all.add(new Mutation("StorePath of another store path", (lines, r) ->
        join(replace(lines, "StorePath", "/nix/store/" + randomNix32(r, 32) + "-other-1.0"))));
    all.add(new Mutation("StorePath relative", (lines, r) ->
        join(replace(lines, "StorePath", value(lines, "StorePath").substring(1)))));
    all.add(new Mutation("StorePath with a subdirectory", (lines, r) ->
        join(replace(lines, "StorePath", value(lines, "StorePath") + "/bin/sh"))));
    all.add(new Mutation("URL of a NAR that is not here", (lines, r) ->
        join(replace(lines, "URL", "nar/" + randomNix32(r, 52) + ".nar"))));
    all.add(new Mutation("URL absolute", (lines, r) ->
        join(replace(lines, "URL", "http://example.invalid/" + value(lines, "URL")))));
    all.add(new Mutation("URL with traversal", (lines, r) ->
        join(replace(lines, "URL", "nar/../../etc/" + value(lines, "URL")))));
    all.add(new Mutation("URL outside nar/", (lines, r) -> join(replace(lines, "URL", "nix-cache-info"))));
    all.add(new Mutation("Compression unknown", (lines, r) -> join(replace(lines, "Compression", "rot13"))));
    all.add(new Mutation("Compression not what the NAR is", (lines, r) -> join(replace(lines, "Compression",
        "none".equals(value(lines, "Compression")) ? "xz" : "none"))));
    all.add(new Mutation("Compression dropped (so bzip2, which the NAR is not)", (lines, r) ->
        join(drop(lines, "Compression"))));
    all.add(new Mutation("a reference that is not in the repository", (lines, r) ->
        join(replace(lines, "References", (value(lines, "References") + " " + randomNix32(r, 32) + "-missing-1.0")
            .trim()))));
    all.add(new Mutation("a reference that is not a store path name", (lines, r) ->
        join(replace(lines, "References", "not a store path"))));
    all.add(new Mutation("huge References of paths that are not here", (lines, r) -> {
      StringBuilder references = new StringBuilder();
      for (int i = 0; i < 5000; i++) {
        references.append(randomNix32(r, 32)).append("-dep-").append(i).append(' ');
      }
      return join(replace(lines, "References", references.toString().trim()));
    }));
    all.add(new Mutation("Deriver not a .drv", (lines, r) -> join(replace(lines, "Deriver", randomNix32(r, 32) + "-x"))));
    all.add(new Mutation("Sig without a key name", (lines, r) -> join(add(lines, "Sig: AAAA"))));
    all.add(new Mutation("Sig that is not 64 bytes", (lines, r) -> join(add(lines, "Sig: key-1:AAAA"))));
    all.add(new Mutation("33 signatures (a narinfo carries at most 32)", (lines, r) -> join(sigs(lines, 33))));
    all.add(new Mutation("a flood of 9,000 signatures", (lines, r) -> join(sigs(lines, 9000))));
    all.add(new Mutation("17 signatures (a hosted narinfo keeps at most 16)", (lines, r) -> join(sigs(lines, 17))));
    all.add(new Mutation("33 fields Nix does not know", (lines, r) -> {
      List<String> copy = new ArrayList<>(lines);
      for (int i = 0; i < 33; i++) {
        copy.add("X-Unknown-" + i + ": " + randomNix32(r, 8));
      }
      return join(copy);
    }));
    all.add(new Mutation("CA malformed", (lines, r) -> join(add(lines, "CA: fixed:nonsense"))));
    all.add(new Mutation("a control character in a value", (lines, r) -> {
      // not CR or LF: a CR before the line's LF is a CRLF line ending, which is accepted and normalised
      char control = CONTROL.charAt(r.nextInt(CONTROL.length()));
      return join(replace(lines, "Deriver", value(lines, "Deriver") + control));
    }));
    all.add(new Mutation("a NUL byte in the StorePath", (lines, r) ->
        join(replace(lines, "StorePath", value(lines, "StorePath") + "\u0000"))));
    all.add(new Mutation("Key:value without the space", (lines, r) ->
        join(replace(lines, "StorePath", "").stream()
            .map(l -> l.equals("StorePath: ") ? "StorePath:" + value(lines, "StorePath") : l)
            .collect(java.util.stream.Collectors.toList()))));
    all.add(new Mutation("a line without a colon", (lines, r) -> join(add(lines, "garbage line " + r.nextInt()))));
    all.add(new Mutation("an empty line", (lines, r) -> {
      List<String> copy = new ArrayList<>(lines);
      copy.add(1 + r.nextInt(copy.size() - 1), "");
      return join(copy);
    }));
    all.add(new Mutation("a 100 KiB value", (lines, r) -> join(replace(lines, "Deriver", "x".repeat(100 * 1024)))));
    all.add(new Mutation("over 1 MiB in all", (lines, r) -> join(add(lines, "Padding: " + "y".repeat(1100 * 1024)))));
    all.add(new Mutation("empty", (lines, r) -> ""));
    all.add(new Mutation("binary garbage", (lines, r) -> {
      byte[] bytes = new byte[64 + r.nextInt(512)];
      r.nextBytes(bytes);
      return new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
    }));
    return all;
  }

  private static String controlCharacters() {
    StringBuilder out = new StringBuilder();
    for (char c = 1; c < 32; c++) {
      if (c != '\n' && c != '\r') {
        out.append(c);
      }
    }
    return out.append((char) 0x7f).toString();
  }

  private static String randomNix32(final Random random, final int length) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < length; i++) {
      out.append(NIX32.charAt(random.nextInt(NIX32.length())));
    }
    return out.toString();
  }

  private static String join(final List<String> lines) {
    return String.join("\n", lines) + "\n";
  }

  private static String find(final List<String> lines, final String field) {
    return lines.stream().filter(l -> l.startsWith(field + ": ")).findFirst()
        .orElseThrow(() -> new IllegalStateException("no " + field + " in the base narinfo"));
  }

  private static String value(final List<String> lines, final String field) {
    return find(lines, field).substring(field.length() + 2);
  }

  private static List<String> drop(final List<String> lines, final String field) {
    List<String> copy = new ArrayList<>(lines);
    copy.removeIf(l -> l.startsWith(field + ": "));
    return copy;
  }

  private static List<String> replace(final List<String> lines, final String field, final String value) {
    List<String> copy = new ArrayList<>();
    for (String line : lines) {
      copy.add(line.startsWith(field + ": ") ? field + ": " + value : line);
    }
    return copy;
  }

  /** The lines with {@code count} more {@code Sig} lines: well-formed signatures of keys nobody trusts. */
  private static List<String> sigs(final List<String> lines, final int count) {
    List<String> copy = new ArrayList<>(lines);
    for (int i = 0; i < count; i++) {
      byte[] signature = new byte[64];
      signature[0] = (byte) i;
      signature[1] = (byte) (i >> 8);
      copy.add("Sig: flood-" + i + ":" + Base64.getEncoder().encodeToString(signature));
    }
    return copy;
  }

  private static List<String> add(final List<String> lines, final String line) {
    List<String> copy = new ArrayList<>(lines);
    copy.add(line);
    return copy;
  }
}
