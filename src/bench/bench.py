#!/usr/bin/env python3
"""The benchmark of src/bench.sh: the plugin against a raw hosted repository (what Nexus users use as a Nix cache
today) and nginx serving the same files statically (the ceiling), side by side, in one run.

src/bench.sh builds the plugin and starts Nexus, then runs this with the Nexus URL, pid and admin password in the
environment. This script generates the closure, starts nginx, creates the repositories, runs the workloads W1-W8
(alternating targets between iterations), and writes docs/benchmarks.json and the generated part of
docs/benchmarks.md (see report.py). Every duration is measured with a monotonic clock.
"""

import argparse
import concurrent.futures
import datetime
import hashlib
import json
import os
import platform
import random
import re
import signal
import statistics
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import closure as closure_gen  # noqa: E402
import profiles  # noqa: E402
import report  # noqa: E402
from nixbench import (KeepAliveClient, Nexus, NixClient, http_request, monotonic, nar_of_file, nix32,  # noqa: E402
                      process_cpu, process_tree_cpu, remove_tree, rotated, run, sha256_nix32, summary)

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

MODES = {
    # development: a small closure, one iteration, short load runs
    "quick": dict(generated=30, large_bytes=64 << 20, iterations=1, wrk_seconds=3, w7_large=5000,
                  w7_seconds=3, misses=500),
    # the benchmark of the issue: >= 200 paths, a 1 GiB path, 3 iterations alternating targets
    "full": dict(generated=220, large_bytes=1 << 30, iterations=3, wrk_seconds=10, w7_large=100_000,
                 w7_seconds=10, misses=2000),
}

# W7: the small repository size, and the connections that fill the repositories (on 2 cores, 16 connections
# filled about 15% faster than 8; 32 no faster than 16)
W7_SMALL = 1000
W7_CONNECTIONS = 16

WORKLOADS = ["W1", "W2", "W3", "W4", "W5", "W6", "W7", "W8"]
# Execution order: W7 fills a repository with 100,000 narinfos, so it goes last; W5 reads what W8 uploads.
ORDER = ["W1", "W2", "W3", "W4", "W6", "W8", "W5", "W7"]


def log(message):
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


