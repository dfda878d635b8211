"""What the compose smoke test (scripts/smoke-compose) asks Grafana and Neo4j, and how it judges their answers.

Grafana's `/api/ds/query` runs a query on the server side, but it does not fill in dashboard variables: the browser
does that before it sends a panel's query. So this module does what the browser does. It resolves each dashboard's
variables in order, through the same API (a Prometheus `label_values(selector, label)` as an instant query of the
selector, a Neo4j variable by running its Cypher). It formats their values as Grafana's template service does for
the target datasource: a multi-value or All selection becomes `(a|b)` for Prometheus, `{a,b}` by default elsewhere,
`'a','b'` with `:singlequote`; a custom All value is used raw. Then it fills in every panel target and judges the
answer.

The graph-against-store comparison is graph_counts.py.

Standard library plus deploy_support only. Tests/deploy/test_grafana_smoke.py tests it against every dashboard,
with response shapes from Grafana's and Neo4j's documentation and source (Tests/deploy/fixtures/*.md).
"""
from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass, field
from typing import Callable

import deploy_support as ds

DATASOURCE_TYPES = {ds.PROMETHEUS_UID: "prometheus", ds.NEO4J_UID: "kniepdennis-neo4j-datasource"}
MAX_DATA_POINTS = 1000
ALL = "$__all"

# Panels whose queries may answer without data in the demo stack, with the reason. Everything else must have data.
#   devops_twin_history_covered_from_*  served only while a repository's history is still being deepened; the
#                                       demo's history is complete after the first sync (docs/metrics.md "Coverage")
MAY_BE_EMPTY_PREFIXES = ("devops_twin_history_covered_from_",)
# (dashboard uid, part of the panel title, why): panels that list something only while a condition holds.
MAY_BE_EMPTY_PANELS = (
    ("devops-twin-sync", "Webhooks silent", "lists repositories only while the store grows without deliveries"),
)


class SmokeFailure(AssertionError):
    """A problem the smoke test reports: what was asked, and what came back."""


@dataclass(frozen=True)
class TimeRange:
    from_ms: int
    to_ms: int

    @classmethod
    def relative(cls, start: str, end: str, now_ms: int) -> "TimeRange":
        """Grafana's `now-30d` / `now` forms (the dashboards' default ranges)."""
        return cls(now_ms - duration_ms(start.removeprefix("now").lstrip("-")), now_ms - duration_ms(
            end.removeprefix("now").lstrip("-")))

    @property
    def span_ms(self) -> int:
        return self.to_ms - self.from_ms


UNITS_MS = {"ms": 1, "s": 1_000, "m": 60_000, "h": 3_600_000, "d": 86_400_000, "w": 604_800_000, "y": 31_536_000_000}


def duration_ms(text: str) -> int:
    if not text:
        return 0
    match = re.fullmatch(r"(\d+)(ms|s|m|h|d|w|y)", text)
    if not match:
        raise ValueError(f"not a Grafana relative time: {text!r}")
    return int(match[1]) * UNITS_MS[match[2]]


