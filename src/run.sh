#!/usr/bin/env bash
# The run command: a local Nexus 3.71.0-06 with this plugin, for trying it out by hand.
#
#   ./src/run.sh [start]   build the kar if its sources changed, (re)use ./run/, start Nexus in the background,
#                          create nix-hosted, nix-proxy and nix-group, write a netrc and print the nix.conf
#                          lines that use them
#   ./src/run.sh stop      stop it (data in ./run/data is kept)
#   ./src/run.sh restart   stop, rebuild if the sources changed, start (the way to load a new build of the plugin)
#   ./src/run.sh status
#
# Environment:
#   NEXUS_PORT  HTTP port (default: the port ./run/data last used, else 8081)
#   NEXUS_HOST  address to listen on (default 127.0.0.1; 0.0.0.0 to expose it)
#   NEXUS_RUN_DIR  where everything below lives instead of ./run (another Nexus next to the first)
#   NIX_KAR     plugin kar to deploy instead of building one; "none" runs Nexus without the plugin
#   NEXUS_ADMIN_PASSWORD  admin password, once it was changed in the UI (data/admin.password is then gone)
#
# Layout: ./run/nexus-base-template-3.71.0-06 (unpacked once), ./run/data (Nexus's data directory: it
# survives restarts, so repositories and the admin password stay), ./run/nexus.pid, ./run/netrc (the admin's
# credentials for Nix, mode 600).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=src/debian-packages.sh
source "$root/src/debian-packages.sh"

run_dir=${NEXUS_RUN_DIR:-$root/run}
mkdir -p "$run_dir"
run_dir=$(cd "$run_dir" && pwd)
data="$run_dir/data"
pid_file="$run_dir/nexus.pid"
netrc="$run_dir/netrc"
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

# The admin's first sign-in to the UI opens Nexus's setup wizard, whose required step replaces the generated password
# this script prints (and then no longer knows). The step only exists while the account's status is
# "changepassword": marking it active, all the step leaves besides the new password, keeps the wizard away.
# Also the check that the password we print works.
skip_setup_wizard() {
  local user status
  user=$(curl -s -w '\n%{http_code}' -u "admin:$(admin_password)" \
    "http://127.0.0.1:$port/service/rest/v1/security/users?userId=admin&source=default")
  status=${user##*$'\n'}
  user=${user%$'\n'*}
  case "$status" in
    200) ;;
    401) die "the admin password from $(password_source) no longer works (changed in the UI?): set NEXUS_ADMIN_PASSWORD" ;;
    *) die "reading the admin account answered HTTP $status (see $log)" ;;
  esac
  printf '%s' "$user" | grep -Eq '"status"[[:space:]]*:[[:space:]]*"changepassword"' || return 0
  user=$(printf '%s' "$user" | sed -E -e '1s/^[[:space:]]*\[//' -e '$s/\][[:space:]]*$//' \
    -e 's/"status"[[:space:]]*:[[:space:]]*"changepassword"/"status" : "active"/')
  [ "$(rest PUT /service/rest/v1/security/users/admin "$user")" = 204 ] \
    || die "could not mark the admin account active (see $log)"
  say "Marked the admin account active: signing in to the UI keeps the password below (no setup wizard)."
}

password_source() {
  if [ -n "${NEXUS_ADMIN_PASSWORD:-}" ]; then echo NEXUS_ADMIN_PASSWORD; else echo "$data/admin.password"; fi
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
  if [ "$(rest GET /service/rest/v1/repositories/nix-proxy)" != 200 ] \
    && ! curl -s -o /dev/null --max-time 5 https://cache.nixos.org/nix-cache-info; then
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

# The admin's credentials for Nix, in the file the printed nix.conf names; readable only by its owner.
write_netrc() {
  local content
  content="machine localhost login admin password $(admin_password)"
  if [ ! -f "$netrc" ] || [ "$(cat "$netrc")" != "$content" ]; then
    (umask 077 && printf '%s\n' "$content" > "$netrc")
    say "Wrote $netrc (the admin's credentials for Nix, mode 600)."
  fi
  chmod 600 "$netrc"
}

# The plugin's own client setup of nix-hosted (push there, substitute from nix-group, trust their keys), as the
# repository's usage panel shows it, with this netrc file.
client_setup() {
  local text status
  text=$(curl -s -w '\n%{http_code}' -G -u "admin:$(admin_password)" -H 'Accept: text/plain' \
    --data-urlencode "netrcFile=$netrc" --data-urlencode snippet=nixConf --data-urlencode snippet=push \
    "$url/service/rest/v1/nix/$repo/usage")
  status=${text##*$'\n'}
  [ "$status" = 200 ] || die "reading the usage of $repo answered HTTP $status (see $log)"
  printf '%s\n' "${text%$'\n'*}"
}

print_usage_info() {
  local setup
  cat <<EOF

Nexus $nexus_version is running at $url  (pid $(running_pid), log $log)
  admin password: $(admin_password)   (from $(password_source))
  stop it with:   ${NEXUS_RUN_DIR:+NEXUS_RUN_DIR=$run_dir }./src/run.sh stop
EOF
  [ "${NIX_KAR:-}" = none ] && return 0
  setup=$(client_setup) || exit 1
  cat <<EOF

Repositories: nix-hosted (your builds), nix-proxy (cache.nixos.org), nix-group (both). Push to nix-hosted and
substitute from nix-group (why not one URL for both: docs/nix-client.md).

# netrc ($netrc, written by run.sh)
$(cat "$netrc")

$setup
EOF
}

start() {
  local pid
  if pid=$(running_pid); then
    use_configured_port
    say "Nexus is already running (pid $pid); not rebuilding (replacing the kar in a running Nexus uninstalls"
    say "the plugin). Use ./src/run.sh restart to load a new build."
    skip_setup_wizard
    [ "${NIX_KAR:-}" = none ] || write_netrc
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
  skip_setup_wizard
  ensure_repositories
  [ "${NIX_KAR:-}" = none ] || write_netrc
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
