#!/usr/bin/env bash
# The test command: ./src/test.sh [extra maven arguments]
#
# Builds the plugin, runs its unit tests, then every integration test of nexus-repository-nix-it against
# one real Nexus 3.71.0-06 (from Maven Central) with the freshly built kar, driven by the real Nix CLI.
# Installs what the suite needs from Debian first (as root), or says what is missing: the machine's Nix
# (2.8) for the whole suite, and the newer Nix clients of the client-compatibility suite (2.26, 2.34), which
# src/nix-clients.sh makes once as Debian folders and caches (~7 minutes the first time).
#
# Examples:  ./src/test.sh
#            ./src/test.sh -Dit.test=RawRepositoryAsNixCacheIT      (one integration test class)
#            ./src/test.sh -pl nexus-repository-nix-it -Dnix.kar=none (infrastructure only, no plugin)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=src/debian-packages.sh
source "$root/src/debian-packages.sh"

# Programs the integration tests run, and the Debian packages that provide them.
required=(
  "nix-store:nix-bin"              # the real Nix client (2.8 on Debian 12): nix, nix-store, nix-build
  "chromium:chromium"              # the browser of the UI tests (Ui*IT), run headless
  "chromedriver:chromium-driver"   # how Selenium drives it; nothing is downloaded
)

ensure_programs "${required[@]}"
ensure_jdk17
"$root/src/nix-clients.sh" ensure

cd "$root"
exec mvn -B verify "$@"
