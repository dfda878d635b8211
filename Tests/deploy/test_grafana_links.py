"""Every link between the dashboards lands on a dashboard where the value it carries is valid (grafana_links):
the check rejects the links as they were before issue 19 and accepts the dashboards built today."""
import json

import deploy_support as ds
import grafana_links

BEFORE = ds.FIXTURES / "links-before"


def by_uid(dashboards) -> dict[str, dict]:
    return {d["uid"]: d for d in dashboards}


def test_the_check_finds_the_links_it_judges():
    today = by_uid(ds.dashboards().values())
    found = grafana_links.links(today)
    assert any(l.where == "dashboard links" for l in found), "the dashboard links (includeVars)"
    assert sum(l.where != "dashboard links" for l in found) >= 8, "the data links of the DORA numbers"
    assert any(l.target_uid == "devops-twin-explorer" and l.where != "dashboard links" for l in found)


def test_the_links_before_issue_19_are_rejected():
    before = by_uid(json.loads(p.read_text()) for p in sorted(BEFORE.glob("*.json")))
    problems = grafana_links.findings(before)
    for expected in (
            "devops-twin-home (dashboard links) -> devops-twin-dora: var-repository: All ($__all), the target has "
            "no All",
            "devops-twin-home (dashboard links) -> devops-twin-explorer: var-repository: several values, the target "
            "takes one",
            "devops-twin-home (Change failure rate) -> devops-twin-explorer: var-repository: All ($__all), the "
            "target has no All",
            "devops-twin-sync (dashboard links) -> devops-twin-explorer: var-repository: several values, the target "
            "takes one"):
        assert expected in problems, "\n".join(problems)


def test_todays_links_land_on_valid_values():
    assert grafana_links.findings(by_uid(ds.dashboards().values())) == []


def test_each_encoding_and_target_rule():
    def dashboard(uid, variable, links=(), panels=()):
        return {"uid": uid, "tags": ["t"], "links": list(links), "panels": list(panels),
                "templating": {"list": [variable]}}

    multi = {"name": "repository", "definition": "q", "multi": True, "includeAll": True}
    single = {"name": "repository", "definition": "q", "multi": False, "includeAll": False}
    custom_all = {"name": "repository", "definition": "q", "multi": False, "includeAll": True, "allValue": ".*"}

    def panel_link(url, repeat=None):
        row = {"type": "row", "title": "r", **({"repeat": repeat} if repeat else {})}
        return [row, {"type": "stat", "title": "p", "fieldConfig": {"defaults": {"links": [{"url": url}]}}}]

    text = "/d/b/x?var-repository=${repository:percentencode}"
    state = "/d/b/x?${repository:queryparam}"
    cases = [
        (multi, single, text, None, {"several values are sent as one text value {a,b}",
                                     "All is sent as the list of values in one text value"}),
        (multi, multi, text, "repository", set()),                 # one value in a repeated row
        (multi, single, state, None, {"several values, the target takes one", "All ($__all), the target has no All"}),
        (multi, multi, state, None, set()),
        (custom_all, custom_all, text, None, set()),              # `.*` is read back as the target's All
        (custom_all, {**custom_all, "allValue": None}, text, None,
         {"All is sent as '.*', which the target does not read as its All"}),
        (single, {**single, "definition": "other $group"}, text, None,
         {"the target's values ('other $group') need not include the source's ('q')"}),
    ]
    for source, target, url, repeat, expected in cases:
        dashboards = {"a": dashboard("a", source, panels=panel_link(url, repeat)), "b": dashboard("b", target)}
        got = {p.split(": var-repository: ", 1)[1] for p in grafana_links.findings(dashboards)}
        assert got == expected, (source, target, url, repeat)
