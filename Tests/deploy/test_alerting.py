"""Grafana-managed alert rules: documented provisioning keys, and the same alerts as the Prometheus rules. The
Prometheus alerts: a runbook section each, DORA numbers guarded by their sample counts, one alert per thing (never
per pod), stale thresholds in sync intervals."""
import re

import pytest

import deploy_support as ds

GRAFANA_RULES = {rule["title"]: rule for rule in ds.grafana_alert_rules()}
PROMETHEUS_ALERTS = {rule["alert"]: rule for _, rule in ds.prometheus_rules() if "alert" in rule}
REQUIRED_ALERTS = {"DevOpsTwinDoraLevelDropped", "DevOpsTwinLeadTimeHigh", "DevOpsTwinChangeFailureRateHigh",
                   "DevOpsTwinNoRecentDeployment", "DevOpsTwinSyncStale", "DevOpsTwinProjectionStale",
                   "DevOpsTwinNeo4jDown", "DevOpsTwinGitHubRateLimitLow", "DevOpsTwinExporterDown",
                   "DevOpsTwinShardsMissing", "DevOpsTwinShardSurplus", "DevOpsTwinShardTotalsDisagree",
                   "DevOpsTwinShardOrdinalDuplicated",
                   "DevOpsTwinWebhooksSilent", "DevOpsTwinWebhooksRefused",
                   "DevOpsTwinWebhooksUnroutable"}
RUNBOOKS = ds.ROOT / "docs" / "runbooks.md"

# Keys documented for file provisioning of alerting resources (Grafana docs, "Provision alerting resources
# using configuration files", grafana/grafana docs/sources/alerting/set-up/provision-alerting-resources/file-provisioning).
GROUP_KEYS = {"orgId", "name", "folder", "interval", "rules"}
RULE_KEYS = {"uid", "title", "condition", "data", "noDataState", "execErrState", "for", "isPaused", "annotations",
             "labels", "dashboardUid", "panelId", "notification_settings"}
QUERY_KEYS = {"refId", "relativeTimeRange", "datasourceUid", "model", "queryType"}
ALERTING_FILE_KEYS = {"apiVersion", "groups", "deleteRules", "contactPoints", "deleteContactPoints", "policies",
                      "resetPolicies", "muteTimes", "deleteMuteTimes", "templates", "deleteTemplates"}


def test_the_required_alerts_exist_in_both_grafana_and_prometheus():
    assert set(PROMETHEUS_ALERTS) == REQUIRED_ALERTS
    assert set(GRAFANA_RULES) == REQUIRED_ALERTS


@pytest.mark.parametrize("path", sorted((ds.PROVISIONING / "alerting").glob("*.yaml")), ids=lambda p: p.name)
def test_alerting_files_use_only_documented_keys(path):
    document = ds.load_yaml(path)
    assert document["apiVersion"] == 1
    assert set(document) <= ALERTING_FILE_KEYS, set(document) - ALERTING_FILE_KEYS
    for group in document.get("groups", []):
        assert set(group) <= GROUP_KEYS and {"name", "folder", "interval", "rules"} <= set(group)
        for rule in group["rules"]:
            assert set(rule) <= RULE_KEYS, set(rule) - RULE_KEYS
            assert re.fullmatch(r"[A-Za-z0-9_-]{1,40}", rule["uid"]), rule["uid"]
            assert rule["noDataState"] in ("NoData", "Alerting", "OK", "KeepLast")
            assert rule["execErrState"] in ("Error", "Alerting", "OK", "KeepLast")
            assert "for" in rule
            ref_ids = [q["refId"] for q in rule["data"]]
            assert rule["condition"] in ref_ids
            for query in rule["data"]:
                assert set(query) <= QUERY_KEYS
                if query["datasourceUid"] != "__expr__":
                    assert query["datasourceUid"] in ds.PROVISIONED_DATASOURCES
                    assert query["relativeTimeRange"]["from"] > 0, "from: 0 is rejected at load"
                else:
                    assert query["model"]["expression"] in ref_ids
    for contact_point in document.get("contactPoints", []):
        for receiver in contact_point["receivers"]:
            assert re.fullmatch(r"[A-Za-z0-9_-]{1,40}", receiver["uid"]) and receiver["type"]
    receivers = {cp["name"] for cp in document.get("contactPoints", [])}
    for policy in document.get("policies", []):
        assert policy["receiver"] in receivers


def test_the_example_contact_point_is_marked_as_an_example():
    text = (ds.PROVISIONING / "alerting" / "example-contact-point.yaml").read_text()
    assert "EXAMPLE" in text and "example.com" in text


@pytest.mark.parametrize("alert", sorted(REQUIRED_ALERTS))
def test_grafana_rule_has_the_same_query_threshold_and_duration_as_the_prometheus_alert(alert):
    grafana, prometheus = GRAFANA_RULES[alert], PROMETHEUS_ALERTS[alert]
    data = {q["refId"]: q for q in grafana["data"]}
    query = data["A"]["model"]["expr"]
    evaluator = data[grafana["condition"]]["model"]["conditions"][0]["evaluator"]
    op = {"gt": ">", "lt": "<"}[evaluator["type"]]
    threshold = float(evaluator["params"][0])
    match = re.match(r"^\((?P<query>.+)\) (?P<op>[<>]) (?P<threshold>[-0-9.e]+)", prometheus["expr"].strip(), re.S)
    assert match, f"{alert}: Prometheus expr must read `(<query>) <op> <threshold>`"
    assert match["query"] == query
    assert match["op"] == op
    assert float(match["threshold"]) == threshold
    assert grafana["for"] == prometheus["for"]
    assert grafana["labels"] == prometheus["labels"]


