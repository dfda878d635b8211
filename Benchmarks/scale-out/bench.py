#!/usr/bin/env python3
"""Four shards against one instance on a simulated organisation (not part of the test run).

    python3 Benchmarks/scale-out/bench.py [--binary .build/release/devops-twin] [--repositories 1000] [--commits 100]

Starts the simulated GitHub with an organisation of N repositories (mixed sizes: every tenth has ten times the
commits), groups of five, then one unsharded `devops-twin run` and four shards, each with its own store, all on
loopback. Measures for each instance: the time until every repository it owns has synced, /metrics series and
bytes, the snapshot rebuild time (the daemon's debug log), resident memory (current and peak), and scrape
throughput; then prints the four shards' sum against the one. Every figure is measured in this run.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, timeout: float = 30) -> bytes:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.read()


def memory(pid: int) -> tuple[float, float]:
    """(VmRSS, VmHWM) in MiB."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


class Instance:
    def __init__(self, binary: str, root: Path, config: Path, name: str, shard: int | None, total: int):
        self.name, self.port = name, free_port()
        self.log = root / f"{name}.log"
        store = root / name / "devops-twin.sqlite"
        store.parent.mkdir(parents=True)
        sharding = [] if shard is None else ["--shard", str(shard), "--total-shards", str(total)]
        arguments = [binary, "run", "--config", str(config), "--log-level", "debug", *sharding]
        env = {"PATH": "/usr/bin:/bin", "DEVOPS_TWIN_STORE_PATH": str(store), "DEVOPS_TWIN_LISTEN_ADDRESS": f"127.0.0.1:{self.port}"}
        self.started = time.monotonic()
        self.process = subprocess.Popen(arguments, stdout=open(self.log, "wb"), stderr=subprocess.STDOUT, env=env,
                                        start_new_session=True)
        self.owned: list[str] = []
        check = subprocess.run([binary, "check-config", "--config", str(config), *sharding], capture_output=True, text=True, env=env)
        self.owned = [r["name"] for r in json.loads(check.stdout)["repositories"]]
        self.synced_after: float | None = None

    def metrics(self) -> str:
        try:
            return get(f"http://127.0.0.1:{self.port}/metrics").decode()
        except OSError:
            return ""

    def wait_synced(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.metrics()
            done = text.count("devops_twin_sync_last_success_timestamp_seconds{")
            if text and done >= len(self.owned) and (not self.owned or "sync finished" in self.log.read_text(errors="replace")):
                self.synced_after = time.monotonic() - self.started
                return
            time.sleep(0.5)
        raise SystemExit(f"{self.name}: not synced within {timeout:.0f} s; see {self.log}")

    def rebuild_seconds(self) -> list[float]:
        durations = []
        for match in re.finditer(r"duration=([0-9.]+) (seconds|milliseconds|microseconds)", self.log.read_text(errors="replace")):
            factor = {"seconds": 1, "milliseconds": 1e-3, "microseconds": 1e-6}[match.group(2)]
            durations.append(float(match.group(1)) * factor)
        return durations

    def throughput(self, seconds: float = 3.0, threads: int = 4) -> float:
        count = [0] * threads
        stop = time.monotonic() + seconds

        def worker(index: int) -> None:
            while time.monotonic() < stop:
                get(f"http://127.0.0.1:{self.port}/metrics")
                count[index] += 1

        pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
        for thread in pool:
            thread.start()
        for thread in pool:
            thread.join()
        return sum(count) / seconds

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=".build/release/devops-twin")
    parser.add_argument("--repositories", type=int, default=1000)
    parser.add_argument("--commits", type=int, default=100)
    parser.add_argument("--shards", type=int, default=4)
    arguments = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="devops-twin-scale-out-"))
    port = free_port()
    simulator = subprocess.Popen(
        [arguments.binary, "simulator", "--listen", f"127.0.0.1:{port}", "--organisation", f"acme/svc:{arguments.repositories}",
         "--commits", str(arguments.commits), "--rate-limit", "10000000"],
        stdout=open(root / "simulator.log", "wb"), stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 600
    while "simulated GitHub at" not in (root / "simulator.log").read_text(errors="replace"):
        if time.monotonic() > deadline or simulator.poll() is not None:
            raise SystemExit("the simulator did not start")
        time.sleep(0.5)
    names = [f"acme/svc-{i}" for i in range(arguments.repositories)]
    config = root / "config.json"
    config.write_text(json.dumps({
        "github": {"apiUrl": f"http://127.0.0.1:{port}", "maxRateLimitWait": "1m"},
        "sync": {"interval": "6h", "concurrency": 4},
        "repositories": [{"name": name, "ciWorkflows": ["CI"]} for name in names],
        "groups": [{"name": f"team-{k}", "repositories": names[k * 5:(k + 1) * 5]} for k in range(arguments.repositories // 5)],
    }))
    print(f"organisation: {arguments.repositories} repositories ({arguments.repositories // 10} of {arguments.commits * 10} commits, "
          f"the rest {arguments.commits}), {arguments.repositories // 5} groups of 5; work folder {root}")
    try:
        rows = []
        for label, shards in (("one instance", [None]), (f"{arguments.shards} shards", list(range(arguments.shards)))):
            instances = [Instance(arguments.binary, root, config, f"{label.replace(' ', '-')}-{s}", s, arguments.shards)
                         for s in shards]
            for instance in instances:
                instance.wait_synced(3600)
            # A second refresh on an idle process, for a rebuild time without a sync running beside it.
            for instance in instances:
                text = instance.metrics()
                series = sum(1 for line in text.splitlines() if line and not line.startswith("#"))
                rss, peak = memory(instance.process.pid)
                rebuilds = instance.rebuild_seconds()
                rows.append((label, instance.name, len(instance.owned), instance.synced_after, series, len(text.encode()),
                             max(rebuilds) if rebuilds else float("nan"), rss, peak, instance.throughput()))
            for instance in instances:
                instance.stop()
        print(f"{'setup':<14}{'instance':<20}{'repos':>7}{'synced s':>10}{'series':>9}{'bytes':>11}{'rebuild s':>11}"
              f"{'RSS MiB':>9}{'peak MiB':>10}{'scrapes/s':>11}")
        for row in rows:
            print(f"{row[0]:<14}{row[1]:<20}{row[2]:>7}{row[3]:>10.1f}{row[4]:>9}{row[5]:>11}{row[6]:>11.3f}{row[7]:>9.0f}"
                  f"{row[8]:>10.0f}{row[9]:>11.0f}")
        one = [r for r in rows if r[0] == "one instance"][0]
        sharded = [r for r in rows if r[0] != "one instance"]
        print(f"sum of shards / one instance: series {sum(r[4] for r in sharded) / one[4]:.3f}, bytes "
              f"{sum(r[5] for r in sharded) / one[5]:.3f}, peak memory {sum(r[8] for r in sharded) / one[8]:.2f}; "
              f"slowest shard synced in {max(r[3] for r in sharded) / one[3]:.2f} of the one instance's time; "
              f"largest shard rebuild {max(r[6] for r in sharded) / one[6]:.2f} of the one instance's")
    finally:
        os.killpg(simulator.pid, signal.SIGTERM)


if __name__ == "__main__":
    sys.exit(main())
