package org.sonatype.nexus.repository.nix.it.support;

/**
 * How the suite starts a server process it must never leave behind (Nexus, S3Proxy): through a bash wrapper whose
 * watchdog reads the wrapper's stdin (saved as fd 3: background jobs of a non-interactive shell get /dev/null as
 * stdin) and stops the server once it reaches EOF, which is what happens when the test JVM closes the pipe or dies:
 * SIGTERM first, SIGKILL if it is still there after 45 s. The wrapper writes the server's pid to a file.
 */
final class WatchedProcess
{
  /**
   * The wrapper script: runs {@code "$@"} after the first two arguments ($1: the file the output is appended to,
   * $2: the pid file), with stdin from /dev/null, then waits for it.
   */
  static final String WRAPPER = String.join("\n",
      "exec 3<&0",
      "out=$1; pidfile=$2; shift 2",
      "\"$@\" </dev/null 3<&- >>\"$out\" 2>&1 &",
      "child=$!",
      "echo \"$child\" > \"$pidfile\"",
      "( while read -r _ <&3; do :; done",
      "  kill -TERM \"$child\" 2>/dev/null || exit 0",
      "  for _ in $(seq 90); do kill -0 \"$child\" 2>/dev/null || exit 0; sleep 0.5; done",
      "  kill -KILL \"$child\" 2>/dev/null ) &",
      "watchdog=$!",
      "exec 3<&-",
      "wait \"$child\"",
      "rc=$?",
      "kill \"$watchdog\" 2>/dev/null",
      "exit $rc");

  private WatchedProcess() {
  }
}
