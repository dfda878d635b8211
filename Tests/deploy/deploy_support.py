"""Shared helpers of the deployment tests: paths, file loading, expression extraction, processes."""
from __future__ import annotations

import contextlib
import http.server
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
GRAFANA = ROOT / "grafana"
DASHBOARD_DIR = GRAFANA / "dashboards"
PROVISIONING = GRAFANA / "provisioning"
PROMETHEUS = ROOT / "prometheus"
RULE_FILES = sorted((PROMETHEUS / "rules").glob("*.yml"))
RULE_TEST_FILES = sorted((PROMETHEUS / "tests").glob("*.yml"))
METRICS_DOC = ROOT / "docs" / "metrics.md"
GRAPH_SCHEMA = ROOT / "docs" / "graph-schema.json"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SCHEMAS = Path(__file__).resolve().parent / "schemas"

PROMETHEUS_UID = "prometheus"
NEO4J_UID = "neo4j"
PROVISIONED_DATASOURCES = {PROMETHEUS_UID: "prometheus", NEO4J_UID: "kniepdennis-neo4j-datasource"}

# An exported family; not the middle part of a recorded name (level:devops_twin_…:operations).
METRIC_NAME = re.compile(r"(?<![\w:])devops_twin_[a-zA-Z0-9_]+(?![\w:])")
# A recording rule's output, named level:metric:operations (prometheus/rules/devops-twin-recording.yml); the old
# devops_twin:… prefix is matched too, so a leftover use of it is reported as not recorded.
RECORDED_NAME = re.compile(r"\b[a-z_]+:devops_twin_[a-zA-Z0-9_]+:[a-zA-Z0-9_]+|\bdevops_twin:[a-zA-Z0-9_:]+")
LABEL_VALUES = re.compile(r"^\s*label_values\(\s*(?:(?P<selector>.+?)\s*,\s*)?(?P<label>\w+)\s*\)\s*$", re.S)


def load_yaml(path: Path):
    return yaml.safe_load(path.read_text())


def dashboards() -> dict[str, dict]:
    """File name -> parsed dashboard JSON."""
    return {p.name: json.loads(p.read_text()) for p in sorted(DASHBOARD_DIR.glob("*.json"))}


def all_panels(dashboard: dict) -> list[dict]:
    panels = []
    for panel in dashboard.get("panels", []):
        panels.append(panel)
        panels.extend(panel.get("panels", []))  # collapsed rows keep their panels inside
    return panels


def query_panels(dashboard: dict) -> list[dict]:
    return [p for p in all_panels(dashboard) if p.get("type") not in ("row", "text")]


def documented_families() -> set[str]:
    """Metric family names from the tables of docs/metrics.md (the exporter's contract)."""
    names = set()
    for line in METRICS_DOC.read_text().splitlines():
        if line.startswith("|"):
            cells = line.split("|")
            found = re.findall(r"`(devops_twin_[a-zA-Z0-9_]+)`", cells[1])
            if len(cells) > 2 and cells[2].strip() == "histogram":
                # A histogram family is served as its _bucket, _sum and _count series.
                found = [name + suffix for name in found for suffix in ("_bucket", "_sum", "_count")]
            names.update(found)
    return names


@dataclass(frozen=True)
class Expression:
    """One PromQL expression and where it comes from."""
    origin: str          # e.g. "dashboard dora-overview.json panel 3 (Lead time) target B"
    expr: str
    kind: str            # "panel", "variable", "grafana-alert", "prometheus-alert", "prometheus-record"
    dashboard: str = ""  # dashboard uid for panel/variable expressions


def prometheus_rules() -> list[tuple[Path, dict]]:
    return [(path, rule) for path in RULE_FILES for group in load_yaml(path)["groups"] for rule in group["rules"]]


def grafana_alert_rules() -> list[dict]:
    rules = []
    for path in sorted((PROVISIONING / "alerting").glob("*.yaml")):
        for group in load_yaml(path).get("groups", []) or []:
            rules.extend(group["rules"])
    return rules


def promql_expressions() -> list[Expression]:
    """Every PromQL expression of the dashboards, the Grafana alert rules and the Prometheus rules."""
    found: list[Expression] = []
    for name, dashboard in dashboards().items():
        for variable in dashboard.get("templating", {}).get("list", []):
            if (variable.get("datasource") or {}).get("uid") == PROMETHEUS_UID:
                query = variable["query"]["query"] if isinstance(variable["query"], dict) else variable["query"]
                found.append(Expression(f"dashboard {name} variable {variable['name']}", query, "variable",
                                        dashboard["uid"]))
        for panel in query_panels(dashboard):
            for target in panel.get("targets", []):
                if (target.get("datasource") or panel.get("datasource") or {}).get("uid") == PROMETHEUS_UID:
                    found.append(Expression(
                        f"dashboard {name} panel {panel['id']} ({panel.get('title')}) target {target['refId']}",
                        target["expr"], "panel", dashboard["uid"]))
    for rule in grafana_alert_rules():
        for query in rule["data"]:
            if query.get("datasourceUid") == PROMETHEUS_UID:
                found.append(Expression(f"Grafana alert {rule['uid']} query {query['refId']}",
                                        query["model"]["expr"], "grafana-alert"))
    for path, rule in prometheus_rules():
        kind = "prometheus-alert" if "alert" in rule else "prometheus-record"
        found.append(Expression(f"{path.name} {rule.get('alert') or rule.get('record')}", rule["expr"], kind))
    return found


