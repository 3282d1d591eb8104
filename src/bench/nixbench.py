"""Helpers of the benchmark harness (src/bench.sh): Nix's base32, NAR serialisation of one file, Nix clients with
their own settings and caches, the Nexus REST API, statistics.

Nothing here knows about workloads; bench.py does.
"""

import base64
import hashlib
import http.client
import itertools
import json
import os
import shutil
import statistics
import struct
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

NIX32_ALPHABET = "0123456789abcdfghijklmnpqrsvwxyz"


def nix32(data: bytes) -> str:
    """Nix's base-32: no padding, bits taken from the end of the byte string."""
    length = (len(data) * 8 + 4) // 5
    out = []
    for n in range(length - 1, -1, -1):
        bit = n * 5
        i, shift = divmod(bit, 8)
        value = data[i] >> shift
        if i + 1 < len(data):
            value |= data[i + 1] << (8 - shift)
        out.append(NIX32_ALPHABET[value & 0x1F])
    return "".join(out)


def _nar_str(data: bytes) -> bytes:
    return struct.pack("<Q", len(data)) + data + b"\0" * ((8 - len(data) % 8) % 8)


def nar_of_file(contents: bytes, executable: bool = False) -> bytes:
    """The NAR serialisation (what nix-store --dump writes) of a single regular file."""
    parts = [b"nix-archive-1", b"(", b"type", b"regular"]
    if executable:
        parts += [b"executable", b""]
    parts += [b"contents", contents, b")"]
    return b"".join(_nar_str(p) for p in parts)


def sha256_nix32(data: bytes) -> str:
    return nix32(hashlib.sha256(data).digest())


def monotonic() -> float:
    return time.monotonic()


# --- processes ---------------------------------------------------------------------------------------------


class CommandFailed(RuntimeError):
    pass


def run(args, env=None, cwd=None, timeout=3600, check=True, capture=True):
    """Runs a command; returns CompletedProcess. Raises CommandFailed with the output's tail when it fails."""
    result = subprocess.run(args, env=env, cwd=cwd, timeout=timeout, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE if capture else None,
                            stderr=subprocess.PIPE if capture else None, text=True)
    if check and result.returncode != 0:
        tail = lambda s: "\n".join((s or "").splitlines()[-30:])
        raise CommandFailed(f"{' '.join(map(str, args))} -> exit {result.returncode}\n"
                            f"stdout: {tail(result.stdout)}\nstderr: {tail(result.stderr)}")
    return result


# --- Nix clients -------------------------------------------------------------------------------------------

BASE_NIX_CONFIG = [
    "build-users-group =",
    "sandbox = false",
    "experimental-features = nix-command",
    "substituters =",
    "require-sigs = false",
    # Substitutions in parallel, the same for every target (Nix 2.8 counts them against max-jobs).
    "max-jobs = 8",
]

_client_counter = itertools.count(1)


class NixClient:
    """A Nix CLI with its own HOME, XDG cache (Nix caches narinfo hits and misses there), config and netrc.

    Like the integration tests' NixClient: every setting comes from NIX_CONFIG, never from the machine's nix.conf.
    """

    def __init__(self, work_dir, name, netrc=None, options=()):
        self.dir = tempfile.mkdtemp(prefix=f"{name}-{next(_client_counter)}-", dir=work_dir)
        for sub in ("home", "cache", "config", "conf-dir", "tmp"):
            os.makedirs(os.path.join(self.dir, sub))
        lines = list(BASE_NIX_CONFIG) + [f"{k} = {v}" for k, v in options]
        if netrc:
            host, user, password = netrc
            path = os.path.join(self.dir, "netrc")
            with open(path, "w") as f:
                f.write(f"machine {host}\nlogin {user}\npassword {password}\n")
            os.chmod(path, 0o600)
            lines.append(f"netrc-file = {path}")
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": os.path.join(self.dir, "home"),
            "XDG_CACHE_HOME": os.path.join(self.dir, "cache"),
            "XDG_CONFIG_HOME": os.path.join(self.dir, "config"),
            "NIX_CONF_DIR": os.path.join(self.dir, "conf-dir"),
            "NIX_CONFIG": "\n".join(lines) + "\n",
            "TMPDIR": os.path.join(self.dir, "tmp"),
            "NIX_PAGER": "cat",
            "TERM": "dumb",
            "LANG": "C.UTF-8",
        }

    def run(self, *args, timeout=7200, check=True):
        return run(list(args), env=self.env, cwd=self.dir, timeout=timeout, check=check)

    def timed(self, *args, timeout=7200):
        """Runs a command and returns its wall-clock seconds (monotonic clock)."""
        begin = monotonic()
        self.run(*args, timeout=timeout)
        return monotonic() - begin

    def copy_to(self, url, paths):
        return self.timed("nix", "copy", "--to", url, *paths)

    def substitute(self, store_dir, url, paths):
        """nix-store -r into a throwaway chroot store: a real download even when /nix/store has the paths."""
        return self.timed("nix-store", "--store", store_dir, "-r", *paths,
                          "--option", "substituters", url, "--option", "require-sigs", "false")

    def cleanup(self):
        remove_tree(self.dir)


