"""grafana_smoke, the smoke test's query building and answer checking, against every dashboard, with Grafana and
Neo4j answers in the shapes of their documentation and source (fixtures/smoke/README.md)."""
from __future__ import annotations

import copy
import json

import pytest

import deploy_support as ds
import grafana_smoke as gs
import graph_counts as gc

FIXTURES = ds.FIXTURES / "smoke"
REPOSITORIES = ["demo/checkout", "demo/payments", "demo/webshop"]
GROUPS = ["money", "storefront"]
WINDOWS = ["30d", "7d", "90d", "all"]
NOW_MS = 1_765_152_000_000


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def fake_resolver(asked: list | None = None) -> gs.Resolver:
    """Values as the demo's Prometheus and Neo4j hold them; records what was asked."""
    def label_values(selector: str, label: str) -> list[str]:
        if asked is not None:
            asked.append((selector, label))
        return {"repository": REPOSITORIES, "group": GROUPS, "window": WINDOWS}[label]
    return gs.Resolver(label_values, lambda cypher: list(REPOSITORIES))


def queries_of(dashboard: dict) -> list[gs.PanelQuery]:
    time_range = gs.TimeRange.relative(dashboard["time"]["from"], dashboard["time"]["to"], NOW_MS)
    return gs.panel_queries(dashboard, gs.resolve_variables(dashboard, fake_resolver(), time_range), time_range)


DASHBOARDS = ds.dashboards()


def expected_query_count(dashboard: dict) -> int:
    repeats = {"group": len(GROUPS), "repository": len(REPOSITORIES)}
    return sum(len([t for t in panel.get("targets", []) if not t.get("hide")]) * (repeats[repeat] if repeat else 1)
               for panel, repeat in gs.repeated_panels(dashboard))


@pytest.mark.parametrize("name", sorted(DASHBOARDS))
def test_every_target_of_every_panel_becomes_one_query_per_repeated_value(name):
    dashboard = DASHBOARDS[name]
    queries = queries_of(dashboard)
    assert queries and len(queries) == expected_query_count(dashboard)
    panels_with_targets = {p["id"] for p in ds.query_panels(dashboard) if p.get("targets")}
    assert {q.panel_id for q in queries} == panels_with_targets


@pytest.mark.parametrize("name", sorted(DASHBOARDS))
def test_every_query_is_a_complete_ds_query_request_without_variables_left(name):
    for query in queries_of(DASHBOARDS[name]):
        body = query.body(gs.TimeRange(NOW_MS - 86_400_000, NOW_MS))
        assert body["from"] == str(NOW_MS - 86_400_000) and body["to"] == str(NOW_MS)
        (sent,) = body["queries"]
        assert sent["refId"] == query.ref_id
        assert sent["datasource"] == {"uid": query.datasource, "type": ds.PROVISIONED_DATASOURCES[query.datasource]}
        text = sent.get("expr") or sent.get("cypherQuery")
        assert text and "$" not in text and "[[" not in text, f"{query.origin}: {text}"
        if query.datasource == ds.PROMETHEUS_UID:
            assert sent["instant"] != sent["range"] or sent["range"], query.origin
        else:
            assert sent["Format"] in ("table", "nodegraph", "timeseries"), query.origin


def test_all_is_sent_as_grafana_formats_it_for_each_datasource():
    home = DASHBOARDS["home.json"]
    queries = queries_of(home)
    cypher = next(q.query["cypherQuery"] for q in queries if q.datasource == ds.NEO4J_UID)
    assert "IN ['demo/checkout','demo/payments','demo/webshop']" in cypher  # ${repository:singlequote}, All
    # Repeated rows: one group and one repository per copy, never the All value.
    group_panel = [q.query["expr"] for q in queries if q.panel_id == 2 and q.ref_id == "A"]
    assert group_panel == [f'7 * devops_twin_group_dora_deployments_per_day{{group="{g}", window="30d"}}'
                           for g in GROUPS]
    sync = queries_of(DASHBOARDS["sync-health.json"])
    assert any('repository=~".*"' in q.query["expr"] for q in sync), "a custom All value is sent as it is"


