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
import time
import urllib.parse
from pathlib import Path

import pytest

import compose_rehearsal
import deploy_support as ds
from compose_rehearsal import interpolate

COMPOSE = ds.load_yaml(ds.ROOT / "docker-compose.yml")
STARTUP_TIMEOUT = 90.0
SERIES = 'devops_twin_dora_deployments{repository="acme/shop",window="90d"}'


def binary() -> str:
    return ds.devops_twin_binary()


class Rehearsal(compose_rehearsal.Rehearsal):
    """docker-compose.yml with the user's config.json beside it: the example's shape, pointed at the simulator."""

    def __init__(self, root: Path, simulator_url: str):
        super().__init__(root, COMPOSE, {"NEO4J_PASSWORD": "rehearsal-password",
                                         "GRAFANA_ADMIN_PASSWORD": "rehearsal-admin"})
        self.bind_source("./config.json",
            '{"github": {"apiUrl": "%s"}, "sync": {"interval": "15m"}, "dora": {"windows": ["30d", "90d"]},\n'
            ' "repositories": [{"name": "acme/shop", "since": "500d", "ciWorkflows": ["CI"]}]}\n' % simulator_url)


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