class Bench:
    def __init__(self, args):
        self.args = args
        self.mode = MODES[args.mode]
        self.iterations = args.iterations or self.mode["iterations"]
        self.work = os.environ["BENCH_DIR"]
        self.clients_dir = os.path.join(self.work, "clients")
        os.makedirs(self.clients_dir, exist_ok=True)
        self.nexus = Nexus(os.environ["BENCH_NEXUS_URL"], os.environ["BENCH_ADMIN_PASSWORD"],
                           int(os.environ["BENCH_NEXUS_PID"]))
        self.nexus_log_dir = os.environ["BENCH_NEXUS_LOG_DIR"]
        self.nginx_port = int(os.environ.get("BENCH_NGINX_PORT", "8096"))
        self.nginx_auth_port = self.nginx_port + 1
        self.nginx_url = f"http://127.0.0.1:{self.nginx_port}"
        self.nginx_auth_url = f"http://127.0.0.1:{self.nginx_auth_port}"
        self.netrc = ("127.0.0.1", "admin", self.nexus.password)
        self.auth = self.nexus.auth
        self.nginx = None
        self.results = {}
        self.profiles = {}
        self.counter = 0
        self.selected = [w for w in ORDER if w in args.only] if args.only else list(ORDER)

    # --- helpers ---------------------------------------------------------------------------------------------

    def client(self, name, netrc=True, **options):
        return NixClient(self.clients_dir, name, self.netrc if netrc else None, options.items())

    def unique(self, prefix):
        self.counter += 1
        return f"{prefix}-{self.counter}"

    def scratch(self, name):
        path = os.path.join(self.work, "scratch", self.unique(name))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        return path

    def repo_path(self, name, suffix):
        return f"/repository/{name}/{suffix}"

    def store_hash(self, store_path):
        return os.path.basename(store_path)[:32]

    def server_cpu(self, key):
        """CPU seconds used so far by the server behind a target: nginx's processes, or Nexus's JVM."""
        if key == "file":
            return None
        if key == "nginx":
            return process_tree_cpu(self.nginx.pid)
        return process_cpu(self.nexus.pid)

    def measured(self, key, action):
        """(action()'s result, CPU seconds the target's server spent meanwhile)."""
        before = self.server_cpu(key)
        value = action()
        after = self.server_cpu(key)
        return value, (None if before is None else after - before)

    # --- setup -------------------------------------------------------------------------------------------------

    def setup(self):
        self.started = monotonic()
        self.meta = machine_and_versions()
        self.meta["mode"] = self.args.mode
        self.meta["iterations"] = self.iterations
        self.meta["nexus_heap"] = os.environ.get("BENCH_XMX", "1g")
        log(f"{self.args.mode} run, {self.iterations} iteration(s); load average {self.meta['load_before']}")

        begin = monotonic()
        builder = self.client("closure", netrc=False, **{"max-jobs": "4", "cores": "1"})
        self.closure = closure_gen.build(builder, os.path.join(self.work, "closure"), self.mode["generated"],
                                         self.mode["large_bytes"])
        self.meta["closure"] = {k: v for k, v in self.closure.items() if k != "paths"}
        log(f"closure: {self.closure['path_count']} paths, {self.closure['nar_bytes'] / 1e6:.1f} MB of NARs, "
            f"large path {self.closure['large_nar_bytes'] / (1 << 20):.0f} MiB "
            f"(ready in {monotonic() - begin:.0f} s)")
        self.root = self.closure["root"]
        self.large = self.closure["large_path"]
        self.hashes = [self.store_hash(p) for p in self.closure["paths"]]

        # The static cache nginx serves, the proxy's upstream: written by the real Nix, zstd like the hosted copy.
        self.static = os.path.join(self.work, "static")
        remove_tree(self.static)
        builder.run("nix", "copy", "--to", f"file://{self.static}?compression=zstd", self.root)
        self.start_nginx()

        # Anonymous access on: the "anonymous" cases of W3/W4 need it; every other request authenticates.
        self.nexus.set_anonymous(True)
        self.hosted = self.nexus.create_nix_hosted("bench-hosted")
        self.raw = self.nexus.create_raw_hosted("bench-raw")
        self.proxy = self.nexus.create_nix_proxy("bench-proxy", self.nginx_url)
        self.group = self.nexus.create_nix_group("bench-group", ["bench-hosted", "bench-proxy"])
        pusher = self.client("push")
        for url in (self.hosted, self.raw):
            pusher.copy_to(url + "?compression=zstd", [self.root])
        if "W3" in self.selected or "W4" in self.selected:
            # signing on: the repository signs each narinfo as it serves it (W3 shows what that costs)
            self.signed = self.nexus.create_nix_hosted("bench-hosted-signed", {"signing": {"generate": True}})
            pusher.copy_to(self.signed + "?compression=zstd", [self.root])
        pusher.cleanup()
        self.warm_up()
        log(f"setup done in {monotonic() - self.started:.0f} s")

    def start_nginx(self):
        directory = os.path.join(self.work, "nginx")
        os.makedirs(os.path.join(directory, "tmp"), exist_ok=True)
        htpasswd = os.path.join(directory, "htpasswd")
        hashed = run(["openssl", "passwd", "-apr1", self.nexus.password]).stdout.strip()
        with open(htpasswd, "w") as f:
            f.write(f"admin:{hashed}\n")
        user = "user root root;" if os.geteuid() == 0 else ""
        conf = os.path.join(directory, "nginx.conf")
        temp = os.path.join(directory, "tmp")
        with open(conf, "w") as f:
            f.write(f"""# Generated by src/bench/bench.py: the static cache, as a well-tuned static file server serves it.
{user}
worker_processes auto;
pid {directory}/nginx.pid;
error_log {directory}/error.log warn;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  sendfile on;
  tcp_nopush on;
  tcp_nodelay on;
  keepalive_requests 1000000;
  keepalive_timeout 120s;
  types {{ text/x-nix-narinfo narinfo; text/x-nix-cache-info nix-cache-info; application/x-nix-nar nar zst xz; }}
  default_type application/octet-stream;
  client_body_temp_path {temp}/client;
  proxy_temp_path {temp}/proxy;
  fastcgi_temp_path {temp}/fastcgi;
  uwsgi_temp_path {temp}/uwsgi;
  scgi_temp_path {temp}/scgi;
  server {{ listen 127.0.0.1:{self.nginx_port}; root {self.static}; }}
  server {{ listen 127.0.0.1:{self.nginx_auth_port}; root {self.static};
           auth_basic "nix"; auth_basic_user_file {htpasswd}; }}
}}
""")
        self.nginx = subprocess.Popen(["nginx", "-p", directory, "-c", conf, "-g", "daemon off;"],
                                      stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                      stderr=open(os.path.join(directory, "stderr.log"), "w"))
        for _ in range(100):
            try:
                if http_request(self.nginx_url + "/nix-cache-info")[0] == 200:
                    return
            except OSError:  # not listening yet (URLError is an OSError)
                pass
            if self.nginx.poll() is not None:
                raise RuntimeError(f"nginx exited: see {directory}/stderr.log")
            time.sleep(0.1)
        raise RuntimeError("nginx did not start")

    def stop_nginx(self):
        if self.nginx is not None and self.nginx.poll() is None:
            self.nginx.terminate()
            try:
                self.nginx.wait(10)
            except subprocess.TimeoutExpired:
                self.nginx.kill()

    def warm_up(self):
        """One unrecorded substitution and a short load run per target: the JIT has seen every code path."""
        log("warming up (not recorded)")
        for url in (self.hosted, self.raw, self.group):
            c = self.client("warm-up")
            store = self.scratch("store")
            c.substitute(store, url, [self.root])
            remove_tree(store)
            c.cleanup()
        for name in ("bench-hosted", "bench-raw", "bench-group"):
            self.wrk([self.repo_path(name, h + ".narinfo") for h in self.hashes], self.auth, seconds=2)

    # --- load runs -----------------------------------------------------------------------------------------

    def wrk(self, paths, auth, seconds, base=None, connections=16, threads=2):
        """wrk over a list of request paths; returns its JSON summary (rps, latency_us p50/p90/p99, errors)."""
        base = base or self.nexus.url
        directory = os.path.join(self.work, "wrk")
        os.makedirs(directory, exist_ok=True)
        paths_file = os.path.join(directory, "paths.txt")
        out_file = os.path.join(directory, "out.json")
        with open(paths_file, "w") as f:
            f.write("\n".join(paths) + "\n")
        env = dict(os.environ, BENCH_PATHS=paths_file, BENCH_OUT=out_file, BENCH_AUTH=auth or "")
        run(["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--timeout", "10s",
             "-s", os.path.join(HERE, "wrk-paths.lua"), base + "/"], env=env, timeout=seconds + 120)
        with open(out_file) as f:
            return json.load(f)

    def check_status(self, base, paths, auth, expected):
        """The first few paths answer the expected status (wrk itself does not look at statuses)."""
        headers = {"Authorization": auth} if auth else {}
        for path in paths[:5]:
            status, body = http_request(base + path, headers=headers)
            if status != expected:
                raise RuntimeError(f"GET {base}{path} answered {status}, expected {expected}: {body[:300]!r}")

    # --- W1: nix copy --to -------------------------------------------------------------------------------------

    def w1(self):
        rows = []
        targets = [("hosted", "plugin hosted"), ("raw", "raw hosted"), ("file", "file:// (local directory)")]
        for compression in ("none", "zstd"):
            samples = {key: [] for key, _ in targets}
            cpu = {key: [] for key, _ in targets}
            for i in range(self.iterations):
                for key, _ in rotated(targets, i):
                    seconds, used = self.w1_once(key, compression)
                    samples[key].append(seconds)
                    cpu[key].append(used)
                    log(f"W1 {compression} {key}: {seconds:.2f} s" + cpu_text(used))
            for key, label in targets:
                rows.append(row(f"compression={compression}", key, label, samples[key], cpu[key]))
        self.results["W1"] = workload(
            "nix copy --to: the closure into an empty cache", "s", "lower", rows,
            f"`nix copy --to <url>?compression=<c>` of the {self.closure['path_count']}-path closure with netrc "
            f"credentials; each run into a new, empty repository (or directory).")

    def w1_once(self, key, compression):
        c = self.client("w1")
        if key == "file":
            directory = self.scratch("file-cache")
            url = f"file://{directory}"
        else:
            name = self.unique(f"w1-{key}-{compression}")
            url = (self.nexus.create_nix_hosted if key == "hosted" else self.nexus.create_raw_hosted)(name)
        seconds, used = self.measured(key, lambda: c.copy_to(f"{url}?compression={compression}", [self.root]))
        if key == "file":
            remove_tree(directory)
        else:
            self.nexus.delete_repository(name)
        c.cleanup()
        return seconds, used

    # --- W2: substitute into an empty store -------------------------------------------------------------------

    def w2_targets(self):
        return [("hosted", "plugin hosted", self.hosted), ("group", "plugin group", self.group),
                ("raw", "raw hosted", self.raw), ("nginx", "nginx static", self.nginx_url)]

    def w2(self):
        targets = self.w2_targets()
        samples = {key: [] for key, _, _ in targets}
        cpu = {key: [] for key, _, _ in targets}
        for i in range(self.iterations):
            for key, _, url in rotated(targets, i):
                seconds, used = self.measured(key, lambda: self.substitute_once(url, [self.root]))
                samples[key].append(seconds)
                cpu[key].append(used)
                log(f"W2 {key}: {seconds:.2f} s" + cpu_text(used))
        rows = [row("closure", key, label, samples[key], cpu[key]) for key, label, _ in targets]
        self.results["W2"] = workload(
            "substitute the closure into an empty store", "s", "lower", rows,
            f"`nix-store --store <empty dir> -r <root>` of the {self.closure['path_count']}-path closure (zstd NARs) "
            f"with `substituters = <url>`, netrc credentials, `max-jobs = 8`, a fresh Nix cache directory each run.")

    def substitute_once(self, url, paths):
        c = self.client("substituter")
        store = self.scratch("store")
        seconds = c.substitute(store, url, paths)
        for path in paths:
            if not os.path.exists(os.path.join(store, path.lstrip("/"))):
                raise RuntimeError(f"{path} was not substituted from {url}")
        remove_tree(store)
        c.cleanup()
        return seconds

    # --- W3/W4: narinfo hits and misses under load ---------------------------------------------------------

    def load_targets(self, kind):
        """(key, label, base URL, path prefix, anonymous base) of W3 (hits) or W4 (misses)."""
        nexus = self.nexus.url
        targets = [("hosted", "plugin hosted", nexus, "/repository/bench-hosted/")]
        if kind == "hits":
            targets.append(("hosted-signed", "plugin hosted, signing", nexus, "/repository/bench-hosted-signed/"))
        else:
            targets.append(("proxy", "plugin proxy (negative cache warm)", nexus, "/repository/bench-proxy/"))
        targets += [("group", "plugin group", nexus, "/repository/bench-group/"),
                    ("raw", "raw hosted", nexus, "/repository/bench-raw/"),
                    ("nginx", "nginx static", None, "/")]
        return targets

    def narinfo_load(self, workload_id, kind, hashes, expected):
        targets = self.load_targets(kind)
        rows = []
        for auth_mode in ("anonymous", "basic"):
            auth = self.auth if auth_mode == "basic" else None
            samples = {t[0]: [] for t in targets}
            latencies = {t[0]: [] for t in targets}
            cpu = {t[0]: [] for t in targets}
            for t in targets:
                key, _, base, prefix = t
                base = base or (self.nginx_auth_url if auth else self.nginx_url)
                self.check_status(base, [prefix + h + ".narinfo" for h in hashes], auth, expected)
            for i in range(self.iterations):
                for key, _, base, prefix in rotated(targets, i):
                    base = base or (self.nginx_auth_url if auth else self.nginx_url)
                    result, used = self.measured(key, lambda: self.wrk(
                        [prefix + h + ".narinfo" for h in hashes], auth, self.mode["wrk_seconds"], base=base))
                    per_request = used / result["requests"] * 1e6 if result["requests"] else None
                    bad = result["errors"]["connect"] + result["errors"]["read"] + result["errors"]["timeout"]
                    status_errors = result["errors"]["status"]
                    if bad or (expected < 400 and status_errors) or (expected >= 400 and
                                                                     status_errors != result["requests"]):
                        raise RuntimeError(f"{workload_id} {key} {auth_mode}: unexpected errors {result}")
                    samples[key].append(result["rps"])
                    latencies[key].append(result["latency_us"])
                    cpu[key].append(per_request)
                    log(f"{workload_id} {auth_mode} {key}: {result['rps']:.0f} req/s, "
                        f"p50 {result['latency_us']['p50'] / 1000:.2f} ms" + cpu_per_request_text(per_request))
            for key, label, _, _ in targets:
                r = row(auth_mode, key, label, samples[key], cpu[key])
                r["p50_ms"] = median_of([x["p50"] / 1000 for x in latencies[key]])
                r["p99_ms"] = median_of([x["p99"] / 1000 for x in latencies[key]])
                rows.append(r)
        return rows

    def w3(self):
        rows = self.narinfo_load("W3", "hits", self.hashes, 200)
        self.results["W3"] = workload(
            "narinfo GET hits, 16 connections", "req/s", "higher", rows,
            f"wrk, 2 threads, 16 keep-alive connections, {self.mode['wrk_seconds']} s per run, cycling through the "
            f"closure's {len(self.hashes)} narinfos; anonymous, and with `Authorization: Basic` (admin) on every "
            f"request (nginx: auth_basic with an apr1 htpasswd). p50/p99: wrk's latency percentiles.")

    def w4(self):
        rnd = random.Random(4)
        misses = [nix32(rnd.randbytes(20)) for _ in range(self.mode["misses"])]
        # warm the proxy's negative cache: every missing path asked once (the upstream says 404)
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            statuses = list(pool.map(lambda h: http_request(f"{self.proxy}/{h}.narinfo",
                                                            headers={"Authorization": self.auth})[0], misses))
        if set(statuses) != {404}:
            raise RuntimeError(f"warming the proxy's negative cache answered {set(statuses)}")
        rows = self.narinfo_load("W4", "misses", misses, 404)
        self.results["W4"] = workload(
            "narinfo GET misses (404), 16 connections", "req/s", "higher", rows,
            f"As W3, over {len(misses)} store hashes no repository has. The proxy's negative cache was warmed "
            f"first (each missing path asked once); the group asks hosted, then the proxy.")

    # --- W5: 1 GiB NAR GET ---------------------------------------------------------------------------------

    def ensure_large_uploaded(self):
        if getattr(self, "large_uploaded", False):
            return
        c = self.client("push-large")
        c.run("nix", "copy", "--to", f"file://{self.static}?compression=none", self.large)
        for url in (self.hosted, self.raw):
            c.copy_to(url + "?compression=none", [self.large])
        c.cleanup()
        self.large_uploaded = True

    def large_nar_path(self):
        with open(os.path.join(self.static, self.store_hash(self.large) + ".narinfo")) as f:
            return re.search(r"^URL: (.*)$", f.read(), re.M).group(1)

    def w5(self):
        self.ensure_large_uploaded()
        nar = self.large_nar_path()
        targets = [("hosted", "plugin hosted", f"{self.hosted}/{nar}", self.auth),
                   ("group", "plugin group", None, self.auth),
                   ("raw", "raw hosted", f"{self.raw}/{nar}", self.auth),
                   ("nginx", "nginx static", f"{self.nginx_url}/{nar}", None)]
        # the group names its NARs itself (nar/<name>?hash=<store hash>): take the URL from its narinfo
        status, body = http_request(f"{self.group}/{self.store_hash(self.large)}.narinfo",
                                    headers={"Authorization": self.auth})
        group_nar = re.search(r"^URL: (.*)$", body.decode(), re.M).group(1)
        targets[1] = ("group", "plugin group", f"{self.group}/{group_nar}", self.auth)
        samples = {t[0]: [] for t in targets}
        cpu = {t[0]: [] for t in targets}
        for i in range(self.iterations):
            for key, _, url, auth in rotated(targets, i):
                rate, used = self.measured(key, lambda: self.curl_throughput(url, auth))
                samples[key].append(rate)
                cpu[key].append(used)
                log(f"W5 {key}: {rate:.0f} MiB/s" + cpu_text(used))
        rows = [row("1 GiB NAR" if self.mode["large_bytes"] == 1 << 30 else
                    f"{self.mode['large_bytes'] >> 20} MiB NAR", key, label, samples[key], cpu[key])
                for key, label, _, _ in targets]
        self.results["W5"] = workload(
            "large NAR GET throughput", "MiB/s", "higher", rows,
            f"`curl -o /dev/null` of the {self.closure['large_nar_bytes'] >> 20} MiB uncompressed NAR, one "
            f"connection, Basic auth for Nexus.")

    def curl_throughput(self, url, auth):
        args = ["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code} %{size_download} %{time_total}"]
        if auth:
            args += ["-H", f"Authorization: {auth}"]
        status, size, seconds = run(args + [url]).stdout.split()
        if status != "200" or int(size) != self.closure["large_nar_bytes"]:
            raise RuntimeError(f"GET {url}: HTTP {status}, {size} bytes")
        return int(size) / float(seconds) / (1 << 20)

    # --- W6: proxy cold and warm ---------------------------------------------------------------------------

    def w6(self):
        samples = {"cold": [], "warm": [], "nginx": []}
        cpu = {"cold": [], "warm": [], "nginx": []}

        def one(what, key, url):
            seconds, used = self.measured(key, lambda: self.substitute_once(url, [self.root]))
            samples[what].append(seconds)
            cpu[what].append(used)
            log(f"W6 {what}: {seconds:.2f} s" + cpu_text(used))

        for i in range(self.iterations):
            order = ["proxy", "nginx"] if i % 2 == 0 else ["nginx", "proxy"]
            for what in order:
                if what == "nginx":
                    one("nginx", "nginx", self.nginx_url)
                    continue
                name = self.unique("w6-proxy")
                url = self.nexus.create_nix_proxy(name, self.nginx_url)
                one("cold", "proxy", url)
                one("warm", "proxy", url)
                self.nexus.delete_repository(name)
        rows = [row("closure", "proxy-cold", "plugin proxy, cold (fetches from upstream)", samples["cold"],
                    cpu["cold"]),
                row("closure", "proxy-warm", "plugin proxy, warm (all cached)", samples["warm"], cpu["warm"]),
                row("closure", "nginx", "nginx static (the upstream itself)", samples["nginx"], cpu["nginx"])]
        self.results["W6"] = workload(
            "proxy: substitute the closure cold and warm", "s", "lower", rows,
            "As W2, through a new nix-proxy of the nginx static cache: first run cold (every narinfo and NAR "
            "fetched from nginx while streaming to the client), second run warm; against substituting from nginx "
            "directly.")

    # --- W7: scale -----------------------------------------------------------------------------------------

    def w7_item(self, index):
        """A tiny, valid store path: (store hash, NAR path, NAR bytes, narinfo text)."""
        contents = f"benchmark store path {index}\n".encode()
        nar = nar_of_file(contents)
        nar_hash = sha256_nix32(nar)
        store_hash = nix32(hashlib_sha256(f"w7-store-path-{index}".encode())[:20])
        references = ""
        if index >= 1000:
            # most real paths reference others: one of the first thousand
            ref = index % 1000
            references = f"{nix32(hashlib_sha256(f'w7-store-path-{ref}'.encode())[:20])}-w7-item-{ref}"
        narinfo = (f"StorePath: /nix/store/{store_hash}-w7-item-{index}\n"
                   f"URL: nar/{nar_hash}.nar\n"
                   f"Compression: none\n"
                   f"FileHash: sha256:{nar_hash}\n"
                   f"FileSize: {len(nar)}\n"
                   f"NarHash: sha256:{nar_hash}\n"
                   f"NarSize: {len(nar)}\n"
                   f"References: {references}\n")
        return store_hash, f"nar/{nar_hash}.nar", nar, narinfo

    def populate(self, repo, indices, workers=W7_CONNECTIONS):
        """PUTs NAR then narinfo for each index, from `workers` keep-alive connections with Basic auth (as
        `nix copy` does); logs progress with the expected time left. Returns {paths, seconds, rate, cpu_ms}: store
        paths per second and Nexus's CPU milliseconds per store path."""
        host, port = self.nexus.url.split("//")[1].split(":")
        local = threading.local()
        clients = []

        def put(index):
            if not hasattr(local, "client"):
                local.client = KeepAliveClient(host, int(port), self.auth)
                clients.append(local.client)
            store_hash, nar_path, nar, narinfo = self.w7_item(index)
            status, body = local.client.request("PUT", f"/repository/{repo}/{nar_path}", nar,
                                                "application/x-nix-nar")
            if status not in (200, 201):
                raise RuntimeError(f"PUT {nar_path} -> {status} {body[:300]!r}")
            status, body = local.client.request("PUT", f"/repository/{repo}/{store_hash}.narinfo",
                                                narinfo.encode(), "text/x-nix-narinfo")
            if status not in (200, 201):
                raise RuntimeError(f"PUT {store_hash}.narinfo -> {status} {body[:300]!r}")

        total = len(indices)
        every = max(1000, min(10_000, total // 10 // 1000 * 1000))
        cpu_before = process_cpu(self.nexus.pid)
        begin = monotonic()
        done = 0
        with concurrent.futures.ThreadPoolExecutor(workers) as pool:
            for _ in pool.map(put, indices):
                done += 1
                if done % every == 0 and done < total:
                    elapsed = monotonic() - begin
                    log(f"W7 {repo}: {done:,}/{total:,} uploaded ({done / elapsed:.0f} store paths/s, about "
                        f"{duration_text((total - done) * elapsed / done)} left)")
        seconds = monotonic() - begin
        for c in clients:
            c.close()
        return {"paths": total, "seconds": seconds, "rate": total / seconds,
                "cpu_ms": (process_cpu(self.nexus.pid) - cpu_before) / total * 1000}

    def settle(self, limit=600, idle_cores=0.2, window=5):
        """Waits (at most `limit` s) until Nexus's JVM uses less than `idle_cores` CPUs over `window` s: work the
        fill left behind (search indexing, H2) must not run during the measurements. Returns the seconds waited."""
        begin = monotonic()
        while monotonic() - begin < limit:
            before = process_cpu(self.nexus.pid)
            time.sleep(window)
            if (process_cpu(self.nexus.pid) - before) / window < idle_cores:
                break
        else:
            log(f"W7: Nexus still busy after {limit} s; measuring anyway")
        return monotonic() - begin

    def w7(self):
        small, large = W7_SMALL, self.args.w7_large or self.mode["w7_large"]
        connections = W7_CONNECTIONS
        repos = [("hosted", "plugin hosted", "w7-hosted")]
        if self.args.w7_raw:
            repos.append(("raw", "raw hosted", "w7-raw"))
        # the default settings: NAR hashes verified, closures complete
        self.nexus.create_nix_hosted("w7-hosted", {})
        if self.args.w7_raw:
            self.nexus.create_raw_hosted("w7-raw")
        rnd = random.Random(7)
        misses = [nix32(rnd.randbytes(20)) for _ in range(self.mode["misses"])]
        rows = []
        fills = []
        filled = 0
        for size in (small, large):
            for key, _, repo in repos:
                f = self.populate(repo, range(filled, size), connections)
                f.update(target=key, start=filled, end=size)
                fills.append(f)
                log(f"W7 {repo}: {size:,} store paths ({f['rate']:.0f} store paths/s, Nexus CPU "
                    f"{f['cpu_ms']:.1f} ms per store path)")
                if size == small:
                    log(f"W7 {repo}: filling up to {large:,} should take about "
                        f"{duration_text((large - small) / f['rate'])} at that rate")
            filled = size
            waited = self.settle()
            fills[-1]["settle_s"] = waited
            log(f"W7: Nexus idle after {waited:.0f} s")
            hits = [self.w7_item(i)[0] for i in random.Random(size).sample(range(size), min(size, 5000))]
            measured = {}
            for key, label, repo in repos:
                self.check_status(self.nexus.url, [f"/repository/{repo}/{h}.narinfo" for h in hits], self.auth, 200)
                self.check_status(self.nexus.url, [f"/repository/{repo}/{h}.narinfo" for h in misses], self.auth, 404)
                # warm: one short run each, then the measured ones
                self.wrk([f"/repository/{repo}/{h}.narinfo" for h in hits], self.auth, 1, connections=1, threads=1)
            for i in range(self.iterations):
                for key, label, repo in rotated(repos, i):
                    for what, hashes in rotated([("hit", hits), ("miss", misses)], i):
                        r, used = self.measured(key, lambda: self.wrk(
                            [f"/repository/{repo}/{h}.narinfo" for h in hashes], self.auth, self.mode["w7_seconds"],
                            connections=1, threads=1))
                        r["cpu_us"] = used / r["requests"] * 1e6 if r["requests"] else None
                        measured.setdefault((key, what), []).append(r)
                        log(f"W7 {size} {key} {what}: p50 {r['latency_us']['p50'] / 1000:.2f} ms, "
                            f"p99 {r['latency_us']['p99'] / 1000:.2f} ms" + cpu_per_request_text(r["cpu_us"]))
            for key, label, repo in repos:
                for what in ("hit", "miss"):
                    results = measured[(key, what)]
                    p50 = [r["latency_us"]["p50"] / 1000 for r in results]
                    r = row(f"{what}, {size:,} narinfos", key, label, p50, [x["cpu_us"] for x in results])
                    r["p99_ms"] = median_of([x["latency_us"]["p99"] / 1000 for x in results])
                    r["p99_samples"] = [x["latency_us"]["p99"] / 1000 for x in results]
                    r["rps"] = median_of([x["rps"] for x in results])
                    r["size"] = size
                    r["what"] = what
                    rows.append(r)
        verification = "the default settings (NAR hashes verified, closures complete)"
        result = workload(
            f"scale: narinfo latency with {small:,} vs {large:,} narinfos", "ms (p50)", "lower", rows,
            f"One nix-hosted repository with {verification}, filled with {small:,} tiny valid store paths (a NAR PUT, "
            f"then its narinfo PUT, over HTTP with Basic auth, {connections} connections; most paths reference one "
            f"of the first {small:,}), measured, then filled up to {large:,} and measured again, each time once "
            f"Nexus was idle again: wrk with 1 connection (latency without queueing), Basic auth, "
            f"{self.mode['w7_seconds']} s per run, hits over up to 5,000 random stored paths, misses over "
            f"{len(misses):,} unknown hashes.")
        result["sizes"] = [small, large]
        result["connections"] = connections
        result["fills"] = fills
        self.results["W7"] = result

    # --- W8: memory ----------------------------------------------------------------------------------------

    def w8(self):
        large_mib = self.closure["large_nar_bytes"] >> 20
        oom_before = count_oom(self.nexus_log_dir)
        phases = []
        c = self.client("push-large")
        c.run("nix", "copy", "--to", f"file://{self.static}?compression=none", self.large)
        idle = sample_memory(self.nexus.pid, lambda: time.sleep(2))
        phases.append(dict(phase="idle (2 s, before)", target="-", **idle))
        for key, url in (("hosted", self.hosted), ("raw", self.raw)):
            m = sample_memory(self.nexus.pid, lambda: c.copy_to(url + "?compression=none", [self.large]))
            phases.append(dict(phase=f"upload {large_mib} MiB (nix copy, compression=none)", target=key, **m))
            log(f"W8 upload {key}: {m['seconds']:.1f} s, peak RSS {m['peak_rss_mib']:.0f} MiB, "
                f"old gen {m['start_old_mib']:.0f} -> {m['peak_old_mib']:.0f} MiB")
        c.cleanup()
        self.large_uploaded = True
        for key, url in (("hosted", self.hosted), ("group", self.group), ("raw", self.raw)):
            m = sample_memory(self.nexus.pid, lambda: self.substitute_once(url, [self.large]))
            phases.append(dict(phase=f"download {large_mib} MiB (substitution)", target=key, **m))
            log(f"W8 download {key}: {m['seconds']:.1f} s, peak RSS {m['peak_rss_mib']:.0f} MiB, "
                f"old gen {m['start_old_mib']:.0f} -> {m['peak_old_mib']:.0f} MiB")
        oom_after = count_oom(self.nexus_log_dir)
        self.results["W8"] = {
            "title": f"memory: the {large_mib} MiB path through Nexus at -Xmx{self.meta['nexus_heap']}",
            "description": "Nexus's resident set (VmRSS) and the occupancy of G1's old generation (jstat -gc: OU, "
                           "which includes humongous objects) sampled every 200 ms while the large path is uploaded "
                           "with `nix copy` and substituted into an empty store; OutOfMemoryErrors counted in "
                           "Nexus's logs. A NAR held in memory would land in the old generation (a large array is "
                           "allocated there directly) and grow it by about the NAR's size; a streamed one leaves "
                           "it where it was. The young generation is not shown: eden fills with short-lived "
                           "garbage up to its size even when Nexus is idle.",
            "phases": phases,
            "large_nar_mib": large_mib,
            "oom_errors": oom_after - oom_before,
            "vm_hwm_mib": read_status(self.nexus.pid).get("VmHWM", 0) / 1024,
        }

    # --- profiles ------------------------------------------------------------------------------------------

    def profile_pairs(self):
        """One extra, unrecorded run of the plugin and of raw per workload, each under JFR."""
        nar = None
        pairs = []
        if "W1" in self.selected:
            pairs.append(("W1", "hosted", lambda: self.w1_once("hosted", "none")))
            pairs.append(("W1", "raw", lambda: self.w1_once("raw", "none")))
        if "W2" in self.selected:
            pairs.append(("W2", "hosted", lambda: self.substitute_once(self.hosted, [self.root])))
            pairs.append(("W2", "raw", lambda: self.substitute_once(self.raw, [self.root])))
        if "W3" in self.selected:
            for key in ("bench-hosted", "bench-raw"):
                pairs.append(("W3", key.split("-")[1], lambda key=key: self.wrk(
                    [self.repo_path(key, h + ".narinfo") for h in self.hashes], self.auth, self.mode["wrk_seconds"])))
        if "W4" in self.selected:
            rnd = random.Random(4)
            misses = [nix32(rnd.randbytes(20)) for _ in range(self.mode["misses"])]
            for key in ("bench-hosted", "bench-raw"):
                pairs.append(("W4", key.split("-")[1], lambda key=key: self.wrk(
                    [self.repo_path(key, h + ".narinfo") for h in misses], self.auth, self.mode["wrk_seconds"])))
        if "W5" in self.selected:
            nar = self.large_nar_path()
            pairs.append(("W5", "hosted", lambda: self.curl_throughput(f"{self.hosted}/{nar}", self.auth)))
            pairs.append(("W5", "raw", lambda: self.curl_throughput(f"{self.raw}/{nar}", self.auth)))
        return pairs

    def run_profiles(self):
        directory = os.path.join(self.work, "jfr")
        os.makedirs(directory, exist_ok=True)
        for workload_id, key, fn in self.profile_pairs():
            log(f"profiling {workload_id} {key} (JFR)")
            path = os.path.join(directory, f"{workload_id}-{key}.jfr")
            self.profiles.setdefault(workload_id, {})[key] = profiles.record(self.nexus.pid, path, fn)

    # --- main ----------------------------------------------------------------------------------------------

    def run_all(self):
        self.setup()
        for w in self.selected:
            begin = monotonic()
            log(f"--- {w}")
            getattr(self, w.lower())()
            self.results[w]["took_s"] = monotonic() - begin
        if self.args.profile:
            self.run_profiles()
        self.meta["load_after"] = load_average()
        self.meta["duration_s"] = monotonic() - self.started
        self.meta["oom_errors_total"] = count_oom(self.nexus_log_dir)
        data = {"run": self.meta, "workloads": self.results, "targets": evaluate_targets(self.results),
                "profiles": self.profiles}
        write_outputs(data, self.args)


# --- results -----------------------------------------------------------------------------------------------


def hashlib_sha256(data):
    return hashlib.sha256(data).digest()


def median_of(values):
    s = summary(values)
    return s["median"] if s else None


def row(case, key, label, samples, cpu=None):
    """One target's figures: the samples' median/min/max, and the median CPU its server used per run (or per
    request), which a busy machine distorts much less than wall-clock figures."""
    r = {"case": case, "target": key, "label": label}
    r.update(summary(samples) or {})
    cpu = [c for c in (cpu or []) if c is not None]
    if cpu:
        r["cpu"] = statistics.median(cpu)
        r["cpu_samples"] = cpu
    return r


def cpu_text(used):
    return "" if used is None else f" (server CPU {used:.2f} s)"


def duration_text(seconds):
    return f"{seconds:.0f} s" if seconds < 120 else f"{seconds / 60:.0f} min"


def cpu_per_request_text(us):
    return "" if us is None else f", server CPU {us:,.0f} µs/request"


def workload(title, unit, better, rows, description):
    return {"title": title, "unit": unit, "better": better, "rows": rows, "description": description}


def find(rows, case, target):
    for r in rows:
        if r["case"] == case and r["target"] == target:
            return r
    return None


def evaluate_targets(results):
    """The issue's targets, each with the figure it is judged on."""
    targets = []

    def add(workload_id, what, value, limit, met, detail=""):
        targets.append({"workload": workload_id, "what": what, "value": value, "limit": limit, "met": bool(met),
                        "detail": detail})

    def ratio(rows, case, target, baseline):
        a, b = find(rows, case, target), find(rows, case, baseline)
        return a["median"] / b["median"] if a and b and b["median"] else None

    def cpu_ratio(rows, case, target, baseline="raw"):
        a, b = find(rows, case, target), find(rows, case, baseline)
        if a and b and a.get("cpu") is not None and b.get("cpu"):
            return f"server CPU {a['cpu'] / b['cpu']:.2f}× raw's"
        return ""

    if "W1" in results:
        for case in ("compression=none", "compression=zstd"):
            r = ratio(results["W1"]["rows"], case, "hosted", "raw")
            add("W1", f"nix copy, {case}: plugin time / raw time", r, "<= 1.0", r is not None and r <= 1.0,
                cpu_ratio(results["W1"]["rows"], case, "hosted"))
    if "W2" in results:
        for target in ("hosted", "group"):
            r = ratio(results["W2"]["rows"], "closure", target, "raw")
            add("W2", f"substitution: plugin {target} time / raw time", r, "<= 1.0", r is not None and r <= 1.0,
                cpu_ratio(results["W2"]["rows"], "closure", target))
    if "W5" in results:
        case = results["W5"]["rows"][0]["case"]
        for target in ("hosted", "group"):
            r = ratio(results["W5"]["rows"], case, target, "raw")
            add("W5", f"large NAR GET: plugin {target} throughput / raw", r, ">= 1.0", r is not None and r >= 1.0,
                cpu_ratio(results["W5"]["rows"], case, target))
    if "W3" in results:
        for auth in ("anonymous", "basic"):
            for target in ("hosted", "group"):
                r = ratio(results["W3"]["rows"], auth, target, "raw")
                add("W3", f"narinfo hits, {auth}: plugin {target} req/s / raw", r, ">= 1.5",
                    r is not None and r >= 1.5, cpu_ratio(results["W3"]["rows"], auth, target))
    if "W4" in results:
        for auth in ("anonymous", "basic"):
            for target in ("hosted", "proxy", "group"):
                r = ratio(results["W4"]["rows"], auth, target, "raw")
                add("W4", f"narinfo misses, {auth}: plugin {target} req/s / raw", r, ">= 1.0",
                    r is not None and r >= 1.0, cpu_ratio(results["W4"]["rows"], auth, target))
    if "W7" in results:
        rows = [r for r in results["W7"]["rows"] if r["target"] == "hosted"]
        sizes = sorted({r["size"] for r in rows})
        for what in ("hit", "miss"):
            small = next(r for r in rows if r["size"] == sizes[0] and r["what"] == what)
            large = next(r for r in rows if r["size"] == sizes[-1] and r["what"] == what)
            r = large["median"] / small["median"] if small["median"] else None
            add("W7", f"narinfo {what} p50 latency, {sizes[-1]:,} / {sizes[0]:,} narinfos", r, "<= 1.2",
                r is not None and r <= 1.2,
                f"{small['median']:.2f} ms -> {large['median']:.2f} ms"
                + (" (the issue asks for 100,000 narinfos)" if sizes[-1] < 100_000 else ""))
    if "W8" in results:
        w8 = results["W8"]
        # A NAR held in memory would be one big array: G1 allocates it straight into the old generation
        # (a humongous object), and one larger than the heap is an OutOfMemoryError. The young generation says
        # nothing: eden fills with garbage up to its size whatever the NAR.
        transfers = [p for p in w8["phases"] if p["target"] in ("hosted", "group")]
        growth = max(old_growth(p) for p in transfers)
        limit = min(w8["large_nar_mib"] / 4, 256)
        ok = w8["oom_errors"] == 0 and growth < limit
        add("W8", "no OutOfMemoryError; largest old generation growth (MiB) during a plugin transfer of the "
            "large path", growth, f"< {limit:.0f} MiB (NAR/4, at most 256), 0 OOM", ok,
            f"{w8['oom_errors']} OutOfMemoryError(s) in the logs; NAR {w8['large_nar_mib']} MiB; peak RSS "
            f"{max(p['peak_rss_mib'] for p in transfers):.0f} MiB")
    return targets


def old_growth(phase):
    """MiB the old generation grew during a W8 phase: its peak minus its occupancy when the phase began."""
    return max(0.0, phase["peak_old_mib"] - phase["start_old_mib"])


# --- machine, memory -----------------------------------------------------------------------------------------


def load_average():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def first_line(args):
    try:
        r = subprocess.run(args, capture_output=True, text=True, timeout=30)
        return ((r.stdout or "") + (r.stderr or "")).strip().splitlines()[0]
    except (OSError, IndexError, subprocess.TimeoutExpired):
        return "?"


def machine_and_versions():
    cpu = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem_kb = int(re.search(r"MemTotal:\s+(\d+)", f.read()).group(1))
    commit = first_line(["git", "-C", ROOT, "describe", "--always", "--dirty"])
    plugin_version = "?"
    try:
        with open(os.path.join(ROOT, "nexus-repository-nix", "pom.xml")) as f:
            m = re.search(r"<artifactId>nexus-repository-nix</artifactId>\s*<version>([^<]+)</version>", f.read())
            if m:
                plugin_version = m.group(1)
    except OSError:
        pass
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": {"cpus": os.cpu_count(), "cpu_model": cpu, "memory_gib": round(mem_kb / (1 << 20), 1),
                    "kernel": platform.release(), "os": first_line(["sh", "-c", ". /etc/os-release; echo $PRETTY_NAME"])},
        "versions": {"nexus": "3.71.0-06", "plugin": plugin_version, "commit": commit,
                     "nix": first_line(["nix", "--version"]), "nginx": first_line(["nginx", "-v"]),
                     "java": first_line(["java", "-version"]), "wrk": first_line(["wrk", "-v"]),
                     "curl": first_line(["curl", "--version"]), "python": platform.python_version()},
        "load_at_start": os.environ.get("BENCH_LOAD_AT_START") or load_average(),
        "load_before": load_average(),
    }