@pytest.mark.parametrize("selection,fmt,datasource,expected", [
    (gs.Selection(["a.b", "c"], all=True, multi=True), None, "prometheus", r"(a\.b|c)"),
    (gs.Selection(["a", "c"], all=True, all_value=".*"), None, "prometheus", ".*"),
    (gs.Selection(["a", "c"], all=True, all_value=".*"), "singlequote", "neo4j", ".*"),
    (gs.Selection(["a", "c"], multi=True), None, "neo4j", "{a,c}"),
    (gs.Selection(["a", "it's"], multi=True), "singlequote", "neo4j", r"'a','it\'s'"),
    (gs.Selection(["demo/webshop"]), None, "neo4j", "demo/webshop"),
    (gs.Selection(["demo/webshop"]), None, "prometheus", "demo/webshop"),
    (gs.Selection(["a", "b"], multi=True), "csv", "prometheus", "a,b"),
    (gs.Selection(["a", "b"], multi=True), "pipe", "neo4j", "a|b"),
])
def test_values_are_formatted_as_grafanas_template_service_does(selection, fmt, datasource, expected):
    assert gs.format_selection(selection, fmt, datasource) == expected


def test_variables_resolve_in_order_and_keep_the_saved_selection():
    dora = DASHBOARDS["dora-overview.json"]
    asked = []
    selections = gs.resolve_variables(dora, fake_resolver(asked), gs.TimeRange(0, 1), {"repository": "demo/webshop"})
    # The saved selection is All for group and repository (multi-value): `preferred` applies only without it.
    assert selections["group"].all and selections["repository"].all and selections["repository"].multi
    assert selections["repository"].values == sorted(REPOSITORIES)
    assert selections["window"].values == ["30d"], "the saved default"
    assert asked[1][0].endswith('group=~".*"}'), "the repository query sees the group's All value"
    assert asked[2][0] == 'devops_twin_dora_window_complete{repository=~"(demo/checkout|demo/payments|demo/webshop)"}', \
        "the window query sees every repository of the All selection"
    # A saved single value still offered is kept, and later variables see it.
    pinned = json.loads(json.dumps(dora))
    for variable in pinned["templating"]["list"]:
        if variable["name"] == "repository":
            variable["current"] = {"selected": True, "text": ["demo/webshop"], "value": ["demo/webshop"]}
    asked = []
    selections = gs.resolve_variables(pinned, fake_resolver(asked), gs.TimeRange(0, 1))
    assert selections["repository"].values == ["demo/webshop"] and not selections["repository"].all
    assert asked[2][0] == 'devops_twin_dora_window_complete{repository=~"(demo/webshop)"}'
    with pytest.raises(gs.SmokeFailure, match="has no values"):
        gs.resolve_variables(dora, gs.Resolver(lambda s, l: [], lambda c: []), gs.TimeRange(0, 1))


def test_builtin_variables_follow_the_range():
    values = gs.builtin_variables(gs.TimeRange(0, 30 * 86_400_000))
    assert values["__range"] == "30d" and values["__range_s"] == str(30 * 86_400)
    assert values["__interval"] == "30m", "30 days over 1,000 points, rounded as Grafana rounds"
    assert values["__rate_interval"] == gs.prometheus_duration(int(values["__interval_ms"]) + 30_000)
    short = gs.builtin_variables(gs.TimeRange(0, 3_600_000))
    assert short["__interval"] == "30s" and short["__rate_interval"] == "2m", "never under the scrape interval"
    assert [gs.round_interval(ms) for ms in (12, 2_592_000, 86_400_000, 10**12)] == [10, 1_800_000, 86_400_000,
                                                                                   31_536_000_000]
    assert gs.TimeRange.relative("now-24h", "now", NOW_MS) == gs.TimeRange(NOW_MS - 86_400_000, NOW_MS)


