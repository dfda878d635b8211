"""Does every Grafana link that carries a variable land on a dashboard where that value is valid?

A link carries a variable in one of two ways:
  state  `${repository:queryparam}` in a data link, or a dashboard link with `includeVars`: Grafana writes the
         variable's URL state, `var-repository=a&var-repository=b`, and `var-repository=$__all` for All.
  text   `var-repository=${repository:percentencode}` (any other format, or none): Grafana writes the variable's
         text. One value is itself; several values, and All without an `allValue`, become one string `{a,b}`; All with
         an `allValue` is that value (`.*`).
What the source can send depends on where the link is: inside a row (or panel) repeated over the variable it is one
value; elsewhere one value, All when the variable has `includeAll`, several when it is `multi`.

The target reads the URL (Grafana's scenes, `MultiValueVariableUrlSyncHandler`): `$__all` is All when the target
has `includeAll`; a value equal to the target's `allValue` is All; any other value is kept as selected, valid or not
(`MultiValueVariable.ts`), so `{a,b}` or `$__all` on a single-value variable reaches the queries as it is and a
Cypher `'$repository'` matches nothing. Hence the rules, for each carried variable the target defines:
  several  the target is `multi` and the encoding is state;
  All      the target has `includeAll`, and the encoding is state, or text of an `allValue` the target shares;
  one      the target lists the value: its definition is the source's, or it depends on no variable the link leaves
           at a value other than All (then it lists every value of the label, the source's among them).
A variable the target does not define is ignored by Grafana, and by this check.
"""
from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass

STATE = re.compile(r"^\$\{(\w+):queryparam\}$")
TEXT = re.compile(r"^var-(\w+)=\$(?:\{(\w+)(?::[\w]+)?\}|(\w+))$")
VARIABLE_REFERENCE = re.compile(r"\$(?:\{(\w+)(?::\w+)?\}|(\w+))")


@dataclass(frozen=True)
class Carried:
    name: str          # the target's variable
    source: str        # the source's variable whose value it takes
    encoding: str      # "state" or "text"


@dataclass(frozen=True)
class Link:
    source_uid: str
    where: str                 # the dashboard's links, or a panel's title
    target_uid: str
    carried: tuple[Carried, ...]
    repeated: frozenset[str]   # variables that are one value where the link is (repeated rows or panels)


def variables(dashboard: dict) -> dict[str, dict]:
    return {v["name"]: v for v in dashboard.get("templating", {}).get("list", [])}


def panels_with_repeats(dashboard: dict):
    """(panel, the variables it is repeated over): a row's repeat applies to the panels up to the next row."""
    row_repeat = None
    for panel in dashboard.get("panels", []):
        if panel.get("type") == "row":
            row_repeat = panel.get("repeat")
            for inner in panel.get("panels", []):  # a collapsed row keeps its panels inside
                yield inner, frozenset(r for r in (row_repeat, inner.get("repeat")) if r)
            continue
        yield panel, frozenset(r for r in (row_repeat, panel.get("repeat")) if r)


def parse_url(url: str, known: set[str]) -> tuple[str | None, tuple[Carried, ...]]:
    """The target uid of a `/d/<uid>/...` URL and the variables its query carries."""
    parts = urllib.parse.urlsplit(url)
    match = re.match(r"^/d/([\w-]+)", parts.path)
    carried = []
    for item in parts.query.split("&"):
        if state := STATE.match(item):
            carried.append(Carried(state[1], state[1], "state"))
        elif text := TEXT.match(item):
            carried.append(Carried(text[1], text[2] or text[3], "text"))
    return (match[1] if match else None), tuple(c for c in carried if c.source in known)


def links(dashboards: dict[str, dict]) -> list[Link]:
    """Every link between the dashboards (keyed by uid) that carries a variable."""
    found = []
    for uid, dashboard in dashboards.items():
        known = set(variables(dashboard))
        for link in dashboard.get("links", []):
            if link.get("type") == "dashboards" and link.get("includeVars"):
                tags = set(link.get("tags", []))
                for target_uid, target in dashboards.items():
                    if target_uid != uid and tags <= set(target.get("tags", [])):
                        carried = tuple(Carried(name, name, "state") for name in known)
                        found.append(Link(uid, "dashboard links", target_uid, carried, frozenset()))
            elif link.get("url"):
                target_uid, carried = parse_url(link["url"], known)
                if target_uid:
                    found.append(Link(uid, "dashboard links", target_uid, carried, frozenset()))
        for panel, repeated in panels_with_repeats(dashboard):
            for link in (panel.get("fieldConfig") or {}).get("defaults", {}).get("links", []):
                target_uid, carried = parse_url(link.get("url", ""), known)
                if target_uid and carried:
                    found.append(Link(uid, panel.get("title", ""), target_uid, carried, repeated))
    return found


def lists_value(source: dict, target: dict, link: Link, target_variables: dict[str, dict]) -> bool:
    """Whether the target variable lists any value of the source variable."""
    if source.get("definition") == target.get("definition"):
        return True
    carried = {c.name for c in link.carried}
    for groups in VARIABLE_REFERENCE.findall(target.get("definition", "")):
        name = groups[0] or groups[1]
        if name.startswith("__"):
            continue
        dependency = target_variables.get(name, {})
        at_all = dependency.get("includeAll") and (dependency.get("current") or {}).get("value") in ("$__all",
                                                                                                   ["$__all"])
        if name in carried or not at_all:
            return False
    return True


def findings(dashboards: dict[str, dict]) -> list[str]:
    """One line per carried value the target cannot take; empty when every link lands on a valid value."""
    problems = []
    for link in links(dashboards):
        source_variables = variables(dashboards[link.source_uid])
        target = dashboards.get(link.target_uid)
        if target is None:
            problems.append(f"{link.source_uid} ({link.where}) links to a dashboard that does not exist: "
                            f"{link.target_uid}")
            continue
        target_variables = variables(target)
        for carried in link.carried:
            source, wanted = source_variables[carried.source], target_variables.get(carried.name)
            if wanted is None:
                continue
            one_value = carried.source in link.repeated
            sends = {"one"} | (set() if one_value else
                               ({"All"} if source.get("includeAll") else set()) |
                               ({"several values"} if source.get("multi") else set()))
            where = f"{link.source_uid} ({link.where}) -> {link.target_uid}: var-{carried.name}"
            if "several values" in sends:
                if carried.encoding == "text":
                    problems.append(f"{where}: several values are sent as one text value {{a,b}}")
                elif not wanted.get("multi"):
                    problems.append(f"{where}: several values, the target takes one")
            if "All" in sends:
                if carried.encoding == "state":
                    if not wanted.get("includeAll"):
                        problems.append(f"{where}: All ($__all), the target has no All")
                elif not source.get("allValue"):
                    problems.append(f"{where}: All is sent as the list of values in one text value")
                elif not (wanted.get("includeAll") and wanted.get("allValue") == source["allValue"]):
                    problems.append(f"{where}: All is sent as {source['allValue']!r}, which the target does not "
                                    "read as its All")
            if not lists_value(source, wanted, link, target_variables):
                problems.append(f"{where}: the target's values ({wanted.get('definition')!r}) need not include "
                                f"the source's ({source.get('definition')!r})")
    return problems
