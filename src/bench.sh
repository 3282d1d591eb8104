#!/usr/bin/env bash
# The benchmark command: the plugin against Nexus's raw repository used as a Nix cache and against nginx serving
# the same files statically, side by side, in one run. See docs/benchmarks.md.
#
#   ./src/bench.sh              the full benchmark (>= 200 store paths, a 1 GiB path, 3 iterations per target;
#                               about 25 minutes on an idle 2-core machine, 8 of them filling W7's repository):
#                               writes docs/benchmarks.md and docs/benchmarks.json
#   ./src/bench.sh --quick      a development run (30 paths, a 64 MiB path, 1 iteration; about 10 minutes)
#
# Options (after --quick or alone):
#   --iterations N   runs per target (default 3, --quick 1)
#   --only W3,W4     run only these workloads (W1..W8)
#   --profile        afterwards, one extra run of the plugin and of raw per workload under JFR; the report says
#                    what dominates Nexus's request threads
#   --w7-raw         W7 also fills and measures a raw repository
#   --w7-large N     W7's large size: store paths uploaded before the second measurement (default 100000,
#                    --quick 5000; the small size is 1000); filling runs at roughly 225 store paths/s on 2 cores
#   --docs-dir DIR   where benchmarks.md/.json go (default: docs/)
#
# Environment:
#   BENCH_DIR        work directory: Nexus and its data, the generated closure, nginx, scratch stores
#                    (default /tmp/nix-bench; the Nexus data directory is recreated on every run)
#   BENCH_XMX        Nexus's heap (default 1g: W8 shows a 1 GiB NAR streams through it)
#   NEXUS_PORT       Nexus's port (default 18081); nginx listens on BENCH_NGINX_PORT and the next port
#                    (default 18096, 18097 with Basic auth)
#   NIX_KAR          a built kar to benchmark instead of building one
#
# Needs JDK 17, Maven, Nix (Debian's nix-bin), nginx, wrk, curl, openssl and python3; installs the Debian packages
# it misses when run as root. Not part of ./src/test.sh.
set -euo pipefail
# whether something else is running is judged from the load before this script adds its own (build, Nexus)
export BENCH_LOAD_AT_START="${BENCH_LOAD_AT_START:-$(cut -d" " -f1-3 /proc/loadavg)}"

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=src/debian-packages.sh
source "$root/src/debian-packages.sh"

mode=full
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) mode=quick ;;
    --full) mode=full ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) args+=("$1") ;;
  esac
  shift
done

bench_dir=${BENCH_DIR:-/tmp/nix-bench}
case "$bench_dir" in "$root"|"$root"/*) echo "bench.sh: BENCH_DIR must be outside the repository" >&2; exit 1 ;; esac
run_dir="$bench_dir/nexus"
data="$run_dir/data"
pid_file="$run_dir/nexus.pid"
port=${NEXUS_PORT:-18081}
host=127.0.0.1
nginx_port=${BENCH_NGINX_PORT:-18096}
script_name=bench.sh
# shellcheck source=src/nexus-lib.sh
source "$root/src/nexus-lib.sh"

ensure_programs "nix-store:nix-bin" "nginx:nginx" "wrk:wrk" "curl:curl" "openssl:openssl" "python3:python3" \
  "unzip:unzip"
ensure_jdk17
for p in "$nginx_port" "$((nginx_port + 1))"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then die "port $p is already in use (set BENCH_NGINX_PORT)"; fi
done

mkdir -p "$bench_dir"
export BENCH_DIR=$bench_dir
lock="$bench_dir/.lock"
exec 9>"$lock"
flock -n 9 || die "another benchmark is running in $bench_dir"

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [ -f "$bench_dir/nginx/nginx.pid" ]; then
    kill "$(cat "$bench_dir/nginx/nginx.pid")" 2>/dev/null || true
  fi
  if [ -z "${BENCH_KEEP_NEXUS:-}" ]; then
    stop >/dev/null || true
  else
    say "Nexus left running (BENCH_KEEP_NEXUS): $url, admin password in $data/admin.password"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

began=$(date +%s)
stop >/dev/null  # a Nexus left over by an interrupted run
kar=
build_kar
unpack_once
# A fresh data directory every run: same starting point, no repositories from earlier runs.
rm -rf "$data" "$bench_dir/scratch" "$bench_dir/clients" "$bench_dir/jfr"
nexus_max_mem=${BENCH_XMX:-1g}
# deep enough for the stacks of Nexus request threads, when --profile records them
nexus_extra_java_opts="-XX:FlightRecorderOptions=stackdepth=160"
launch_nexus
url="http://127.0.0.1:$port"
say "Nexus up after $(( $(date +%s) - began )) s."

# PYTHONDONTWRITEBYTECODE: no __pycache__ in src/bench
PYTHONDONTWRITEBYTECODE=1 BENCH_NEXUS_URL=$url BENCH_NEXUS_PID=$(running_pid) BENCH_ADMIN_PASSWORD=$(admin_password) \
  BENCH_NEXUS_LOG_DIR="$data/log" BENCH_NGINX_PORT=$nginx_port BENCH_XMX=$nexus_max_mem \
  python3 "$root/src/bench/bench.py" --mode "$mode" ${args[@]+"${args[@]}"}
say "Benchmark done in $(( ($(date +%s) - began) / 60 )) min."
