"""Every PromQL expression, evaluated by a real Prometheus that has scraped a running exporter.

Two exporters are scraped, each by its own Prometheus:
  * `demo`: `devops-twin demo` (binary from $DEVOPS_TWIN_BIN, default .build/debug/devops-twin), the proof
    that the dashboards work on what the product really serves;
  * `fixture`: Tests/deploy/fixtures/exposition.prom served by a tiny HTTP server, one series set of every
    family in docs/metrics.md, so the expressions are also checked against the documented contract.
Grafana variables are replaced by real label values read from that Prometheus. Every expression must parse;
every DORA and sync-health expression must return data. Processes live at most for this module and are
always stopped.
"""
from __future__ import annotations

import datetime
import http.server
import json
import os
import re
import subprocess
import tempfile
from pathlib import Path

import pytest
import yaml

import deploy_support as ds

# Only a guard against a hang: each wait below ends at the event it waits for. The demo's first cycle syncs three
# repositories (6,000 commits) and takes minutes on a busy machine, so the guard is generous.
STARTUP_TIMEOUT = 600.0

# The exemption list: expressions over these families need not return data, because they are absent by
# design without Neo4j (docs/metrics.md: "absent when Neo4j is not configured") and `devops-twin demo` runs
# without Neo4j. Everything else, CI health included (the demo configures ciWorkflows ["CI"]), must return data.
#   devops_twin_neo4j_up                      1/0 of the last Neo4j call; absent when Neo4j is not configured
#   devops_twin_projection_*                  projection runs, lag and last success; same reason
#   repository:devops_twin_projection_*       recording rules over devops_twin_projection_*; same reason
#   devops_twin_history_covered_from_*        served only while a repository's history is still being deepened
#                                             (docs/metrics.md "Coverage"); the demo's history is complete
#   devops_twin_webhook_*                     the webhook receiver's families; absent when webhooks are off
#                                             (docs/metrics.md), and the demo runs without a receiver
OPTIONAL_PREFIXES = ("devops_twin_neo4j_up", "devops_twin_projection_", "repository:devops_twin_projection_",
                     "devops_twin_history_covered_from_", "devops_twin_webhook_")


def default_binary() -> Path:
    return Path(os.environ.get("DEVOPS_TWIN_BIN", ds.ROOT / ".build" / "debug" / "devops-twin"))