def read_status(pid):
    values = {}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(("VmRSS", "VmHWM")):
                    key, value = line.split(":")
                    values[key] = int(value.split()[0])
    except OSError:
        pass
    return values


def sample_memory(pid, action, interval=0.2):
    """Runs action() while sampling VmRSS and the heap (jstat -gc) every interval seconds. jstat takes a moment to
    attach: the action starts once it has reported the heap, and the sampling ends after one report that follows
    the action, so even a short phase has a heap sample before and after it."""
    rss = []
    heap = []
    stop = threading.Event()
    reported = threading.Condition()

    def rss_sampler():
        while not stop.is_set():
            rss.append(read_status(pid).get("VmRSS", 0))
            stop.wait(interval)

    jstat = subprocess.Popen(["jstat", "-gc", str(pid), str(int(interval * 1000))], stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, text=True)

    def heap_sampler():
        header = None
        for line in jstat.stdout:
            fields = line.split()
            if not fields:
                continue
            if fields[0] == "S0C":
                header = fields
                continue
            if header:
                v = dict(zip(header, fields))
                try:
                    sample = (float(v["S0U"]) + float(v["S1U"]) + float(v["EU"]) + float(v["OU"]), float(v["OU"]))
                except (KeyError, ValueError):
                    continue
                with reported:
                    heap.append(sample)
                    reported.notify_all()

    def heap_samples_beyond(n, timeout):
        with reported:
            reported.wait_for(lambda: len(heap) > n, timeout)

    threads = [threading.Thread(target=rss_sampler, daemon=True), threading.Thread(target=heap_sampler, daemon=True)]
    for t in threads:
        t.start()
    heap_samples_beyond(0, 30)
    first = len(heap) - 1
    begin = monotonic()
    try:
        action()
    finally:
        seconds = monotonic() - begin
        heap_samples_beyond(len(heap), 5 * interval + 1)
        stop.set()
        jstat.terminate()
        jstat.wait()
        for t in threads:
            t.join(5)
    during = heap[max(first, 0):]
    if len(during) < 2:
        raise RuntimeError(f"jstat -gc {pid} reported the heap {len(heap)} time(s) around a W8 phase")
    return {
        "seconds": seconds,
        "peak_rss_mib": max(rss, default=0) / 1024,
        "start_rss_mib": (rss[0] if rss else 0) / 1024,
        "peak_heap_mib": max(h for h, _ in during) / 1024,
        "peak_old_mib": max(o for _, o in during) / 1024,
        "start_old_mib": during[0][1] / 1024,
        "samples": len(rss),
        "heap_samples": len(during),
    }


