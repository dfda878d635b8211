"""History from day one, rehearsed here with the compose file's own commands and paths.

Docker cannot run on these machines, so the two one-shot services of docker-compose.yml (`history`, then
`prometheus-backfill`) and then `prometheus` are run as local processes: each service's command and environment
are read from the compose file, compose's variable interpolation is applied, and every container path is mapped
to a folder standing for its volume or bind mount. The tools are the real ones: the built `devops-twin`
(against the simulated GitHub), Debian's `promtool` and `prometheus`. Then a PromQL range query over the past
year must return DORA points, and running the one-shots again (a restart) must add no block and no sample.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
import urllib.parse
from pathlib import Path

import pytest

import deploy_support as ds

COMPOSE = ds.load_yaml(ds.ROOT / "docker-compose.yml")
SERVICES = COMPOSE["services"]
STARTUP_TIMEOUT = 90.0
SERIES = 'devops_twin_dora_deployments{repository="acme/shop",window="90d"}'


def binary() -> str:
    return ds.devops_twin_binary()


def interpolate(text: str, values: dict[str, str]) -> str:
    """Compose's interpolation: ${VAR}, ${VAR:-default}, ${VAR:?error}; $$ is a literal $."""
    def replace(match: re.Match) -> str:
        name, operator, default = match.group(1), match.group(2), match.group(3)
        if name in values and values[name] != "":
            return values[name]
        if operator == ":?":
            raise AssertionError(f"compose would refuse to start: {default}")
        return default or ""
    text = re.sub(r"(?<!\$)\$\{(\w+)(?:(:-|:\?)([^}]*))?\}", replace, text)
    return text.replace("$$", "$")


class Rehearsal:
    """The compose stack's volumes and bind mounts as folders, and its services' commands as processes."""

    def __init__(self, root: Path, simulator_url: str):
        self.root = root
        self.bin = root / "bin"
        self.bin.mkdir()
        (self.bin / "devops-twin").symlink_to(binary())
        for tool in ("promtool", "prometheus"):
            (self.bin / tool).symlink_to(ds.require_tool(tool))
        self.volumes = {name: root / "volumes" / name for name in COMPOSE["volumes"]}
        for folder in self.volumes.values():
            folder.mkdir(parents=True)
        # The user's config.json beside docker-compose.yml: the example's shape, pointed at the simulator.
        self.project = root / "project"
        shutil.copytree(ds.ROOT / "prometheus", self.project / "prometheus")
        (self.project / "config.json").write_text(
            '{"github": {"apiUrl": "%s"}, "sync": {"interval": "15m"}, "dora": {"windows": ["30d", "90d"]},\n'
            ' "repositories": [{"name": "acme/shop", "since": "500d", "ciWorkflows": ["CI"]}]}\n' % simulator_url)
        self.values = {"NEO4J_PASSWORD": "rehearsal-password", "GRAFANA_ADMIN_PASSWORD": "rehearsal-admin"}

    def host_path(self, container_path: str, service: str) -> str:
        """The folder or file standing for `container_path` in `service`."""
        best = None
        for volume in SERVICES[service].get("volumes", []):
            source, target = (volume["source"], volume["target"]) if isinstance(volume, dict) else volume.split(":")[:2]
            if container_path == target or container_path.startswith(target.rstrip("/") + "/"):
                if best is None or len(target) > len(best[1]):
                    best = (source, target)
        if best is None:
            raise AssertionError(f"{service}: {container_path} is on no volume or bind mount: it would not persist")
        source, target = best
        base = self.project / source[2:] if source.startswith("./") else self.volumes[source]
        return str(base) + container_path[len(target):]

    def mapped(self, text: str, service: str) -> str:
        """Every container path in `text` replaced by its host folder."""
        targets = sorted(({(v["target"] if isinstance(v, dict) else v.split(":")[1])
                           for v in SERVICES[service].get("volumes", [])}), key=len, reverse=True)
        pattern = "|".join(re.escape(t) for t in targets)
        return re.sub(rf"({pattern})(?=[/\s\"']|$)", lambda m: self.host_path(m.group(1), service), text)

    def environment(self, service: str) -> dict[str, str]:
        env = {"PATH": f"{self.bin}:/usr/bin:/bin", "HOME": str(self.root)}
        for key, value in (SERVICES[service].get("environment") or {}).items():
            env[key] = self.mapped(interpolate(str(value), self.values), service)
        env["GITHUB_TOKEN"] = ""
        env.pop("NEO4J_URL", None)  # no Neo4j here; `sync` and `backfill` do not use it
        return env

    def run_one_shot(self, service: str) -> str:
        spec = SERVICES[service]
        entrypoint, command = spec["entrypoint"], spec["command"]
        assert entrypoint == ["/bin/sh", "-c"] and len(command) == 1, f"{service}: a shell script one-shot"
        script = self.mapped(interpolate(command[0], self.values), service)
        done = subprocess.run(["/bin/sh", "-c", script], env=self.environment(service), cwd=self.root,
                              capture_output=True, text=True, timeout=600)
        output = done.stdout + done.stderr
        assert done.returncode == 0, f"{service} failed ({done.returncode}):\n{output[-4000:]}"
        return output

    def prometheus_command(self, port: int) -> list[str]:
        spec = SERVICES["prometheus"]
        image_default = ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus"]
        arguments = [self.mapped(interpolate(a, self.values), "prometheus") for a in spec.get("command", image_default)]
        return [str(self.bin / "prometheus"), *arguments, f"--web.listen-address=127.0.0.1:{port}"]

    def rule_files_mapped_config(self) -> None:
        """prometheus.yml names its rule files by container path: point them at the mapped folder."""
        config = self.project / "prometheus" / "prometheus.yml"
        config.write_text(self.mapped(config.read_text(), "prometheus"))

    def blocks(self) -> list[str]:
        folder = self.volumes["prometheus-data"]
        return sorted(p.name for p in folder.iterdir() if (p / "meta.json").exists())


