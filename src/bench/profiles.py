"""JFR profiles of Nexus during one workload run: what dominates the CPU time of its request threads.

record() starts a recording in the running Nexus (jcmd JFR.start, settings=profile: Java stacks sampled every
10-20 ms), runs the workload once, stops it, and summarises the jdk.ExecutionSample events of Jetty's request
threads (qtp...): the share of samples per category (a password check or search index update anywhere on the
stack, else the frame nearest the leaf that belongs to a known component), the hottest leaf methods, and the
plugin's or raw's own methods by inclusive share. Nexus runs with -XX:FlightRecorderOptions=stackdepth=160
(src/bench.sh): JFR's default of 64 frames cuts Nexus's request stacks short of the frames that name a context.
"""

import collections
import re
import subprocess

# A sample inside one of these, anywhere on the stack, belongs to it whatever the leaf is.
CONTEXTS = [
    ("Basic auth: password check (Shiro, 1024 x SHA-512)", ("org.apache.shiro.authc.credential.",)),
    ("search index updates", ("org.sonatype.nexus.repository.search.",)),
]

# Otherwise, checked from the leaf towards the root: the first frame that matches names the sample's category.
CATEGORIES = [
    ("hashing content (SHA-1/SHA-256/MD5/SHA-512 digests)", ("sun.security.provider.", "java.security.MessageDigest",
                                                             "com.google.common.hash.")),
    ("decompression", ("com.github.luben.zstd", "io.airlift.compress", "org.tukaani.xz",
                       "org.apache.commons.compress.", "java.util.zip.")),
    ("H2 database", ("org.h2.",)),
    ("MyBatis (SQL mapping)", ("org.apache.ibatis.",)),
    ("JSON (Jackson)", ("com.fasterxml.jackson.",)),
    ("blob store", ("org.sonatype.nexus.blobstore.",)),
    ("Nix plugin", ("org.sonatype.nexus.repository.nix.",)),
    ("raw format", ("org.sonatype.nexus.repository.raw.",)),
    ("Nexus content store", ("org.sonatype.nexus.repository.content.", "org.sonatype.nexus.datastore.")),
    ("Shiro (security, permissions)", ("org.apache.shiro.", "org.sonatype.nexus.security.")),
    ("Nexus view/handlers", ("org.sonatype.nexus.repository.",)),
    ("logging", ("ch.qos.logback.", "org.slf4j.")),
    ("Jetty (HTTP, I/O)", ("org.eclipse.jetty.",)),
    ("file and socket I/O", ("sun.nio.", "java.io.", "java.nio.")),
    ("Guice/OSGi/Sisu glue", ("com.google.inject.", "org.eclipse.sisu.", "org.apache.felix.")),
]

FRAME = re.compile(r"^\s+(\S+?)\((.*)\)\s+line:")
THREAD = re.compile(r'^\s+sampledThread = "([^"]*)"')


def record(pid, path, action, settings="profile"):
    name = "nixbench"
    subprocess.run(["jcmd", str(pid), "JFR.start", f"name={name}", f"settings={settings}", f"filename={path}"],
                   check=True, capture_output=True)
    try:
        action()
    finally:
        subprocess.run(["jcmd", str(pid), "JFR.stop", f"name={name}"], check=True, capture_output=True)
    return summarise(path)


def samples(path):
    """Yields the stack (leaf first, method names without parameters) of each request-thread sample."""
    text = subprocess.run(["jfr", "print", "--events", "jdk.ExecutionSample", "--stack-depth", "160", path],
                          check=True, capture_output=True, text=True).stdout
    thread = None
    stack = None
    for line in text.splitlines():
        m = THREAD.match(line)
        if m:
            thread = m.group(1)
            continue
        if line.strip() == "stackTrace = [":
            stack = []
            continue
        if stack is not None:
            if line.strip() == "]":
                if thread and thread.startswith("qtp"):
                    yield stack
                stack = None
                continue
            f = FRAME.match(line)
            if f:
                stack.append(f.group(1))


def category(stack):
    for name, prefixes in CONTEXTS:
        if any(frame.startswith(prefixes) for frame in stack):
            return name
    for frame in stack:
        for name, prefixes in CATEGORIES:
            if frame.startswith(prefixes):
                return name
    return "other (JDK)"


def summarise(path, top=10):
    total = 0
    categories = collections.Counter()
    leaves = collections.Counter()
    own = collections.Counter()
    for stack in samples(path):
        total += 1
        categories[category(stack)] += 1
        if stack:
            leaves[stack[0]] += 1
        seen = set()
        for frame in stack:
            if frame.startswith(("org.sonatype.nexus.repository.nix.", "org.sonatype.nexus.repository.raw.")) \
                    and frame not in seen:
                seen.add(frame)
                own[frame] += 1

    def share(counter):
        return [[k, round(100.0 * v / total, 1)] for k, v in counter.most_common(top)] if total else []

    return {"file": path, "samples": total, "categories": share(categories), "leaf_methods": share(leaves),
            "format_methods_inclusive": share(own)}
