"""The demo stack (docker-compose.demo.yml), rehearsed here with its own commands, paths and network.

Docker cannot run on these machines. So the services run as local processes, as the history rehearsal runs them
(compose_rehearsal): `simulator` (live activity, signed webhooks), the one-shots `history` and
`prometheus-backfill`, `prometheus` (Debian's, with the repository's prometheus.yml and rules) and `devops-twin`
(its webhook receiver on). Each takes its command, environment, healthcheck and the committed demo configuration
from the compose file. Container paths become folders, and `service:port` becomes a loopback port. Neo4j and
Grafana cannot run here: devops-twin runs without Neo4j (so the projection families are absent), and Grafana's
part is played by grafana_smoke, the module the smoke test uses. It resolves every dashboard's variables against
the real Prometheus and fills in every panel query as Grafana's frontend would. Then:
  * every panel's PromQL, as Grafana would send it, is evaluated by the real Prometheus over the dashboard's time
    range, and so is every rule's; all must parse, and all must return data except the families listed below;
  * the backfilled year of history reaches the panels (points from before the stack started);
  * every Neo4j panel's Cypher, with the demo's values filled in, passes the Cypher checks (cypher_scope and the
    graph schema of test_cypher);
  * `devops-twin report --json` gives the store's counts the smoke test compares with the graph.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import re
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

import compose_rehearsal
import cypher_scope
import deploy_support as ds
import grafana_smoke as gs
import graph_counts as gc
from test_cypher import graph_schema, references

DEMO = ds.load_yaml(ds.ROOT / "docker-compose.demo.yml")
CONFIG = ds.ROOT / "deploy" / "demo" / "config.json"
PORTS = (8787, 9866, 9867, 9090)  # simulator, exporter, webhook receiver, Prometheus
# A bound against hangs, not a wait: each wait ends at its event. The daemon's first cycle comes one sync interval
# (the demo's 5m) after the `history` one-shot's sync, so the bound covers that interval and a busy machine.
STARTUP_TIMEOUT = 600.0
# Absent here by design, present in the real stack (the smoke test expects them): there is no Neo4j to project to.
NO_NEO4J_HERE = ("devops_twin_neo4j_up", "devops_twin_projection_", "repository:devops_twin_projection_")


def config_bind_source() -> str:
    return next(compose_rehearsal.volume_parts(v)[0] for v in DEMO["services"]["devops-twin"]["volumes"]
                if compose_rehearsal.volume_parts(v)[1] == "/etc/devops-twin/config.json")


class Stack:
    def __init__(self, rehearsal: compose_rehearsal.Rehearsal, api: ds.PrometheusAPI, started: float):
        self.rehearsal, self.api, self.started = rehearsal, api, started
        self.repositories = [r["name"] for r in json.loads(CONFIG.read_text())["repositories"]]

    def metrics(self) -> str:
        return ds.http_get(f"http://{self.rehearsal.address(9866)}/metrics")[1].decode()

    def resolver(self) -> gs.Resolver:
        def label_values(selector: str, label: str) -> list[str]:
            return [s["metric"][label] for s in self.api.result(selector) if label in s["metric"]]
        # The Twin explorer's repository variable reads (:Repository) nodes, one per configured repository.
        return gs.Resolver(label_values, lambda cypher: list(self.repositories))


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    root = tmp_path_factory.mktemp("demo-stack")
    rehearsal = compose_rehearsal.Rehearsal(root, DEMO, {}, PORTS)
    rehearsal.bind_source(config_bind_source(), rehearsal.networked(CONFIG.read_text()))
    simulator_log, twin_log = root / "simulator.log", root / "devops-twin.log"
    with ds.running(rehearsal.command("simulator"), simulator_log, rehearsal.environment("simulator")) as simulator:
        ds.wait_until(lambda: rehearsal.healthcheck("simulator"), "the simulator's healthcheck", 60, simulator,
                      simulator_log)
        rehearsal.run_one_shot("history")
        assert "history loaded" in rehearsal.run_one_shot("prometheus-backfill")
        rehearsal.rule_files_mapped_config()
        prometheus_port = int(rehearsal.address(9090).rsplit(":", 1)[1])
        prometheus_log = root / "prometheus.log"
        started = time.time()
        with ds.running(rehearsal.prometheus_command(prometheus_port), prometheus_log) as prometheus, \
                ds.running(rehearsal.command("devops-twin"), twin_log, rehearsal.environment("devops-twin")) as twin:
            api = ds.PrometheusAPI(f"http://127.0.0.1:{prometheus_port}")
            ds.wait_until(lambda: rehearsal.healthcheck("devops-twin"), "devops-twin's healthcheck",
                          STARTUP_TIMEOUT, twin, twin_log)
            ds.wait_until(lambda: rehearsal.healthcheck("prometheus"), "Prometheus' healthcheck", STARTUP_TIMEOUT,
                          prometheus, prometheus_log)
            yield wait_for_live_data(Stack(rehearsal, api, started), twin, twin_log)


def wait_for_live_data(stack: Stack, twin, log: Path) -> Stack:
    """Waits for what the assertions read: a signed webhook accepted from the simulator's live activity, the
    daemon's first cycle over every repository, and Prometheus having scraped all that twice with the rules."""
    def ready() -> bool:
        api = stack.api
        accepted = api.result('sum(devops_twin_webhook_deliveries_total{result="accepted"})')
        synced = api.result("devops_twin_sync_last_success_timestamp_seconds")
        scrapes = api.result('count_over_time(up{job="devops-twin"}[10m])')
        budget = api.result("devops_twin_sync_budget_spent_requests")  # set when the daemon's first cycle ends
        return (bool(accepted) and float(accepted[0]["value"][1]) > 0 and len(synced) == len(stack.repositories)
                and bool(scrapes) and float(scrapes[0]["value"][1]) >= 3 and bool(budget)
                and bool(api.result("repository_window:devops_twin_dora_deployments:per_week")))
    ds.wait_until(ready, "an accepted webhook, the daemon's first cycle and three scrapes in Prometheus", STARTUP_TIMEOUT,
                  twin, log)
    return stack


