"""Scale-out rehearsal: four real `devops-twin run` shards on loopback against the simulated organisation, a real
Prometheus scraping all four, compared with one unsharded instance over the same data.

Shown: the union of the shards' repository and group series is exactly the unsharded instance's series set; no
series comes from two shards (Prometheus counts one per repository and per group); the DORA numbers of every
repository and group (`report --json` at a fixed instant, per shard store) equal the unsharded ones byte for
byte after sorting; a shard killed with SIGKILL and restarted on its store loses nothing.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
from pathlib import Path

import pytest

import deploy_support as ds

SHARDS = 4
REPOSITORIES = [f"acme/svc-{i}" for i in range(12)]
GROUPS = [
    {"name": "payments", "repositories": ["acme/svc-1", "acme/svc-2", "acme/svc-3"]},
    {"name": "ledger", "repositories": ["acme/svc-3", "acme/svc-4"]},  # shares svc-3: one unit with payments
    {"name": "web", "repositories": ["acme/svc-7", "acme/svc-8"]},
]
AS_OF = "2026-12-01T00:00:00Z"
TIMEOUT = 120.0


def binary() -> str:
    return ds.devops_twin_binary()


def scrape(port: int) -> str:
    status, body = ds.http_get(f"http://127.0.0.1:{port}/metrics")
    return body.decode() if status == 200 else ""


def series(text: str) -> dict[str, str]:
    """Series key (name and labels) -> value, for series of a repository or a group."""
    result = {}
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        key, value = line.rsplit(" ", 1)
        if 'repository="' in key or 'group="' in key:
            result[key] = value
    return result


def synced(text: str, repositories: list[str], cycle_finished: bool = True) -> bool:
    """Every repository synced, and the cycle finished with all their history complete (progressive sync
    publishes the shallow numbers first; the series set depends on which windows are complete). A restarted
    instance serves the budget gauges only after its next cycle: before it, its store is what it was."""
    lines = [line for line in text.splitlines() if line.startswith("devops_twin_sync_repositories{")]
    complete = sum(float(line.rsplit(" ", 1)[1]) for line in lines if 'coverage="complete"' in line)
    return (complete == len(repositories) or not cycle_finished) and all(
        f'devops_twin_sync_last_success_timestamp_seconds{{repository="{r}"}}' in text for r in repositories)


class Instance:
    """One `devops-twin run` with its own store and port (a StatefulSet pod with its own volume)."""

    def __init__(self, root: Path, config: Path, name: str, shard: int | None):
        self.root, self.config, self.name, self.shard = root, config, name, shard
        self.port = ds.free_port()
        self.store = root / name / "devops-twin.sqlite"
        self.store.parent.mkdir(parents=True, exist_ok=True)
        self.log = root / f"{name}.log"
        self.process: subprocess.Popen | None = None

    def shard_arguments(self) -> list[str]:
        return [] if self.shard is None else ["--shard", str(self.shard), "--total-shards", str(SHARDS)]

    def environment(self) -> dict[str, str]:
        return {"PATH": "/usr/bin:/bin", "HOME": str(self.root), "DEVOPS_TWIN_STORE_PATH": str(self.store),
                "DEVOPS_TWIN_LISTEN_ADDRESS": f"127.0.0.1:{self.port}"}

    def start(self):
        output = open(self.log, "ab")
        self.process = subprocess.Popen([binary(), "run", "--config", str(self.config), *self.shard_arguments()],
                                        stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                        env=self.environment(), start_new_session=True)
        output.close()

    def stop(self, sig=signal.SIGTERM):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, sig)
            self.process.wait(timeout=30)

    def repositories(self) -> list[str]:
        done = subprocess.run([binary(), "check-config", "--config", str(self.config), *self.shard_arguments()],
                              capture_output=True, text=True, env=self.environment(), timeout=60)
        assert done.returncode == 0, done.stderr
        return [r["name"] for r in json.loads(done.stdout)["repositories"]]

    def wait_synced(self, repositories: list[str], cycle_finished: bool = True) -> str:
        return ds.wait_until(lambda: (lambda t: t if synced(t, repositories, cycle_finished) else "")(scrape(self.port)),
                             f"{self.name} synced {len(repositories)} repositories", TIMEOUT, self.process, self.log)

    def report(self) -> dict:
        done = subprocess.run([binary(), "report", "--config", str(self.config), "--json", "--as-of", AS_OF,
                               *self.shard_arguments()], capture_output=True, text=True, env=self.environment(),
                              timeout=120)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)


@pytest.fixture(scope="module")
def organisation(tmp_path_factory):
    root = tmp_path_factory.mktemp("scale-out")
    port = ds.free_port()
    log = root / "simulator.log"
    arguments = [binary(), "simulator", "--listen", f"127.0.0.1:{port}", "--commits", "400"]
    for repository in REPOSITORIES:
        arguments += ["--repository", repository]
    with ds.running(arguments, log) as simulator:
        ds.wait_until(lambda: "simulated GitHub at" in log.read_text(), "the simulator", 30, simulator, log)
        config = root / "config.json"
        config.write_text(json.dumps({
            "github": {"apiUrl": f"http://127.0.0.1:{port}", "maxRateLimitWait": "1m"},
            "sync": {"interval": "1h", "concurrency": 2},
            "repositories": [{"name": r, "ciWorkflows": ["CI"]} for r in REPOSITORIES],
            "groups": GROUPS,
        }))
        instances = [Instance(root, config, "single", None)] + [Instance(root, config, f"shard-{i}", i) for i in range(SHARDS)]
        try:
            for instance in instances:
                instance.start()
            yield root, instances
        finally:
            for instance in instances:
                instance.stop(signal.SIGKILL)


def by_name(report: dict) -> tuple[dict, dict]:
    return ({r["repository"]: r for r in report["repositories"]}, {g["group"]: g for g in report["groups"]})


def test_four_shards_serve_exactly_what_one_instance_serves_and_survive_a_kill(organisation):
    root, (single, *shards) = organisation
    owned = [shard.repositories() for shard in shards]
    assert sorted(sum(owned, [])) == sorted(REPOSITORIES), "every repository on exactly one shard"
    assert sum(1 for repositories in owned if repositories) >= 3, f"the work is spread: {owned}"

    single_metrics = series(single.wait_synced(REPOSITORIES))
    shard_metrics = [series(shard.wait_synced(repositories)) for shard, repositories in zip(shards, owned)]

    # The union of the shards' series is exactly the unsharded series set, and no series is served twice.
    union: dict[str, str] = {}
    for metrics in shard_metrics:
        assert not set(union) & set(metrics), "a series served by two shards"
        union.update(metrics)
    assert sorted(union) == sorted(single_metrics)

    # The numbers: every repository's and group's report at a fixed instant, byte for byte after sorting.
    single_repositories, single_groups = by_name(single.report())
    shard_repositories, shard_groups = {}, {}
    for shard in shards:
        repositories, groups = by_name(shard.report())
        shard_repositories.update(repositories)
        shard_groups.update(groups)
    dump = lambda value: json.dumps(value, sort_keys=True)  # noqa: E731
    assert dump(shard_repositories) == dump(single_repositories)
    assert dump(shard_groups) == dump(single_groups)
    assert sorted(shard_groups) == ["ledger", "payments", "web"]

    # A real Prometheus scraping the four shards sees one series per repository and per group.
    config = root / "prometheus.yml"
    targets = ", ".join(f'"127.0.0.1:{shard.port}"' for shard in shards)
    config.write_text(f"global: {{scrape_interval: 1s}}\nscrape_configs:\n  - job_name: devops-twin\n"
                      f"    static_configs: [{{targets: [{targets}]}}]\n")
    prometheus_port = ds.free_port()
    with ds.running([ds.require_tool("prometheus"), f"--config.file={config}", f"--storage.tsdb.path={root / 'tsdb'}",
                     f"--web.listen-address=127.0.0.1:{prometheus_port}"], root / "prometheus.log") as prometheus:
        api = ds.PrometheusAPI(f"http://127.0.0.1:{prometheus_port}")
        ds.wait_until(lambda: len(api.result('up{job="devops-twin"} == 1')) == SHARDS, "Prometheus scraping the shards",
                      TIMEOUT, prometheus, root / "prometheus.log")
        per_repository = api.result('count by (repository) (devops_twin_dora_deployments{window="all"})')
        assert sorted(r["metric"]["repository"] for r in per_repository) == sorted(REPOSITORIES)
        assert all(r["value"][1] == "1" for r in per_repository), per_repository
        per_group = api.result('count by (group) (devops_twin_group_dora_deployments{window="all"})')
        assert sorted(r["metric"]["group"] for r in per_group) == ["ledger", "payments", "web"]
        assert all(r["value"][1] == "1" for r in per_group), per_group

    # SIGKILL the busiest shard and restart it on its store: nothing is lost.
    busiest = max(range(SHARDS), key=lambda i: len(owned[i]))
    victim = shards[busiest]
    before = victim.report()
    victim.stop(signal.SIGKILL)
    victim.start()
    after_metrics = series(victim.wait_synced(owned[busiest], cycle_finished=False))
    assert sorted(after_metrics) == sorted(shard_metrics[busiest])
    assert dump(victim.report()) == dump(before)
