package org.sonatype.nexus.repository.nix.tasks;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an integrity check of one repository found: each problem with the store path it concerns, and, with
 * repair, the store paths it removed. Kept as the repository's last report (REST) and written to the task log.
 */
public final class IntegrityReport
{
  /** At most this many problems are kept in the report; counts stay exact. */
  static final int MAX_LISTED = 1000;

  private final String repository;

  private final OffsetDateTime started = OffsetDateTime.now();

  private int checked;

  private int problemCount;

  private final List<Map<String, String>> problems = new ArrayList<>();

  private final List<String> removed = new ArrayList<>();

  private boolean repair;

  private boolean verifiedNarHashes;

  IntegrityReport(final String repository, final boolean repair, final boolean verifiedNarHashes) {
    this.repository = repository;
    this.repair = repair;
    this.verifiedNarHashes = verifiedNarHashes;
  }

  void checked() {
    checked++;
  }

  void problem(final String storePath, final String problem) {
    problemCount++;
    if (problems.size() < MAX_LISTED) {
      Map<String, String> entry = new LinkedHashMap<>();
      entry.put("storePath", storePath);
      entry.put("problem", problem);
      problems.add(entry);
    }
  }

  void removed(final String storePath) {
    removed.add(storePath);
  }

  public int checkedCount() {
    return checked;
  }

  public int problemCount() {
    return problemCount;
  }

  public List<String> removedStorePaths() {
    return removed;
  }

  public Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("repository", repository);
    map.put("started", started.toString());
    map.put("finished", OffsetDateTime.now().toString());
    map.put("verifiedNarHashes", verifiedNarHashes);
    map.put("repair", repair);
    map.put("checked", checked);
    map.put("problemCount", problemCount);
    map.put("problems", problems);
    map.put("removed", removed);
    return map;
  }

  @Override
  public String toString() {
    return repository + ": " + checked + " store paths checked, " + problemCount + " problem(s)"
        + (repair ? ", " + removed.size() + " store path(s) removed" : "");
  }
}