def count_oom(log_dir):
    count = 0
    for name in ("nexus.log", "jvm.log", "../../nexus-stdout.log"):
        path = os.path.join(log_dir, name)
        try:
            with open(path, errors="replace") as f:
                count += sum(line.count("OutOfMemoryError") for line in f)
        except OSError:
            pass
    return count


def write_outputs(data, args):
    os.makedirs(args.docs_dir, exist_ok=True)
    json_path = os.path.join(args.docs_dir, "benchmarks.json")
    md_path = os.path.join(args.docs_dir, "benchmarks.md")
    with open(json_path, "w") as f:
        json.dump(data, f, indent=1, sort_keys=False)
        f.write("\n")
    report.update_markdown(md_path, data)
    log(f"wrote {json_path} and {md_path}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mode", choices=sorted(MODES), default="full")
    parser.add_argument("--iterations", type=int, default=0, help="runs per target (default: by mode)")
    parser.add_argument("--only", type=lambda s: [w.strip().upper() for w in s.split(",")], default=None,
                        help="comma-separated workloads, e.g. W3,W4")
    parser.add_argument("--profile", action="store_true",
                        help="after measuring, one extra JFR-profiled run of the plugin and of raw per workload")
    parser.add_argument("--w7-raw", action="store_true", help="W7 also fills and measures a raw repository")
    parser.add_argument("--w7-large", type=int, default=0, metavar="N",
                        help=f"W7's large size: store paths in the repository (default 100000, --quick 5000; "
                             f"more than {W7_SMALL})")
    parser.add_argument("--docs-dir", default=os.path.join(ROOT, "docs"))
    args = parser.parse_args()
    for w in args.only or []:
        if w not in WORKLOADS:
            parser.error(f"unknown workload {w} (known: {', '.join(WORKLOADS)})")
    if args.w7_large and args.w7_large <= W7_SMALL:
        parser.error(f"--w7-large must be more than {W7_SMALL}")

    bench = Bench(args)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        bench.run_all()
    finally:
        bench.stop_nginx()


if __name__ == "__main__":
    main()