def remove_tree(path):
    """Removes a directory tree, including read-only store paths inside a chroot store."""
    if not os.path.exists(path):
        return
    if os.geteuid() != 0:
        subprocess.run(["chmod", "-R", "u+w", path], check=False)
    shutil.rmtree(path, ignore_errors=True)


# --- HTTP and the Nexus REST API ---------------------------------------------------------------------------


def basic_auth(user, password):
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def http_request(url, method="GET", body=None, headers=None, timeout=120):
    """Returns (status, body bytes). Never raises for HTTP error statuses."""
    data = None
    hdrs = dict(headers or {})
    if body is not None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        if not isinstance(body, bytes):
            hdrs.setdefault("Content-Type", "application/json")
    request = urllib.request.Request(url, data=data, method=method, headers=hdrs)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


class Nexus:
    def __init__(self, url, password, pid):
        self.url = url.rstrip("/")
        self.password = password
        self.pid = pid
        self.auth = basic_auth("admin", password)

    def repo_url(self, name):
        return f"{self.url}/repository/{name}"

    def rest(self, method, path, body=None, expect=(200, 201, 204)):
        status, data = http_request(self.url + path, method, body, {"Authorization": self.auth})
        if expect and status not in expect:
            raise RuntimeError(f"{method} {path} -> HTTP {status}: {data[:500]!r}")
        return status, data

    def set_anonymous(self, enabled):
        self.rest("PUT", "/service/rest/v1/security/anonymous",
                  {"enabled": enabled, "userId": "anonymous", "realmName": "NexusAuthorizingRealm"})

    def create_nix_hosted(self, name, nix=None):
        self.rest("POST", "/service/rest/v1/repositories/nix/hosted", {
            "name": name, "online": True,
            "storage": {"blobStoreName": "default", "strictContentTypeValidation": True,
                        "writePolicy": "allow_once"},
            "nix": nix or {}})
        return self.repo_url(name)

    def create_nix_proxy(self, name, remote):
        self.rest("POST", "/service/rest/v1/repositories/nix/proxy", {
            "name": name, "online": True,
            "storage": {"blobStoreName": "default", "strictContentTypeValidation": True},
            "proxy": {"remoteUrl": remote, "contentMaxAge": 1440, "metadataMaxAge": 1440},
            "negativeCache": {"enabled": True, "timeToLive": 1440},
            "httpClient": {"blocked": False, "autoBlock": False},
            # the benchmark's upstream is an unsigned static cache
            "nix": {"trustedUpstreamKeys": []}})
        return self.repo_url(name)

    def create_nix_group(self, name, members):
        self.rest("POST", "/service/rest/v1/repositories/nix/group", {
            "name": name, "online": True,
            "storage": {"blobStoreName": "default", "strictContentTypeValidation": True},
            "group": {"memberNames": members},
            "nix": {}})
        return self.repo_url(name)

    def create_raw_hosted(self, name):
        # What people use as a Nix cache today: no strict content types (narinfos would be re-typed), write
        # policy allow (Nix PUTs nix-cache-info itself).
        self.rest("POST", "/service/rest/v1/repositories/raw/hosted", {
            "name": name, "online": True,
            "storage": {"blobStoreName": "default", "strictContentTypeValidation": False, "writePolicy": "allow"}})
        return self.repo_url(name)

    def delete_repository(self, name):
        self.rest("DELETE", f"/service/rest/v1/repositories/{name}", expect=(204, 404))


class KeepAliveClient:
    """One persistent HTTP/1.1 connection (for bulk PUTs from a worker thread)."""

    def __init__(self, host, port, auth):
        self.host, self.port, self.auth = host, port, auth
        self.conn = None

    def request(self, method, path, body=b"", content_type="application/octet-stream"):
        for attempt in range(3):
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection(self.host, self.port, timeout=120)
                self.conn.request(method, path, body=body,
                                  headers={"Authorization": self.auth, "Content-Type": content_type})
                response = self.conn.getresponse()
                data = response.read()
                return response.status, data
            except (http.client.HTTPException, OSError):
                if self.conn is not None:
                    self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def close(self):
        if self.conn is not None:
            self.conn.close()


# --- statistics --------------------------------------------------------------------------------------------


def summary(samples):
    """median, min, max of a list of numbers (None if empty)."""
    if not samples:
        return None
    return {"median": statistics.median(samples), "min": min(samples), "max": max(samples), "n": len(samples),
            "samples": list(samples)}


def rotated(items, shift):
    """items rotated left by shift: each iteration starts with another target."""
    shift %= len(items)
    return items[shift:] + items[:shift]


# --- CPU time of the servers -------------------------------------------------------------------------------

_CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def process_cpu(pid):
    """User + system CPU seconds of a process (all its threads) so far; 0 if it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS
    except (OSError, IndexError, ValueError):
        return 0.0


def process_tree_cpu(pid):
    """process_cpu of a process and its direct children (nginx: the master and its workers). The children are
    found by their parent pid in /proc (/proc/<pid>/task/<pid>/children needs CONFIG_PROC_CHILDREN)."""
    total = process_cpu(pid)
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            total += (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS
    return total
