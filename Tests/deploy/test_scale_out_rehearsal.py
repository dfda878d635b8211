"""Scale-out rehearsal: four real `devops-twin run` shards on loopback against the simulated organisation, a real
Prometheus scraping all four, compared with one unsharded instance over the same data.

Shown: the union of the shards' repository and group series is exactly the unsharded instance's series set; no
series comes from two shards (Prometheus counts one per repository and per group); the DORA numbers of every
repository and group (`report --json` at a fixed instant, per shard store) equal the unsharded ones byte for
byte after sorting; a shard killed with SIGKILL and restarted on its store loses nothing.

Webhooks with shards: every instance runs the receiver, as a StatefulSet behind one webhook Service does. Each signed
delivery sent to shard 0's receiver is forwarded to the shard owning its repository (`webhooks.peerUrlTemplate`),
whose /metrics then shows it accepted and its snapshot refreshed; a delivery whose owner is down at first arrives
once the owner is back. The shards' receivers listen on 127.0.0.10 … 127.0.0.13 with one port, as pods listen on
one port under distinct names (`http://127.0.0.1{ordinal}:PORT/…` stands for `http://devops-twin-{ordinal}.…`);
Linux routes all of 127.0.0.0/8 to the loopback interface.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import signal
import subprocess
import urllib.error
import urllib.request
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
WEBHOOK_SECRET = "rehearsal-webhook-secret"
WEBHOOK_PORT = ds.free_port()
PEER_URL_TEMPLATE = f"http://127.0.0.1{{ordinal}}:{WEBHOOK_PORT}/webhooks/github"


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


def value(text: str, series: str) -> float | None:
    """The value of one exact series (name and labels as rendered) in an exposition, None when absent."""
    match = re.search(rf"^{re.escape(series)} (\S+)$", text, re.M)
    return float(match.group(1)) if match else None


def deliver(url: str, event: str, delivery: str, payload: dict) -> int:
    """A delivery as GitHub sends it: the raw JSON body signed with the webhook secret."""
    body = json.dumps(payload).encode()
    signature = "sha256=" + hmac.new(WEBHOOK_SECRET.encode(), body, hashlib.sha256).hexdigest()
    request = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": "application/json", "X-GitHub-Event": event, "X-GitHub-Delivery": delivery,
        "X-Hub-Signature-256": signature})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def push(repository: str) -> dict:
    return {"ref": "refs/heads/main", "before": "0" * 40, "after": "a" * 40,
            "repository": {"full_name": repository, "name": repository.split("/")[1], "id": 1}}


class Instance:
    """One `devops-twin run` with its own store and port (a StatefulSet pod with its own volume)."""

    def __init__(self, root: Path, base: dict, name: str, shard: int | None):
        self.root, self.name, self.shard = root, name, shard
        self.port = ds.free_port()
        # The shards listen where the peer URL template points; the unsharded instance anywhere.
        host, webhook_port = (f"127.0.0.1{shard}", WEBHOOK_PORT) if shard is not None else ("127.0.0.1", ds.free_port())
        self.webhook_url = f"http://{host}:{webhook_port}/webhooks/github"
        self.config = root / f"{name}.json"
        self.config.write_text(json.dumps({**base, "webhooks": {
            "listenAddress": f"{host}:{webhook_port}", "peerUrlTemplate": PEER_URL_TEMPLATE}}))
        self.store = root / name / "devops-twin.sqlite"
        self.store.parent.mkdir(parents=True, exist_ok=True)
        self.log = root / f"{name}.log"
        self.process: subprocess.Popen | None = None

    def shard_arguments(self) -> list[str]:
        return [] if self.shard is None else ["--shard", str(self.shard), "--total-shards", str(SHARDS)]

    def environment(self) -> dict[str, str]:
        return {"PATH": "/usr/bin:/bin", "HOME": str(self.root), "DEVOPS_TWIN_STORE_PATH": str(self.store),
                "DEVOPS_TWIN_LISTEN_ADDRESS": f"127.0.0.1:{self.port}", "DEVOPS_TWIN_WEBHOOK_SECRET": WEBHOOK_SECRET}

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
        config = {
            "github": {"apiUrl": f"http://127.0.0.1:{port}", "maxRateLimitWait": "1m"},
            "sync": {"interval": "1h", "concurrency": 2},
            "repositories": [{"name": r, "ciWorkflows": ["CI"]} for r in REPOSITORIES],
            "groups": GROUPS,
        }
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


def test_every_delivery_to_shard_zero_refreshes_its_owners_metrics(organisation):
    """GitHub's organisation hook behind one Service reaches one pod: here, shard 0. Every delivery reaches the
    shard owning its repository, which counts it accepted and refreshes its snapshot with the targeted sync."""
    root, (single, *shards) = organisation
    owned = [shard.repositories() for shard in shards]
    owner_of = {repository: index for index, repositories in enumerate(owned) for repository in repositories}
    accepted = 'devops_twin_webhook_repository_deliveries_total{{repository="{}"}}'
    refreshed = "devops_twin_webhook_delivery_to_snapshot_seconds_count"
    forwarded_ok = 'devops_twin_webhook_forwarded_total{result="ok"}'
    before = [shard.wait_synced(repositories, cycle_finished=False) for shard, repositories in zip(shards, owned)]

    answers = [deliver(shards[0].webhook_url, "push", f"rehearsal-{index}", push(repository))
               for index, repository in enumerate(REPOSITORIES)]
    assert answers == [202] * len(REPOSITORIES), answers

    arrived = []
    for repository in REPOSITORIES:
        owner = shards[owner_of[repository]]
        series = accepted.format(repository)
        baseline = value(before[owner_of[repository]], series) or 0
        ds.wait_until(lambda: (value(scrape(owner.port), series) or 0) == baseline + 1,
                      f"{repository}'s delivery accepted by its owner {owner.name}", TIMEOUT, owner.process, owner.log)
        arrived.append(repository)
    # Each owner's snapshot was refreshed once per delivery it owns (the histogram observes each one).
    for index, shard in enumerate(shards):
        expected = (value(before[index], refreshed) or 0) + len(owned[index])
        ds.wait_until(lambda: (value(scrape(shard.port), refreshed) or 0) == expected,
                      f"{shard.name}'s snapshot refreshed for its {len(owned[index])} deliveries", TIMEOUT, shard.process, shard.log)
    foreign = [r for r in REPOSITORIES if owner_of[r] != 0]
    ds.wait_until(lambda: value(scrape(shards[0].port), forwarded_ok) == (value(before[0], forwarded_ok) or 0) + len(foreign),
                  "shard 0 counting its forwarded deliveries", TIMEOUT, shards[0].process, shards[0].log)
    assert sorted(arrived) == sorted(REPOSITORIES)
    print(f"\nrehearsal: {len(answers)} deliveries sent to shard 0, {len(foreign)} forwarded, "
          f"{len(arrived)} accepted by their owner and refreshed its /metrics")


def test_a_delivery_whose_owner_is_down_arrives_when_it_comes_back(organisation):
    root, (single, *shards) = organisation
    owned = [shard.repositories() for shard in shards]
    index = next(i for i in range(1, SHARDS) if owned[i])
    victim, repository = shards[index], owned[index][0]
    queued = 'devops_twin_webhook_forwarded_total{result="queued"}'
    before = value(shards[0].wait_synced(owned[0], cycle_finished=False), queued) or 0
    victim.stop(signal.SIGTERM)

    assert deliver(shards[0].webhook_url, "push", "rehearsal-owner-down", push(repository)) == 202
    ds.wait_until(lambda: value(scrape(shards[0].port), queued) == before + 1,
                  "shard 0 queueing the delivery for its unreachable owner", TIMEOUT, shards[0].process, shards[0].log)
    victim.start()
    series = f'devops_twin_webhook_repository_deliveries_total{{repository="{repository}"}}'
    ds.wait_until(lambda: value(scrape(victim.port), series) == 1,
                  f"the queued delivery reaching {victim.name} after its restart", TIMEOUT, victim.process, victim.log)


def test_a_pod_beyond_the_total_keeps_serving_its_ordinal_and_forwards(organisation):
    """The StatefulSet scaled to five while the total still says four: the fifth pod owns nothing, does not exit,
    and serves its ordinal and the total so the mismatch alert can fire; a delivery it receives reaches the owner.
    The one-shot commands still refuse the ordinal."""
    root, (single, *shards) = organisation
    base = json.loads(shards[0].config.read_text())
    base.pop("webhooks")
    surplus = Instance(root, base, f"shard-{SHARDS}", SHARDS)
    done = subprocess.run([binary(), "check-config", "--config", str(surplus.config), *surplus.shard_arguments()],
                          capture_output=True, text=True, env=surplus.environment(), timeout=60)
    assert done.returncode == 2 and "out of range" in done.stderr, done.stderr
    owned = [shard.repositories() for shard in shards]
    try:
        surplus.start()
        text = ds.wait_until(lambda: (lambda t: t if value(t, "devops_twin_shard_ordinal") is not None else "")(scrape(surplus.port)),
                             "the surplus pod serving /metrics", TIMEOUT, surplus.process, surplus.log)
        assert value(text, "devops_twin_shard_ordinal") == SHARDS and value(text, "devops_twin_total_shards") == SHARDS
        assert not series(text), "a surplus pod serves no repository or group series"
        assert "beyond the configured total" in surplus.log.read_text()
        index = next(i for i in range(SHARDS) if owned[i])
        owner, repository = shards[index], owned[index][0]
        series_name = f'devops_twin_webhook_repository_deliveries_total{{repository="{repository}"}}'
        before = value(scrape(owner.port), series_name) or 0
        assert deliver(surplus.webhook_url, "push", "rehearsal-surplus", push(repository)) == 202
        ds.wait_until(lambda: value(scrape(owner.port), series_name) == before + 1,
                      f"the surplus pod's delivery reaching {owner.name}", TIMEOUT, owner.process, owner.log)
        assert surplus.process.poll() is None, "the surplus pod is still running"
    finally:
        surplus.stop()
