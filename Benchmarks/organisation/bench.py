#!/usr/bin/env python3
"""A whole organisation through GitHub Apps within GitHub's rate limit (not part of the test run).

    python3 Benchmarks/organisation/bench.py [--binary .build/release/devops-twin] [--repositories 1000]
        [--commits 400] [--window 60] [--installations 1] [--requests-only] [--simulator-binary B]

Starts the simulated GitHub with an organisation of N repositories (mixed sizes: every tenth has ten times the
commits; about two commits a day, so most histories reach back further than the 90-day shallow horizon), one App
per installation (keys made here with Python `cryptography`), each installation with GitHub's 5,000 requests per
rate-limit window, the window scaled down to `--window` seconds for one simulated hour.

1. The minimum, counted from the simulated organisation's content (`GET /_simulator/content`), not from a sync:
   per repository and stream, one page per 100 items back to `since` (at least one) — commits reachable from the
   head, tags, releases, issues, workflows, workflow runs — plus the discovery pages (one per 100 repositories of
   each installation). A discovered repository needs no `GET /repos/{owner}/{repo}`: its listing describes it.
   Against it, `devops-twin sync` (one shot, no budget limit) whole (no shallow pass) and progressive (90-day
   shallow pass, then deepening), stream by stream. `--requests-only` stops here.
2. The daemon (`devops-twin run`) from an empty store, progressive and budget-planned: the simulated hours until
   every repository has numbers for the 30-day window (its first pass finished) and until every repository is
   complete back to `since`; the points it spent; then one more cycle with nothing changed and its points.
3. /metrics at N repositories: series, bytes, snapshot rebuild time (full and partial, from the daemon's debug
   log) and scrape throughput.

Every figure is measured in this run and printed as JSON.
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
import time
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, timeout: float = 60) -> bytes:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.read()


def delete(url: str) -> None:
    request = urllib.request.Request(url, method="DELETE")
    with urllib.request.urlopen(request, timeout=60):
        pass


def make_key(path: Path) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                                       serialization.NoEncryption()))


def wait_port(port: int, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"nothing listens on {port}")


class Simulator:
    def __init__(self, binary: str, root: Path, args: argparse.Namespace, rate_limit: int, keys: list[Path]):
        self.port = free_port()
        arguments = [args.simulator_binary or binary, "simulator", "--listen", f"127.0.0.1:{self.port}", "--organisation",
                     f"acme/svc:{args.repositories}", "--commits", str(args.commits), "--seed", "5",
                     "--rate-limit", str(rate_limit), "--rate-limit-window", str(args.window),
                     "--installation-token-lifetime", str(args.window), "--log-level", "warning"]
        for index, key in enumerate(keys, start=1):
            arguments += ["--app", f"{index}:{key}"]
            part = f":{index}/{len(keys)}" if len(keys) > 1 else ""
            arguments += ["--installation", f"{index}:acme{part}"]
        self.process = subprocess.Popen(arguments, stdout=open(root / f"simulator-{self.port}.log", "wb"),
                                        stderr=subprocess.STDOUT, start_new_session=True)
        wait_port(self.port)
        self.url = f"http://127.0.0.1:{self.port}"

    def points(self) -> tuple[int, int]:
        """(rate-limit points spent from the installations' budgets, requests) so far. The App's own JWT calls
        (listing installations, creating tokens) have a budget of their own: see `app_points`."""
        log = json.loads(get(self.url + "/_simulator/requests", timeout=300))
        counted = sum(1 for entry in log if entry.get("countedAgainstLimit") and not str(entry.get("credential", "")).startswith("app:"))
        return counted, len(log)

    def streams(self) -> dict[str, int]:
        """Requests from the installations' budgets by stream (the path's kind), the App's JWT calls left out."""
        log = json.loads(get(self.url + "/_simulator/requests", timeout=300))
        counts: dict[str, int] = {}
        for entry in log:
            if str(entry.get("credential", "")).startswith("app:") or entry.get("pathAndQuery", "").startswith("/rate_limit"):
                continue
            kind = stream(entry.get("pathAndQuery", ""))
            counts[kind] = counts.get(kind, 0) + 1
        return counts

    def content(self, since: str) -> dict[str, dict[str, int]]:
        return json.loads(get(f"{self.url}/_simulator/content?since={since}", timeout=300))["repositories"]

    def app_points(self) -> int:
        log = json.loads(get(self.url + "/_simulator/requests", timeout=300))
        return sum(1 for entry in log if entry.get("countedAgainstLimit") and str(entry.get("credential", "")).startswith("app:"))

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait()


def write_config(root: Path, name: str, api: str, keys: list[Path], horizon: str) -> Path:
    config = {
        "github": {"apiUrl": api, "apps": [{"id": index, "privateKeyFile": str(key)} for index, key in enumerate(keys, start=1)],
                   "maxRateLimitWait": "0s"},
        "store": {"path": str(root / name / "devops-twin.sqlite")},
        "sync": {"interval": "1s", "concurrency": 2, "shallowHorizon": horizon},
        "exporter": {"listenAddress": "127.0.0.1:0"},
        "organizations": [{"name": "acme", "defaults": {"since": f"{SINCE_DAYS}d", "ciWorkflows": ["CI"]}}],
    }
    (root / name).mkdir(parents=True, exist_ok=True)
    path = root / f"{name}.json"
    path.write_text(json.dumps(config, indent=2))
    return path