def evaluate(api: ds.PrometheusAPI, query: dict, time_range: gs.TimeRange) -> list:
    """A panel query as Grafana's Prometheus backend sends it: query_range with the interval as step and the range
    aligned to it, or an instant query at the end of the range."""
    if query["range"]:
        step = query["intervalMs"] // 1000
        params = {"query": query["expr"], "start": time_range.from_ms // 1000 // step * step,
                  "end": time_range.to_ms // 1000 // step * step, "step": step}
        url = f"{api.base_url}/api/v1/query_range?" + urllib.parse.urlencode(params)
    else:
        url = f"{api.base_url}/api/v1/query?" + urllib.parse.urlencode(
            {"query": query["expr"], "time": time_range.to_ms / 1000})
    status, body = ds.http_get(url, timeout=60)
    answer = json.loads(body)
    assert answer["status"] == "success", f"HTTP {status}: {answer.get('error')} in {query['expr']!r}"
    return answer["data"]["result"]


def absent_without_neo4j(expr: str) -> bool:
    names = ds.METRIC_NAME.findall(expr) + ds.RECORDED_NAME.findall(expr)
    return any(name.startswith(NO_NEO4J_HERE) for name in names)


def dashboard_queries(stack: Stack):
    for dashboard in ds.dashboards().values():
        now_ms = int(time.time() * 1000)
        time_range = gs.TimeRange.relative(dashboard["time"]["from"], dashboard["time"]["to"], now_ms)
        selections = gs.resolve_variables(dashboard, stack.resolver(), time_range)
        yield dashboard, time_range, gs.panel_queries(dashboard, selections, time_range)


def test_every_panels_promql_as_grafana_sends_it_returns_data_from_the_real_prometheus(stack):
    """Every query must parse; every panel (each repeated copy) must have data from one of its targets, except
    the panels over families absent without Neo4j and those grafana_smoke lets be empty. A target may be empty
    where its panel is not: a statistic over 0 samples is absent by contract, its samples target shows the 0."""
    rows, empty, younger_than_a_step, backfilled, teams_backfilled, problems = [], [], [], 0, 0, []
    for _, time_range, queries in dashboard_queries(stack):
        for query in queries:
            if query.datasource != ds.PROMETHEUS_UID:
                continue
            try:
                result = evaluate(stack.api, query.query, time_range)
            except AssertionError as error:
                problems.append(f"{query.origin}: {error}")
                continue
            if absent_without_neo4j(query.query["expr"]):
                query = dataclasses.replace(query, expects_data=False)
            points = [p[0] for series in result for p in series.get("values", [])]
            if points and min(points) < stack.started - 86_400:
                backfilled += 1
                teams_backfilled += "devops_twin_group_" in query.query["expr"]
            if not result and query.query["range"]:
                # No point over the aligned range: a series younger than one step, or none at all (as
                # grafana_smoke.judge asks Grafana again, at the instant).
                result = evaluate(stack.api, gs.as_instant(query).query, time_range)
                if result:
                    younger_than_a_step.append(query.origin)
            rows.append((query, len(result)))
            if not result:
                empty.append(query.origin)
    empty_panels = gs.panels_without_data([(dataclasses.replace(q, expects_data=True), n) for q, n in rows])
    print(f"\nPromQL of the dashboards: {len(rows)} queries evaluated over {len({q.panel for q, _ in rows})} panels; "
          f"{len(empty)} queries empty; panels without data: {empty_panels}; range queries with data younger "
          f"than one step (no point yet, data at the instant): {younger_than_a_step}; "
          f"{backfilled} range queries reach back into the backfilled history ({teams_backfilled} of the teams')")
    problems.extend(gs.panels_without_data(rows))
    assert not problems, "\n".join(problems)
    assert len(rows) >= 150 and backfilled >= 10 and teams_backfilled >= 4


CONDITION = re.compile(r"(==|!=|>=|<=|>|<)\s*-?[\d.]+")


def is_condition(expr: str) -> bool:
    """An alert's expression that filters by a threshold: empty unless the alert fires."""
    return bool(CONDITION.search(re.sub(r"\{[^}]*\}", "{}", expr)))


def test_every_rule_expression_is_evaluated_by_the_real_prometheus(stack):
    rules = [e for e in ds.promql_expressions() if e.kind not in ("panel", "variable")]
    firing, problems = [], []
    for expression in rules:
        answer = stack.api.query(expression.expr)
        if answer["status"] != "success":
            problems.append(f"{expression.origin}: {answer.get('error')}")
        elif expression.kind != "prometheus-record" and is_condition(expression.expr):
            if answer["data"]["result"]:
                firing.append(expression.origin)
        elif expression.kind == "grafana-alert" and expression.origin.split()[2] in ds.SELECTION_ALERTS:
            continue  # selects only what is alerting (deploy_support.SELECTION_ALERTS)
        elif not answer["data"]["result"] and not absent_without_neo4j(expression.expr):
            problems.append(f"{expression.origin}: no data")
    print(f"\nrule expressions: {len(rules)} evaluated; conditions that hold in the demo: {firing}")
    assert not problems, "\n".join(problems)
    assert len(rules) >= 20


def test_every_neo4j_panels_cypher_with_the_demos_values_passes_the_cypher_checks(stack):
    nodes, relationships = graph_schema()
    checked = 0
    for _, _, queries in dashboard_queries(stack):
        for query in queries:
            if query.datasource != ds.NEO4J_UID:
                continue
            cypher = query.query["cypherQuery"]
            assert "$" not in cypher.replace("$$", ""), f"{query.origin}: a variable is left: {cypher}"
            findings = cypher_scope.check(cypher, node_graph=query.query["Format"] == "nodegraph")
            assert not findings, f"{query.origin}: {findings}\n{cypher}"
            labels, types, _ = references(cypher)
            assert labels <= set(nodes) and types <= set(relationships), query.origin
            checked += 1
    assert checked >= 10


def test_the_store_counts_the_smoke_test_compares_with_the_graph(stack):
    env = stack.rehearsal.environment("devops-twin")
    config = stack.rehearsal.host_path("/etc/devops-twin/config.json", "devops-twin")
    done = subprocess.run([str(stack.rehearsal.bin / "devops-twin"), "report", "--json", "--config", config],
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    expected = gc.store_counts(json.loads(done.stdout))
    for repository in stack.repositories:
        for label in ("Commit", "Issue", "WorkflowRun", "HAS_RUN"):
            assert expected[(repository, label)] > 0, f"{repository} {label}"
        assert expected[(repository, "HAS_RUN")] == expected[(repository, "WorkflowRun")]


def test_the_simulator_links_pages_by_its_public_url_and_rejects_a_bad_one(stack):
    simulator = stack.rehearsal.address(8787)
    status, _ = ds.http_get(f"http://{simulator}/repos/demo/webshop/commits?per_page=5")
    assert status == 200
    with urllib.request.urlopen(
            f"http://{simulator}/repos/demo/webshop/commits?per_page=5", timeout=10) as response:
        link = response.headers["Link"]
    assert f"<http://{simulator}/repos/demo/webshop/commits?per_page=5&page=2>" in link, link
    bad = subprocess.run([str(stack.rehearsal.bin / "devops-twin"), "simulator", "--listen", "127.0.0.1:0",
                          "--public-url", "simulator:8787"], capture_output=True, text=True, timeout=30)
    assert bad.returncode != 0 and "--public-url" in bad.stderr


COMPOSE_DOUBLE = """import json, subprocess, sys
spec = json.load(open(sys.argv[1]))
arguments = sys.argv[2:]
assert arguments[:4] == ["exec", "-T", "devops-twin", "devops-twin"], arguments
command = [spec["binary"], *[spec["paths"].get(a, a) for a in arguments[4:]]]
sys.exit(subprocess.run(command, env=spec["environment"]).returncode)
"""


def test_the_smoke_checks_run_on_the_rehearsed_stack_through_grafana_and_neo4j_doubles(stack, tmp_path):
    """smoke_compose's own checks against the rehearsed stack: every dashboard through a Grafana double over the real
    Prometheus (stack_doubles), the store read through a `docker compose exec` double that runs `devops-twin report`,
    and the graph's counts from a Neo4j double one projection behind at first. Only the panels over the projection
    families (no Neo4j here) may fail."""
    import smoke_compose
    import stack_doubles

    rehearsal = stack.rehearsal
    spec = tmp_path / "compose-double.json"
    spec.write_text(json.dumps({
        "binary": str(rehearsal.bin / "devops-twin"), "environment": rehearsal.environment("devops-twin"),
        "paths": {"/etc/devops-twin/config.json": rehearsal.host_path("/etc/devops-twin/config.json", "devops-twin")}}))
    script = tmp_path / "compose_double.py"
    script.write_text(COMPOSE_DOUBLE)
    compose = f"{sys.executable} {script} {spec}"
    rounds = []

    def graph_answers():
        arguments = argparse.Namespace(grafana="", neo4j="", compose=compose, timeout=60)
        counts = smoke_compose.Smoke(arguments).store_counts()
        if not rounds:  # the first answer: the projection one cycle behind the store
            first = next(key for key in sorted(counts) if key[1] == "Commit")
            counts = {**counts, first: counts[first] - 1}
        rounds.append(counts)
        return ([{"repository": r, "label": n, "count": c} for (r, n), c in counts.items() if n in gc.LABEL_ENTITIES],
                [{"repository": r, "type": n, "count": c} for (r, n), c in counts.items()
                 if n in gc.RELATIONSHIP_ENTITIES])

    with stack_doubles.GrafanaDouble(stack.api, stack.repositories) as grafana, \
            stack_doubles.Neo4jDouble(graph_answers) as neo4j:
        smoke = smoke_compose.Smoke(argparse.Namespace(grafana=f"http://{grafana.address}",
                                                       neo4j=f"http://{neo4j.address}", compose=compose, timeout=120))
        smoke.check_dashboards()
        smoke.check_counts()
        asked = grafana.asked
    projection_panels = {p for p in smoke.problems if re.search(r"devops-twin-sync panel 2[5-8] .*: no data", p)}
    assert set(smoke.problems) == projection_panels and len(projection_panels) == 4, smoke.problems
    assert len(rounds) >= 2, "the smoke test read the graph again until it caught up"
    assert len(asked) >= 200 and any(q["datasource"]["uid"] == ds.NEO4J_UID for q in asked)