# ---------------------------------------------------------------------------------------------- the answers
def judged(answers) -> list[str]:
    problems, notes = gs.judge(answers)
    assert notes == []
    return problems


def a_query(datasource: str = ds.PROMETHEUS_UID, expects_data: bool = True) -> gs.PanelQuery:
    return gs.PanelQuery("devops-twin-dora", 3, "Deployments", "A", datasource, {"refId": "A"}, expects_data)


def test_an_answer_with_series_passes_and_a_nan_series_still_counts_as_a_row():
    assert judged([(a_query(), 200, fixture("grafana-ds-query-prometheus.json"))]) == []
    assert gs.query_result(a_query(), 200, fixture("grafana-ds-query-prometheus.json")) == ([], 2)
    answer = json.loads(fixture("grafana-ds-query-prometheus.json"))
    assert gs.labels_of_frames(answer, "A", "repository") == ["demo/checkout", "demo/webshop"]


def test_an_answer_without_data_fails_only_where_data_is_expected():
    body = fixture("grafana-ds-query-prometheus-no-data.json")
    (problem,) = judged([(a_query(), 200, body)])
    assert "no data" in problem and "devops-twin-dora panel 3" in problem
    assert judged([(a_query(expects_data=False), 200, body)]) == []
    assert gs.labels_of_frames(json.loads(body), "A", "repository") == []


def test_a_query_error_fails_with_grafanas_message():
    (problem,) = judged([(a_query(), 400, fixture("grafana-ds-query-error.json"))])
    assert "HTTP 400" in problem and "parse error" in problem
    (not_json,) = judged([(a_query(), 502, b"<html>Bad Gateway</html>")])
    assert not_json.endswith("not JSON: b'<html>Bad Gateway</html>'")
    (missing,) = judged([(gs.PanelQuery("d", 1, "t", "B", "prometheus", {}), 200,
                            fixture("grafana-ds-query-prometheus.json"))])
    assert "no result for B" in missing


def test_neo4j_answers_pass_with_rows_and_fail_without():
    assert judged([(a_query(ds.NEO4J_UID), 200, fixture("grafana-ds-query-neo4j.json"))]) == []
    (problem,) = judged([(a_query(ds.NEO4J_UID), 200, fixture("grafana-ds-query-neo4j-no-rows.json"))])
    assert "no data" in problem


def test_a_panel_has_data_when_any_of_its_targets_has_rows():
    """A statistic absent by contract (0 samples) leaves its panel with the samples target's frame: not a failure;
    a panel none of whose targets answers is one, and each repeated copy counts on its own."""
    statistic = gs.PanelQuery("devops-twin-dora", 16, "Recovery", "A", "prometheus", {})
    samples = gs.PanelQuery("devops-twin-dora", 16, "Recovery", "B", "prometheus", {})
    empty, full = fixture("grafana-ds-query-prometheus-no-data.json"), fixture("grafana-ds-query-prometheus.json")
    full_b = full.replace(b'"A"', b'"B"')
    assert judged([(statistic, 200, empty), (samples, 200, full_b)]) == []
    (problem,) = judged([(statistic, 200, empty), (samples, 200, empty.replace(b'"A"', b'"B"'))])
    assert problem == "devops-twin-dora panel 16 (Recovery): no data (no target returned a row)"
    copies = [gs.PanelQuery("devops-twin-home", 2, "Deployments", "A", "prometheus", {}, scope=f"group={team}")
              for team in GROUPS]
    assert judged([(copies[0], 200, full), (copies[1], 200, empty)]) == [
        "devops-twin-home panel 2 (Deployments) [group=storefront]: no data (no target returned a row)"]
    home = {q.scope for q in queries_of(DASHBOARDS["home.json"]) if q.panel_id == 2}
    assert home == {"group=money", "group=storefront"}
    assert gs.first_column(json.loads(fixture("grafana-ds-query-neo4j.json")), "A") == REPOSITORIES


