"""Doubles of Grafana, Neo4j and `docker compose exec`, for rehearsing the smoke test's checks
(smoke_compose.py) against the rehearsed demo stack (test_demo_stack_rehearsal.py). There is no Grafana, Neo4j or
Docker here.

  GrafanaDouble  serves the dashboards of grafana/dashboards/ at /api/dashboards/uid/… (marked provisioned) and
                 answers /api/ds/query as Grafana 11 does in shape (fixtures/smoke/README.md). A Prometheus query
                 goes to the real Prometheus of the rehearsal: the range is aligned to the step, each series
                 becomes a frame with the labels on its value field, and an error becomes the refId's `error`
                 with HTTP 400. A Neo4j query cannot run here: every Cypher is answered with one column listing
                 the configured repositories, which is the right answer for the Twin explorer's variable only.
                 So the Neo4j panels are exercised for shape, not for content.
  Neo4jDouble    answers the smoke test's two count statements on the Query API from a function, one answer
                 after another (e.g. a projection one cycle behind, then caught up).
"""
from __future__ import annotations

import http.server
import json
import urllib.parse
from typing import Callable

import deploy_support as ds
import graph_counts as gc


def prometheus_frames(api: ds.PrometheusAPI, query: dict, from_ms: int, to_ms: int) -> tuple[int, dict]:
    if query.get("range"):
        step = max(1, query["intervalMs"] // 1000)
        path = "/api/v1/query_range?" + urllib.parse.urlencode(
            {"query": query["expr"], "start": from_ms // 1000 // step * step, "end": to_ms // 1000 // step * step,
             "step": step})
    else:
        path = "/api/v1/query?" + urllib.parse.urlencode({"query": query["expr"], "time": to_ms / 1000})
    _, body = ds.http_get(api.base_url + path, timeout=60)
    answer = json.loads(body)
    if answer["status"] != "success":
        return 400, {"error": f"{answer.get('errorType')}: {answer.get('error')}", "errorSource": "downstream",
                     "status": 400}
    frames = []
    for series in answer["data"]["result"]:
        points = series.get("values") or [series["value"]]
        frames.append({"schema": {"refId": query["refId"], "meta": {"type": "numeric-multi"},
                                  "fields": [{"name": "Time", "type": "time"},
                                             {"name": "Value", "type": "number", "labels": series["metric"]}]},
                       "data": {"values": [[int(t * 1000) for t, _ in points], [float(v) for _, v in points]]}})
    if not frames:
        frames.append({"schema": {"refId": query["refId"], "fields": []}, "data": {"values": []}})
    return 200, {"status": 200, "frames": frames}


def neo4j_frames(query: dict, repositories: list[str]) -> tuple[int, dict]:
    field = {"name": "repository", "type": "string", "typeInfo": {"frame": "string", "nullable": True}}
    return 200, {"status": 200, "frames": [{"schema": {"name": "response", "refId": query["refId"], "fields": [field]},
                                            "data": {"values": [list(repositories)]}}]}


class JSONHandler(http.server.BaseHTTPRequestHandler):
    def reply(self, status: int, document) -> None:
        body = json.dumps(document).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def body(self) -> dict:
        return json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))

    def log_message(self, *args):
        pass


class GrafanaDouble(ds.LoopbackHTTPServer):
    def __init__(self, api: ds.PrometheusAPI, repositories: list[str]):
        by_uid = {dashboard["uid"]: dashboard for dashboard in ds.dashboards().values()}
        self.asked: list[dict] = []
        asked = self.asked

        class Handler(JSONHandler):
            def do_GET(self):  # noqa: N802 (http.server's naming)
                if self.path == "/api/health":
                    return self.reply(200, {"database": "ok"})
                uid = self.path.removeprefix("/api/dashboards/uid/")
                if uid in by_uid:
                    return self.reply(200, {"dashboard": by_uid[uid], "meta": {"provisioned": True, "slug": uid}})
                self.reply(404, {"message": "Dashboard not found"})

            def do_POST(self):  # noqa: N802
                if self.path != "/api/ds/query":
                    return self.reply(404, {"message": "Not found"})
                request = self.body()
                (query,) = request["queries"]
                asked.append(query)
                if query["datasource"]["uid"] == ds.PROMETHEUS_UID:
                    status, result = prometheus_frames(api, query, int(request["from"]), int(request["to"]))
                else:
                    status, result = neo4j_frames(query, repositories)
                self.reply(status, {"results": {query["refId"]: result}})

        super().__init__(Handler)


class Neo4jDouble(ds.LoopbackHTTPServer):
    """`answers()` gives (node rows, relationship rows) for each round of the two count statements."""

    def __init__(self, answers: Callable[[], tuple[list[dict], list[dict]]]):
        current: dict = {}

        class Handler(JSONHandler):
            def do_GET(self):  # noqa: N802
                self.reply(200, {"neo4j_version": "5.26.0", "query": "/db/{databaseName}/query/v2"})

            def do_POST(self):  # noqa: N802
                statement = self.body()["statement"]
                if statement == gc.NODE_COUNTS:
                    current["round"] = answers()
                    rows, fields = current["round"][0], ["repository", "label", "count"]
                elif statement == gc.RELATIONSHIP_COUNTS:
                    rows, fields = current["round"][1], ["repository", "type", "count"]
                else:
                    return self.reply(400, {"errors": [{"code": "Neo.ClientError.Statement.SyntaxError",
                                                        "message": f"not a statement of the double: {statement}"}]})
                self.reply(202, {"data": {"fields": fields, "values": [[r[f] for f in fields] for r in rows]},
                                 "bookmarks": ["FB:double"]})

        super().__init__(Handler)
