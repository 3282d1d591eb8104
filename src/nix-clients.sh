#!/usr/bin/env bash
# Newer real Nix clients for the client-compatibility tests: Debian folders made with debootstrap whose nix-bin is a
# later Nix than the machine's (Debian 12: Nix 2.8): trixie (Nix 2.26) and sid (Nix 2.34). They are made once and
# cached in ${NIX_CLIENTS_DIR:-~/.cache/nexus-repository-nix/nix-clients}/<release>.
#
#   src/nix-clients.sh ensure        make the folders that are missing (as root; a few minutes each, once)
#   src/nix-clients.sh list          print the folders, one a line
#   src/nix-clients.sh run FOLDER [--bind DIR]... -- COMMAND [ARG]...
#                                    run COMMAND as root inside FOLDER (chroot), in the current directory
#
# `run` works in a mount namespace of its own: /proc, /dev (with /dev/pts) and each --bind DIR (at the same path
# inside) are mounted there only, and vanish with the command. Nothing is ever mounted on the machine itself, so
# several test runs can use the same folders at once, a killed run leaves no mount behind, and deleting a folder
# (rm -rf) cannot reach the machine's /dev. The folders share the machine's network, so their Nix reaches a Nexus
# on 127.0.0.1.
set -euo pipefail
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

RELEASES=(trixie sid)
base=${NIX_CLIENTS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/nexus-repository-nix/nix-clients}
script=$(readlink -f "${BASH_SOURCE[0]}")

usage() {
  sed -n '2,9p' "$script" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

# The Debian mirror this machine's apt uses: the first URIs of a deb822 source that is not a security suite, or
# the first "deb" line of sources.list.
debian_mirror() {
  local file uri=""
  for file in /etc/apt/sources.list.d/*.sources; do
    [ -f "$file" ] || continue
    uri=$(awk '
      function flush() { if (uris != "" && suites !~ /security/ && found == "") found = uris; uris = ""; suites = "" }
      /^[[:space:]]*$/ { flush(); next }
      /^URIs:/ { uris = $2 }
      /^Suites:/ { suites = $0 }
      END { flush(); print found }' "$file")
    [ -n "$uri" ] && break
  done
  if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
    uri=$(awk '$1 == "deb" && $0 !~ /security/ { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; exit } }' \
      /etc/apt/sources.list)
  fi
  [ -n "$uri" ] || { echo "nix-clients: no Debian mirror found in /etc/apt/sources.list.d/*.sources or /etc/apt/sources.list" >&2; exit 1; }
  echo "$uri"
}

# Runs a command in FOLDER with /proc, /dev and the given directories mounted in a private mount namespace.
run_in() {
  local folder=$1
  shift
  local binds=()
  while [ $# -gt 0 ] && [ "$1" = --bind ]; do
    binds+=("$(readlink -f "$2")")
    shift 2
  done
  [ "${1:-}" = -- ] && shift
  [ $# -gt 0 ] || usage
  [ -x "$folder/usr/bin/env" ] || { echo "nix-clients: $folder is not a Debian folder (run: $script ensure)" >&2; exit 1; }
  exec unshare --mount --propagation private -- "$script" __inside "$(readlink -f "$folder")" "$PWD" "${binds[@]}" -- "$@"
}

# In the new mount namespace: mount, then become the command (same process, so killing it kills the command).
inside() {
  local folder=$1 cwd=$2
  shift 2
  mount -t proc proc "$folder/proc"
  mount --rbind /dev "$folder/dev"
  while [ $# -gt 0 ] && [ "$1" != -- ]; do
    mkdir -p "$folder$1"
    mount --bind "$1" "$folder$1"
    shift
  done
  shift
  if [ -d "$folder$cwd" ]; then
    exec chroot "$folder" /usr/bin/env --chdir="$cwd" "$@"
  fi
  exec chroot "$folder" "$@"
}

has_nix() {
  [ -x "$1/usr/bin/nix" ] && (run_in "$1" -- nix --version) >/dev/null 2>&1
}

# Whether anything is mounted at or under a path (a folder made by hand with the PLATFORM.md recipe has its mounts on
# the machine: removing it then would remove the machine's /dev).
has_mounts() {
  awk -v p="$1" '$2 == p || index($2, p "/") == 1 { found = 1 } END { exit !found }' /proc/self/mounts
}

make_folder() {
  local release=$1 mirror=$2
  local folder=$base/$release partial=$base/.$release.partial
  if [ -e "$folder" ]; then
    if has_mounts "$folder"; then
      echo "nix-clients: $folder exists without a working Nix and has mounts; unmount them (umount -R) or fix it by hand" >&2
      exit 1
    fi
    echo "nix-clients: $folder has no working Nix; making it again" >&2
    rm -rf "$folder"
  fi
  if [ -e "$partial" ]; then
    has_mounts "$partial" && { echo "nix-clients: $partial has mounts; unmount them first" >&2; exit 1; }
    rm -rf "$partial"
  fi
  local begin=$SECONDS
  echo "nix-clients: making $folder (debootstrap $release from the machine's Debian mirror)" >&2
  debootstrap --variant=minbase "$release" "$partial" "$mirror" >"$base/.$release.log" 2>&1 \
    || { echo "nix-clients: debootstrap $release failed; see $base/.$release.log" >&2; exit 1; }
  # The mirror's copy of Debian can be older than the clock: its Release files look expired to apt.
  # No recommended packages: nix-bin recommends nix-setup-systemd, a daemon setup that fails without systemd.
  (run_in "$partial" -- sh -c 'apt-get -q -o Acquire::Check-Valid-Until=false update &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends nix-bin curl xz-utils &&
      apt-get clean') >>"$base/.$release.log" 2>&1 \
    || { echo "nix-clients: installing nix-bin in $release failed; see $base/.$release.log" >&2; exit 1; }
  has_nix "$partial" || { echo "nix-clients: nix does not run in $partial; see $base/.$release.log" >&2; exit 1; }
  mv "$partial" "$folder"
  echo "nix-clients: $folder ready in $((SECONDS - begin)) s: $(run_in "$folder" -- nix --version)" >&2
}

ensure() {
  mkdir -p "$base"
  local missing=() release
  for release in "${RELEASES[@]}"; do
    has_nix "$base/$release" || missing+=("$release")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$EUID" -ne 0 ]; then
    echo "nix-clients: ${missing[*]} missing in $base; run as root: $script ensure" >&2
    exit 1
  fi
  # One maker at a time; whoever waited finds the folders made.
  exec 9>"$base/.lock"
  flock 9
  # shellcheck source=src/debian-packages.sh
  source "$(dirname "$script")/debian-packages.sh"
  ensure_programs "debootstrap:debootstrap"
  local mirror
  mirror=$(debian_mirror)
  for release in "${missing[@]}"; do
    has_nix "$base/$release" || make_folder "$release" "$mirror"
  done
}

case "${1:-}" in
  ensure) ensure ;;
  list) for release in "${RELEASES[@]}"; do echo "$base/$release"; done ;;
  run) shift; [ $# -gt 0 ] || usage; run_in "$@" ;;
  __inside) shift; inside "$@" ;;
  *) usage ;;
esac