@pytest.mark.parametrize("name", sorted(DASHBOARDS))
def test_the_dashboard_api_answer_yields_the_provisioned_dashboard(name):
    envelope = json.loads(fixture("grafana-dashboard-by-uid.json"))
    envelope["dashboard"] = copy.deepcopy(DASHBOARDS[name])
    envelope["meta"]["provisionedExternalId"] = name
    served = gs.served_dashboard(200, json.dumps(envelope).encode(), DASHBOARDS[name]["uid"])
    assert len(queries_of(served)) == len(queries_of(DASHBOARDS[name]))
    with pytest.raises(gs.SmokeFailure, match="HTTP 404"):
        gs.served_dashboard(404, b'{"message":"Dashboard not found"}', DASHBOARDS[name]["uid"])


# ------------------------------------------------------------------------------------------- graph and store
def report(entities: dict[str, int]) -> dict:
    return {"format": "devops-twin/dora-report/1", "groups": [],
            "repositories": [{"repository": "demo/webshop", "entities": entities}]}


STORE = {"commits": 2000, "tags": 140, "releases": 120, "issues": 300, "pull_requests": 112, "workflows": 3,
         "workflow_runs": 930, "deployments": 0}


def test_the_graphs_counts_from_the_query_api_equal_the_stores():
    nodes = gc.query_api_rows(202, fixture("neo4j-query-api-node-counts.json"))
    relationships = gc.query_api_rows(202, fixture("neo4j-query-api-relationship-counts.json"))
    assert nodes[0] == {"repository": "demo/webshop", "label": "Commit", "count": 2000}
    assert gc.count_differences(gc.store_counts(report(STORE)), gc.graph_counts(nodes, relationships)) == []


def test_a_count_that_differs_is_reported_with_both_numbers():
    nodes = gc.query_api_rows(202, fixture("neo4j-query-api-node-counts.json"))
    relationships = gc.query_api_rows(202, fixture("neo4j-query-api-relationship-counts.json"))
    behind = gc.count_differences(gc.store_counts(report({**STORE, "commits": 2003, "workflow_runs": 931})),
                                  gc.graph_counts(nodes, relationships))
    assert behind == ["demo/webshop Commit: store 2003, graph 2000", "demo/webshop HAS_RUN: store 931, graph 930",
                      "demo/webshop WorkflowRun: store 931, graph 930"]
    with pytest.raises(gs.SmokeFailure, match="no entity counts"):
        gc.store_counts(report({}))


def test_a_query_api_error_fails_with_neo4js_code():
    with pytest.raises(gs.SmokeFailure, match="Neo.ClientError.Statement.SyntaxError"):
        gc.query_api_rows(400, fixture("neo4j-query-api-error.json"))
    assert gc.query_api_request(gc.NODE_COUNTS) == {"statement": gc.NODE_COUNTS}


def test_a_range_query_without_points_is_asked_again_at_the_instant():
    """Grafana aligns the range's end down to the step: a series younger than one step has no point yet. The
    instant query tells that apart from a series that does not exist."""
    ranged = gs.PanelQuery("devops-twin-dora", 20, "Deployments per week", "A", "prometheus",
                           {"refId": "A", "expr": "repository_window:devops_twin_dora_deployments:per_week", "range": True,
                            "instant": False})
    empty, full = fixture("grafana-ds-query-prometheus-no-data.json"), fixture("grafana-ds-query-prometheus.json")
    asked = []

    def ask(query):
        asked.append(query.query)
        return 200, full
    problems, notes = gs.judge([(ranged, 200, empty)], ask)
    assert problems == [] and len(notes) == 1 and "younger than a step" in notes[0]
    assert asked == [{**ranged.query, "instant": True, "range": False}]
    problems, notes = gs.judge([(ranged, 200, empty)], lambda query: (200, empty))
    assert problems == ["devops-twin-dora panel 20 (Deployments per week): no data (no target returned a row)"]
    instant = gs.PanelQuery("d", 1, "t", "A", "prometheus", {"refId": "A", "range": False, "instant": True})
    assert gs.judge([(instant, 200, empty)], ask)[0] and len(asked) == 1, "an instant query is not asked again"
