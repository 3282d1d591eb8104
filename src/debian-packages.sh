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

# The *Postgres* unit tests run the plugin's SQL on a real PostgreSQL: Debian's postgresql (15), its cluster
# started when it is down, and a role and database of the tests' own (password login on 127.0.0.1). Idempotent.
# Prints the JDBC URL the tests are given (-Dnix.test.postgres.url).
ensure_postgres() {
  local role=nexus_nix_test version cluster
  if ! command -v pg_ctlcluster >/dev/null 2>&1; then
    if [ "$EUID" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
      echo "Installing from Debian: postgresql (for the *Postgres* tests)" >&2
      DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends postgresql >&2
    else
      echo "PostgreSQL missing: install Debian's postgresql (sudo apt-get install postgresql)" >&2
      exit 1
    fi
  fi
  read -r version cluster < <(pg_lsclusters -h | awk 'NR == 1 { print $1, $2 }')
  if [ -z "${version:-}" ]; then
    echo "PostgreSQL has no cluster: create one (sudo pg_createcluster 15 main)" >&2
    exit 1
  fi
  if ! pg_lsclusters -h | awk -v v="$version" -v c="$cluster" '$1 == v && $2 == c { print $4 }' | grep -q online; then
    if [ "$EUID" -ne 0 ]; then
      echo "PostgreSQL $version/$cluster is down: start it (sudo pg_ctlcluster $version $cluster start)" >&2
      exit 1
    fi
    pg_ctlcluster "$version" "$cluster" start --skip-systemctl-redirect >&2
  fi
  local port
  port=$(pg_lsclusters -h | awk -v v="$version" -v c="$cluster" '$1 == v && $2 == c { print $3 }')
  if [ "$EUID" -eq 0 ]; then
    su postgres -c "psql -p $port -tAc \"SELECT 1 FROM pg_roles WHERE rolname = '$role'\"" | grep -q 1 \
      || su postgres -c "psql -p $port -qc \"CREATE ROLE $role LOGIN PASSWORD '$role'\"" >&2
    su postgres -c "psql -p $port -tAc \"SELECT 1 FROM pg_database WHERE datname = '$role'\"" | grep -q 1 \
      || su postgres -c "psql -p $port -qc \"CREATE DATABASE $role OWNER $role\"" >&2
  fi
  echo "jdbc:postgresql://127.0.0.1:$port/$role?user=$role&password=$role"
}
