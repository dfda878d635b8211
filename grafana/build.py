#!/usr/bin/env python3
"""Builds the provisioned Grafana files of devops-twin from one place.

    python3 grafana/build.py          # rewrite grafana/dashboards/*.json and the Grafana alert rules
    python3 grafana/build.py --check  # exit 1 when a committed file differs from what this script builds

Outputs (committed, so `docker compose up` needs no build step):
  grafana/dashboards/home.json (Grafana's home), dora-overview.json, sync-health.json, data-quality.json,
  twin-explorer.json
  grafana/provisioning/alerting/alert-rules.yaml   (from prometheus/rules/devops-twin-alerts.yml)

The Prometheus alerting rules are the single source of the alert thresholds: every alert expression there
has the form `(<query>) <op> <threshold>`; the Grafana-managed rule gets `<query>` as its instant query A and
`<op> <threshold>` as its threshold C. Change the number there and run this script (docs/deployment.md).
Needs PyYAML.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DASHBOARDS = ROOT / "grafana" / "dashboards"
ALERT_RULES = ROOT / "grafana" / "provisioning" / "alerting" / "alert-rules.yaml"
PROMETHEUS_ALERTS = ROOT / "prometheus" / "rules" / "devops-twin-alerts.yml"

PROM = {"type": "prometheus", "uid": "prometheus"}
NEO4J = {"type": "kniepdennis-neo4j-datasource", "uid": "neo4j"}

# Colours of the DORA performance levels (4 elite, 3 high, 2 medium, 1 low).
LEVEL_COLOURS = {4: "dark-green", 3: "green", 2: "orange", 1: "red"}
LEVEL_NAMES = {4: "Elite", 3: "High", 2: "Medium", 1: "Low"}
LEVEL_MAPPINGS = [{
    "type": "value",
    "options": {str(v): {"text": LEVEL_NAMES[v], "color": LEVEL_COLOURS[v], "index": 4 - v} for v in LEVEL_NAMES},
}]
LEVEL_THRESHOLDS = {"mode": "absolute", "steps": [
    {"color": "red", "value": None}, {"color": "orange", "value": 2},
    {"color": "green", "value": 3}, {"color": "dark-green", "value": 4}]}

# Graded as in docs/dora.md, benchmark 2023 (the default). A value at or above a step takes its colour.
DAY, WEEK, MONTH = 86400, 604800, 2592000
EPS = 1e-6


def steps(*pairs):
    return {"mode": "absolute", "steps": [{"color": c, "value": v} for c, v in pairs]}


THRESHOLDS_2023 = {
    # deployments per week: >= 7 elite, >= 1 high, >= 12/52 medium, else low
    "deployment_frequency": steps(("red", None), ("orange", 12 / 52), ("green", 1), ("dark-green", 7)),
    # lead time p50: < 1 day elite, <= 1 week high, <= 30 days medium, else low
    "lead_time": steps(("dark-green", None), ("green", DAY), ("orange", WEEK + EPS), ("red", MONTH + EPS)),
    # change failure rate: <= 5 % elite, <= 10 % high, <= 15 % medium, else low
    "change_failure_rate": steps(("dark-green", None), ("green", 0.05 + EPS), ("orange", 0.10 + EPS), ("red", 0.15 + EPS)),
    # time to restore p50: < 1 hour elite, < 1 day high, <= 1 week medium, else low
    "time_to_restore": steps(("dark-green", None), ("green", 3600), ("orange", DAY), ("red", WEEK + EPS)),
    # rework rate has no DORA benchmark: these bands are only a visual hint.
    "rework": steps(("green", None), ("orange", 0.1), ("red", 0.2)),
}

SAMPLE_COLOUR = {"mode": "fixed", "fixedColor": "text"}


class Dashboard:
    def __init__(self, uid: str, title: str, description: str, tags: list[str], time_from: str = "now-30d"):
        self.uid, self.title, self.description, self.tags = uid, title, description, tags
        self.time_from = time_from
        self.panels: list[dict] = []
        self.variables: list[dict] = []
        self.next_id = 1
        self.y = 0
        self.x = 0
        self.row_height = 0

    def row(self, title: str, repeat: str | None = None) -> None:
        """A row; with `repeat`, Grafana repeats it and the panels up to the next row once per selected value of
        that variable, which is then one value inside the copy."""
        self.newline()
        row = {"id": self._id(), "type": "row", "title": title, "collapsed": False,
               "gridPos": {"x": 0, "y": self.y, "w": 24, "h": 1}, "panels": []}
        if repeat:
            row["repeat"] = repeat
        self.panels.append(row)
        self.y += 1

    def newline(self) -> None:
        if self.x:
            self.y += self.row_height
        self.x, self.row_height = 0, 0

    def add(self, panel: dict, w: int, h: int) -> dict:
        if self.x + w > 24:
            self.newline()
        panel = {"id": self._id(), **panel, "gridPos": {"x": self.x, "y": self.y, "w": w, "h": h}}
        self.x += w
        self.row_height = max(self.row_height, h)
        self.panels.append(panel)
        return panel

    def _id(self) -> int:
        self.next_id += 1
        return self.next_id - 1

    def json(self) -> dict:
        return {
            "id": None, "uid": self.uid, "title": self.title, "description": self.description,
            "tags": ["devops-twin", *self.tags], "timezone": "utc", "editable": False, "graphTooltip": 1,
            "time": {"from": self.time_from, "to": "now"}, "refresh": "5m", "schemaVersion": 39, "version": 1,
            "fiscalYearStartMonth": 0, "liveNow": False, "weekStart": "",
            "templating": {"list": self.variables}, "annotations": {"list": []},
            "links": [{"type": "dashboards", "tags": ["devops-twin"], "asDropdown": True, "title": "devops-twin",
                       "includeVars": True, "keepTime": True}],
            "panels": self.panels,
        }


def prom_target(expr: str, ref: str = "A", legend: str = "__auto", instant: bool = False, table: bool = False) -> dict:
    target = {"refId": ref, "datasource": PROM, "expr": expr, "legendFormat": legend, "range": not instant,
              "instant": instant, "editorMode": "code"}
    if table:
        target["format"] = "table"
    return target


def cypher_target(query: str, ref: str = "A", fmt: str = "table") -> dict:
    return {"refId": ref, "datasource": NEO4J, "cypherQuery": query, "Format": fmt}


def prom_variable(name: str, label: str, query: str, multi: bool = False, default: str | None = None,
                  all_value: str | None = ".*") -> dict:
    """A Prometheus query variable; a multi-value one has All, matching `all_value` (None: All is the list of the
    variable's values, as Cypher needs it)."""
    variable = {
        "name": name, "label": label, "type": "query", "datasource": PROM,
        "definition": query, "query": {"query": query, "refId": f"{name}-variable", "qryType": 1},
        "refresh": 2, "sort": 1, "multi": multi, "includeAll": multi, "hide": 0, "regex": "", "options": [],
        "current": {"selected": True, "text": default, "value": default} if default else {},
    }
    if multi and all_value is not None:
        variable["allValue"] = all_value
    return variable


def group_variable() -> dict:
    """The team selector: one group (docs/metrics.md "Groups"), or All: no team, every repository."""
    variable = prom_variable("group", "Team", "label_values(devops_twin_group_member_info, group)")
    variable.update({"includeAll": True, "allValue": ".*",
                     "current": {"selected": True, "text": "All", "value": "$__all"}})
    return variable


# The repositories of the selected group, from devops_twin_group_member_info. With All (`.*`) every repository,
# in a group or not: `group=~".*"` also matches devops_twin_dora_window_complete, which has no group label, while a
# group's name matches only its member series. devops_twin_dora_window_complete is served for every window, also
# one the synced history does not cover yet (whose statistics are absent), so no repository or window goes missing.
GROUP_REPOSITORIES = ('label_values({__name__=~"devops_twin_dora_window_complete|devops_twin_group_member_info", '
                      'group=~"$group"}, repository)')


def repository_variables(window: bool = True) -> list[dict]:
    """The team, its repositories and the window, alike on every dashboard that shows a repository's DORA numbers
    (home, DORA overview, Twin explorer), so that a link between them lands on a valid value: the repositories are
    multi-value with All, and All is the listed repositories of the team (no allValue: a Cypher list gets the
    values). A panel that reads one repository sits in a row repeated over `repository`."""
    repository = prom_variable("repository", "Repository", GROUP_REPOSITORIES, multi=True, all_value=None)
    repository["current"] = {"selected": True, "text": ["All"], "value": ["$__all"]}
    variables = [group_variable(), repository]
    if window:
        variables.append(prom_variable(
            "window", "Window", 'label_values(devops_twin_dora_window_complete{repository=~"$repository"}, window)',
            default="30d"))
    return variables


def stat(title: str, targets: list[dict], description: str = "", unit: str = "short", thresholds=None,
         overrides=None, mappings=None, text_mode: str = "value_and_name", decimals: int | None = None) -> dict:
    defaults: dict = {"unit": unit, "mappings": mappings or [],
                      "thresholds": thresholds or steps(("text", None)), "color": {"mode": "thresholds"}}
    if decimals is not None:
        defaults["decimals"] = decimals
    return {
        "type": "stat", "title": title, "description": description, "datasource": targets[0]["datasource"],
        "targets": targets,
        "fieldConfig": {"defaults": defaults, "overrides": overrides or []},
        "options": {"reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
                    "colorMode": "background", "graphMode": "none", "justifyMode": "auto",
                    "textMode": text_mode, "orientation": "auto", "wideLayout": True, "showPercentChange": False},
    }


def timeseries(title: str, targets: list[dict], description: str = "", unit: str = "short",
               thresholds=None, stepped: bool = False, overrides=None, min_zero: bool = True) -> dict:
    custom = {"drawStyle": "line", "lineWidth": 2, "fillOpacity": 10, "showPoints": "never", "spanNulls": True,
              "lineInterpolation": "stepAfter" if stepped else "linear"}
    defaults: dict = {"unit": unit, "custom": custom, "color": {"mode": "palette-classic"}}
    if min_zero:
        defaults["min"] = 0
    if thresholds:
        defaults["thresholds"] = thresholds
        custom["thresholdsStyle"] = {"mode": "dashed"}
    return {"type": "timeseries", "title": title, "description": description, "datasource": targets[0]["datasource"],
            "targets": targets, "fieldConfig": {"defaults": defaults, "overrides": overrides or []},
            "options": {"legend": {"displayMode": "list", "placement": "bottom", "showLegend": True},
                        "tooltip": {"mode": "multi", "sort": "desc"}}}


# A Cypher column holding an issue's or incident's number (`i.number AS incident`): an identifier, shown as it is
# (unit none), never scaled like a quantity (`short` shows issue 1234 as "1.23 K").
NUMBER_COLUMN = re.compile(r"\.number\s+AS\s+(\w+)")


def number_overrides(targets: list[dict]) -> list[dict]:
    columns = sorted({c for t in targets for c in NUMBER_COLUMN.findall(t.get("cypherQuery", ""))})
    return [{"matcher": {"id": "byName", "options": column},
             "properties": [{"id": "unit", "value": "none"}, {"id": "decimals", "value": 0}]} for column in columns]


def table(title: str, targets: list[dict], description: str = "", hide: tuple[str, ...] = (),
          rename: dict | None = None, overrides=None, unit: str = "short", merge: bool = False) -> dict:
    overrides = [*(overrides or []), *number_overrides(targets)]
    transformations = []
    if merge:
        transformations.append({"id": "merge", "options": {}})
    if hide or rename:
        transformations.append({"id": "organize", "options": {
            "excludeByName": {name: True for name in hide}, "renameByName": rename or {}, "indexByName": {}}})
    return {"type": "table", "title": title, "description": description, "datasource": targets[0]["datasource"],
            "targets": targets, "transformations": transformations,
            "fieldConfig": {"defaults": {"unit": unit, "custom": {"align": "auto", "cellOptions": {"type": "auto"}}},
                            "overrides": overrides or []},
            "options": {"showHeader": True, "cellHeight": "sm", "footer": {"show": False, "reducer": ["sum"]}}}


def bargauge(title: str, targets: list[dict], description: str = "", unit: str = "short", thresholds=None) -> dict:
    return {"type": "bargauge", "title": title, "description": description, "datasource": targets[0]["datasource"],
            "targets": targets,
            "fieldConfig": {"defaults": {"unit": unit, "min": 0, "color": {"mode": "thresholds"},
                                         "thresholds": thresholds or steps(("blue", None))}, "overrides": []},
            "options": {"reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
                        "orientation": "horizontal", "displayMode": "basic", "showUnfilled": True,
                        "valueMode": "color", "namePlacement": "auto", "sizing": "auto"}}


def by_ref(ref: str, properties: list[dict]) -> dict:
    return {"matcher": {"id": "byFrameRefID", "options": ref}, "properties": properties}


def samples_override(ref: str = "B", name: str = "samples") -> dict:
    return by_ref(ref, [{"id": "displayName", "value": name}, {"id": "unit", "value": "short"},
                        {"id": "decimals", "value": 0}, {"id": "color", "value": SAMPLE_COLOUR},
                        {"id": "thresholds", "value": steps(("text", None))}])


def level_override(ref: str = "C") -> dict:
    return by_ref(ref, [{"id": "displayName", "value": "level"}, {"id": "mappings", "value": LEVEL_MAPPINGS},
                        {"id": "thresholds", "value": LEVEL_THRESHOLDS}, {"id": "unit", "value": "none"}])


HIDE_PROM_COLUMNS = ("Time", "__name__", "job", "instance", "Value")

# --------------------------------------------------------------------------------------------- DORA overview
SEL = 'repository="$repository", window="$window"'


@dataclass(frozen=True)
class DoraKey:
    """A graded DORA key as a stat: its value (A), the samples behind it (B) and devops-twin's level (C)."""
    title: str
    metric: str          # the `metric` label of devops_twin_dora_level
    unit: str
    expr: str
    legend: str
    samples: str
    samples_name: str
    description: str


def dora_keys(sel: str, family: str = "devops_twin_dora_", per_week: str | None = None) -> list[DoraKey]:
    """The graded keys over `sel`, read from the per-repository families or, with family
    "devops_twin_group_dora_", from a group's own (docs/metrics.md "Groups": the statistics of the union of the
    members' events, never combined from the members' statistics)."""
    per_week = per_week or f"repository_window:devops_twin_dora_deployments:per_week{{{sel}}}"
    return [
        DoraKey("Deployment frequency", "deployment_frequency", "none", per_week, "per week",
                f"{family}deployments{{{sel}}}", "deployments",
                "Successful deployments per week in the window (deployments / days × 7). Samples: deployments in "
                "the window."),
        DoraKey("Lead time for changes (p50)", "lead_time", "s",
                f'{family}lead_time_seconds{{{sel}, statistic="p50"}}', "p50",
                f"{family}lead_time_samples{{{sel}}}", "commits",
                "Median time from commit to its first deployment. Samples: commits first deployed in the window."),
        DoraKey("Change failure rate", "change_failure_rate", "percentunit",
                f"{family}change_failure_ratio{{{sel}}}", "CFR",
                f"{family}change_failure_samples{{{sel}}}", "changes",
                "Deployments with an attributed incident plus failed attempts, over deployments plus failed "
                "attempts."),
        DoraKey("Time to restore (p50)", "time_to_restore", "s",
                f'{family}time_to_restore_seconds{{{sel}, statistic="p50"}}', "p50",
                f"{family}time_to_restore_samples{{{sel}}}", "incidents",
                "Median time from an incident's opening to its closing, for incidents resolved in the window."),
    ]


DORA_KEYS = dora_keys(SEL)

# A group (team, service) in a repeated row: `$group` is one group there. Its deployments per week are 7 × its
# own per-day rate (the recording rule covers the per-repository family only).
GROUP_SEL = 'group="$group", window="$window"'
# Outside a repeated row: every selected repository and team (All: `.*`).
MSEL = 'repository=~"$repository", window="$window"'
MGSEL = 'group=~"$group", window="$window"'
GROUP_FAMILY = "devops_twin_group_dora_"
GROUP_KEYS = dora_keys(GROUP_SEL, GROUP_FAMILY, f"7 * devops_twin_group_dora_deployments_per_day{{{GROUP_SEL}}}")
GROUP_NOTE = (" For the team: computed from the union of its repositories' events (docs/dora.md \"Groups\"), not "
              "from the repositories' numbers.")


def dora_stat(key: DoraKey, links: list[dict] | None = None, group: bool = False) -> dict:
    sel, family = (GROUP_SEL, GROUP_FAMILY) if group else (SEL, "devops_twin_dora_")
    panel = stat(key.title, [prom_target(key.expr, "A", key.legend, instant=True),
                             prom_target(key.samples, "B", key.samples_name, instant=True),
                             prom_target(f'{family}level{{{sel}, metric="{key.metric}"}}', "C", "level",
                                         instant=True)],
                 description=key.description + (GROUP_NOTE if group else "") + " Colour: the 2023 benchmark band of "
                 "the value; level: as graded by devops-twin with the configured benchmark. No value with 0 samples "
                 "means no data, not zero.",
                 unit=key.unit, thresholds=THRESHOLDS_2023[key.metric], decimals=2,
                 overrides=[samples_override("B", key.samples_name), level_override("C")])
    if links:
        panel["fieldConfig"]["defaults"]["links"] = links
    return panel


def team_keys(d: Dashboard, rework: bool = False, linked: bool = True) -> list[tuple[dict, str]]:
    """A row per selected team (All: every team) with the team's own graded keys, read from the group families;
    the stats link to the home dashboard's Neo4j panels for the team's repositories (the home dashboard, not yet
    built, sets its links itself: linked=False)."""
    d.row("Team $group (window $window): the team's own numbers, from the union of its repositories' events",
          repeat="group")
    stats = []
    for key in GROUP_KEYS:
        stats.append((d.add(dora_stat(key, links=team_links(key.metric) if linked else None, group=True),
                            w=4 if key.metric == "lead_time" and not rework else 5, h=6), key.metric))
        if key.metric == "lead_time" and not rework:
            stats.append((d.add(stat("Lead time for changes (p90)", [
                prom_target(f'devops_twin_group_dora_lead_time_seconds{{{GROUP_SEL}, statistic="p90"}}', "A", "p90",
                            instant=True),
                prom_target(f"devops_twin_group_dora_lead_time_samples{{{GROUP_SEL}}}", "B", "commits",
                            instant=True)],
                description="90 % of the commits the team's repositories first deployed in the window waited less "
                            "(the p90 of the union of their lead times). Not graded by DORA (the colour is the p50 "
                            "band).", unit="s", thresholds=THRESHOLDS_2023["lead_time"], decimals=2,
                overrides=[samples_override("B", "commits")]), w=5, h=6), "lead_time"))
    if rework:
        d.add(stat("Deployment rework rate", [
            prom_target(f"devops_twin_group_dora_rework_ratio{{{GROUP_SEL}}}", "A", "rework", instant=True),
            prom_target(f"devops_twin_group_dora_deployments{{{GROUP_SEL}}}", "B", "deployments", instant=True)],
            description="The team's rework deployments over its deployments (DORA 2024). Not graded by DORA: the "
                        "colours are only a hint.", unit="percentunit", thresholds=THRESHOLDS_2023["rework"],
            decimals=2, overrides=[samples_override("B", "deployments")]), w=4, h=6)
    return stats


# The Teams table: one row per group and window, its levels and the numbers they grade. Each query gives one
# series per group and window; the first organize drops the labels that differ between the queries (metric,
# statistic), so that merge joins the frames on group and window.
TEAM_COLUMNS = [
    ("A", 'devops_twin_group_dora_level{metric="deployment_frequency"}', "deployment frequency level", "level"),
    ("B", "7 * devops_twin_group_dora_deployments_per_day", "deployments per week", "none"),
    ("C", 'devops_twin_group_dora_level{metric="lead_time"}', "lead time level", "level"),
    ("D", 'devops_twin_group_dora_lead_time_seconds{statistic="p50"}', "lead time p50", "s"),
    ("E", 'devops_twin_group_dora_level{metric="change_failure_rate"}', "change failure rate level", "level"),
    ("F", "devops_twin_group_dora_change_failure_ratio", "change failure rate", "percentunit"),
    ("G", 'devops_twin_group_dora_level{metric="time_to_restore"}', "time to restore level", "level"),
    ("H", 'devops_twin_group_dora_time_to_restore_seconds{statistic="p50"}', "time to restore p50", "s"),
]


def teams_table() -> dict:
    names = {f"Value #{ref}": name for ref, _, name, _ in TEAM_COLUMNS}
    order = {"group": 0, "window": 1, **{name: i + 2 for i, name in enumerate(names.values())}}
    overrides = []
    for _, _, name, unit in TEAM_COLUMNS:
        if unit == "level":
            properties = [{"id": "mappings", "value": LEVEL_MAPPINGS}, {"id": "thresholds", "value": LEVEL_THRESHOLDS},
                          {"id": "custom.cellOptions", "value": {"type": "color-background"}},
                          {"id": "unit", "value": "none"}]
        else:
            properties = [{"id": "unit", "value": unit}, {"id": "decimals", "value": 2}]
        overrides.append({"matcher": {"id": "byName", "options": name}, "properties": properties})
    panel = table("Teams: levels and key numbers by window",
                  [prom_target(expr, ref, instant=True, table=True) for ref, expr, _, _ in TEAM_COLUMNS],
                  description="Every team (group of repositories in config.json) and window: the levels devops-twin "
                              "grades with the configured benchmark and the team's own numbers behind them "
                              "(docs/dora.md \"Groups\": from the union of the members' events, never an average "
                              "or sum of the repositories' statistics). An empty cell: no samples in that window.",
                  overrides=overrides)
    panel["transformations"] = [
        {"id": "organize", "options": {"excludeByName": {name: True for name in (
            "Time", "__name__", "job", "instance", "metric", "statistic")}, "renameByName": {}, "indexByName": {}}},
        {"id": "merge", "options": {}},
        {"id": "organize", "options": {"excludeByName": {}, "renameByName": names, "indexByName": order}},
    ]
    panel["options"]["sortBy"] = [{"displayName": "group", "desc": False}]
    return panel


# Whether the synced history covers the window (docs/metrics.md, "Coverage"): while a progressive sync is still
# deepening a repository's history, a window reaching back further has every statistic absent (the stats below
# read "No data", never 0) and devops_twin_dora_window_complete 0.
COVERAGE_MAPPINGS = [{"type": "value", "options": {
    "1": {"text": "Complete", "color": "green", "index": 0},
    "0": {"text": "Incomplete: history still syncing", "color": "orange", "index": 1}}}]


def history_coverage_stats() -> list[tuple[dict, int]]:
    """The coverage of $repository's history and of window $window, above its numbers."""
    window = stat("History covers the window", [
        prom_target(f"devops_twin_dora_window_complete{{{SEL}}}", "A", "window $window", instant=True)],
        description="Complete: every number below is computed from the whole history the window reads. Incomplete: "
                    "the window reaches back further than the history synced so far, so its numbers are absent "
                    "until the sync has gone deeper (never computed from part of the data).",
        mappings=COVERAGE_MAPPINGS, text_mode="value", decimals=0)
    since = stat("Synced history starts", [
        prom_target('devops_twin_history_covered_from_timestamp_seconds{repository="$repository"} * 1000', "A",
                    "synced from", instant=True)],
        description="While deeper history is still being synced: the instant from which the synced history is "
                    "whole. Complete history (nothing left to deepen) shows as such.",
        unit="dateTimeAsIso", text_mode="value")
    since["fieldConfig"]["defaults"]["noValue"] = "Complete history"
    return [(window, 12), (since, 12)]


def dora_overview() -> dict:
    d = Dashboard("devops-twin-dora", "DORA overview",
                  "The four DORA keys and deployment rework rate per team and per repository and window, graded by "
                  "the configured benchmark (docs/dora.md), with the number of samples behind each value. A team's "
                  "numbers are its own, from the union of its repositories' events.", ["dora"])
    d.variables = repository_variables()
    team_keys(d, rework=True)
    d.row("Repository $repository (window $window): the four keys, rework rate and trends", repeat="repository")
    for panel, w in history_coverage_stats():
        d.add(panel, w=w, h=3)
    for key in DORA_KEYS:
        d.add(dora_stat(key, links=home_links(key.metric)), w=5, h=6)
    d.add(stat("Deployment rework rate", [
        prom_target(f"devops_twin_dora_rework_ratio{{{SEL}}}", "A", "rework", instant=True),
        prom_target(f"devops_twin_dora_deployments{{{SEL}}}", "B", "deployments", instant=True)],
        description="Deployments made while an incident was open, over deployments (DORA 2024). "
                    "Not graded by DORA: the colours are only a hint.",
        unit="percentunit", thresholds=THRESHOLDS_2023["rework"], decimals=2,
        overrides=[samples_override("B", "deployments")]), w=4, h=6)

    d.add(stat("Open incidents", [prom_target(f'devops_twin_dora_open_incidents{{repository="$repository"}}',
                                              instant=True, legend="open")],
               description="Incidents open at the snapshot time.", thresholds=steps(("green", None), ("orange", 1)),
               text_mode="value"), w=4, h=5)
    d.add(stat("Failed deployment recovery (p50)", [
        prom_target(f'devops_twin_dora_failed_deployment_recovery_seconds{{{SEL}, statistic="p50"}}', "A", "p50",
                    instant=True),
        prom_target(f"devops_twin_dora_failed_deployment_recovery_samples{{{SEL}}}", "B", "samples", instant=True)],
        description="DORA 2023: from the failed deployment (or attributed incident's deployment) to recovery.",
        unit="s", decimals=1, overrides=[samples_override("B")]), w=5, h=5)
    d.add(stat("Incidents opened", [
        prom_target(f'devops_twin_dora_incidents{{{SEL}}}', "A", "{{attribution}}", instant=True)],
        description="Incidents opened in the window, attributed to a deployment or not.", decimals=0), w=5, h=5)
    d.add(table("Definitions in use", [prom_target(f'devops_twin_dora_definition_info{{repository="$repository"}}',
                                                   instant=True, table=True)],
                description="How deployments and incidents are defined for this repository (config.json).",
                hide=HIDE_PROM_COLUMNS), w=10, h=5)

    d.newline()
    d.add(timeseries("Deployments per week", [
        prom_target(f"repository_window:devops_twin_dora_deployments:per_week{{{SEL}}}", legend="per week")],
        thresholds=THRESHOLDS_2023["deployment_frequency"]), w=12, h=8)
    d.add(timeseries("Lead time for changes", [
        prom_target(f'devops_twin_dora_lead_time_seconds{{{SEL}, statistic=~"p50|p90|mean"}}', legend="{{statistic}}")],
        unit="s"), w=12, h=8)
    d.add(timeseries("Change failure rate and rework rate", [
        prom_target(f"devops_twin_dora_change_failure_ratio{{{SEL}}}", "A", "change failure rate"),
        prom_target(f"devops_twin_dora_rework_ratio{{{SEL}}}", "B", "rework rate")],
        unit="percentunit"), w=12, h=8)
    d.add(timeseries("Time to restore", [
        prom_target(f'devops_twin_dora_time_to_restore_seconds{{{SEL}, statistic=~"p50|p90"}}', "A",
                    "restore {{statistic}}"),
        prom_target(f'devops_twin_dora_failed_deployment_recovery_seconds{{{SEL}, statistic="p50"}}', "B",
                    "failed deployment recovery p50")],
        unit="s"), w=12, h=8)
    d.add(timeseries("Samples behind the values", [
        prom_target(f"devops_twin_dora_deployments{{{SEL}}}", "A", "deployments"),
        prom_target(f"devops_twin_dora_lead_time_samples{{{SEL}}}", "B", "lead-time commits"),
        prom_target(f"devops_twin_dora_change_failure_samples{{{SEL}}}", "C", "CFR changes"),
        prom_target(f"devops_twin_dora_time_to_restore_samples{{{SEL}}}", "D", "resolved incidents"),
        prom_target(f"devops_twin_dora_deployment_dates{{{SEL}}}", "E", "deployment dates"),
        prom_target(f"devops_twin_dora_failed_deployment_attempts{{{SEL}}}", "F", "failed attempts"),
        prom_target(f"devops_twin_dora_rework_deployments{{{SEL}}}", "G", "rework deployments")],
        description="0 explains a missing value: no samples, no statistic. Deployment dates: distinct UTC dates "
                    "with a deployment (the DORA daily/weekly frequency buckets)."), w=12, h=8)
    levels = timeseries("Levels", [prom_target(f"devops_twin_dora_level{{{SEL}}}", legend="{{metric}}")],
                        description="4 elite, 3 high, 2 medium, 1 low.", stepped=True, unit="none")
    levels["fieldConfig"]["defaults"].update({"min": 1, "max": 4, "mappings": LEVEL_MAPPINGS, "decimals": 0})
    d.add(levels, w=12, h=8)

    d.row("All teams (every window)")
    d.add(teams_table(), w=24, h=9)

    d.row("All repositories (levels), the selected ones (CI) (window $window)")
    d.add(table("Levels by repository", [prom_target('devops_twin_dora_level{window="$window"}', instant=True,
                                                     table=True)],
                description="One row per repository and metric.", hide=("Time", "__name__", "job", "instance"),
                rename={"Value": "level"},
                overrides=[{"matcher": {"id": "byName", "options": "level"},
                            "properties": [{"id": "mappings", "value": LEVEL_MAPPINGS},
                                           {"id": "custom.cellOptions", "value": {"type": "color-background"}},
                                           {"id": "thresholds", "value": LEVEL_THRESHOLDS}]}]), w=12, h=8)
    d.add(table("CI health", [
        prom_target('devops_twin_ci_success_ratio{repository=~"$repository", window="$window"}', "A", instant=True,
                    table=True),
        prom_target('devops_twin_ci_run_duration_seconds{repository=~"$repository", window="$window"}', "B",
                    instant=True, table=True)],
        description="CI success ratio by branch class and run duration per workflow in `ciWorkflows`.",
        hide=("Time", "__name__", "job", "instance", "window")), w=12, h=8)
    d.add(table("CI runs behind the values", [
        prom_target('devops_twin_ci_runs{repository=~"$repository", window="$window"}', "A", instant=True,
                    table=True),
        prom_target('devops_twin_ci_run_duration_samples{repository=~"$repository", window="$window"}', "B",
                    instant=True, table=True)],
        description="Runs counted in the success ratio (by branch class) and completed runs behind the duration.",
        hide=("Time", "__name__", "job", "instance", "window")), w=12, h=8)
    d.add(table("CI recovery on the tracked branch", [
        prom_target('devops_twin_ci_recovery_seconds{repository=~"$repository", window="$window"}', "A",
                    instant=True, table=True),
        prom_target('devops_twin_ci_recovery_samples{repository=~"$repository", window="$window"}', "B",
                    instant=True, table=True)],
        description="From a failure streak's first failed run to the next successful run, per workflow in "
                    "`ciWorkflows`, with the number of recovered streaks.",
        unit="s", hide=("Time", "__name__", "job", "instance", "window"),
        overrides=[by_ref("B", [{"id": "unit", "value": "short"}, {"id": "decimals", "value": 0}])]), w=12, h=8)
    return d.json()


# ----------------------------------------------------------------------------------------------- Sync health
RSEL = 'repository=~"$repository"'


def sync_health() -> dict:
    d = Dashboard("devops-twin-sync", "Sync health",
                  "Is devops-twin keeping its copy of GitHub current: sync outcomes, GitHub requests and quota, "
                  "store contents and the Neo4j projection.", ["sync"], time_from="now-24h")
    d.variables = [prom_variable("repository", "Repository",
                                 "label_values(devops_twin_sync_last_attempt_timestamp_seconds, repository)",
                                 multi=True)]
    d.row("Freshness")
    d.add(stat("Last successful sync", [prom_target(f"repository:devops_twin_sync_last_success_age_seconds:min{{{RSEL}}}",
                                                    legend="{{repository}}", instant=True)],
               description="Age of the last successful sync. Alert DevOpsTwinSyncStale fires after two sync intervals.",
               unit="s", thresholds=steps(("green", None), ("orange", 1800), ("red", 3600))), w=8, h=5)
    d.add(stat("Exporter", [prom_target('up{job="devops-twin"}', legend="{{instance}}", instant=True)],
               mappings=[{"type": "value", "options": {"0": {"text": "down", "color": "red"},
                                                       "1": {"text": "up", "color": "green"}}}],
               thresholds=steps(("red", None), ("green", 1))), w=4, h=5)
    d.add(stat("Snapshot age", [prom_target("time() - devops_twin_snapshot_timestamp_seconds", legend="snapshot",
                                            instant=True)],
               description="Time since the served DORA snapshot was computed (after each sync).", unit="s",
               thresholds=steps(("green", None), ("orange", 1800), ("red", 3600))), w=4, h=5)
    d.add(stat("Last sync duration", [prom_target(f"devops_twin_sync_last_duration_seconds{{{RSEL}}}",
                                                  legend="{{repository}}", instant=True)], unit="s"), w=8, h=5)
    d.row("Outcomes and items")
    d.add(timeseries("Sync outcomes", [prom_target(
        f"sum by (repository, result) (increase(devops_twin_sync_runs_total{{{RSEL}}}[$__rate_interval]))",
        legend="{{repository}} {{result}}")], description="Sync runs ending in each result per interval."),
        w=12, h=8)
    d.add(bargauge("Sync outcomes (all time)", [prom_target(
        f"sum by (result) (devops_twin_sync_runs_total{{{RSEL}}})", legend="{{result}}", instant=True)]), w=6, h=8)
    d.add(bargauge("Items fetched in range", [prom_target(
        f"sum by (entity) (increase(devops_twin_sync_items_total{{{RSEL}}}[$__range]))", legend="{{entity}}",
        instant=True)], description="Items fetched from GitHub per entity over the dashboard's time range."),
        w=6, h=8)
    d.add(bargauge("Rows in the store", [prom_target(
        f"sum by (entity) (devops_twin_store_entities{{{RSEL}}})", legend="{{entity}}", instant=True)]), w=12, h=8)
    d.add(timeseries("Items fetched", [prom_target(
        f"sum by (entity) (rate(devops_twin_sync_items_total{{{RSEL}}}[$__rate_interval]))", legend="{{entity}}")],
        unit="ops"), w=12, h=8)
    d.row("GitHub API")
    d.add(timeseries("Requests by status", [prom_target(
        f"sum by (status) (repository_status:devops_twin_github_requests:rate5m{{{RSEL}}})", legend="{{status}}")],
        description="304 answers are conditional requests that cost no rate limit.", unit="reqps"), w=12, h=8)
    d.add(stat("304 share (all time)", [prom_target(f"repository:devops_twin_github_requests_not_modified:ratio{{{RSEL}}}",
                                                    legend="{{repository}}", instant=True)],
               description="Share of GitHub requests answered 304 Not Modified: the ETag cache at work.",
               unit="percentunit", decimals=1), w=6, h=8)
    d.add(bargauge("Requests by status (all time)", [prom_target(
        f"sum by (status) (devops_twin_github_requests_total{{{RSEL}}})", legend="{{status}}", instant=True)]),
        w=6, h=8)
    d.add(timeseries("Rate limit remaining", [
        prom_target("devops_twin_github_rate_limit_remaining", "A", "{{credential}} {{resource}} remaining"),
        prom_target("devops_twin_github_rate_limit_limit", "B", "{{credential}} {{resource}} limit")],
        description="Each credential (token, App installation) has a rate limit of its own."), w=12, h=8)
    d.add(stat("Rate limit left", [prom_target("credential_resource:devops_twin_github_rate_limit_remaining:ratio", legend="{{credential}} {{resource}}",
                                               instant=True)],
               unit="percentunit", thresholds=steps(("red", None), ("orange", 0.1), ("green", 0.25))), w=6, h=8)
    d.add(stat("Rate limit resets at", [prom_target("devops_twin_github_rate_limit_reset_timestamp_seconds * 1000",
                                                    legend="{{credential}} {{resource}}", instant=True)],
               unit="dateTimeAsIso"), w=6, h=8)
    d.row("Sync budget (per credential)")
    d.add(timeseries("Planned and spent per cycle", [
        prom_target("devops_twin_sync_budget_planned_requests", "A", "{{credential}} planned"),
        prom_target("devops_twin_sync_budget_spent_requests", "B", "{{credential}} spent"),
        prom_target("devops_twin_sync_budget_reserve_requests", "C", "{{credential}} reserve")],
        description="Rate-limit points the planner expected to spend in the last cycle, what it spent, and the "
                    "reserve it leaves unspent. 304 answers are free and not counted."), w=8, h=8)
    d.add(timeseries("Repositories by synced history", [prom_target(
        "sum by (coverage) (devops_twin_sync_repositories)", legend="{{coverage}}")],
        description="complete: synced back to since; partial: the shallow first pass is done (recent windows have "
                    "numbers), older history is being deepened; none: not synced yet."), w=8, h=8)
    d.add(stat("Waiting on budget", [prom_target("sum(devops_twin_sync_repositories_waiting_on_budget)", legend="waiting",
                                                 instant=True)],
               description="Repositories the last cycle could not start, or stopped at the reserve; they go first in "
                           "the next cycle after the rate limit resets.",
               thresholds=steps(("green", None), ("orange", 1))), w=4, h=4)
    d.add(stat("History complete in", [prom_target("max(devops_twin_sync_estimated_completion_seconds)", legend="estimate",
                                                   instant=True)],
               description="Estimated time until every repository is synced back to its since, at the credentials' "
                           "rate limits.", unit="s"), w=4, h=4)
    d.row("Neo4j projection (absent when Neo4j is not configured)")
    d.add(stat("Neo4j", [prom_target("devops_twin_neo4j_up", legend="neo4j", instant=True)],
               mappings=[{"type": "value", "options": {"0": {"text": "down", "color": "red"},
                                                       "1": {"text": "up", "color": "green"}}}],
               thresholds=steps(("red", None), ("green", 1))), w=4, h=6)
    d.add(timeseries("Projection lag", [prom_target(f"devops_twin_projection_lag_items{{{RSEL}}}",
                                                    legend="{{repository}}")],
                     description="Store changes not yet written to the graph."), w=8, h=6)
    d.add(stat("Last successful projection", [prom_target(
        f"repository:devops_twin_projection_last_success_age_seconds:min{{{RSEL}}}", legend="{{repository}}", instant=True)],
        unit="s", thresholds=steps(("green", None), ("orange", 1800), ("red", 3600))), w=6, h=6)
    d.add(bargauge("Projection outcomes (all time)", [prom_target(
        f"sum by (result) (devops_twin_projection_runs_total{{{RSEL}}})", legend="{{result}}", instant=True)]),
        w=6, h=6)
    d.row("Webhooks (absent when webhooks are off)")
    d.add(timeseries("Webhook deliveries by result", [prom_target(
        "sum by (result) (rate(devops_twin_webhook_deliveries_total[$__rate_interval]))", legend="{{result}}")],
        description="Deliveries received per second by what the receiver did: accepted (a targeted sync queued), "
                    "duplicate, ignored, unknown_repository, bad_signature, too_large, invalid.", unit="reqps"),
        w=12, h=8)
    d.add(timeseries("Delivery to refreshed snapshot", [
        prom_target("histogram_quantile(0.5, sum by (le) (rate(devops_twin_webhook_delivery_to_snapshot_seconds_bucket"
                    "[$__rate_interval])))", "A", "p50"),
        prom_target("histogram_quantile(0.99, sum by (le) (rate(devops_twin_webhook_delivery_to_snapshot_seconds_bucket"
                    "[$__rate_interval])))", "B", "p99")],
        description="From a delivery's arrival to the served snapshot holding its change.", unit="s"), w=12, h=8)
    d.add(stat("Signature failures (all time)", [prom_target(
        "sum by (reason) (devops_twin_webhook_signature_failures_total)", legend="{{reason}}", instant=True)],
        description="Deliveries refused with 401: a secret that differs from GitHub's, or forged requests.",
        thresholds=steps(("green", None), ("orange", 1))), w=8, h=6)
    d.add(stat("Webhook queue depth", [prom_target("devops_twin_webhook_queue_depth", legend="queue", instant=True)],
               description="Targeted syncs waiting; bursts coalesce into one per repository and entity."), w=4, h=6)
    d.add(table("Webhooks silent while the repository is active", [prom_target(
        f'sum by (repository) (changes(devops_twin_store_entities{{{RSEL}, '
        f'entity=~"commits|releases|issues|workflow_runs|deployments"}}[6h])) and on (repository) '
        f'(sum by (repository) (increase(devops_twin_webhook_repository_deliveries_total{{{RSEL}}}[6h])) == 0)',
        instant=True, table=True)],
        description="Repositories whose store changed in the last 6 hours (through the scheduled reconciliation) "
                    "without an accepted webhook delivery: the hook is misconfigured. Alert DevOpsTwinWebhooksSilent.",
        hide=("Time",)), w=12, h=6)
    d.row("Build")
    d.add(table("devops-twin build", [prom_target("devops_twin_build_info", instant=True, table=True)],
                hide=("Time", "__name__", "Value")), w=24, h=4)
    return d.json()


# ---------------------------------------------------------------------------------------------- Data quality
WSEL = 'window="$window"'


def data_quality() -> dict:
    d = Dashboard("devops-twin-data-quality", "Data quality",
                  "Why is a DORA value empty? Deployments whose commit is not synced, commits with skewed clocks, "
                  "incidents no deployment can be blamed for, repositories with no deployments or no incidents.",
                  ["dora", "data-quality"])
    d.variables = [prom_variable("window", "Window", "label_values(devops_twin_dora_window_complete, window)",
                                 default="30d")]
    zero_is_red = steps(("red", None), ("green", 1))
    zero_is_green = steps(("green", None), ("orange", 1))
    d.row("Why a value is empty (window $window)")
    d.add(bargauge("Deployments (all time)", [prom_target('devops_twin_dora_deployments{window="all"}',
                                                          legend="{{repository}}", instant=True)],
                   description="0: the deployment source finds nothing. Check `deployments.source` and its "
                               "pattern in the definitions below, and the tags/releases/runs in the store.",
                   thresholds=zero_is_red), w=8, h=8)
    d.add(bargauge("Incidents matched (all time)", [prom_target(
        'sum by (repository) (devops_twin_dora_incidents{window="all"})', legend="{{repository}}", instant=True)],
        description="0 with issues in the store: no issue carries the labels of the incident rules.",
        thresholds=zero_is_red), w=8, h=8)
    d.add(bargauge("Issues in the store", [prom_target('devops_twin_store_entities{entity="issues"}',
                                                       legend="{{repository}}", instant=True)],
                   description="Issues synced (pull requests excluded). Compare with incidents matched."), w=8, h=8)
    d.add(bargauge("Untracked deployments", [prom_target(f"devops_twin_dora_untracked_deployments{{{WSEL}}}",
                                                         legend="{{repository}}", instant=True)],
                   description="Deployments whose commit is not in the synced commit graph (not on the tracked "
                               "branch, or older than `since`): they count as deployments but yield no lead time.",
                   thresholds=zero_is_green), w=8, h=8)
    d.add(bargauge("Skewed commits", [prom_target(f"devops_twin_dora_skewed_commits{{{WSEL}}}",
                                                  legend="{{repository}}", instant=True)],
                   description="Lead-time samples <= 0 (commit dated after its deployment): dropped.",
                   thresholds=zero_is_green), w=8, h=8)
    d.add(bargauge("Unattributed incidents", [prom_target(
        f'devops_twin_dora_incidents{{{WSEL}, attribution="unattributed"}}', legend="{{repository}}", instant=True)],
        description="Incidents with no successful deployment in the attribution window before them: they count "
                    "for time to restore, not for change failure rate.", thresholds=zero_is_green), w=8, h=8)
    d.add(table("Samples behind each statistic", [
        prom_target(f"devops_twin_dora_deployments{{{WSEL}}}", "A", instant=True, table=True),
        prom_target(f"devops_twin_dora_lead_time_samples{{{WSEL}}}", "B", instant=True, table=True),
        prom_target(f"devops_twin_dora_change_failure_samples{{{WSEL}}}", "C", instant=True, table=True),
        prom_target(f"devops_twin_dora_time_to_restore_samples{{{WSEL}}}", "D", instant=True, table=True),
        prom_target(f"devops_twin_dora_failed_deployment_recovery_samples{{{WSEL}}}", "E", instant=True, table=True)],
        description="A statistic over 0 samples is absent, not 0.", merge=True,
        hide=("Time", "__name__", "job", "instance"),
        rename={"Value #A": "deployments", "Value #B": "lead-time commits", "Value #C": "CFR changes",
                "Value #D": "resolved incidents", "Value #E": "recovery samples"}), w=24, h=8)
    d.add(table("Definitions in use", [prom_target("devops_twin_dora_definition_info", instant=True, table=True)],
                description="Deployment source and pattern, incident rules and benchmark per repository.",
                hide=HIDE_PROM_COLUMNS), w=24, h=6)
    d.add(table("Rows in the store", [prom_target("devops_twin_store_entities", instant=True, table=True)],
                description="What sync has stored per repository and entity.", hide=("Time", "__name__", "job",
                                                                                  "instance"),
                rename={"Value": "rows"}), w=24, h=8)
    return d.json()


# --------------------------------------------------------------------------------------------- Twin explorer
# Cypher on the graph the projection writes (docs/graph-schema.json). `$repository` is replaced by Grafana's
# frontend before the query is sent; ${__from}/${__to} are the dashboard range in epoch milliseconds.
REPO = "'$repository'"
RANGE = "datetime({epochMillis: ${__from}}) AND %s < datetime({epochMillis: ${__to}})"
# The projection writes the DORA engine's incident classification as Issue.incident (the repository's incident
# rules, AND rules such as `bug&prod` included; pull requests never). Attributed or not, an incident has it set.
INCIDENT = "i.incident = true"

TWIN_QUERIES = [
    ("Release frequency: releases per month", "barchart", 12,
     "Published releases (prereleases and drafts excluded) per calendar month.",
     f"MATCH (r:Release {{repository: {REPO}}})\n"
     "WHERE r.draft = false AND r.prerelease = false AND r.publishedAt IS NOT NULL\n"
     f"  AND r.publishedAt >= {RANGE % 'r.publishedAt'}\n"
     "WITH date.truncate('month', r.publishedAt) AS month, count(r) AS releases\n"
     "RETURN toString(month) AS month, releases ORDER BY month"),
    ("Release regularity: days between releases", "table", 12,
     "Gap between consecutive releases: a steady cadence has a small spread.",
     f"MATCH (r:Release {{repository: {REPO}}})\n"
     "WHERE r.draft = false AND r.prerelease = false AND r.publishedAt IS NOT NULL\n"
     "WITH r ORDER BY r.publishedAt\n"
     "WITH collect(r) AS releases\n"
     "UNWIND range(1, size(releases) - 1) AS i\n"
     "WITH releases[i] AS r, duration.inSeconds(releases[i - 1].publishedAt, releases[i].publishedAt).seconds / 86400.0 AS gapDays\n"
     "RETURN count(r) AS gaps, round(avg(gapDays), 1) AS meanDays, round(percentileCont(gapDays, 0.5), 1) AS p50Days,\n"
     "       round(stDev(gapDays), 1) AS stdDevDays, round(max(gapDays), 1) AS maxDays"),
    ("Lead time per commit", "table", 24,
     "Commits first deployed in the range and how long each waited (FIRST_DEPLOYED.leadTimeSeconds).",
     f"MATCH (d:Deployment {{repository: {REPO}}})-[f:FIRST_DEPLOYED]->(c:Commit)\n"
     f"WHERE d.deployedAt >= {RANGE % 'd.deployedAt'}\n"
     "RETURN d.deployedAt AS deployed, c.sha AS commit, c.committedAt AS committed,\n"
     "       round(f.leadTimeSeconds / 3600.0, 1) AS leadTimeHours\n"
     "ORDER BY deployed DESC LIMIT 500"),
    ("CI run time p50 / p95 per workflow", "table", 12,
     "Completed runs finished in the range: updatedAt - runStartedAt.",
     f"MATCH (w:Workflow {{repository: {REPO}}})-[:HAS_RUN]->(run:WorkflowRun)\n"
     "WHERE run.status = 'completed' AND run.runStartedAt IS NOT NULL\n"
     f"  AND run.updatedAt >= {RANGE % 'run.updatedAt'}\n"
     "WITH w.name AS workflow, duration.inSeconds(run.runStartedAt, run.updatedAt).seconds / 60.0 AS minutes\n"
     "RETURN workflow, count(*) AS runs, round(percentileCont(minutes, 0.5), 1) AS p50Minutes,\n"
     "       round(percentileCont(minutes, 0.95), 1) AS p95Minutes ORDER BY workflow"),
    ("CI success: tracked branch vs others", "table", 12,
     "success / (success + failure + timed_out) per workflow, on the tracked branch and on all others.",
     f"MATCH (b:Branch {{repository: {REPO}}})\n"
     "MATCH (w:Workflow {repository: b.repository})-[:HAS_RUN]->(run:WorkflowRun)\n"
     "WHERE run.conclusion IN ['success', 'failure', 'timed_out']\n"
     f"  AND run.updatedAt >= {RANGE % 'run.updatedAt'}\n"
     "WITH w.name AS workflow, CASE WHEN run.headBranch = b.name THEN 'tracked' ELSE 'other' END AS branchClass, run\n"
     "RETURN workflow, branchClass, count(run) AS runs,\n"
     "       round(100.0 * sum(CASE WHEN run.conclusion = 'success' THEN 1 ELSE 0 END) / count(run), 1) AS successPercent\n"
     "ORDER BY workflow, branchClass DESC"),
    ("CI time to recovery on the tracked branch", "table", 12,
     "From a failed run to the next successful run of the same workflow on the tracked branch "
     "(PREVIOUS_RUN chains runs of a workflow in time order).",
     f"MATCH (b:Branch {{repository: {REPO}}})\n"
     "MATCH (w:Workflow {repository: b.repository})-[:HAS_RUN]->(fixed:WorkflowRun {conclusion: 'success'})\n"
     "WHERE fixed.headBranch = b.name\n"
     f"  AND fixed.updatedAt >= {RANGE % 'fixed.updatedAt'}\n"
     "MATCH (fixed)-[:PREVIOUS_RUN]->(broken:WorkflowRun)\n"
     "WHERE broken.conclusion IN ['failure', 'timed_out']\n"
     "WITH w.name AS workflow, fixed, broken\n"
     "OPTIONAL MATCH p = (broken)-[:PREVIOUS_RUN*1..50]->(earlier:WorkflowRun)\n"
     "WHERE all(x IN nodes(p) WHERE x.conclusion IN ['failure', 'timed_out'])\n"
     "WITH workflow, fixed, broken, collect(earlier) AS streak\n"
     "WITH workflow, fixed, reduce(first = broken, x IN streak | CASE WHEN x.updatedAt < first.updatedAt THEN x ELSE first END) AS first\n"
     "WITH workflow, duration.inSeconds(first.updatedAt, fixed.updatedAt).seconds / 3600.0 AS hours\n"
     "RETURN workflow, count(*) AS recoveries, round(percentileCont(hours, 0.5), 2) AS p50Hours,\n"
     "       round(avg(hours), 2) AS meanHours ORDER BY workflow"),
    ("Time to repair: incidents", "table", 12,
     "Closed incidents by time from opening to closing. An incident is an issue the repository's incident rules "
     "match (Issue.incident, attributed to a deployment or not).",
     f"MATCH (i:Issue {{repository: {REPO}}})\n"
     f"WHERE {INCIDENT} AND i.closedAt IS NOT NULL\n"
     f"  AND i.closedAt >= {RANGE % 'i.closedAt'}\n"
     "WITH duration.inSeconds(i.createdAt, i.closedAt).seconds / 3600.0 AS hours\n"
     "RETURN count(*) AS incidents, round(percentileCont(hours, 0.5), 1) AS p50Hours,\n"
     "       round(percentileCont(hours, 0.9), 1) AS p90Hours, round(avg(hours), 1) AS meanHours"),
    ("Bug issues per release", "barchart", 12,
     "Incidents attributed to each release's deployment (ATTRIBUTED_TO), the prototype's bug rate per release.",
     f"MATCH (d:Deployment {{repository: {REPO}}})-[:FROM]->(r:Release)\n"
     f"WHERE d.deployedAt >= {RANGE % 'd.deployedAt'}\n"
     "OPTIONAL MATCH (i:Issue)-[:ATTRIBUTED_TO]->(d)\n"
     # An aggregating RETURN/WITH leaves only what it projects in scope for its ORDER BY: project the time.
     "WITH r.tagName AS release, d.deployedAt AS deployedAt, count(i) AS incidents\n"
     "RETURN release, incidents ORDER BY deployedAt"),
    ("Incidents by label", "table", 12,
     "Incidents (Issue.incident: matched by the repository's incident rules) opened in the range, by label.",
     f"MATCH (i:Issue {{repository: {REPO}}})-[:HAS_LABEL]->(l:Label)\n"
     f"WHERE {INCIDENT}\n"
     f"  AND i.createdAt >= {RANGE % 'i.createdAt'}\n"
     "RETURN l.name AS label, count(DISTINCT i) AS incidents ORDER BY incidents DESC"),
    ("Deployment history", "nodeGraph", 24,
     "The last 25 deployments in the range, the commit each deployed, what it was derived from (release, tag or "
     "run) and the previous successful deployment. The datasource draws an edge only for a relationship in the "
     "result, so the query returns the relationships beside their nodes.",
     f"MATCH (d:Deployment {{repository: {REPO}}})\n"
     f"WHERE d.deployedAt >= {RANGE % 'd.deployedAt'}\n"
     "WITH d ORDER BY d.deployedAt DESC LIMIT 25\n"
     "MATCH (d)-[deploys:DEPLOYS]->(c:Commit)\n"
     "OPTIONAL MATCH (d)-[origin:FROM]->(source)\n"
     "OPTIONAL MATCH (d)-[previous:PREVIOUS]->(earlier:Deployment)\n"
     "RETURN d, deploys, c, origin, source, previous, earlier"),
]


def twin_explorer() -> dict:
    d = Dashboard("devops-twin-explorer", "Twin explorer",
                  "The graph twin in Neo4j, queried with Cypher: the prototype's questions on the devops-twin graph "
                  "model (docs/graph-schema.json).", ["neo4j"], time_from="now-90d")
    # The home dashboard's team and repositories (Prometheus lists them; the graph has no teams), so that its links
    # and the dashboard links land on valid values. One copy of the panels per selected repository: each query
    # compares one repository (`'$repository'`, a single value inside the repeated row).
    d.variables = repository_variables(window=False)
    d.row("Repository $repository", repeat="repository")
    for title, kind, width, description, query in TWIN_QUERIES:
        fmt = "nodegraph" if kind == "nodeGraph" else "table"
        target = cypher_target(query, fmt=fmt)
        if kind == "barchart":
            panel = {"type": "barchart", "title": title, "description": description, "datasource": NEO4J,
                     "targets": [target], "fieldConfig": {"defaults": {"color": {"mode": "palette-classic"}},
                                                          "overrides": []},
                     "options": {"orientation": "auto", "showValue": "auto", "legend": {"showLegend": False,
                                 "displayMode": "list", "placement": "bottom"}, "xTickLabelRotation": -45}}
        elif kind == "nodeGraph":
            panel = {"type": "nodeGraph", "title": title, "description": description, "datasource": NEO4J,
                     "targets": [target], "options": {}}
        else:
            panel = table(title, [target], description=description)
        d.add(panel, w=width, h=9 if kind != "nodeGraph" else 12)
    return d.json()


# -------------------------------------------------------------------------------------------------- Team home
# The dashboard a team opens first (Grafana's home, docker-compose.yml): the DORA numbers from Prometheus and,
# from Neo4j, the deployments, commits and incidents behind them. Every Prometheus number links to the Neo4j
# panel that explains it, with the repository and the time range carried over.
HOME_UID = "devops-twin-home"
HOME_TITLE = "DORA and what is behind it"
EXPLORER_UID = "devops-twin-explorer"
EXPLORER_TITLE = "Twin explorer"

DEPLOYMENTS_PANEL = "Deployments in the range: lead times, incidents, failed runs"
CFR_PANEL = "Behind the change failure rate: incidents and failed attempts"
SLOWEST_PANEL = "Behind lead time p90: the slowest changes"
RESTORE_PANEL = "Behind time to restore: incidents resolved in the range"

IN_RANGE = f"d.deployedAt >= {RANGE % 'd.deployedAt'}"
# The home dashboard's repository variable is multi-value (a team's repositories): Grafana writes its values as a
# quoted, comma-separated list (`'demo/webshop','demo/checkout'`; All: every value the variable lists).
REPOS = "[${repository:singlequote}]"

HOME_QUERIES = [
    (DEPLOYMENTS_PANEL, 24, 10,
     "Every deployment in the dashboard's time range (failed attempts too), with the commits it delivered first and "
     "their lead times (p50, slowest; the baseline deployment and commits dated after their deployment give no lead "
     "time, as in the DORA engine), the incidents attributed to it, and the CI runs that failed (failure, "
     "timed_out) on the commits it delivered. The Prometheus numbers use the window variable: keep the time range "
     "equal to it (default 30 days).",
     "MATCH (d:Deployment)\n"
     f"WHERE d.repository IN {REPOS} AND {IN_RANGE}\n"
     "OPTIONAL MATCH (d)-[f:FIRST_DEPLOYED]->(c:Commit)\n"
     "WHERE f.leadTimeSeconds > 0 AND NOT coalesce(d.baseline, false)\n"
     "WITH d, f, c ORDER BY f.leadTimeSeconds DESC\n"
     "WITH d, count(c) AS commits, percentileCont(f.leadTimeSeconds, 0.5) AS p50Seconds,\n"
     "     collect(left(c.sha, 7) + ' ' + toString(round(f.leadTimeSeconds / 3600.0, 1)) + ' h')[..10] AS slowest\n"
     "OPTIONAL MATCH (i:Issue)-[:ATTRIBUTED_TO]->(d)\n"
     f"WHERE {INCIDENT}\n"
     "WITH d, commits, p50Seconds, slowest, collect('#' + toString(i.number)) AS incidentNumbers\n"
     "OPTIONAL MATCH (d)-[:FIRST_DEPLOYED]->(:Commit)<-[:RAN_ON]-(run:WorkflowRun)\n"
     "WHERE run.conclusion IN ['failure', 'timed_out']\n"
     "WITH d, commits, p50Seconds, slowest, incidentNumbers, count(DISTINCT run) AS failedRuns\n"
     "RETURN d.deployedAt AS deployed, d.repository AS repository, d.name AS deployment,\n"
     "       CASE WHEN d.succeeded THEN 'deployed' ELSE 'failed attempt' END AS outcome,\n"
     "       commits, round(p50Seconds / 3600.0, 1) AS leadTimeP50Hours, slowest AS slowestCommits,\n"
     "       size(incidentNumbers) AS incidents, incidentNumbers, failedRuns\n"
     "ORDER BY deployed DESC LIMIT 500"),
    (CFR_PANEL, 8, 10,
     "The failed changes the change failure rate counts: incidents attributed to a deployment in the range "
     "(ATTRIBUTED_TO, Issue.incident) and failed deployment attempts. A deployment counts once however many "
     "incidents it has.",
     "MATCH (d:Deployment)\n"
     f"WHERE d.repository IN {REPOS} AND {IN_RANGE}\n"
     "OPTIONAL MATCH (i:Issue)-[:ATTRIBUTED_TO]->(d)\n"
     f"WHERE {INCIDENT}\n"
     "WITH d, i\n"
     "WHERE d.succeeded = false OR i IS NOT NULL\n"
     "RETURN d.deployedAt AS deployed, d.repository AS repository, d.name AS deployment,\n"
     "       CASE WHEN i IS NULL THEN 'failed attempt' ELSE 'incident #' + toString(i.number) END AS failedChange,\n"
     "       i.title AS title, i.createdAt AS opened, i.closedAt AS closed\n"
     "ORDER BY deployed DESC, opened"),
    (SLOWEST_PANEL, 8, 10,
     "Commits first deployed in the range whose lead time is at or above the range's p90 (percentileCont, the "
     "DORA engine's interpolation), slowest first. The p90 is over the selected repositories together: for a "
     "team, the union of its repositories' lead times, as the team's own numbers.",
     "MATCH (d:Deployment)-[f:FIRST_DEPLOYED]->(c:Commit)\n"
     f"WHERE d.repository IN {REPOS} AND {IN_RANGE}\n"
     "  AND f.leadTimeSeconds > 0 AND NOT coalesce(d.baseline, false)\n"
     "WITH percentileCont(f.leadTimeSeconds, 0.9) AS p90,\n"
     "     collect({sha: c.sha, message: c.message, authorName: c.authorName, committedAt: c.committedAt,\n"
     "              repository: d.repository, name: d.name, deployedAt: d.deployedAt,\n"
     "              leadTimeSeconds: f.leadTimeSeconds}) AS changes\n"
     "UNWIND changes AS change\n"
     "WITH p90, change WHERE change.leadTimeSeconds >= p90\n"
     "RETURN change.repository AS repository, left(change.sha, 10) AS commit,\n"
     "       split(change.message, '\\n')[0] AS message,\n"
     "       change.authorName AS author, change.name AS deployment, change.deployedAt AS deployed,\n"
     "       round(change.leadTimeSeconds / 3600.0, 1) AS leadTimeHours, round(p90 / 3600.0, 1) AS p90Hours\n"
     "ORDER BY leadTimeHours DESC LIMIT 100"),
    (RESTORE_PANEL, 8, 10,
     "Incidents (Issue.incident) closed in the range, longest first, with the deployment they are attributed to.",
     "MATCH (i:Issue)\n"
     f"WHERE i.repository IN {REPOS} AND {INCIDENT} AND i.closedAt IS NOT NULL\n"
     f"  AND i.closedAt >= {RANGE % 'i.closedAt'}\n"
     "OPTIONAL MATCH (i)-[:ATTRIBUTED_TO]->(d:Deployment)\n"
     "RETURN i.repository AS repository, i.number AS incident, i.title AS title,\n"
     "       i.createdAt AS opened, i.closedAt AS closed,\n"
     "       round(duration.inSeconds(i.createdAt, i.closedAt).seconds / 3600.0, 1) AS hoursToRestore,\n"
     "       d.name AS causedBy\n"
     "ORDER BY hoursToRestore DESC LIMIT 200"),
]

# Where each Prometheus number is explained: (dashboard uid, panel title) pairs, the home panel first.
EXPLAINED_BY = {
    "deployment_frequency": [(HOME_UID, DEPLOYMENTS_PANEL), (EXPLORER_UID, "Deployment history")],
    "lead_time": [(HOME_UID, SLOWEST_PANEL), (EXPLORER_UID, "Lead time per commit")],
    "change_failure_rate": [(HOME_UID, CFR_PANEL), (EXPLORER_UID, "Bug issues per release")],
    "time_to_restore": [(HOME_UID, RESTORE_PANEL), (EXPLORER_UID, "Time to repair: incidents")],
}


def slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


# How a link carries what a number is about. The team: `var-group=${group:percentencode}`; All is its allValue `.*`,
# which Grafana reads back from a URL as All. The repository: one value (`var-repository=demo%2Fwebshop`), or every
# selected value of the home dashboard's multi-value variable (`var-repository=a&var-repository=b`, All expanded to
# the listed repositories; one value inside a repeated row).
TEAM = "var-group=${group:percentencode}"
ONE_REPOSITORY = f"{TEAM}&var-repository=${{repository:percentencode}}"
SELECTED_REPOSITORIES = f"{TEAM}&${{repository:queryparam}}"


def panel_link(uid: str, title: str, panel_title: str, panel_id: int, keep_window: bool,
               scope: str = ONE_REPOSITORY) -> dict:
    """A data link to one panel of a dashboard, carrying the repositories (or the team), the window and the time
    range."""
    url = f"/d/{uid}/{slug(title)}?{scope}"
    if keep_window:
        url += "&var-window=${window}"
    url += f"&${{__url_time_range}}&viewPanel={panel_id}"
    where = "" if uid == HOME_UID else f"{title}: "
    return {"title": f"{where}{panel_title} (Neo4j)", "url": url, "targetBlank": False}


def home_links(metric: str, home_ids: dict[str, int] | None = None, scope: str = ONE_REPOSITORY) -> list[dict]:
    ids = {HOME_UID: home_ids or panel_ids(team_home()), EXPLORER_UID: panel_ids(twin_explorer())}
    titles = {HOME_UID: HOME_TITLE, EXPLORER_UID: EXPLORER_TITLE}
    return [panel_link(uid, titles[uid], panel, ids[uid][panel], keep_window=uid == HOME_UID, scope=scope)
            for uid, panel in EXPLAINED_BY[metric]]


def team_links(metric: str, home_ids: dict[str, int] | None = None) -> list[dict]:
    """From a team's number (in a row repeated per team, so `$group` is one team) to the home dashboard's Neo4j
    panel behind it. The link sets the team and leaves the repositories to the home dashboard's default, All: the
    Cypher then receives every repository of the team."""
    uid, panel = EXPLAINED_BY[metric][0]
    ids = home_ids or panel_ids(team_home())
    return [panel_link(uid, HOME_TITLE, panel, ids[panel], keep_window=True, scope=TEAM)]


def panel_ids(dashboard: dict) -> dict[str, int]:
    return {panel["title"]: panel["id"] for panel in dashboard["panels"]}


def team_home() -> dict:
    d = Dashboard(HOME_UID, HOME_TITLE,
                  "Start here. Pick a team (or All) and its repositories: the team's own DORA keys and each "
                  "repository's from Prometheus (window $window), their trends, and from the graph twin in Neo4j the "
                  "deployments, commits and incidents behind them in the time range, for the selected repositories. "
                  "Each number links to the Neo4j panel that explains it.", ["dora", "neo4j", "home"])
    d.variables = repository_variables()
    team_stats = team_keys(d, linked=False)
    d.row("DORA keys ($repository, window $window; Prometheus)", repeat="repository")
    stats: list[tuple[dict, str]] = []
    for key in DORA_KEYS:
        width = 4 if key.metric == "lead_time" else 5
        stats.append((d.add(dora_stat(key), w=width, h=6), key.metric))
        if key.metric == "lead_time":
            p90 = stat("Lead time for changes (p90)", [
                prom_target(f'devops_twin_dora_lead_time_seconds{{{SEL}, statistic="p90"}}', "A", "p90", instant=True),
                prom_target(f"devops_twin_dora_lead_time_samples{{{SEL}}}", "B", "commits", instant=True)],
                description="The slowest tenth of changes start here: 90 % of the commits first deployed in the "
                            "window waited less. Not graded by DORA (the colour is the p50 band).",
                unit="s", thresholds=THRESHOLDS_2023["lead_time"], decimals=2,
                overrides=[samples_override("B", "commits")])
            stats.append((d.add(p90, w=5, h=6), "lead_time"))

    # Not repeated: a line per selected repository (A) and per selected team (B, the team's own series).
    d.row("Trends (team $group and its repositories $repository, window $window; Prometheus)")
    trend_note = "Team lines: the team's own numbers (the union of its repositories' events), not a sum or average."
    trends = [
        (timeseries("Deployments per week", [
            prom_target(f"repository_window:devops_twin_dora_deployments:per_week{{{MSEL}}}", "A", "{{repository}}"),
            prom_target(f"7 * devops_twin_group_dora_deployments_per_day{{{MGSEL}}}", "B", "team {{group}}")],
            description=trend_note, thresholds=THRESHOLDS_2023["deployment_frequency"]), "deployment_frequency"),
        (timeseries("Lead time for changes", [
            prom_target(f'devops_twin_dora_lead_time_seconds{{{MSEL}, statistic=~"p50|p90"}}', "A",
                        "{{repository}} {{statistic}}"),
            prom_target(f'devops_twin_group_dora_lead_time_seconds{{{MGSEL}, statistic=~"p50|p90"}}', "B",
                        "team {{group}} {{statistic}}")],
            description=trend_note, unit="s"), "lead_time"),
        (timeseries("Change failure rate", [
            prom_target(f"devops_twin_dora_change_failure_ratio{{{MSEL}}}", "A", "{{repository}}"),
            prom_target(f"devops_twin_group_dora_change_failure_ratio{{{MGSEL}}}", "B", "team {{group}}")],
            description=trend_note, unit="percentunit", thresholds=THRESHOLDS_2023["change_failure_rate"]),
         "change_failure_rate"),
        (timeseries("Time to restore", [
            prom_target(f'devops_twin_dora_time_to_restore_seconds{{{MSEL}, statistic=~"p50|p90"}}', "A",
                        "{{repository}} {{statistic}}"),
            prom_target(f'devops_twin_group_dora_time_to_restore_seconds{{{MGSEL}, statistic=~"p50|p90"}}', "B",
                        "team {{group}} {{statistic}}")],
            description=trend_note, unit="s"), "time_to_restore"),
    ]
    for panel, metric in trends:
        stats.append((d.add(panel, w=6, h=7), metric))

    d.row("Behind the numbers ($repository, dashboard time range; Neo4j graph twin)")
    for title, width, height, description, query in HOME_QUERIES:
        d.add(table(title, [cypher_target(query)], description=description), w=width, h=height)

    ids = panel_ids({"panels": d.panels})
    for panel, metric in stats:
        if panel["type"] == "stat":
            # In the row repeated per repository: one repository, for this dashboard's panel and the explorer's.
            panel["fieldConfig"]["defaults"]["links"] = home_links(metric, ids)
        else:
            # A line per selected repository: every selected one, for this dashboard's panel only (the explorer
            # repeats its panels per repository, so one of its panels shows one repository).
            panel["fieldConfig"]["defaults"]["links"] = home_links(metric, ids, scope=SELECTED_REPOSITORIES)[:1]
    for panel, metric in team_stats:
        panel["fieldConfig"]["defaults"]["links"] = team_links(metric, ids)
    return d.json()


# ------------------------------------------------------------------------------------------- Grafana alerts
ALERT_FORM = re.compile(r"^\((?P<query>.+)\) (?P<op>[<>]) (?P<threshold>[-0-9.e]+)(?P<rest>.*)$", re.S)


def parse_prometheus_alert(rule: dict) -> dict:
    match = ALERT_FORM.match(rule["expr"].strip())
    if not match:
        raise ValueError(f"{rule['alert']}: expr must read `(<query>) <op> <threshold>`, got {rule['expr']!r}")
    return {"query": match["query"], "op": match["op"], "threshold": float(match["threshold"]),
            "absentFires": "absent(" in match["rest"]}


def grafana_alert_rules() -> str:
    source = yaml.safe_load(PROMETHEUS_ALERTS.read_text())
    rules = []
    for rule in source["groups"][0]["rules"]:
        parsed = parse_prometheus_alert(rule)
        uid = "devops-twin-" + re.sub(r"(?<!^)(?=[A-Z])", "-", rule["alert"].removeprefix("DevOpsTwin")).lower()
        threshold = parsed["threshold"]
        annotations = {k: v.replace("{{ $value", "{{ $values.B.Value") for k, v in rule["annotations"].items()}
        rules.append({
            "uid": uid[:40],
            "title": rule["alert"],
            "condition": "C",
            "data": [
                {"refId": "A", "relativeTimeRange": {"from": 600, "to": 0}, "datasourceUid": "prometheus",
                 "model": {"refId": "A", "expr": parsed["query"], "instant": True, "range": False,
                           "datasource": dict(PROM), "intervalMs": 60000, "maxDataPoints": 43200}},
                {"refId": "B", "datasourceUid": "__expr__",
                 "model": {"refId": "B", "type": "reduce", "expression": "A", "reducer": "last",
                           "settings": {"mode": "dropNN"}, "datasource": {"type": "__expr__", "uid": "__expr__"}}},
                {"refId": "C", "datasourceUid": "__expr__",
                 "model": {"refId": "C", "type": "threshold", "expression": "B",
                           "datasource": {"type": "__expr__", "uid": "__expr__"},
                           "conditions": [{"evaluator": {"type": "gt" if parsed["op"] == ">" else "lt",
                                                         "params": [int(threshold) if threshold.is_integer()
                                                                    else threshold]}}]}},
            ],
            "noDataState": "Alerting" if parsed["absentFires"] else "OK",
            "execErrState": "Error",
            "for": rule.get("for", "0s"),
            "isPaused": False,
            "labels": rule.get("labels", {}),
            "annotations": annotations,
        })
    document = {"apiVersion": 1, "groups": [{"orgId": 1, "name": "devops-twin", "folder": "devops-twin",
                                             "interval": "1m", "rules": rules}]}
    header = (
        "# GENERATED by grafana/build.py from prometheus/rules/devops-twin-alerts.yml: do not edit by hand.\n"
        "# Grafana-managed alert rules of devops-twin. Each rule: A = the instant PromQL query, B = its last value,\n"
        "# C = the threshold (the alert condition). To change a threshold, change it in the Prometheus rules file\n"
        "# and run `python3 grafana/build.py` (docs/deployment.md, \"Alert thresholds\").\n"
        "#\n"
        "# Thresholds in force:\n")
    for rule in rules:
        evaluator = rule["data"][2]["model"]["conditions"][0]["evaluator"]
        header += f"#   {rule['title']:<34} {evaluator['type']} {evaluator['params'][0]}  (for {rule['for']})\n"
    return header + yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=120)


def outputs() -> dict[Path, str]:
    files = {DASHBOARDS / f"{name}.json": json.dumps(build(), indent=2, ensure_ascii=False) + "\n"
             for name, build in (("dora-overview", dora_overview), ("sync-health", sync_health),
                                 ("data-quality", data_quality), ("twin-explorer", twin_explorer),
                                 ("home", team_home))}
    files[ALERT_RULES] = grafana_alert_rules()
    return files


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="only compare; exit 1 when a file is out of date")
    args = parser.parse_args()
    stale = []
    for path, text in outputs().items():
        if path.exists() and path.read_text() == text:
            continue
        stale.append(path)
        if not args.check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
    if args.check and stale:
        print("out of date (run python3 grafana/build.py): " + ", ".join(str(p.relative_to(ROOT)) for p in stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