# ----------------------------------------------------------------------------------------------- exporters
class FixtureExporter(ds.LoopbackHTTPServer):
    """Serves the static exposition like the exporter does (text format 0.0.4)."""

    def __init__(self, path: Path):
        body = path.read_bytes()

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's naming)
                if self.path.split("?")[0] == "/metrics":
                    self.send_response(200)
                    self.send_header("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                else:
                    self.send_response(200 if self.path == "/healthz" else 404)
                    self.end_headers()

            def log_message(self, *args):
                pass

        super().__init__(Handler)


# Served from the snapshot after the first sync cycle has ended: the planner's budget of the cycle (planned, spent,
# reserve, waiting), the repositories by synced history and the completion estimate (Sync health, "Sync budget").
CYCLE_END_FAMILY = "devops_twin_sync_budget_planned_requests"


def synced_snapshot(body: bytes) -> bool:
    """True once /metrics serves a snapshot computed after the first sync cycle has ended: every repository synced
    successfully, and the cycle's budget published. The demo serves snapshots before that too: one while the store
    is still partly empty (a statistic the synced data gives may be absent, and the variables would be chosen from
    it), and one after the last repository's sync but before the cycle ends (no budget families yet)."""
    text = body.decode(errors="replace")
    attempted = set(re.findall(r'^devops_twin_sync_last_attempt_timestamp_seconds\{repository="([^"]+)"', text, re.M))
    synced = set(re.findall(r'^devops_twin_sync_last_success_timestamp_seconds\{repository="([^"]+)"', text, re.M))
    return (bool(attempted) and attempted == synced and "devops_twin_dora_deployments{" in text
            and re.search(rf"^{CYCLE_END_FAMILY}[{{ ]", text, re.M) is not None)


def demo_unavailable_reason(binary: Path) -> str | None:
    if not binary.exists():
        return f"{binary} does not exist (build it with `swift build --product devops-twin`, or set DEVOPS_TWIN_BIN)"
    help_text = subprocess.run([str(binary), "demo", "--help"], capture_output=True, text=True, timeout=30)
    if "--listen" not in help_text.stdout + help_text.stderr:
        return f"{binary} has no `demo --listen` yet"
    return None


# ---------------------------------------------------------------------------------------------- Prometheus
def prometheus_config(target: str) -> dict:
    """The repository's prometheus.yml with a 1 s scrape of `target` and the rule files by absolute path."""
    config = ds.load_yaml(ds.PROMETHEUS / "prometheus.yml")
    config["global"].update({"scrape_interval": "1s", "scrape_timeout": "1s", "evaluation_interval": "1s"})
    config["rule_files"] = [str(path) for path in ds.RULE_FILES]
    config["scrape_configs"] = [job for job in config["scrape_configs"] if job["job_name"] == "devops-twin"]
    config["scrape_configs"][0]["static_configs"] = [{"targets": [target]}]
    return config


class LivePrometheus:
    def __init__(self, api: ds.PrometheusAPI, source: str):
        self.api, self.source = api, source
        self.repositories = sorted({s["metric"]["repository"]
                                    for s in api.result("devops_twin_dora_deployments")})
        self.variables = self._variable_values()

    def _variable_values(self) -> dict[str, str]:
        repositories = self.repositories
        windows = sorted({s["metric"]["window"] for s in self.api.result("devops_twin_dora_deployments")})
        assert repositories and windows, f"{self.source}: the exporter serves no DORA series"
        window = "30d" if "30d" in windows else windows[0]  # the dashboards' default window
        # A statistic over 0 samples is absent by contract (docs/metrics.md), so the proof uses the repository
        # with the most series in that window (ties: by name); the others are covered by
        # test_every_absent_statistic_is_explained_by_zero_samples.
        counts = {s["metric"]["repository"]: float(s["value"][1]) for s in self.api.result(
            f'count by (repository) ({{__name__=~"devops_twin_(dora|ci)_.+", window="{window}"}})')}
        repository = min(repositories, key=lambda r: (-counts.get(r, 0), r))
        # The team: the one with the most group series in that window among those holding the repository (the
        # repository variable lists the team's members), ties by name. Every group expression must return data.
        members = {s["metric"]["group"] for s in self.api.result(
            f'devops_twin_group_member_info{{repository="{repository}"}}')}
        assert members, f"{self.source}: {repository} is in no group (devops_twin_group_member_info)"
        group_counts = {s["metric"]["group"]: float(s["value"][1]) for s in self.api.result(
            f'count by (group) ({{__name__=~"devops_twin_group_(dora|ci)_.+", window="{window}"}})')}
        group = min(members, key=lambda g: (-group_counts.get(g, 0), g))
        return {**ds.GRAFANA_GLOBALS, "group": group, "repository": repository, "window": window}


def start_prometheus(target: str, workdir: Path):
    prometheus = ds.require_tool("prometheus")
    config_path = workdir / "prometheus.yml"
    config_path.write_text(yaml.safe_dump(prometheus_config(target)))
    port = ds.free_port()
    log = workdir / "prometheus.log"
    command = [prometheus, f"--config.file={config_path}", f"--storage.tsdb.path={workdir / 'tsdb'}",
               f"--web.listen-address=127.0.0.1:{port}", "--storage.tsdb.retention.time=1d"]
    return ds.running(command, log), f"http://127.0.0.1:{port}", log


def wait_for_scrapes(api: ds.PrometheusAPI, process, log: Path) -> None:
    ds.wait_until(lambda: ds.http_get(f"{api.base_url}/-/ready")[0] == 200, "Prometheus ready", STARTUP_TIMEOUT,
                  process, log)

    def scraped() -> bool:
        counts = api.result('count_over_time(up{job="devops-twin"}[1m])')
        ups = api.result('up{job="devops-twin"}')
        recorded = api.result("repository_window:devops_twin_dora_deployments:per_week")
        return (bool(counts) and float(counts[0]["value"][1]) >= 4 and ups and ups[0]["value"][1] == "1"
                and bool(recorded))

    ds.wait_until(scraped, "four successful scrapes of the exporter and the recording rules", STARTUP_TIMEOUT,
                  process, log)
    # Every rule group (not only the one recording the weekly deployments) has evaluated since
    # those scrapes: a rate() rule needs two scrapes in its range, and each group runs on its own schedule.
    scraped_by = float(api.result("time()")[0][1])  # a scalar: [time, "value"]
    ds.wait_until(lambda: rules_evaluated_since(api, scraped_by), "every rule group evaluated after the scrapes",
                  STARTUP_TIMEOUT, process, log)


def rules_evaluated_since(api: ds.PrometheusAPI, instant: float) -> bool:
    _, body = ds.http_get(f"{api.base_url}/api/v1/rules")
    groups = json.loads(body)["data"]["groups"]
    assert groups, "Prometheus loaded no rule group"
    return all(evaluated_at(group["lastEvaluation"]) > instant for group in groups)


def evaluated_at(timestamp: str) -> float:
    """Prometheus's RFC 3339 time (nanoseconds, `Z`) as epoch seconds; the zero time before the first evaluation."""
    if timestamp.startswith("0001-"):
        return 0.0
    match = re.match(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$", timestamp)
    assert match, timestamp
    whole = datetime.datetime.fromisoformat(match[1] + ("+00:00" if match[3] == "Z" else match[3]))
    return whole.timestamp() + float("0." + (match[2] or "0"))


@pytest.fixture(scope="module", params=["fixture", "demo"])
def live(request):
    with tempfile.TemporaryDirectory(prefix="devops-twin-promql-") as tmp:
        workdir = Path(tmp)
        if request.param == "fixture":
            with FixtureExporter(ds.FIXTURES / "exposition.prom") as exporter:
                yield from _with_prometheus(exporter.address, workdir, "fixture")
        else:
            binary = default_binary()
            reason = demo_unavailable_reason(binary)
            if reason:
                if os.environ.get("CI"):
                    pytest.fail(f"the PromQL proof needs the demo in CI: {reason}")
                pytest.skip(f"PromQL proof against `devops-twin demo` skipped: {reason}")
            port = ds.free_port()
            log = workdir / "demo.log"
            data_dir = workdir / "demo-data"
            data_dir.mkdir()
            command = [str(binary), "demo", "--listen", f"127.0.0.1:{port}", "--data-dir", str(data_dir)]
            with ds.running(command, log) as demo:
                ds.wait_until(lambda: synced_snapshot(ds.http_get(f"http://127.0.0.1:{port}/metrics")[1]),
                              "the demo's first snapshot after its first sync cycle ended", STARTUP_TIMEOUT,
                              demo, log)
                yield from _with_prometheus(f"127.0.0.1:{port}", workdir, "demo")


def _with_prometheus(target: str, workdir: Path, source: str):
    context, base_url, log = start_prometheus(target, workdir)
    with context as process:
        api = ds.PrometheusAPI(base_url)
        wait_for_scrapes(api, process, log)
        yield LivePrometheus(api, source)


# ---------------------------------------------------------------------------------------------------- tests
EXPRESSIONS = ds.promql_expressions()


HISTORY_OR_SELECTION_ALERTS = ds.SELECTION_ALERTS
# Recording rules over windows a repository's synced history may not cover yet (absent until it does, docs/metrics.md
# "Coverage"): the usual deployments of 90 days. The fixture serves them, so they are proven there.
WINDOW_DEPENDENT_RECORDS = {"repository_window:devops_twin_dora_deployments:usual_in_window"}


def must_return_data(expression: ds.Expression, source: str = "demo") -> bool:
    if expression.kind == "prometheus-alert":
        return False  # carries its threshold: empty unless firing
    if expression.kind == "grafana-alert" and expression.origin.split()[2] in HISTORY_OR_SELECTION_ALERTS:
        return False
    if expression.kind == "prometheus-record" and expression.origin.split()[1] in WINDOW_DEPENDENT_RECORDS:
        return source == "fixture"
    if expression.kind in ("panel", "variable") and expression.dashboard not in (
            "devops-twin-home", "devops-twin-dora", "devops-twin-sync", "devops-twin-data-quality"):
        return False
    names = ds.METRIC_NAME.findall(expression.expr) + ds.RECORDED_NAME.findall(expression.expr)
    return not any(name.startswith(OPTIONAL_PREFIXES) for name in names)


def test_the_harness_finds_expressions_of_every_origin():
    kinds = {e.kind for e in EXPRESSIONS}
    assert kinds == {"panel", "variable", "grafana-alert", "prometheus-alert", "prometheus-record"}
    with_prometheus = {e.dashboard for e in EXPRESSIONS if e.kind == "panel"}
    assert {"devops-twin-home", "devops-twin-dora", "devops-twin-sync", "devops-twin-data-quality"} <= with_prometheus
    assert sum(must_return_data(e) for e in EXPRESSIONS) >= 40


@pytest.mark.parametrize("expression", EXPRESSIONS, ids=lambda e: e.origin)
def test_expression_parses_and_returns_data(live, expression):
    expr = ds.substitute(expression.expr, live.variables)
    match = ds.LABEL_VALUES.match(expr)
    if match:  # Grafana's label_values(selector, label): query the selector, read the label
        selector = match["selector"] or "up"
        result = live.api.result(selector)
        values = {s["metric"].get(match["label"]) for s in result} - {None}
        if must_return_data(expression, live.source):
            assert values, f"{live.source}: {expression.origin}: no values of {match['label']} in {selector}"
        return
    answer = live.api.query(expr)
    assert answer["status"] == "success", (
        f"{live.source}: {expression.origin}: Prometheus rejected {expr!r}: {answer.get('error')}")
    if must_return_data(expression, live.source):
        assert answer["data"]["result"], f"{live.source}: {expression.origin}: no data for {expr!r}"


def test_grafana_variables_resolve_to_real_values(live):
    assert "/" in live.variables["repository"]
    assert live.variables["window"]
    assert live.variables["group"]


def test_a_team_lists_exactly_its_members_and_all_lists_every_repository(live):
    """The repository variable's selector (grafana/build.py GROUP_REPOSITORIES) with a team, and with All (`.*`)."""
    variable = next(e for e in EXPRESSIONS if e.kind == "variable" and e.origin.endswith("variable repository")
                    and e.dashboard == "devops-twin-dora")
    selector = ds.LABEL_VALUES.match(variable.expr)["selector"]

    def listed(group: str) -> set[str]:
        return {s["metric"]["repository"] for s in live.api.result(selector.replace("$group", group))}

    assert listed(".*") == set(live.repositories)
    for member in live.api.result("devops_twin_group_member_info"):
        group = member["metric"]["group"]
        expected = {s["metric"]["repository"] for s in live.api.result(
            f'devops_twin_group_member_info{{group="{group}"}}')}
        assert listed(group) == expected, f"{live.source}: team {group}"


# A statistic family and the gauge that says why it is absent (docs/metrics.md: absent when the samples are 0).
STATISTIC_SAMPLES = {
    "devops_twin_dora_lead_time_seconds": "devops_twin_dora_lead_time_samples",
    "devops_twin_dora_time_to_restore_seconds": "devops_twin_dora_time_to_restore_samples",
    "devops_twin_dora_failed_deployment_recovery_seconds": "devops_twin_dora_failed_deployment_recovery_samples",
    "devops_twin_dora_change_failure_ratio": "devops_twin_dora_change_failure_samples",
    "devops_twin_dora_rework_ratio": "devops_twin_dora_deployments",
    "devops_twin_ci_recovery_seconds": "devops_twin_ci_recovery_samples",
    "devops_twin_ci_run_duration_seconds": "devops_twin_ci_run_duration_samples",
}
# The same contract for every group family (docs/metrics.md "Groups": same labels and meaning, `group` in place
# of `repository`).
STATISTIC_SAMPLES.update({statistic.replace("devops_twin_", "devops_twin_group_", 1):
                          samples.replace("devops_twin_", "devops_twin_group_", 1)
                          for statistic, samples in list(STATISTIC_SAMPLES.items())})
KEY_LABELS = ("repository", "group", "workflow", "window")


def test_every_absent_statistic_is_explained_by_zero_samples(live):
    """For every repository or group and window (not only the one the proof selects), a statistic is present exactly
    when its samples gauge is above 0: an empty panel always has its documented reason."""
    checked = 0
    for statistic, samples in STATISTIC_SAMPLES.items():
        present = {tuple(sorted((k, v) for k, v in s["metric"].items() if k in KEY_LABELS))
                   for s in live.api.result(statistic)}
        counts = live.api.result(samples)
        assert counts, f"{live.source}: {samples} is not served"
        for series in counts:
            key = tuple(sorted((k, v) for k, v in series["metric"].items() if k in KEY_LABELS))
            has_samples = float(series["value"][1]) > 0
            assert (key in present) == has_samples, (
                f"{live.source}: {statistic} {dict(key)} is {'present' if key in present else 'absent'} "
                f"with {samples} = {series['value'][1]}")
            checked += 1
    assert checked >= len(STATISTIC_SAMPLES) * 2


def test_the_proof_covers_every_repository_the_exporter_serves(live):
    """Each repository says for every window whether its history covers it, so the repository and window
    variables (read from devops_twin_dora_window_complete) never miss one; a covered window has DORA series."""
    for repository in live.repositories:
        complete = {s["metric"]["window"]: float(s["value"][1]) for s in live.api.result(
            f'devops_twin_dora_window_complete{{repository="{repository}"}}')}
        assert {"7d", "30d", "90d", "all"} <= set(complete), f"{live.source}: {repository} windows {complete}"
        windows = {s["metric"]["window"] for s in live.api.result(
            f'devops_twin_dora_deployments{{repository="{repository}"}}')}
        assert windows == {w for w, value in complete.items() if value == 1}, f"{live.source}: {repository}"


def test_an_incomplete_window_has_every_statistic_absent(live):
    """docs/metrics.md "Coverage": a window the synced history does not cover (window_complete 0) has no series in
    any other per-window family, so no panel can show a number computed from part of the data; the fixture
    serves such windows (demo/api and team platform, window all)."""
    per_window = [n for n in ds.documented_families() if n.startswith(("devops_twin_dora_", "devops_twin_ci_",
                                                                       "devops_twin_group_dora_", "devops_twin_group_ci_"))
                  and not n.endswith(("_window_complete", "_info", "_open_incidents"))]
    incomplete = 0
    for family, subject in (("devops_twin_dora_window_complete", "repository"),
                            ("devops_twin_group_dora_window_complete", "group")):
        for series in live.api.result(f"{family} == 0"):
            incomplete += 1
            labels = f'{subject}="{series["metric"][subject]}",window="{series["metric"]["window"]}"'
            for name in per_window:
                if name.startswith("devops_twin_group_") == (subject == "group"):
                    assert not live.api.result(f"{name}{{{labels}}}"), f"{live.source}: {name}{{{labels}}} is served"
    if live.source == "fixture":
        assert incomplete == 2
