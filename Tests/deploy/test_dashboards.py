"""Grafana dashboards: structure, datasource references, queries, and the metric contract."""
import re
import subprocess
import sys
import urllib.parse

import pytest

import deploy_support as ds

DASHBOARDS = ds.dashboards()
EXPECTED = {"devops-twin-home", "devops-twin-dora", "devops-twin-sync", "devops-twin-explorer",
            "devops-twin-data-quality"}
HOME = "devops-twin-home"


def test_the_dashboards_are_provisioned_with_distinct_fixed_uids():
    uids = [d["uid"] for d in DASHBOARDS.values()]
    assert sorted(uids) == sorted(EXPECTED)
    titles = [d["title"] for d in DASHBOARDS.values()]
    assert len(set(titles)) == len(titles)
    for name, dashboard in DASHBOARDS.items():
        assert dashboard["id"] is None, f"{name}: provisioned dashboards keep \"id\": null"
        assert 8 <= len(dashboard["uid"]) <= 40, f"{name}: uid must be 8-40 characters"


def test_committed_grafana_files_match_their_generator():
    result = subprocess.run([sys.executable, str(ds.GRAFANA / "build.py"), "--check"], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("name", sorted(DASHBOARDS))
def test_panel_ids_are_unique_and_panels_fit_the_grid(name):
    panels = ds.all_panels(DASHBOARDS[name])
    ids = [p["id"] for p in panels]
    assert len(ids) == len(set(ids)), f"duplicate panel ids in {name}"
    for panel in panels:
        grid = panel["gridPos"]
        assert 1 <= grid["w"] <= 24 and grid["x"] + grid["w"] <= 24, f"{name} panel {panel['id']} overflows"


@pytest.mark.parametrize("name", sorted(DASHBOARDS))
def test_every_datasource_reference_resolves_to_a_provisioned_uid(name):
    def check(ref, where):
        if ref is None or (isinstance(ref, dict) and ref.get("uid") == "-- Dashboard --"):
            return
        assert isinstance(ref, dict), f"{where}: datasource must be an object {{type, uid}}, got {ref!r}"
        assert ref.get("uid") in ds.PROVISIONED_DATASOURCES, f"{where}: unknown datasource uid {ref.get('uid')!r}"
        assert ref.get("type") == ds.PROVISIONED_DATASOURCES[ref["uid"]], f"{where}: wrong type for {ref['uid']}"

    dashboard = DASHBOARDS[name]
    for variable in dashboard["templating"]["list"]:
        check(variable.get("datasource"), f"variable {variable['name']}")
    for panel in ds.all_panels(dashboard):
        check(panel.get("datasource"), f"panel {panel['id']}")
        for target in panel.get("targets", []):
            check(target.get("datasource"), f"panel {panel['id']} target {target.get('refId')}")


def test_provisioned_datasources_have_the_uids_the_dashboards_use():
    document = ds.load_yaml(ds.PROVISIONING / "datasources" / "datasources.yaml")
    provisioned = {d["uid"]: d["type"] for d in document["datasources"]}
    assert provisioned == ds.PROVISIONED_DATASOURCES


@pytest.mark.parametrize("name", sorted(DASHBOARDS))
def test_every_panel_has_a_query(name):
    for panel in ds.query_panels(DASHBOARDS[name]):
        targets = panel.get("targets") or []
        assert targets, f"panel {panel['id']} ({panel['title']}) has no query"
        for target in targets:
            query = target.get("expr") or target.get("cypherQuery")
            assert query and query.strip(), f"panel {panel['id']} target {target.get('refId')} is empty"
        ref_ids = [t["refId"] for t in targets]
        assert len(ref_ids) == len(set(ref_ids)), f"panel {panel['id']} repeats a refId"


def test_every_devops_twin_metric_used_is_documented_in_metrics_md():
    documented = ds.documented_families()
    assert documented, "docs/metrics.md lists no metric family"
    undocumented = {}
    for expression in ds.promql_expressions():
        for name in ds.METRIC_NAME.findall(expression.expr):
            if name not in documented:
                undocumented.setdefault(name, expression.origin)
    assert not undocumented, f"metrics not in docs/metrics.md: {undocumented}"


def test_every_recorded_series_used_is_defined_by_a_recording_rule():
    recorded = {rule["record"] for _, rule in ds.prometheus_rules() if "record" in rule}
    for expression in ds.promql_expressions():
        for name in ds.RECORDED_NAME.findall(expression.expr):
            assert name in recorded, f"{expression.origin} uses {name}, which no rule in prometheus/rules records"


def test_dora_overview_has_the_five_graded_stats_with_samples_and_variables():
    dora = next(d for d in DASHBOARDS.values() if d["uid"] == "devops-twin-dora")
    variables = {v["name"]: v for v in dora["templating"]["list"]}
    assert set(variables) == {"group", "repository", "window"}
    for variable in variables.values():
        assert ds.LABEL_VALUES.match(variable["query"]["query"]), variable["name"]
    stats = {p["title"]: p for p in ds.query_panels(dora) if p["type"] == "stat"
             and all("$repository" in t["expr"] for t in p["targets"])}
    for title in ("Deployment frequency", "Lead time for changes (p50)", "Change failure rate",
                  "Time to restore (p50)", "Deployment rework rate"):
        panel = stats[title]
        exprs = [t["expr"] for t in panel["targets"]]
        assert len(exprs) >= 2, f"{title}: value and its sample count"
        assert all('repository="$repository"' in e and 'window="$window"' in e for e in exprs), title
        assert len(panel["fieldConfig"]["defaults"]["thresholds"]["steps"]) >= 3, f"{title}: level colours"
    definitions = [p for p in ds.query_panels(dora)
                   if any("devops_twin_dora_definition_info" in t["expr"] for t in p["targets"])]
    assert definitions, "the definitions in use are shown"


def test_twin_explorer_panels_query_neo4j_with_cypher():
    explorer = next(d for d in DASHBOARDS.values() if d["uid"] == "devops-twin-explorer")
    for panel in ds.query_panels(explorer):
        for target in panel["targets"]:
            assert target["datasource"]["uid"] == ds.NEO4J_UID
            assert target["Format"] in ("table", "nodegraph")
            assert "MATCH" in target["cypherQuery"]


def by_uid(uid: str) -> dict:
    return next(d for d in DASHBOARDS.values() if d["uid"] == uid)


def uses(panel: dict, uid: str) -> bool:
    return any((t.get("datasource") or panel.get("datasource") or {}).get("uid") == uid for t in panel["targets"])


@pytest.mark.parametrize("name", sorted(DASHBOARDS))
def test_every_dashboard_links_to_all_the_others_keeping_variables_and_time(name):
    dashboard = DASHBOARDS[name]
    links = [l for l in dashboard["links"] if l["type"] == "dashboards"]
    assert any(l["tags"] == ["devops-twin"] and l["includeVars"] and l["keepTime"] for l in links), name
    assert all("devops-twin" in d["tags"] for d in DASHBOARDS.values()), "the tag the links list by"


def test_grafana_opens_the_combined_dashboard_first():
    compose = ds.load_yaml(ds.ROOT / "docker-compose.yml")
    home = compose["services"]["grafana"]["environment"]["GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH"]
    assert by_uid(HOME) == DASHBOARDS[home.rsplit("/", 1)[1]]


def test_the_neo4j_plugin_version_is_pinned():
    compose = ds.load_yaml(ds.ROOT / "docker-compose.yml")
    plugins = compose["services"]["grafana"]["environment"]["GF_INSTALL_PLUGINS"]
    # Grafana's GF_INSTALL_PLUGINS form for a pinned version: "<plugin id> <version>" (comma-separated entries).
    assert re.fullmatch(r"kniepdennis-neo4j-datasource \d+\.\d+\.\d+", plugins), plugins


def test_the_home_dashboard_combines_prometheus_numbers_with_the_neo4j_panels_behind_them():
    home = by_uid(HOME)
    panels = ds.query_panels(home)
    stats = {p["title"] for p in panels if p["type"] == "stat" and uses(p, ds.PROMETHEUS_UID)}
    assert {"Deployment frequency", "Lead time for changes (p50)", "Lead time for changes (p90)",
            "Change failure rate", "Time to restore (p50)"} <= stats
    trends = [p for p in panels if p["type"] == "timeseries" and uses(p, ds.PROMETHEUS_UID)]
    assert len(trends) >= 4
    neo4j = {p["title"]: p for p in panels if uses(p, ds.NEO4J_UID)}
    assert len(neo4j) >= 4
    deployments = next(p for t, p in neo4j.items() if t.startswith("Deployments in the range"))
    query = deployments["targets"][0]["cypherQuery"]
    for needed in ("FIRST_DEPLOYED", "leadTimeSeconds", "ATTRIBUTED_TO", "RAN_ON", "failedRuns"):
        assert needed in query, f"the deployments panel shows {needed}"
    for panel in neo4j.values():
        query = panel["targets"][0]["cypherQuery"]
        # the repository variable's values, one or a team's, as a Cypher list of quoted strings
        assert re.search(r"\.repository IN \[\$\{repository:singlequote\}\]", query), panel["title"]
        assert "'$repository'" not in query, f"{panel['title']}: a multi-value variable is not one quoted string"
        assert "${__from}" in query and "${__to}" in query, panel["title"]
    variables = {v["name"]: v for v in home["templating"]["list"]}
    assert set(variables) == {"group", "repository", "window"}
    repository = variables["repository"]
    assert repository["multi"] and repository["includeAll"], "a team's repositories, or several"
    assert "allValue" not in repository, "All must expand to the listed repositories: the Cypher gets the values"


def data_links(panel: dict) -> list[dict]:
    return panel["fieldConfig"]["defaults"].get("links", [])


DORA_NUMBER = re.compile(r"\bdevops_twin(_group)?_dora_")
# How a link carries what the number is about: the team (one inside a row repeated per team; All is its allValue,
# which Grafana reads back from a URL as All) and, for a repository's number, that repository or the selected
# ones (the home dashboard's multi-value variable).
TEAM = "var-group=${group:percentencode}"
REPOSITORIES = {"var-repository=${repository:percentencode}", "${repository:queryparam}"}


@pytest.mark.parametrize("uid", [HOME, "devops-twin-dora"])
def test_each_prometheus_dora_number_links_to_the_neo4j_panel_behind_it(uid):
    dashboard = by_uid(uid)
    numbers = [p for p in ds.query_panels(dashboard) if uses(p, ds.PROMETHEUS_UID) and p["type"] in
               ("stat", "timeseries") and any(DORA_NUMBER.search(t["expr"]) for t in p["targets"])]
    if uid != HOME:
        numbers = [p for p in numbers if p["type"] == "stat" and "level" in
                   [t.get("legendFormat") for t in p["targets"]]]
    assert len(numbers) >= 8, "the team's numbers and the repository's"
    for panel in numbers:
        links = data_links(panel)
        assert links, f"{uid}: {panel['title']} has no data link"
        team_only = all("devops_twin_group_" in t["expr"] for t in panel["targets"])
        for link in links:
            url = urllib.parse.urlsplit(link["url"])
            query = url.query.split("&")
            assert "${__url_time_range}" in query, f"{panel['title']}: the time range is carried"
            assert TEAM in query, f"{panel['title']}: the team is carried"
            repositories = REPOSITORIES & set(query)
            if team_only:
                assert not repositories, f"{panel['title']}: a team's number opens all the team's repositories"
            else:
                assert len(repositories) == 1, f"{panel['title']}: the repositories are carried: {query}"
            target_uid = re.fullmatch(r"/d/([\w-]+)/[\w-]+", url.path).group(1)
            target = by_uid(target_uid)
            view = int(dict(q.split("=", 1) for q in query if q.startswith("viewPanel="))["viewPanel"])
            linked = next(p for p in ds.query_panels(target) if p["id"] == view)
            assert uses(linked, ds.NEO4J_UID), f"{panel['title']} -> {linked['title']} is not a Neo4j panel"
            assert link["title"].startswith((linked["title"], target["title"])), link["title"]


def test_the_fixture_exposition_serves_every_documented_family():
    """test_promql_live evaluates every expression against Tests/deploy/fixtures/exposition.prom too: it must hold
    a series of every family docs/metrics.md documents, the group families included."""
    text = (ds.FIXTURES / "exposition.prom").read_text()
    served = set(re.findall(r"^(devops_twin_[a-zA-Z0-9_]+)[{ ]", text, re.M))
    missing = ds.documented_families() - served
    assert not missing, f"families without a series in the fixture: {sorted(missing)}"


# ------------------------------------------------------------------------------------------ teams (groups)
def row_sections(dashboard: dict) -> list[tuple[dict, list[dict]]]:
    """(row, the panels up to the next row): what Grafana repeats with a row."""
    sections: list[tuple[dict, list[dict]]] = []
    for panel in dashboard["panels"]:
        if panel["type"] == "row":
            sections.append((panel, list(panel.get("panels", []))))
        elif sections:
            sections[-1][1].append(panel)
    return sections


@pytest.mark.parametrize("uid", [HOME, "devops-twin-dora"])
def test_the_team_selector_narrows_the_repositories_to_the_teams_members(uid):
    variables = {v["name"]: v for v in by_uid(uid)["templating"]["list"]}
    assert [v["name"] for v in by_uid(uid)["templating"]["list"]][:2] == ["group", "repository"], \
        "the team first: the repositories depend on it"
    group = variables["group"]
    assert group["query"]["query"] == "label_values(devops_twin_group_member_info, group)"
    assert group["includeAll"] and group["allValue"] == ".*" and group["current"]["value"] == "$__all"
    selector = ds.LABEL_VALUES.match(variables["repository"]["query"]["query"])
    assert selector and selector["label"] == "repository"
    assert "devops_twin_group_member_info" in selector["selector"] and 'group=~"$group"' in selector["selector"]
    # devops_twin_dora_window_complete is served for every repository and window, also while its history is
    # still being deepened (when the statistic families of a window are absent: docs/metrics.md "Coverage").
    assert "devops_twin_dora_window_complete" in selector["selector"], "All lists repositories in no team too"


@pytest.mark.parametrize("uid", [HOME, "devops-twin-dora"])
def test_a_row_per_team_shows_the_teams_own_graded_numbers(uid):
    teams = [(row, panels) for row, panels in row_sections(by_uid(uid)) if row.get("repeat") == "group"]
    assert len(teams) == 1, "one row, repeated per selected team"
    row, panels = teams[0]
    assert "$group" in row["title"]
    graded = {}
    for panel in panels:
        for target in panel["targets"]:
            families = ds.METRIC_NAME.findall(target["expr"])
            assert families and all(f.startswith("devops_twin_group_") for f in families), \
                f"{panel['title']}: the team's own families only, got {families}"
            assert 'group="$group"' in target["expr"] and 'window="$window"' in target["expr"], target["expr"]
            level = re.search(r'devops_twin_group_dora_level\{.*metric="(\w+)"', target["expr"])
            if level:
                graded[level.group(1)] = panel["title"]
    assert set(graded) == {"deployment_frequency", "lead_time", "change_failure_rate", "time_to_restore"}


@pytest.mark.parametrize("uid", [HOME, "devops-twin-dora"])
def test_the_repository_numbers_repeat_per_selected_repository(uid):
    repeated = [(row, panels) for row, panels in row_sections(by_uid(uid)) if row.get("repeat") == "repository"]
    assert len(repeated) == 1
    for panel in repeated[0][1]:
        for target in panel["targets"]:
            assert 'repository="$repository"' in target["expr"], "one repository per copy of the row"
    # Outside the repeated row, $repository may be several values or All: a regex match, never `=`.
    for row, panels in row_sections(by_uid(uid)):
        if row.get("repeat") != "repository":
            for panel in panels:
                for target in panel["targets"]:
                    assert 'repository="$repository"' not in target.get("expr", ""), (row["title"], panel["title"])


@pytest.mark.parametrize("uid", [HOME, "devops-twin-dora", "devops-twin-explorer"])
def test_the_dashboards_of_a_repositorys_numbers_share_the_team_and_repository_variables(uid):
    """So that a link from one to another lands on valid values (grafana_links), All and several included."""
    variables = {v["name"]: v for v in by_uid(uid)["templating"]["list"]}
    home = {v["name"]: v for v in by_uid(HOME)["templating"]["list"]}
    for name in ("group", "repository"):
        assert {k: v for k, v in variables[name].items() if k != "options"} == \
            {k: v for k, v in home[name].items() if k != "options"}, name


def test_the_twin_explorer_repeats_its_panels_per_repository():
    sections = row_sections(by_uid("devops-twin-explorer"))
    assert len(sections) == 1 and sections[0][0].get("repeat") == "repository"
    assert len(sections[0][1]) == len(ds.query_panels(by_uid("devops-twin-explorer")))
    for panel in sections[0][1]:
        query = panel["targets"][0]["cypherQuery"]
        assert "'$repository'" in query, f"{panel['title']}: one repository per copy of the row"


# A Cypher column that is an issue's or incident's number: RETURN ... i.number AS incident.
NUMBER_COLUMN = re.compile(r"\b\w+\.number\s+AS\s+(\w+)")


def test_issue_and_incident_number_columns_are_shown_as_numbers_not_quantities():
    checked = 0
    for dashboard in DASHBOARDS.values():
        for panel in ds.query_panels(dashboard):
            for target in panel["targets"]:
                for column in NUMBER_COLUMN.findall(target.get("cypherQuery", "")):
                    units = [p["value"] for o in panel["fieldConfig"]["overrides"]
                             if o["matcher"] == {"id": "byName", "options": column}
                             for p in o["properties"] if p["id"] == "unit"]
                    assert units == ["none"], f"{panel['title']}: column {column} shows as {units or 'short'}"
                    checked += 1
    assert checked >= 1


# Aggregations that would combine statistics: a sum or average of percentiles, ratios, rates or levels is not the
# statistic of the union (docs/dora.md "Groups"). Counts may be summed.
AGGREGATION = re.compile(r"\b(sum|avg|min|max|quantile|stddev|stdvar|topk|bottomk|count)\s*(\(|by\b|without\b)")
STATISTIC_FAMILY = re.compile(r"\bdevops_twin(?:_group)?_(?:dora|ci)_\w*(?:_ratio|_seconds|_level|_per_day)\b|"
                              r"\brepository_window:devops_twin_dora_deployments:per_week\b")


def test_no_expression_aggregates_a_dora_statistic():
    for expression in ds.promql_expressions():
        if expression.kind in ("panel", "variable") and STATISTIC_FAMILY.search(expression.expr):
            assert not AGGREGATION.search(expression.expr), (
                f"{expression.origin}: {expression.expr!r} aggregates a statistic; a team's number is its own "
                "devops_twin_group_* series")


def test_the_teams_table_shows_levels_and_key_numbers_by_team_and_window():
    dora = by_uid("devops-twin-dora")
    panel = next(p for p in ds.query_panels(dora) if p["title"].startswith("Teams"))
    assert panel["type"] == "table"
    exprs = [t["expr"] for t in panel["targets"]]
    assert all(t["format"] == "table" and t["instant"] for t in panel["targets"])
    for metric in ("deployment_frequency", "lead_time", "change_failure_rate", "time_to_restore"):
        assert f'devops_twin_group_dora_level{{metric="{metric}"}}' in exprs, metric
    for number in ("devops_twin_group_dora_deployments_per_day", "devops_twin_group_dora_lead_time_seconds",
                   "devops_twin_group_dora_change_failure_ratio", "devops_twin_group_dora_time_to_restore_seconds"):
        assert any(number in e for e in exprs), number
    steps = [t["id"] for t in panel["transformations"]]
    assert steps == ["organize", "merge", "organize"], "drop metric/statistic, join on group and window, name"
    dropped = panel["transformations"][0]["options"]["excludeByName"]
    assert {"metric", "statistic"} <= set(dropped) and "group" not in dropped and "window" not in dropped
    renamed = panel["transformations"][2]["options"]["renameByName"]
    assert set(renamed) == {f"Value #{t['refId']}" for t in panel["targets"]}
