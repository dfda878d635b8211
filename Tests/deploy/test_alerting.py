"""Grafana-managed alert rules: documented provisioning keys, and the same alerts as the Prometheus rules."""
import re

import pytest

import deploy_support as ds

GRAFANA_RULES = {rule["title"]: rule for rule in ds.grafana_alert_rules()}
PROMETHEUS_ALERTS = {rule["alert"]: rule for _, rule in ds.prometheus_rules() if "alert" in rule}
REQUIRED_ALERTS = {"DevOpsTwinDoraLevelDropped", "DevOpsTwinLeadTimeHigh", "DevOpsTwinChangeFailureRateHigh",
                   "DevOpsTwinNoRecentDeployment", "DevOpsTwinSyncStale", "DevOpsTwinGitHubRateLimitLow",
                   "DevOpsTwinExporterDown", "DevOpsTwinWebhooksSilent"}

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