def metric_values(text: str, name: str) -> list[tuple[dict[str, str], float]]:
    values = []
    for line in text.splitlines():
        if not line.startswith(name + "{") and not line.startswith(name + " "):
            continue
        match = re.match(r'^([a-z_:]+)(?:\{(.*)\})? (\S+)$', line)
        if not match or match.group(1) != name:
            continue
        labels = dict(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', match.group(2) or ""))
        values.append((labels, float(match.group(3))))
    return values


SINCE_DAYS = 730


def stream(path_and_query: str) -> str:
    """The stream a request belongs to: `discovery`, `repository`, `commits`, `tags` (with `git/…`), `releases`,
    `issues`, `workflows`, `workflow_runs`, `deployments`, `other`."""
    parts = [p for p in path_and_query.split("?")[0].split("/") if p]
    if parts[:1] in (["installation"], ["orgs"]):
        return "discovery"
    if len(parts) < 3 or parts[0] != "repos":
        return "other"
    if len(parts) == 3:
        return "repository"
    kind = {"commits": "commits", "tags": "tags", "git": "tags", "releases": "releases", "issues": "issues",
            "deployments": "deployments"}.get(parts[3])
    if kind:
        return kind
    if parts[3] == "actions":
        return "workflows" if len(parts) > 4 and parts[4] == "workflows" else "workflow_runs"
    return "other"


def content_minimum(simulator: Simulator, installations: int) -> dict:
    """The fewest requests a full sync of the organisation needs, counted from its content (see the docstring)."""
    since = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - SINCE_DAYS * 86_400))
    content = simulator.content(since)
    per_stream: dict[str, int] = {}
    for counts in content.values():
        for kind, items in counts.items():
            if kind == "deployments":
                continue  # not read: the organisation's deployment source is workflow runs
            per_stream[kind] = per_stream.get(kind, 0) + max(1, -(-items // 100))
    share = -(-len(content) // installations)
    per_stream["discovery"] = installations * max(1, -(-share // 100))
    per_stream["repository"] = 0
    return {"points": sum(per_stream.values()), "streams": per_stream}


def one_shot(binary: str, root: Path, args: argparse.Namespace, keys: list[Path], name: str, horizon: str) -> dict:
    """`devops-twin sync` of the whole organisation, no budget limit; with horizon 0s whole, else progressive."""
    simulator = Simulator(binary, root, args, 10_000_000, keys)
    try:
        minimum = content_minimum(simulator, len(keys))
        config = write_config(root, name, simulator.url, keys, horizon)
        started = time.monotonic()
        result = subprocess.run([binary, "sync", "--config", str(config)], capture_output=True, text=True)
        if result.returncode != 0:
            raise SystemExit(f"{name} sync failed: {result.stderr[-2000:]}")
        points, requests = simulator.points()
        streams = simulator.streams()
        return {"points": points, "requests": requests, "seconds": round(time.monotonic() - started, 1),
                "minimum": minimum["points"], "ratio": round(points / minimum["points"], 3),
                "minimum_streams": minimum["streams"],
                "streams": {kind: f"{streams.get(kind, 0)} for {minimum['streams'].get(kind, 0)}"
                            for kind in sorted(set(streams) | set(minimum["streams"]))}}
    finally:
        simulator.stop()


def progressive(binary: str, root: Path, args: argparse.Namespace, keys: list[Path], name: str) -> dict:
    simulator = Simulator(binary, root, args, 5000, keys)
    port = free_port()
    config = write_config(root, name, simulator.url, keys, "90d")
    log = root / f"{name}.log"
    env = {"PATH": "/usr/bin:/bin", "DEVOPS_TWIN_LISTEN_ADDRESS": f"127.0.0.1:{port}"}
    started = time.monotonic()
    daemon = subprocess.Popen([binary, "run", "--config", str(config), "--log-level", "debug"], stdout=open(log, "wb"),
                              stderr=subprocess.STDOUT, env=env, start_new_session=True)
    figures: dict = {}
    try:
        wait_port(port)
        numbers_at = complete_at = None
        first_numbers = None
        while time.monotonic() - started < args.timeout:
            text = get(f"http://127.0.0.1:{port}/metrics").decode()
            synced = sum(1 for labels, value in metric_values(text, "devops_twin_sync_last_success_timestamp_seconds")
                         if labels.get("repository", "").startswith("acme/"))
            complete = sum(value for labels, value in metric_values(text, "devops_twin_sync_repositories")
                           if labels.get("coverage") == "complete")
            if synced and first_numbers is None:
                first_numbers = time.monotonic() - started
            if numbers_at is None and synced >= args.repositories:
                numbers_at = time.monotonic() - started
            if complete >= args.repositories:
                complete_at = time.monotonic() - started
                break
            time.sleep(0.5)
        if complete_at is None:
            raise SystemExit(f"{name}: not complete within {args.timeout} s; see {log}")
        spent, requests = simulator.points()
        # One more cycle with nothing changed: the points between the end of the cycle that completed the history
        # and the end of the next one.
        def cycles() -> int:
            # The cycle's digest line ("summary=… sync finished"), not the per-repository debug lines.
            return sum(1 for line in log.read_text(errors="replace").splitlines() if "summary=" in line and "sync finished" in line)
        finished = cycles()
        app_before = simulator.app_points()
        deadline = time.monotonic() + 4 * args.window
        steady_points = steady_app_points = None
        while time.monotonic() < deadline:
            time.sleep(0.5)
            if cycles() > finished:
                steady_points = simulator.points()[0] - spent
                steady_app_points = simulator.app_points() - app_before
                break
        # /metrics at this scale.
        body = get(f"http://127.0.0.1:{port}/metrics")
        series = sum(1 for line in body.decode().splitlines() if line and not line.startswith("#"))
        scrape_started = time.monotonic()
        scrapes = 0
        while time.monotonic() - scrape_started < 5:
            get(f"http://127.0.0.1:{port}/metrics")
            scrapes += 1
        durations = {"full": [], "partial": []}
        for line in log.read_text(errors="replace").splitlines():
            if "metrics snapshot published" not in line:
                continue
            duration = re.search(r"duration=([\d.]+) (seconds|ms|milliseconds|µs)", line)
            recomputed = re.search(r"recomputed=(\d+) of (\d+)", line)
            if duration and recomputed:
                seconds = float(duration.group(1)) * {"seconds": 1, "ms": 1e-3, "milliseconds": 1e-3, "µs": 1e-6}[duration.group(2)]
                durations["full" if recomputed.group(1) == recomputed.group(2) else "partial"].append(seconds)
        hour = args.window
        figures = {
            "installations": len(keys),
            "first_numbers_hours": round(first_numbers / hour, 3) if first_numbers else None,
            "all_numbers_hours": round(numbers_at / hour, 3) if numbers_at else None,
            "complete_hours": round(complete_at / hour, 3),
            "points_spent": spent, "requests": requests,
            "steady_state_cycle_points": steady_points, "steady_state_cycle_app_jwt_calls": steady_app_points,
            "metrics_series": series, "metrics_bytes": len(body),
            "scrapes_per_second": round(scrapes / (time.monotonic() - scrape_started), 1),
            "snapshot_full_seconds_median": sorted(durations["full"])[len(durations["full"]) // 2] if durations["full"] else None,
            "snapshot_partial_seconds_median": sorted(durations["partial"])[len(durations["partial"]) // 2] if durations["partial"] else None,
            "partial_refreshes": len(durations["partial"]),
        }
        return figures
    finally:
        os.killpg(daemon.pid, signal.SIGTERM)
        daemon.wait()
        simulator.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=".build/release/devops-twin")
    parser.add_argument("--repositories", type=int, default=1000)
    parser.add_argument("--commits", type=int, default=400)
    parser.add_argument("--window", type=float, default=60, help="wall seconds of one simulated hour (the rate-limit window)")
    parser.add_argument("--installations", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--timeout", type=float, default=3600)
    parser.add_argument("--requests-only", action="store_true", help="only the one-shot syncs against the content minimum")
    parser.add_argument("--simulator-binary", help="the binary whose simulator serves (default: --binary); to run an older "
                        "devops-twin against the same simulated GitHub")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="devops-twin-organisation-"))
    results: dict = {"repositories": args.repositories, "commits": args.commits,
                     "sizes": f"{args.repositories - args.repositories // 10} x {args.commits} commits, "
                              f"{args.repositories // 10} x {args.commits * 10} commits",
                     "window_seconds": args.window, "root": str(root)}
    keys = []
    for index in range(max(args.installations)):
        key = root / f"app-{index + 1}.pem"
        make_key(key)
        keys.append(key)
    results["sync_whole"] = one_shot(args.binary, root, args, keys[:1], "whole", "0s")
    print(json.dumps({"sync_whole": results["sync_whole"]}), flush=True)
    results["sync_progressive"] = one_shot(args.binary, root, args, keys[:1], "one-shot-progressive", "90d")
    print(json.dumps({"sync_progressive": results["sync_progressive"]}), flush=True)
    if args.requests_only:
        print(json.dumps(results, indent=2))
        return
    for count in args.installations:
        figures = progressive(args.binary, root, args, keys[:count], f"progressive-{count}")
        content = {k: v for k, v in results["sync_whole"]["minimum_streams"].items() if k != "discovery"}
        share = -(-args.repositories // count)
        minimum = sum(content.values()) + count * max(1, -(-share // 100))  # with the discovery pages of `count` installations
        physical = minimum / (5000 * count)
        figures["physical_minimum_hours"] = round(physical, 3)
        figures["complete_vs_physical"] = round(figures["complete_hours"] / physical, 2)
        figures["points_vs_minimum"] = round(figures["points_spent"] / minimum, 3)
        results[f"installations_{count}"] = figures
        print(json.dumps({f"installations_{count}": figures}), flush=True)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
