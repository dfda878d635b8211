"""promtool: the Prometheus configuration, the rules, and the rules' unit tests."""
import re
import subprocess

import pytest

import deploy_support as ds


def promtool(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([ds.require_tool("promtool"), *args], capture_output=True, text=True, timeout=120,
                          cwd=cwd)


def test_promtool_accepts_the_configuration_with_its_rule_files(tmp_path):
    # prometheus.yml names the rules by their container path; point a copy at the repository's files so
    # `check config` also loads and checks every rule file it would find.
    config = ds.load_yaml(ds.PROMETHEUS / "prometheus.yml")
    assert config["rule_files"] == ["/etc/prometheus/rules/*.yml"]
    assert any(t == "devops-twin:9866" for job in config["scrape_configs"] if job["job_name"] == "devops-twin"
               for sc in job["static_configs"] for t in sc["targets"])
    copy = tmp_path / "prometheus.yml"
    copy.write_text((ds.PROMETHEUS / "prometheus.yml").read_text().replace(
        "/etc/prometheus/rules/*.yml", str(ds.PROMETHEUS / "rules") + "/*.yml"))
    result = promtool("check", "config", str(copy))
    assert result.returncode == 0, result.stdout + result.stderr
    for rule_file in ds.RULE_FILES:
        assert rule_file.name in result.stdout, f"{rule_file.name} was not loaded by check config"


def test_promtool_accepts_every_rule_file():
    assert ds.RULE_FILES, "no rule files in prometheus/rules"
    result = promtool("check", "rules", *map(str, ds.RULE_FILES))
    assert result.returncode == 0, result.stdout + result.stderr


def test_promtool_rule_unit_tests_pass():
    assert ds.RULE_TEST_FILES, "no unit tests in prometheus/tests"
    result = promtool("test", "rules", *map(str, ds.RULE_TEST_FILES), cwd=ds.PROMETHEUS / "tests")
    assert result.returncode == 0, result.stdout + result.stderr


def unit_test_cases() -> list[dict]:
    return [case for path in ds.RULE_TEST_FILES for case in ds.load_yaml(path)["tests"]]


@pytest.mark.parametrize("alert", [rule["alert"] for _, rule in ds.prometheus_rules() if "alert" in rule])
def test_every_alert_has_unit_tests_where_it_fires_and_where_it_stays_silent(alert):
    fires = silent = False
    for case in unit_test_cases():
        series = [s["series"] for s in case.get("input_series", [])]
        for check in case.get("alert_rule_test", []):
            if check["alertname"] != alert:
                continue
            expected = check.get("exp_alerts") or []
            if expected:
                fires = True
                # Silent for someone else in the same evaluation: an input series whose labels fire nothing.
                firing = [a["exp_labels"] for a in expected]
                if len(series) > len(firing):
                    silent = True
            else:
                silent = True
    assert fires, f"no promtool test in which {alert} fires"
    assert silent, f"no promtool test in which {alert} stays silent"


@pytest.mark.parametrize("record", [rule["record"] for _, rule in ds.prometheus_rules() if "record" in rule])
def test_every_recording_rule_has_a_unit_test(record):
    tested = {check["expr"] for case in unit_test_cases() for check in case.get("promql_expr_test", [])}
    assert record in tested


def seconds(duration: str) -> float:
    units = {"d": 86400, "h": 3600, "m": 60, "s": 1}
    return sum(float(n) * units[u] for n, u in re.findall(r"([0-9.]+)([dhms])", duration))


# The alerts issue 23 added or rewrote: a promtool case must show each of them firing for something and, later in
# the same case, resolved for it (an alert that never resolves is noise).
FIRE_AND_RESOLVE = ["DevOpsTwinDoraLevelDropped", "DevOpsTwinSyncStale", "DevOpsTwinProjectionStale",
                    "DevOpsTwinNeo4jDown", "DevOpsTwinShardsMissing", "DevOpsTwinShardSurplus",
                    "DevOpsTwinShardTotalsDisagree", "DevOpsTwinShardOrdinalDuplicated", "DevOpsTwinWebhooksRefused",
                    "DevOpsTwinWebhooksUnroutable"]


@pytest.mark.parametrize("alert", FIRE_AND_RESOLVE)
def test_each_new_alert_has_a_case_where_it_fires_and_then_resolves(alert):
    for case in unit_test_cases():
        checks = sorted(
            (seconds(c["eval_time"]), {frozenset(a["exp_labels"].items()) for a in c.get("exp_alerts") or []})
            for c in case.get("alert_rule_test", []) if c["alertname"] == alert)
        for index, (_, firing) in enumerate(checks):
            if any(labels not in later for labels in firing for _, later in checks[index + 1:]):
                return
    pytest.fail(f"no promtool case in which {alert} fires and later resolves")
