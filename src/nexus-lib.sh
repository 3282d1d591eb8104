# Sourced by src/run.sh and src/bench.sh: build the plugin kar, unpack Nexus 3.71.0-06, start, wait for and
# stop it. The caller sets these variables first:
#
#   root        the repository's root directory
#   run_dir     where the base template is unpacked (nexus-base-template-<version>/, nexus-stdout.log)
#   data        Nexus's data directory (KARAF_DATA); its log is $data/log/nexus.log
#   pid_file    where the JVM's pid is kept
#   port        the HTTP port
#
# and may set nexus_max_mem (default 2g), nexus_extra_java_opts (appended to the JVM's options) and
# script_name (for messages).

nexus_version=3.71.0-06
base="$run_dir/nexus-base-template-$nexus_version"
log="$data/log/nexus.log"

say() { printf '%s\n' "$*"; }
die() { printf '%s: %s\n' "${script_name:-$(basename "$0")}" "$*" >&2; exit 1; }

# The pid of our Nexus if it is running: the pid file must point at a live java whose command line
# names our data directory (a stale pid file may point at a recycled pid).
running_pid() {
  local pid
  [ -f "$pid_file" ] || return 1
  pid=$(cat "$pid_file")
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] || return 1
  tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q -- "-Dkaraf.data=$data " || return 1
  echo "$pid"
}

admin_password() {
  if [ -n "${NEXUS_ADMIN_PASSWORD:-}" ]; then
    echo "$NEXUS_ADMIN_PASSWORD"
  elif [ -f "$data/admin.password" ]; then
    cat "$data/admin.password"
  else
    die "no $data/admin.password (the admin password was changed): set NEXUS_ADMIN_PASSWORD"
  fi
}

# curl against the REST API as admin; prints the HTTP status.
rest() {
  local method=$1 path=$2 body=${3:-}
  local args=(-s -o /dev/null -w '%{http_code}' -u "admin:$(admin_password)" -X "$method")
  [ -n "$body" ] && args+=(-H 'Content-Type: application/json' --data "$body")
  curl "${args[@]}" "http://127.0.0.1:$port$path"
}

stop() {
  local pid
  if ! pid=$(running_pid); then
    say "Nexus is not running."
    rm -f "$pid_file"
    return 0
  fi
  say "Stopping Nexus (pid $pid)..."
  kill -TERM "$pid"
  for _ in $(seq 120); do
    kill -0 "$pid" 2>/dev/null || { rm -f "$pid_file"; say "Stopped."; return 0; }
    sleep 0.5
  done
  say "Nexus did not stop within 60 s; killing it."
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$pid_file"
}

# Maven, quiet, its output kept in $run_dir/maven.log and shown only if it fails: even in batch mode Debian's Maven
# writes terminal escape codes, which would end up in whatever captures our output.
mvn_quiet() {
  mkdir -p "$run_dir"
  if ! mvn -B -q "$@" >"$run_dir/maven.log" 2>&1; then
    sed 's/\x1b\[[0-9;]*[A-Za-z]//g' "$run_dir/maven.log" | tail -n 40 >&2
    return 1
  fi
}

# The plugin's kar as last built, if nothing it is built from changed since.
current_kar() {
  local built
  built=$(ls -t "$root"/nexus-repository-nix/target/nexus-repository-nix-*-bundle.kar 2>/dev/null | head -n 1)
  [ -n "$built" ] || return 1
  [ -z "$(find "$root/pom.xml" "$root/nexus-repository-nix/pom.xml" "$root/nexus-repository-nix/src" \
    -newer "$built" -print -quit 2>/dev/null)" ] || return 1
  echo "$built"
}

# Sets $kar: NIX_KAR, nothing for NIX_KAR=none, else the plugin built from the current sources (built only if
# they changed since the last build).
build_kar() {
  if [ "${NIX_KAR:-}" = none ]; then
    return 0
  elif [ -n "${NIX_KAR:-}" ]; then
    [ -f "$NIX_KAR" ] || die "NIX_KAR=$NIX_KAR does not exist"
    kar=$(cd "$(dirname "$NIX_KAR")" && pwd)/$(basename "$NIX_KAR")
    return 0
  fi
  if kar=$(current_kar); then
    return 0
  fi
  say "Building the plugin kar (its sources changed since the last build)..."
  (cd "$root" && mvn_quiet -DskipTests package -pl nexus-repository-nix) \
    || die "the plugin does not build (NIX_KAR=none starts Nexus without it)"
  kar=$(current_kar) || die "the build produced no nexus-repository-nix/target/*-bundle.kar"
}