def prometheus_duration(ms: int) -> str:
    seconds = max(1, ms // 1000)
    for unit, size in (("d", 86_400), ("h", 3_600), ("m", 60)):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


# Grafana's "nice" intervals (rangeutil.roundInterval in @grafana/data): below each bound (ms), the interval used.
NICE_INTERVALS = ((15, 10), (35, 20), (75, 50), (150, 100), (350, 200), (750, 500), (1_500, 1_000), (3_500, 2_000),
                  (7_500, 5_000), (12_500, 10_000), (17_500, 15_000), (25_000, 20_000), (45_000, 30_000),
                  (90_000, 60_000), (210_000, 120_000), (450_000, 300_000), (750_000, 600_000),
                  (1_050_000, 900_000), (1_500_000, 1_200_000), (2_700_000, 1_800_000), (5_400_000, 3_600_000),
                  (9_000_000, 7_200_000), (16_200_000, 10_800_000), (32_400_000, 21_600_000),
                  (86_400_000, 43_200_000), (604_800_000, 86_400_000), (1_814_400_000, 604_800_000),
                  (3_628_800_000, 2_592_000_000))


def round_interval(ms: int) -> int:
    return next((nice for bound, nice in NICE_INTERVALS if ms < bound), 31_536_000_000)


def builtin_variables(time_range: TimeRange, scrape_interval_ms: int = 30_000) -> dict[str, str]:
    """Grafana's global variables for a panel over `time_range`: the interval as Grafana computes it (the range over
    maxDataPoints, rounded to a nice interval, never under the datasource's scrape interval), and
    `$__rate_interval` as max(interval + scrape, 4 × scrape) (Grafana docs, "Prometheus template variables")."""
    interval = max(scrape_interval_ms, round_interval(time_range.span_ms // MAX_DATA_POINTS))
    return {"__from": str(time_range.from_ms), "__to": str(time_range.to_ms),
            "__interval": prometheus_duration(interval), "__interval_ms": str(interval),
            "__rate_interval": prometheus_duration(max(interval + scrape_interval_ms, 4 * scrape_interval_ms)),
            "__range": prometheus_duration(time_range.span_ms), "__range_s": str(time_range.span_ms // 1000),
            "__range_ms": str(time_range.span_ms)}


# ------------------------------------------------------------------------------------------------- variables
@dataclass
class Selection:
    """A variable's selected values; `all` when the selection is All."""
    values: list[str]
    all: bool = False
    all_value: str | None = None
    multi: bool = False


def regex_escape(value: str) -> str:
    """Grafana's Prometheus escaping of a multi-value item (`prometheusSpecialRegexEscape`)."""
    return re.sub(r"([\\^$*+?.()|{}\[\]])", r"\\\1", value)


def format_selection(selection: Selection, fmt: str | None, datasource: str) -> str:
    if selection.all and selection.all_value is not None:
        return selection.all_value  # a custom All value is used as it is, whatever the format
    values = selection.values
    several = selection.multi or selection.all
    if fmt == "singlequote":
        return ",".join("'" + v.replace("'", "\\'") + "'" for v in values)
    if fmt == "doublequote":
        return ",".join('"' + v.replace('"', '\\"') + '"' for v in values)
    if fmt in ("csv", "text") or (fmt is None and not several):
        return ",".join(values) if several else values[0]
    if fmt == "pipe":
        return "|".join(values)
    if fmt == "regex" or datasource == ds.PROMETHEUS_UID:
        escaped = [regex_escape(v) for v in values]
        return escaped[0] if len(escaped) == 1 and not several else "(" + "|".join(escaped) + ")"
    return "{" + ",".join(values) + "}" if len(values) > 1 else values[0]  # Grafana's default (glob) format


def interpolate(text: str, selections: dict[str, Selection], builtins: dict[str, str], datasource: str) -> str:
    """Replaces $name, ${name}, ${name:format} and [[name]] as Grafana's template service does."""
    def replace(match: re.Match) -> str:
        name = match.group(1) or match.group(3) or match.group(4)
        fmt = match.group(2)
        if name in builtins:
            return builtins[name]
        if name not in selections:
            raise SmokeFailure(f"no value for Grafana variable ${name} in {text!r}")
        return format_selection(selections[name], fmt, datasource)
    return re.sub(r"\$\{(\w+)(?::(\w+))?\}|\[\[(\w+)\]\]|\$(\w+)", replace, text)


@dataclass(frozen=True)
class Resolver:
    """How variable values are found: `label_values(selector, label)` and a Neo4j variable's Cypher."""
    label_values: Callable[[str, str], list[str]]
    cypher_values: Callable[[str], list[str]]


def variable_query(variable: dict) -> str:
    query = variable.get("query")
    if isinstance(query, dict):
        return query.get("query") or query.get("cypherQuery") or ""
    return query or ""


def resolve_variables(dashboard: dict, resolver: Resolver, time_range: TimeRange,
                      preferred: dict[str, str] | None = None) -> dict[str, Selection]:
    """Each variable in order (a later query may use an earlier variable), as a dashboard opened with its defaults
    selects it: the saved selection when it is All or still offered; else All when the variable has it (the first
    option); else `preferred` when offered, else the first value in the variable's sort order."""
    preferred = preferred or {}
    builtins = builtin_variables(time_range)
    selections: dict[str, Selection] = {}
    for variable in dashboard.get("templating", {}).get("list", []):
        name, uid = variable["name"], (variable.get("datasource") or {}).get("uid")
        if variable.get("type") != "query":
            raise SmokeFailure(f"{dashboard['uid']}: variable {name} of type {variable.get('type')} is not supported")
        query = interpolate(variable_query(variable), selections, builtins, uid)
        if uid == ds.PROMETHEUS_UID:
            match = ds.LABEL_VALUES.match(query)
            if not match:
                raise SmokeFailure(f"{dashboard['uid']}: variable {name}: not label_values(...): {query!r}")
            values = resolver.label_values(match["selector"] or "up", match["label"])
        else:
            values = resolver.cypher_values(query)
        values = sorted(set(values), reverse=variable.get("sort") == 2)
        if not values:
            raise SmokeFailure(f"{dashboard['uid']}: variable {name} has no values ({query})")
        current = (variable.get("current") or {}).get("value")
        saved = current if isinstance(current, list) else [current] if current else []
        selection = Selection(values=values, multi=bool(variable.get("multi")), all_value=variable.get("allValue"))
        if ALL in saved and variable.get("includeAll"):
            selection.all = True
        elif saved and set(saved) <= set(values):
            selection.values = saved
        elif variable.get("includeAll"):
            selection.all = True  # Grafana falls back to the first option, and All comes first
        else:
            selection.values = [preferred[name] if preferred.get(name) in values else values[0]]
        selections[name] = selection
    return selections


# ------------------------------------------------------------------------------------------------- panels
@dataclass(frozen=True)
class PanelQuery:
    dashboard: str
    panel_id: int
    title: str
    ref_id: str
    datasource: str
    query: dict = field(hash=False)
    expects_data: bool = True
    scope: str = ""  # the repeated copy, e.g. "group=money"

    @property
    def panel(self) -> str:
        return f"{self.dashboard} panel {self.panel_id} ({self.title}){' [' + self.scope + ']' if self.scope else ''}"

    @property
    def origin(self) -> str:
        return f"{self.panel} {self.ref_id}"

    def body(self, time_range: TimeRange) -> dict:
        """The /api/ds/query request (Grafana HTTP API, "Query a data source")."""
        return {"queries": [self.query], "from": str(time_range.from_ms), "to": str(time_range.to_ms)}


def repeated_panels(dashboard: dict) -> list[tuple[dict, str | None]]:
    """Every panel with the variable it repeats over: its own `repeat`, or its row's (a row with `repeat` clones
    the panels below it, up to the next row, or holds them inside when collapsed)."""
    found: list[tuple[dict, str | None]] = []
    row_repeat = None
    for panel in dashboard.get("panels", []):
        if panel.get("type") == "row":
            row_repeat = panel.get("repeat")
            found.extend((inner, inner.get("repeat") or row_repeat) for inner in panel.get("panels", []))
            continue
        found.append((panel, panel.get("repeat") or row_repeat))
    return [(panel, repeat) for panel, repeat in found if panel.get("type") not in ("row", "text")]


def may_be_empty(dashboard_uid: str, title: str, expression: str) -> bool:
    names = ds.METRIC_NAME.findall(expression) + ds.RECORDED_NAME.findall(expression)
    return (any(name.startswith(MAY_BE_EMPTY_PREFIXES) for name in names)
            or any(uid == dashboard_uid and part in title for uid, part, _ in MAY_BE_EMPTY_PANELS))


def panel_queries(dashboard: dict, selections: dict[str, Selection], time_range: TimeRange) -> list[PanelQuery]:
    """Every target of every panel as /api/ds/query takes it, variables filled in. A repeated panel is asked once
    per value of its repeat variable, with that variable bound to the one value (Grafana's scoped variables)."""
    builtins = builtin_variables(time_range)
    interval_ms = int(builtins["__interval_ms"])
    queries = []
    for panel, repeat in repeated_panels(dashboard):
        if repeat:
            bound = [(f"{repeat}={value}", {**selections, repeat: Selection([value])})
                     for value in selections[repeat].values]
        else:
            bound = [("", selections)]
        for scope, scoped in bound:
            for target in panel.get("targets", []):
                if not target.get("hide"):
                    query = target_query(dashboard, panel, target, scoped, builtins, interval_ms)
                    queries.append(dataclasses.replace(query, scope=scope))
    return queries


def target_query(dashboard: dict, panel: dict, target: dict, selections: dict[str, Selection],
                 builtins: dict[str, str], interval_ms: int) -> PanelQuery:
    uid = (target.get("datasource") or panel.get("datasource") or {}).get("uid")
    base = {"refId": target["refId"], "datasource": {"type": DATASOURCE_TYPES.get(uid), "uid": uid},
            "intervalMs": interval_ms, "maxDataPoints": MAX_DATA_POINTS}
    title = panel.get("title", "")
    if uid == ds.PROMETHEUS_UID:
        query = {**base, "expr": interpolate(target["expr"], selections, builtins, uid),
                 "instant": bool(target.get("instant")), "range": bool(target.get("range", not target.get("instant"))),
                 "format": target.get("format", "time_series"), "legendFormat": target.get("legendFormat", "")}
        wanted = not may_be_empty(dashboard["uid"], title, target["expr"])
    elif uid == ds.NEO4J_UID:
        query = {**base, "cypherQuery": interpolate(target["cypherQuery"], selections, builtins, uid),
                 "Format": target.get("Format", "table")}
        wanted = not may_be_empty(dashboard["uid"], title, "")
    else:
        raise SmokeFailure(f"{dashboard['uid']} panel {panel['id']}: unknown datasource {uid}")
    return PanelQuery(dashboard["uid"], panel["id"], interpolate(title, selections, builtins, ""), target["refId"],
                      uid, query, wanted)


# ------------------------------------------------------------------------------------------------- answers
def frame_rows(frame: dict) -> int:
    values = (frame.get("data") or {}).get("values") or []
    return max((len(column) for column in values), default=0)


def parse_json(status: int, body: bytes, what: str) -> dict:
    try:
        return json.loads(body)
    except ValueError:
        raise SmokeFailure(f"{what}: HTTP {status}, not JSON: {body[:300]!r}") from None


def query_result(query: PanelQuery, status: int, body: bytes) -> tuple[list[str], int]:
    """(errors, rows) of one /api/ds/query answer. Grafana answers 200, or 400 when a query failed, with the error in
    results[refId] (grafana-plugin-sdk-go backend/json.go: `error`, `errorSource`, `status`, `frames`)."""
    try:
        answer = parse_json(status, body, query.origin)
    except SmokeFailure as failure:
        return [str(failure)], 0
    result = (answer.get("results") or {}).get(query.ref_id)
    if result is None:
        return [f"{query.origin}: HTTP {status}, no result for {query.ref_id}: {str(answer)[:300]}"], 0
    if result.get("error") or status != 200 or result.get("status", 200) >= 400:
        return [f"{query.origin}: HTTP {status}: {result.get('error') or answer.get('message') or result}"], 0
    return [], sum(frame_rows(frame) for frame in result.get("frames") or [])


def panels_without_data(rows: list[tuple[PanelQuery, int]]) -> list[str]:
    """The panels (each repeated copy on its own) where no target returned a row although one expects data. A
    statistic that is absent by contract (no samples) leaves its panel with the samples target's frame."""
    panels: dict[str, list] = {}
    for query, count in rows:
        seen = panels.setdefault(query.panel, [0, False])
        seen[0] += count
        seen[1] = seen[1] or query.expects_data
    return [f"{panel}: no data (no target returned a row)"
            for panel, (count, expected) in panels.items() if expected and count == 0]


def as_instant(query: PanelQuery) -> PanelQuery:
    return dataclasses.replace(query, query={**query.query, "instant": True, "range": False})


def judge(answers: list[tuple[PanelQuery, int, bytes]],
          ask: Callable[[PanelQuery], tuple[int, bytes]] | None = None) -> tuple[list[str], list[str]]:
    """(problems, notes) of a dashboard's answers: each query's error, and each panel without data where the demo
    has data. Grafana aligns a range query's end down to a multiple of its step (30 minutes over 30 days), so a
    series younger than one step has no point yet: a Prometheus range query without points is asked again as an
    instant query (`ask`), and when that has data the panel counts as having data, with a note."""
    problems, notes, rows = [], [], []
    for query, status, body in answers:
        errors, count = query_result(query, status, body)
        if not errors and count == 0 and ask is not None and query.query.get("range"):
            errors, count = query_result(query, *ask(as_instant(query)))
            if not errors and count:
                notes.append(f"{query.origin}: no point yet over the range, data at the instant (younger than a step)")
        problems.extend(errors)
        rows.append((query, count if not errors else -1))
    return problems + panels_without_data([(q, c) for q, c in rows if c >= 0]), notes


def served_dashboard(status: int, body: bytes, uid: str) -> dict:
    """The dashboard of a `GET /api/dashboards/uid/:uid` answer ({"dashboard", "meta"}), which must be the
    provisioned one."""
    answer = parse_json(status, body, f"dashboard {uid}")
    if status != 200 or "dashboard" not in answer:
        raise SmokeFailure(f"dashboard {uid}: HTTP {status}: {answer.get('message') or answer}")
    if not (answer.get("meta") or {}).get("provisioned"):
        raise SmokeFailure(f"dashboard {uid} is not the provisioned one: {answer.get('meta')}")
    return answer["dashboard"]


def labels_of_frames(answer: dict, ref_id: str, label: str) -> list[str]:
    """A label's values in a Prometheus answer: each series is a frame whose value field carries the labels
    (Grafana pkg/promlib/converter)."""
    result = (answer.get("results") or {}).get(ref_id) or {}
    if result.get("error"):
        raise SmokeFailure(f"label_values({label}): {result['error']}")
    found = set()
    for frame in result.get("frames") or []:
        for fld in frame.get("schema", {}).get("fields", []):
            value = (fld.get("labels") or {}).get(label)
            if value is not None and frame_rows(frame):
                found.add(value)
    return sorted(found)


def first_column(answer: dict, ref_id: str) -> list[str]:
    """The first column of a Neo4j datasource answer (one frame named "response", a field per returned column)."""
    result = (answer.get("results") or {}).get(ref_id) or {}
    if result.get("error"):
        raise SmokeFailure(f"variable query: {result['error']}")
    frames = result.get("frames") or []
    values = ((frames[0].get("data") or {}).get("values") or [[]]) if frames else [[]]
    return [str(v) for v in values[0] if v is not None]
