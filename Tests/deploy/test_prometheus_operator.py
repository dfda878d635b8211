"""deploy/kubernetes/components/prometheus-operator: the PodMonitor and PrometheusRule against the Prometheus Operator's
CRD schemas (their openAPIV3Schema, vendored in schemas/prometheus-operator/ with provenance), checked as the API
server does with `kubectl apply --validate=strict`: types and enums by the OpenAPI 3.0 validator (PyPI
openapi-schema-validator), and no field the schema does not declare. And the PrometheusRule is generated from
prometheus/rules/*.yml, never a copy kept by hand."""
from __future__ import annotations

import copy
import json
import subprocess
import sys

import pytest
from openapi_schema_validator import OAS30Validator

import deploy_support as ds

COMPONENT = ds.ROOT / "deploy" / "kubernetes" / "components" / "prometheus-operator"
SCHEMAS = ds.SCHEMAS / "prometheus-operator"


def crd_schema(kind: str) -> dict:
    vendored = json.loads((SCHEMAS / f"{kind.lower()}.json").read_text())
    assert vendored["kind"] == kind and vendored["group"] == "monitoring.coreos.com" and vendored["version"] == "v1"
    return vendored["openAPIV3Schema"]


def unknown_fields(document, schema: dict, path: str = "") -> list[str]:
    """Fields the structural schema does not declare (the API server prunes them, `--validate=strict` refuses)."""
    found = []
    if isinstance(document, dict) and "properties" in schema and not schema.get("x-kubernetes-preserve-unknown-fields"):
        for key, value in document.items():
            if key not in schema["properties"]:
                found.append(f"{path}.{key}")
            else:
                found += unknown_fields(value, schema["properties"][key], f"{path}.{key}")
    elif isinstance(document, list) and "items" in schema:
        for index, item in enumerate(document):
            found += unknown_fields(item, schema["items"], f"{path}[{index}]")
    return found


def problems(document: dict) -> list[str]:
    schema = crd_schema(document["kind"])
    errors = [f"{'.'.join(map(str, e.absolute_path))}: {e.message}"
              for e in OAS30Validator(schema).iter_errors(document)]
    if document.get("apiVersion") != "monitoring.coreos.com/v1":
        errors.append(f"apiVersion {document.get('apiVersion')}")
    return errors + [f"unknown field {field}" for field in unknown_fields(document, schema)]


def component_documents() -> dict[str, dict]:
    kustomization = ds.load_yaml(COMPONENT / "kustomization.yaml")
    assert kustomization["kind"] == "Component"
    return {name: ds.load_yaml(COMPONENT / name) for name in kustomization["resources"]}


def test_the_component_holds_a_podmonitor_and_a_prometheusrule():
    kinds = sorted(d["kind"] for d in component_documents().values())
    assert kinds == ["PodMonitor", "PrometheusRule"]


@pytest.mark.parametrize("name", sorted(component_documents()))
def test_each_resource_is_valid_against_its_crd_schema(name):
    assert problems(component_documents()[name]) == []


@pytest.mark.parametrize("kind,change,expected", [
    ("PodMonitor", lambda d: d["spec"]["podMetricsEndpoints"][0].update(port=9866), "9866 is not of type 'string'"),
    ("PodMonitor", lambda d: d["spec"]["podMetricsEndpoints"][0].update(scrapeInterval="30s"), "unknown field"),
    ("PodMonitor", lambda d: d["spec"]["podMetricsEndpoints"][0]["relabelings"][0].update(action="rename"),
     "'rename' is not one of"),
    ("PrometheusRule", lambda d: d["spec"]["groups"][0]["rules"][0].update(expr=None), "expr: None is not valid"),
    ("PrometheusRule", lambda d: d["spec"]["groups"][0].update(name=""), "name: '' should be non-empty"),
    ("PrometheusRule", lambda d: d["spec"].update(rules=[]), "unknown field .spec.rules"),
])
def test_the_check_refuses_what_the_api_server_refuses(kind, change, expected):
    document = copy.deepcopy(next(d for d in component_documents().values() if d["kind"] == kind))
    change(document)
    assert any(expected in problem for problem in problems(document)), problems(document)


def test_the_podmonitor_scrapes_each_shard_as_job_devops_twin_named_by_its_pod():
    monitor = next(d for d in component_documents().values() if d["kind"] == "PodMonitor")
    statefulset = ds.load_yaml(ds.ROOT / "deploy" / "kubernetes" / "statefulset.yaml")
    labels = statefulset["spec"]["template"]["metadata"]["labels"]
    assert monitor["spec"]["selector"]["matchLabels"].items() <= labels.items()
    (endpoint,) = monitor["spec"]["podMetricsEndpoints"]
    ports = {p["name"] for p in statefulset["spec"]["template"]["spec"]["containers"][0]["ports"]}
    assert endpoint["port"] == "metrics" and endpoint["port"] in ports
    by_target = {r["targetLabel"]: r for r in endpoint["relabelings"]}
    assert by_target["job"]["replacement"] == "devops-twin", "the alerts select job devops-twin"
    assert by_target["instance"]["sourceLabels"] == ["__meta_kubernetes_pod_name"]


def test_the_prometheusrule_is_generated_from_the_rule_files():
    result = subprocess.run([sys.executable, str(ds.ROOT / "scripts" / "build_prometheusrule.py"), "--check"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    rule = next(d for d in component_documents().values() if d["kind"] == "PrometheusRule")
    assert rule["spec"]["groups"] == [group for path in ds.RULE_FILES for group in ds.load_yaml(path)["groups"]]
    assert (COMPONENT / "prometheusrule.yaml").read_text().startswith("# GENERATED by scripts/build_prometheusrule.py")
