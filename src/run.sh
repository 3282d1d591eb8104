#!/usr/bin/env bash
# The run command: a local Nexus 3.71.0-06 with this plugin, for trying it out by hand.
#
#   ./src/run.sh [start]   build the kar, (re)use ./run/, start Nexus in the background, create the
#                          nix-hosted repository, print how to point Nix at it
#   ./src/run.sh stop      stop it (data in ./run/data is kept)
#   ./src/run.sh restart   stop, rebuild, start (the way to load a new build of the plugin)
#   ./src/run.sh status
#
# Environment:
#   NEXUS_PORT  HTTP port (default: the port ./run/data last used, else 8081)
#   NEXUS_HOST  address to listen on (default 127.0.0.1; 0.0.0.0 to expose it)
#   NIX_KAR     plugin kar to deploy instead of building one; "none" runs Nexus without the plugin
#   NEXUS_ADMIN_PASSWORD  admin password, once it was changed in the UI (data/admin.password is then gone)
#
# Layout: ./run/nexus-base-template-3.71.0-06 (unpacked once), ./run/data (Nexus's data directory: it
# survives restarts, so repositories and the admin password stay), ./run/nexus.pid.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=src/debian-packages.sh
source "$root/src/debian-packages.sh"

run_dir="$root/run"
data="$run_dir/data"
pid_file="$run_dir/nexus.pid"
# NEXUS_PORT, else the port this data directory was last started with, else 8081.
port=${NEXUS_PORT:-$(sed -n 's/^application-port=//p' "$data/etc/nexus.properties" 2>/dev/null | tail -n 1 || true)}
port=${port:-8081}
host=${NEXUS_HOST:-127.0.0.1}
url="http://localhost:$port"
repo=nix-hosted
script_name=run.sh
# shellcheck source=src/nexus-lib.sh
source "$root/src/nexus-lib.sh"

# A running Nexus listens where its nexus.properties says, whatever NEXUS_PORT says now.
use_configured_port() {
  local configured
  configured=$(sed -n 's/^application-port=//p' "$data/etc/nexus.properties" 2>/dev/null | tail -n 1 || true)
  if [ -n "$configured" ]; then
    port=$configured
    url="http://localhost:$port"
  fi
}

first_run_setup() {
  # Once per data directory. Nexus 3.71 starts with anonymous access on until someone completes the
  # setup wizard; this Nexus stays closed like a production one, and Nix authenticates with a netrc.
  [ -f "$data/.run-sh-initialized" ] && return 0
  [ "$(rest PUT /service/rest/v1/security/anonymous \
    '{"enabled":false,"userId":"anonymous","realmName":"NexusAuthorizingRealm"}')" = 200 ] \
    || die "could not switch anonymous access off"
  touch "$data/.run-sh-initialized"
}

# Creates a repository from a REST body unless it exists.
ensure_repository() {
  local name=$1 type=$2 body=$3 status
  status=$(rest GET "/service/rest/v1/repositories/$name")
  [ "$status" = 200 ] && return 0
  status=$(rest POST "/service/rest/v1/repositories/nix/$type" "$body")
  [ "$status" = 201 ] || die "creating repository $name answered HTTP $status (see $log)"
  say "Created repository $name ($type)."
}

# nix-hosted (your pushes), nix-proxy (cache.nixos.org) and nix-group over both, which takes pushes into
# nix-hosted: the one URL clients need.
ensure_repositories() {
  if [ "${NIX_KAR:-}" = none ]; then
    say "(no plugin: no repositories created)"
    return 0
  fi
  ensure_repository "$repo" hosted '{"name":"'"$repo"'","online":true,
    "storage":{"blobStoreName":"default","strictContentTypeValidation":true,"writePolicy":"allow_once"},
    "nix":{"signing":{"generate":true}}}'
  # Offline (air-gapped, or this sandbox): the proxy is created blocked, i.e. it serves what it has cached and
  # answers "not here" for the rest, instead of failing every lookup that reaches it through the group.
  local blocked=false
  if ! curl -s -o /dev/null --max-time 5 https://cache.nixos.org/nix-cache-info; then
    blocked=true
    say "cache.nixos.org is not reachable from here: nix-proxy is created with its remote blocked (offline mode);"
    say "unblock it under Administration > Repositories > nix-proxy > HTTP once you are online."
  fi
  ensure_repository nix-proxy proxy '{"name":"nix-proxy","online":true,
    "storage":{"blobStoreName":"default","strictContentTypeValidation":true},
    "proxy":{"remoteUrl":"https://cache.nixos.org","contentMaxAge":1440,"metadataMaxAge":1440},
    "negativeCache":{"enabled":true,"timeToLive":60},
    "httpClient":{"blocked":'"$blocked"',"autoBlock":true},
    "nix":{}}'
  ensure_repository nix-group group '{"name":"nix-group","online":true,
    "storage":{"blobStoreName":"default","strictContentTypeValidation":true},
    "group":{"memberNames":["'"$repo"'","nix-proxy"]},
    "nix":{"writableMember":"'"$repo"'","signing":{"generate":true}}}'
}

# A repository's public signing key (name:base64), empty if it has none (or without the plugin).
public_key() {
  curl -s -u "admin:$(admin_password)" "http://127.0.0.1:$port/repository/$1/nix-public-key" 2>/dev/null \
    | grep -E '^[^:[:space:]]+:[A-Za-z0-9+/=]+$' || true
}

print_usage_info() {
  local password source="$data/admin.password" keys
  password=$(admin_password)
  keys="$(public_key nix-group) $(public_key "$repo")"
  [ -n "${NEXUS_ADMIN_PASSWORD:-}" ] && source=NEXUS_ADMIN_PASSWORD
  cat <<EOF

Nexus $nexus_version is running at $url  (pid $(running_pid), log $log)
  admin password: $password   (from $source)
  stop it with:   ./src/run.sh stop

Repositories: nix-hosted (your builds), nix-proxy (cache.nixos.org), nix-group (both; pushes go to
nix-hosted). Point Nix at the group (anonymous access is off, so Nix needs a netrc file):

  # netrc, e.g. ~/.config/nix/netrc
  machine localhost
  login admin
  password $password

  # nix.conf (~/.config/nix/nix.conf, or /etc/nix/nix.conf for the daemon)
  substituters = $url/repository/nix-group
  netrc-file = $HOME/.config/nix/netrc
  trusted-public-keys = cache.nixos.org-1:6NCHdD59X431o0gWypbMrAURkbJ16ZPMQFGspcDShjY= $keys

  # upload a store path and its closure (lands in nix-hosted)
  nix copy --to '$url/repository/nix-group' /nix/store/<hash>-<name>
EOF
}

start() {
  local pid
  if pid=$(running_pid); then
    use_configured_port
    say "Nexus is already running (pid $pid); not rebuilding (replacing the kar in a running Nexus uninstalls"
    say "the plugin). Use ./src/run.sh restart to load a new build."
    print_usage_info
    return 0
  fi
  ensure_programs "curl:curl"
  ensure_jdk17
  kar=
  build_kar
  unpack_once
  nexus_max_mem=2g
  launch_nexus
  first_run_setup
  ensure_repositories
  print_usage_info
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  restart) stop; start ;;
  status)
    if pid=$(running_pid); then use_configured_port; say "Nexus is running (pid $pid) at $url"; else say "Nexus is not running."; exit 3; fi ;;
  *) die "usage: $0 [start|stop|restart|status]" ;;
esac
