#!/usr/bin/env bash
# The test command: ./src/test.sh [extra maven arguments]
#
# Builds the plugin, runs its unit tests (those named *Postgres* on Debian's PostgreSQL, which it starts), then every
# integration test of nexus-repository-nix-it against one real Nexus 3.71.0-06 (from Maven Central) with the
# freshly built kar, driven by the real Nix CLI (the *OnS3IT ones on an S3 blob store: S3Proxy from Maven Central).
# Before that, the plugin's sources and unit tests against Nexus 3.77.2-02's APIs (nexus-repository-nix-3.77).
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
postgres_url=$(ensure_postgres)

cd "$root"
# compile + unit tests only: no Nexus 3.77 can be run here (none on Maven Central)
mvn -B -Dpublic -P nexus-3.77 -pl nexus-repository-nix-3.77 test -Dnix.test.postgres.url="$postgres_url"
exec mvn -B verify -Dnix.test.postgres.url="$postgres_url" "$@"
