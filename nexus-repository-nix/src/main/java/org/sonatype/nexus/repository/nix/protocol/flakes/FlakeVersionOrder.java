package org.sonatype.nexus.repository.nix.protocol.flakes;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which version of a flake is the newest, the one its registry entry and its latest URL point at.
 *
 * Versions that look like semantic versions ({@code 1.2}, {@code 1.2.3}, {@code 1.2.3-rc.1}, optionally with a
 * leading {@code v}) are ordered as such: numeric dot-separated parts compared as numbers (a missing part is 0),
 * then pre-releases by semver's rules (a release is newer than its pre-releases; numeric identifiers compare as
 * numbers and before alphanumeric ones; a longer list of equal identifiers is newer). They rank above every other
 * version. Other versions (dates such as {@code 2025-01-15}, git revisions, names) are ordered by upload time, as are
 * versions of equal precedence ({@code 1.0} and {@code 1.0.0}): the later upload is newer.
 *
 * At least two numeric parts are needed to count as a semantic version, so that {@code 2025-01-15} is not read as
 * version 2025 with a pre-release.
 */
public final class FlakeVersionOrder
{
  private static final Pattern SEMANTIC = Pattern.compile(
      "v?([0-9]+(?:\\.[0-9]+)+)(?:-([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?");

  private FlakeVersionOrder() {
  }

  /**
   * @param uploadedNewestFirst the versions, most recently uploaded first
   * @param version             the version of an element
   * @return the newest, if there are any
   */
  public static <T> Optional<T> newest(final List<T> uploadedNewestFirst, final Function<T, String> version) {
    return sorted(uploadedNewestFirst, version).stream().findFirst();
  }

  /**
   * @param uploadedNewestFirst the versions, most recently uploaded first
   * @param version             the version of an element
   * @return the same elements, newest first
   */
  public static <T> List<T> sorted(final List<T> uploadedNewestFirst, final Function<T, String> version) {
    List<T> sorted = new ArrayList<>(uploadedNewestFirst);
    // stable: what compares equal keeps its upload order
    sorted.sort(Comparator.comparing(element -> Ranked.of(version.apply(element))));
    return sorted;
  }

  /** A version's rank: semantic versions first, highest precedence first; every other version ties. */
  private static final class Ranked
      implements Comparable<Ranked>
  {
    private final String[] core;

    private final String[] preRelease;

    private Ranked(final String[] core, final String[] preRelease) {
      this.core = core;
      this.preRelease = preRelease;
    }

    static Ranked of(final String version) {
      Matcher m = SEMANTIC.matcher(version);
      if (!m.matches()) {
        return new Ranked(null, null);
      }
      return new Ranked(m.group(1).split("\\."), m.group(2) == null ? new String[0] : m.group(2).split("\\."));
    }

    boolean isSemantic() {
      return core != null;
    }

    /** Negative when this one is newer, so that sorting puts the newest first. */
    @Override
    public int compareTo(final Ranked other) {
      if (!isSemantic() || !other.isSemantic()) {
        return Boolean.compare(other.isSemantic(), isSemantic());
      }
      return -precedence(other);
    }

    private int precedence(final Ranked other) {
      for (int i = 0; i < Math.max(core.length, other.core.length); i++) {
        int c = compareNumbers(i < core.length ? core[i] : "0", i < other.core.length ? other.core[i] : "0");
        if (c != 0) {
          return c;
        }
      }
      if (preRelease.length == 0 || other.preRelease.length == 0) {
        // a release is newer than its pre-releases
        return Integer.compare(preRelease.length == 0 ? 1 : 0, other.preRelease.length == 0 ? 1 : 0);
      }
      for (int i = 0; i < Math.min(preRelease.length, other.preRelease.length); i++) {
        int c = compareIdentifiers(preRelease[i], other.preRelease[i]);
        if (c != 0) {
          return c;
        }
      }
      return Integer.compare(preRelease.length, other.preRelease.length);
    }

    private static int compareIdentifiers(final String a, final String b) {
      boolean numericA = isNumeric(a);
      boolean numericB = isNumeric(b);
      if (numericA && numericB) {
        return compareNumbers(a, b);
      }
      if (numericA != numericB) {
        // numeric identifiers have lower precedence than alphanumeric ones
        return numericA ? -1 : 1;
      }
      return Integer.signum(a.compareTo(b));
    }

    private static boolean isNumeric(final String identifier) {
      for (int i = 0; i < identifier.length(); i++) {
        if (identifier.charAt(i) < '0' || identifier.charAt(i) > '9') {
          return false;
        }
      }
      return true;
    }

    /** Numbers of any length, without overflow: fewer significant digits is smaller. */
    private static int compareNumbers(final String a, final String b) {
      String x = stripLeadingZeros(a);
      String y = stripLeadingZeros(b);
      if (x.length() != y.length()) {
        return Integer.compare(x.length(), y.length());
      }
      return Integer.signum(x.compareTo(y));
    }

    private static String stripLeadingZeros(final String number) {
      int i = 0;
      while (i < number.length() - 1 && number.charAt(i) == '0') {
        i++;
      }
      return number.substring(i);
    }
  }
}
