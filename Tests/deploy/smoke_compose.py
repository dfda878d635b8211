"""The checks of scripts/smoke-compose against a running demo stack (docker-compose.demo.yml): Grafana runs every
panel's queries, Neo4j's graph holds what the store holds. Run by the script once the stack is up; the query
building and answer checking are grafana_smoke's (unit-tested in test_grafana_smoke.py).

    python3 Tests/deploy/smoke_compose.py --compose "docker compose -f docker-compose.demo.yml -p NAME"

Exit status 0 when every check passed, 1 with the problems listed otherwise. It waits for the events it reads
(health, the daemon's first cycle scraped, an accepted webhook, the first projection) up to --timeout seconds.
"""
from __future__ import annotations

import argparse
import base64
import json
import shlex
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import deploy_support as ds  # noqa: E402
import grafana_smoke as gs  # noqa: E402
import graph_counts as gc  # noqa: E402

DEMO = ds.load_yaml(ds.ROOT / "docker-compose.demo.yml")
CONFIG = json.loads((ds.ROOT / "deploy" / "demo" / "config.json").read_text())


def demo_credentials() -> tuple[tuple[str, str], tuple[str, str]]:
    """(Grafana admin, Neo4j user) as the demo compose file sets them."""
    grafana = DEMO["services"]["grafana"]["environment"]
    neo4j_user, neo4j_password = DEMO["services"]["neo4j"]["environment"]["NEO4J_AUTH"].split("/", 1)
    return (grafana["GF_SECURITY_ADMIN_USER"], grafana["GF_SECURITY_ADMIN_PASSWORD"]), (neo4j_user, neo4j_password)