def test_exporter_down_alerts_when_there_is_no_data_and_others_do_not():
    for title, rule in GRAFANA_RULES.items():
        expected = "Alerting" if title == "DevOpsTwinExporterDown" else "OK"
        assert rule["noDataState"] == expected, title


def github_anchor(heading: str) -> str:
    """The anchor GitHub gives a Markdown heading: lower case, punctuation but `-` and `_` dropped, spaces to `-`."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_github_anchor_is_computed_as_github_does():
    assert github_anchor("DevOpsTwinSyncStale") == "devopstwinsyncstale"
    assert github_anchor("Changing the minimum sample count") == "changing-the-minimum-sample-count"


@pytest.mark.parametrize("alert", sorted(REQUIRED_ALERTS))
def test_every_alert_links_to_its_runbook_section_which_says_what_it_means_and_what_to_do(alert):
    url = PROMETHEUS_ALERTS[alert]["annotations"]["runbook_url"]
    assert url == f"docs/runbooks.md#{github_anchor(alert)}"
    assert GRAFANA_RULES[alert]["annotations"]["runbook_url"] == url
    sections = re.split(r"^## ", RUNBOOKS.read_text(), flags=re.M)
    section = next((s for s in sections if github_anchor(s.splitlines()[0]) == github_anchor(alert)), None)
    assert section, f"docs/runbooks.md has no section `## {alert}`"
    assert "**Means**" in section and "**Do**" in section, f"{alert}: the section says what it means and what to do"


# The families each DORA key's sample count comes from (docs/metrics.md), and the guard that compares them with
# metric:devops_twin_dora_alert_min_samples:constant.
GUARD = "repository_window_metric:devops_twin_dora_samples:sufficient"
DORA_NUMBER = re.compile(r"(?<![\w:])devops_twin_dora_\w+|repository_window:devops_twin_dora_\w+:\w+")


@pytest.mark.parametrize("alert", sorted(REQUIRED_ALERTS))
def test_every_alert_on_a_dora_number_is_guarded_by_its_sample_count(alert):
    expr = PROMETHEUS_ALERTS[alert]["expr"]
    if DORA_NUMBER.search(expr):
        assert re.search(rf"\band on \([^)]*repository[^)]*\) {re.escape(GUARD)}\b", expr), alert


def test_the_minimum_sample_count_is_set_once_per_dora_key_in_a_recording_rule():
    records = [rule for _, rule in ds.prometheus_rules()
               if rule.get("record") == "metric:devops_twin_dora_alert_min_samples:constant"]
    keys = [rule["labels"]["metric"] for rule in records]
    assert sorted(keys) == ["change_failure_rate", "deployment_frequency", "lead_time", "time_to_restore"]
    assert all(re.fullmatch(r"vector\(\d+\)", rule["expr"]) for rule in records)


# Labels that name a thing an alert may be about; instance and pod name a pod.
THINGS = {"repository", "window", "metric", "credential", "resource", "group", "namespace", "job"}
AGGREGATION = re.compile(r"^\s*\(?\s*(?:max|min|sum|stddev|count) by \((?P<labels>[^)]*)\)")


@pytest.mark.parametrize("alert", sorted(REQUIRED_ALERTS - {"DevOpsTwinExporterDown"}))
def test_every_alert_is_about_a_thing_never_a_pod(alert):
    query = ds_query(PROMETHEUS_ALERTS[alert]["expr"])
    match = AGGREGATION.match(query)
    assert match, f"{alert}: the query must aggregate by the thing it is about, got {query[:80]!r}"
    labels = {label.strip() for label in match["labels"].split(",")}
    assert labels <= THINGS, f"{alert} keeps {labels - THINGS}"


def ds_query(expr: str) -> str:
    match = re.match(r"^\((?P<query>.+)\) (?P<op>[<>]) (?P<threshold>[-0-9.e]+)", expr.strip(), re.S)
    assert match
    return match["query"]


@pytest.mark.parametrize("alert", ["DevOpsTwinSyncStale", "DevOpsTwinProjectionStale"])
def test_stale_thresholds_are_multiples_of_the_exported_sync_interval(alert):
    expr = PROMETHEUS_ALERTS[alert]["expr"]
    assert "/ on (namespace, job, instance) group_left () devops_twin_sync_interval_seconds" in expr
    assert float(re.search(r"\) > ([0-9.]+)$", expr.strip())[1]) < 10, "a multiple, not seconds"


NUMBER_WORDS = {"eight": 8, "ten": 10, "twelve": 12, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
                "eighteen": 18, "twenty": 20}


def test_deployment_md_counts_the_alerts_and_lists_each_once():
    text = (ds.ROOT / "docs" / "deployment.md").read_text()
    count = re.search(r"The same (\w+) alerts exist twice", text)
    assert count and NUMBER_WORDS.get(count[1]) == len(PROMETHEUS_ALERTS), count and count[1]
    rows = re.findall(r"^\| (DevOpsTwin\w+) \|", text, re.M)
    assert sorted(rows) == sorted(PROMETHEUS_ALERTS)