# Grafana's global variables and the values the live test gives them (the dashboards' own variables are
# filled from the running exporter's label values).
GRAFANA_GLOBALS = {"__rate_interval": "1m", "__interval": "15s", "__range": "1h", "__range_s": "3600",
                   "__interval_ms": "15000"}


def substitute(expr: str, values: dict[str, str]) -> str:
    """Replaces $name, ${name} and [[name]] the way Grafana's frontend does for single values."""
    def replace(match: re.Match) -> str:
        name = match.group(1) or match.group(2) or match.group(3)
        if name not in values:
            raise KeyError(f"no value for Grafana variable ${name} in {expr!r}")
        return values[name]
    return re.sub(r"\$\{(\w+)(?::\w+)?\}|\[\[(\w+)\]\]|\$(\w+)", replace, expr)


# ---------------------------------------------------------------------------------------------- processes
def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(url: str, timeout: float = 5.0) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def wait_until(condition, what: str, timeout: float, process: subprocess.Popen | None = None,
               log: Path | None = None):
    """Polls `condition` (a callable returning a truthy value or raising) until it succeeds or time runs out."""
    deadline = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise AssertionError(f"{what}: process exited with {process.returncode}\n{tail(log)}")
        try:
            result = condition()
            if result:
                return result
        except (OSError, ValueError, KeyError, urllib.error.URLError) as error:
            last_error = error
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what} (last error: {last_error})\n{tail(log)}")


def tail(log: Path | None, lines: int = 40) -> str:
    if log is None or not log.exists():
        return ""
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])


@contextlib.contextmanager
def running(command: list[str], log: Path, env: dict | None = None):
    """Starts a process in its own process group, and always stops it (TERM, then KILL after 5 s)."""
    with open(log, "wb") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                   env=env, start_new_session=True)
    try:
        yield process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)


def devops_twin_binary() -> str:
    """The built `devops-twin` ($DEVOPS_TWIN_BIN, default .build/debug/devops-twin). Missing: a failure under CI
    (scripts/test builds it first), a skip on a developer's machine that has not built it."""
    import pytest
    path = os.environ.get("DEVOPS_TWIN_BIN", str(ROOT / ".build" / "debug" / "devops-twin"))
    if not os.path.exists(path):
        message = f"{path} does not exist: build it with `swift build --product devops-twin`, or set DEVOPS_TWIN_BIN"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


def require_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise AssertionError(f"`{name}` is not installed: install the Debian package `prometheus` "
                             f"(apt-get install -y prometheus), which provides promtool and prometheus")
    return path


class PrometheusAPI:
    def __init__(self, base_url: str):
        self.base_url = base_url

    def query(self, expr: str) -> dict:
        """Instant query; returns the JSON answer (status success or error) without raising on 4xx."""
        url = f"{self.base_url}/api/v1/query?" + urllib.parse.urlencode({"query": expr})
        status, body = http_get(url)
        answer = json.loads(body)
        answer["httpStatus"] = status
        return answer

    def result(self, expr: str) -> list:
        answer = self.query(expr)
        if answer.get("status") != "success":
            raise ValueError(f"{expr}: {answer.get('errorType')}: {answer.get('error')}")
        data = answer["data"]
        return data["result"] if data["resultType"] in ("vector", "matrix") else [data["result"]]


class LoopbackHTTPServer:
    """A `http.server` handler class served on a free loopback port in a background thread, for `with`."""

    def __init__(self, handler: type[http.server.BaseHTTPRequestHandler]):
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.address = f"127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


# Grafana alert queries that select only what is alerting, or compare with history a Prometheus started for a test
# does not have, so they may be empty while their thresholds are not crossed (promtool test rules makes each fire
# and stay silent): the level a day and four weeks ago; only repositories without a deployment in a window; only
# repositories with at least the minimum of changes behind their change failure ratio (10 in 30 days); only pods
# beyond the shard total; only refused deliveries (their series exist once one was refused).
SELECTION_ALERTS = {"devops-twin-dora-level-dropped", "devops-twin-no-recent-deployment",
                    "devops-twin-change-failure-rate-high", "devops-twin-shard-surplus", "devops-twin-webhooks-refused"}