unpack_once() {
  [ -x "$base/bin/nexus" ] && return 0
  local zip="$run_dir/nexus-base-template-$nexus_version.zip"
  local m2="$HOME/.m2/repository/org/sonatype/nexus/assemblies/nexus-base-template/$nexus_version/nexus-base-template-$nexus_version.zip"
  mkdir -p "$run_dir"
  if [ ! -f "$zip" ] && [ -f "$m2" ]; then
    zip=$m2  # Maven (the integration tests, an earlier run) already has it
  elif [ ! -f "$zip" ]; then
    say "Fetching the Nexus $nexus_version base template from Maven Central..."
    (cd "$root" && mvn_quiet org.apache.maven.plugins:maven-dependency-plugin:3.6.1:copy \
      -Dartifact="org.sonatype.nexus.assemblies:nexus-base-template:$nexus_version:zip" \
      -DoutputDirectory="$run_dir")
  fi
  say "Unpacking Nexus $nexus_version into $base..."
  rm -rf "$base"
  if command -v unzip >/dev/null 2>&1; then
    unzip -q "$zip" -d "$run_dir"
  else
    # The JDK's jar tool unpacks zips too, but drops Unix modes: bin/ must be executable.
    (cd "$run_dir" && jar xf "$zip")
    chmod +x "$base"/bin/*
  fi
}

# Sets one key of data/etc/nexus.properties, keeping whatever else is in there.
set_property() {
  local file="$data/etc/nexus.properties" key=$1 value=$2
  touch "$file"
  if grep -q "^$key=" "$file"; then
    sed -i "s|^$key=.*|$key=$value|" "$file"
  else
    printf '%s=%s\n' "$key" "$value" >> "$file"
  fi
}

# Deploys $kar (none if empty) and starts Nexus in the background on $port, listening on ${host:-127.0.0.1};
# returns once it is up. Nexus must be stopped (swapping the kar of a running Nexus uninstalls the plugin).
launch_nexus() {
  local pid offset
  rm -f "$base"/deploy/*.kar
  if [ -n "${kar:-}" ]; then
    cp "$kar" "$base/deploy/"
  fi
  mkdir -p "$data/etc" "$data/log"
  set_property application-port "$port"
  set_property application-host "${host:-127.0.0.1}"
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    die "port $port is already in use (set NEXUS_PORT)"
  fi
  offset=$(stat -c %s "$log" 2>/dev/null || echo 0)
  say "Starting Nexus on port $port${kar:+ with $(basename "$kar")}..."
  # setsid: the server outlives this shell and the terminal. bin/nexus execs java, so $! is the JVM.
  (
    export KARAF_DATA="$data" KARAF_LOG="$data/log"
    export JAVA_MIN_MEM=512m JAVA_MAX_MEM="${nexus_max_mem:-2g}" DIRECT_MAX_MEM=1g
    [ -n "${nexus_extra_java_opts:-}" ] && export EXTRA_JAVA_OPTS="$nexus_extra_java_opts"
    [ -n "${JAVA_HOME:-}" ] || export JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64
    cd "$base"
    setsid bin/nexus server </dev/null >>"$run_dir/nexus-stdout.log" 2>&1 &
    echo $! > "$pid_file"
  )
  pid=$(cat "$pid_file")
  wait_for_start "$pid" "$offset"
}

wait_for_start() {
  local pid=$1 offset=$2
  for _ in $(seq 600); do
    if tail -c "+$((offset + 1))" "$log" 2>/dev/null | grep -q 'Started Sonatype Nexus'; then
      return 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      say "Nexus exited during startup. Last lines of $log:"
      tail -n 40 "$log" 2>/dev/null || tail -n 40 "$run_dir/nexus-stdout.log"
      rm -f "$pid_file"
      exit 1
    fi
    sleep 0.5
  done
  say "Nexus did not start within 300 s (still running as pid $pid). Last lines of $log:"
  tail -n 40 "$log"
  exit 1
}
