package org.sonatype.nexus.repository.nix.content;

import java.util.concurrent.Callable;
import java.util.concurrent.locks.Lock;
import java.util.function.Supplier;

import com.google.common.util.concurrent.Striped;

/**
 * Serialises writes that would otherwise race to create the same row: concurrent {@code nix copy}s of overlapping
 * closures PUT the same NARs and narinfos at the same moment, and store paths with the same name and version share a
 * component. Within a lock, the second writer sees what the first committed (an identical upload is then a no-op)
 * instead of failing on the database's unique key.
 *
 * The locks are per Nexus node; the database's unique keys stay the last word.
 */
public final class NixWriteLocks
{
  private static final Striped<Lock> LOCKS = Striped.lock(512);

  private NixWriteLocks() {
  }

  /** Runs {@code work} holding the lock of {@code key} (reentrant: nested use of the same key is fine). */
  public static <T> T with(final String key, final Callable<T> work) throws Exception {
    Lock lock = LOCKS.get(key);
    lock.lock();
    try {
      return work.call();
    }
    finally {
      lock.unlock();
    }
  }

  /** {@link #with}, for work that throws no checked exception. */
  public static <T> T unchecked(final String key, final Supplier<T> work) {
    Lock lock = LOCKS.get(key);
    lock.lock();
    try {
      return work.get();
    }
    finally {
      lock.unlock();
    }
  }

  /** The lock key of an asset path in a repository. */
  public static String path(final String repository, final String path) {
    return repository + "\u0000" + path;
  }

  /** The lock key of a store path's component (its name and version) in a repository. */
  public static String component(final String repository, final String name, final String version) {
    return repository + "\u0000component\u0000" + name + "\u0000" + version;
  }
}