@pytest.fixture(scope="module")
def rehearsal(tmp_path_factory):
    root = tmp_path_factory.mktemp("compose-rehearsal")
    port = ds.free_port()
    log = root / "simulator.log"
    with ds.running([str(binary()), "simulator", "--listen", f"127.0.0.1:{port}", "--repository", "acme/shop",
                     "--commits", "3000"], log) as simulator:
        ds.wait_until(lambda: "simulated GitHub at" in log.read_text(), "the simulator", 30, simulator, log)
        yield Rehearsal(root, f"http://127.0.0.1:{port}")


def range_query(api: ds.PrometheusAPI, expr: str, days: int, step_hours: int) -> list:
    """A range query as Grafana sends it: start and end on multiples of the step."""
    step = step_hours * 3_600
    end = int(time.time()) // step * step
    url = f"{api.base_url}/api/v1/query_range?" + urllib.parse.urlencode(
        {"query": expr, "start": end - days * 86_400, "end": end, "step": step})
    _, body = ds.http_get(url, timeout=30)
    answer = json.loads(body)
    assert answer["status"] == "success", answer
    return answer["data"]["result"]


def start_prometheus(rehearsal: Rehearsal, name: str):
    port = ds.free_port()
    log = rehearsal.root / f"{name}.log"
    process = ds.running(rehearsal.prometheus_command(port), log)
    return port, log, process


def test_compose_runs_the_backfill_once_and_prometheus_shows_a_year_of_dora_history(rehearsal):
    first = rehearsal.run_one_shot("history")
    om = Path(rehearsal.host_path("/var/lib/devops-twin/backfill/history.om", "history"))
    assert om.exists() and om.stat().st_size > 0, first
    samples_in_file = sum(1 for line in om.read_text().splitlines() if line.startswith(SERIES + " "))
    assert samples_in_file > 1_000, "395 days every 6 hours"

    loaded = rehearsal.run_one_shot("prometheus-backfill")
    assert "history loaded" in loaded, loaded
    blocks = rehearsal.blocks()
    assert blocks, "promtool wrote TSDB blocks into the Prometheus volume"
    rehearsal.rule_files_mapped_config()

    port, log, context = start_prometheus(rehearsal, "prometheus-1")
    with context as prometheus:
        api = ds.PrometheusAPI(f"http://127.0.0.1:{port}")
        ds.wait_until(lambda: ds.http_get(f"{api.base_url}/-/ready")[0] == 200, "Prometheus ready", STARTUP_TIMEOUT,
                      prometheus, log)
        series = range_query(api, SERIES, days=365, step_hours=6)
        assert len(series) == 1, series
        points = series[0]["values"]
        span_days = (points[-1][0] - points[0][0]) / 86_400
        assert len(points) > 1_000 and span_days > 360, f"{len(points)} points over {span_days:.0f} days"
        assert any(float(value) > 0 for _, value in points), "deployments in the simulated history"
        lead_time = range_query(api, 'devops_twin_dora_lead_time_seconds{repository="acme/shop",window="90d",statistic="p50"}',
                                days=365, step_hours=24)
        assert lead_time and len(lead_time[0]["values"]) > 300, "a year of daily lead-time points"
        stored = ds.PrometheusAPI(api.base_url).result(f"count_over_time({SERIES}[400d])")
        assert int(float(stored[0]["value"][1])) == samples_in_file, "every backfilled sample once"

    # A restart: compose runs the one-shots again before Prometheus. No new block, no duplicate sample.
    rehearsal.run_one_shot("history")
    again = rehearsal.run_one_shot("prometheus-backfill")
    assert "already loaded" in again, again
    assert rehearsal.blocks() == blocks

    # A volume that already holds scraped data (a stack from before the backfill existed) is never backfilled.
    (rehearsal.volumes["prometheus-data"] / "devops-twin-backfill.done").unlink()
    port, log, context = start_prometheus(rehearsal, "prometheus-2")
    with context as prometheus:
        api = ds.PrometheusAPI(f"http://127.0.0.1:{port}")
        ds.wait_until(lambda: ds.http_get(f"{api.base_url}/-/ready")[0] == 200, "Prometheus ready", STARTUP_TIMEOUT,
                      prometheus, log)
        stored = api.result(f"count_over_time({SERIES}[400d])")
        assert int(float(stored[0]["value"][1])) == samples_in_file, "still every sample once after a restart"
    skipped = rehearsal.run_one_shot("prometheus-backfill")
    assert "already holds scraped data" in skipped, skipped
    assert rehearsal.blocks() == blocks


def test_interpolation_follows_compose():
    assert interpolate("neo4j/${NEO4J_PASSWORD:?set it}", {"NEO4J_PASSWORD": "x"}) == "neo4j/x"
    assert interpolate("${GITHUB_TOKEN:-}", {}) == ""
    assert interpolate("$$(ls)", {}) == "$(ls)"
    with pytest.raises(AssertionError):
        interpolate("${NEO4J_PASSWORD:?set it}", {})
