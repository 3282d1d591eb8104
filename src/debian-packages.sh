# Sourced by src/test.sh and src/run.sh: make sure programs the scripts need are installed.
#
#   ensure_programs "<program>:<debian package>" ...
#
# Missing programs are installed with apt-get when running as root (non-interactively, without
# recommended packages: nix-bin's recommendation nix-setup-systemd would set up a daemon that nothing
# here uses). Otherwise the function prints what to install and exits 1.

ensure_programs() {
  local pair program package missing=() packages=()
  for pair in "$@"; do
    program=${pair%%:*}
    package=${pair#*:}
    if ! command -v "$program" >/dev/null 2>&1; then
      missing+=("$program")
      packages+=("$package")
    fi
  done
  [ ${#missing[@]} -eq 0 ] && return 0

  if [ "$EUID" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing from Debian: ${packages[*]} (for ${missing[*]})" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${packages[@]}"
    return 0
  fi

  local i
  for i in "${!missing[@]}"; do
    if [ "${packages[$i]}" = nix-bin ]; then
      echo "Nix client missing: install Debian's nix-bin (sudo apt-get install nix-bin)" >&2
    else
      echo "${missing[$i]} missing: install Debian's ${packages[$i]} (sudo apt-get install ${packages[$i]})" >&2
    fi
  done
  exit 1
}

# Maven and the plugin build want JDK 17 (Nexus 3.71 runs on it, the plugin's compiler setup is tested
# with it). Use Debian's when JAVA_HOME is not set and the default java is another version.
ensure_jdk17() {
  if [ -z "${JAVA_HOME:-}" ] && [ -x /usr/lib/jvm/java-17-openjdk-amd64/bin/javac ]; then
    if ! java -version 2>&1 | head -n 1 | grep -q '"17\.'; then
      export JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64
    fi
  fi
  command -v mvn >/dev/null 2>&1 || { echo "Maven missing: install Debian's maven (sudo apt-get install maven)" >&2; exit 1; }
}