class Client:
    def __init__(self, base_url: str, credentials: tuple[str, str]):
        self.base_url = base_url.rstrip("/")
        self.authorization = "Basic " + base64.b64encode(":".join(credentials).encode()).decode()

    def call(self, method: str, path: str, body: dict | None = None, timeout: float = 60) -> tuple[int, bytes]:
        request = urllib.request.Request(self.base_url + path, method=method,
                                         data=json.dumps(body).encode() if body is not None else None,
                                         headers={"Authorization": self.authorization, "Accept": "application/json",
                                                  "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()


class Smoke:
    def __init__(self, arguments):
        grafana, neo4j = demo_credentials()
        self.grafana = Client(arguments.grafana, grafana)
        self.neo4j = Client(arguments.neo4j, neo4j)
        self.compose = shlex.split(arguments.compose)
        self.timeout = arguments.timeout
        self.problems: list[str] = []

    def wait(self, what: str, condition) -> None:
        print(f"smoke: waiting for {what}", flush=True)
        ds.wait_until(condition, what, self.timeout)

    def instant(self, expr: str) -> dict:
        """A Prometheus instant query through Grafana (the datasource the dashboards use)."""
        now = int(time.time() * 1000)
        query = {"refId": "A", "datasource": {"type": "prometheus", "uid": ds.PROMETHEUS_UID}, "expr": expr,
                 "instant": True, "range": False, "format": "time_series"}
        status, body = self.grafana.call("POST", "/api/ds/query",
                                         {"queries": [query], "from": str(now - 300_000), "to": str(now)})
        if status != 200:
            raise ValueError(f"{expr}: HTTP {status}: {body[:300]!r}")
        return json.loads(body)

    def has_data(self, expr: str) -> bool:
        return any(gs.frame_rows(frame) for frame in self.instant(expr)["results"]["A"].get("frames") or [])

    def resolver(self) -> gs.Resolver:
        def label_values(selector: str, label: str) -> list[str]:
            return gs.labels_of_frames(self.instant(selector), "A", label)

        def cypher_values(cypher: str) -> list[str]:
            query = {"refId": "A", "datasource": {"type": gs.DATASOURCE_TYPES[ds.NEO4J_UID], "uid": ds.NEO4J_UID},
                     "cypherQuery": cypher, "Format": "table"}
            now = int(time.time() * 1000)
            status, body = self.grafana.call("POST", "/api/ds/query",
                                             {"queries": [query], "from": str(now - 3_600_000), "to": str(now)})
            return gs.first_column(gs.parse_json(status, body, "Neo4j variable"), "A")
        return gs.Resolver(label_values, cypher_values)

    def wait_for_the_stack(self) -> None:
        self.wait("Grafana's health", lambda: self.grafana.call("GET", "/api/health")[0] == 200)
        self.wait("Neo4j's discovery document", lambda: self.neo4j.call("GET", "/")[0] == 200)
        repositories = len(CONFIG["repositories"])
        self.wait("the daemon's first cycle, scraped", lambda: self.has_data("devops_twin_sync_budget_spent_requests"))
        self.wait("an accepted webhook from the simulator's live activity",
                  lambda: self.has_data('devops_twin_webhook_deliveries_total{result="accepted"} > 0'))
        self.wait("every repository projected into Neo4j", lambda: len(gs.labels_of_frames(self.instant(
            "devops_twin_projection_last_success_timestamp_seconds"), "A", "repository")) == repositories)

    def check_dashboards(self) -> None:
        checked = 0
        for name, provisioned in ds.dashboards().items():
            status, body = self.grafana.call("GET", f"/api/dashboards/uid/{provisioned['uid']}")
            try:
                dashboard = gs.served_dashboard(status, body, provisioned["uid"])
                now = int(time.time() * 1000)
                time_range = gs.TimeRange.relative(dashboard["time"]["from"], dashboard["time"]["to"], now)
                selections = gs.resolve_variables(dashboard, self.resolver(), time_range)
                queries = gs.panel_queries(dashboard, selections, time_range)
            except (gs.SmokeFailure, ValueError, KeyError) as failure:
                self.problems.append(f"{name}: {failure}")
                continue
            def ask(query: gs.PanelQuery) -> tuple[int, bytes]:
                return self.grafana.call("POST", "/api/ds/query", query.body(time_range))
            problems, notes = gs.judge([(query, *ask(query)) for query in queries], ask)
            self.problems.extend(problems)
            for note in notes:
                print(f"smoke: note {note}", flush=True)
            checked += len(queries)
        print(f"smoke: {checked} panel queries run through Grafana", flush=True)

    def store_counts(self) -> dict:
        command = [*self.compose, "exec", "-T", "devops-twin", "devops-twin", "report", "--json",
                   "--config", "/etc/devops-twin/config.json"]
        done = subprocess.run(command, capture_output=True, text=True, timeout=300)
        if done.returncode != 0:
            raise gs.SmokeFailure(f"devops-twin report --json: {done.stderr[-1000:]}")
        return gc.store_counts(json.loads(done.stdout))

    def graph_counts(self) -> dict:
        path = "/db/neo4j/query/v2"
        nodes = gc.query_api_rows(*self.neo4j.call("POST", path, gc.query_api_request(gc.NODE_COUNTS)))
        relationships = gc.query_api_rows(*self.neo4j.call("POST", path, gc.query_api_request(gc.RELATIONSHIP_COUNTS)))
        return gc.graph_counts(nodes, relationships)

    def check_counts(self) -> None:
        """The live activity keeps changing the store and the projection follows a cycle later, so the two are
        read until they agree (the store read first, then the graph), up to the timeout."""
        last: list[str] = []

        def agree() -> bool:
            nonlocal last
            last = gc.count_differences(self.store_counts(), self.graph_counts())
            return not last
        try:
            self.wait("the graph's counts to equal the store's", agree)
            print("smoke: Neo4j holds the store's node and relationship counts", flush=True)
        except AssertionError:
            self.problems.extend(f"graph and store differ: {difference}" for difference in last)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--compose", required=True, help="the docker compose command of the stack, with -f and -p")
    parser.add_argument("--grafana", default="http://127.0.0.1:3000")
    parser.add_argument("--neo4j", default="http://127.0.0.1:7474")
    parser.add_argument("--timeout", type=float, default=900)
    smoke = Smoke(parser.parse_args())
    try:
        smoke.wait_for_the_stack()
        smoke.check_dashboards()
        smoke.check_counts()
    except (AssertionError, gs.SmokeFailure) as failure:
        smoke.problems.append(str(failure))
    for problem in smoke.problems:
        print(f"smoke: FAIL {problem}", flush=True)
    print(f"smoke: {'FAILED' if smoke.problems else 'passed'} ({len(smoke.problems)} problems)", flush=True)
    return 1 if smoke.problems else 0


if __name__ == "__main__":
    sys.exit(main())
