"""deploy/kubernetes: the manifests against the Kubernetes schemas (PyPI kubernetes-validate, strict), how they fit
together, and the ConfigMap's config.json accepted by the real binary with the StatefulSet's environment.

No cluster runs here: nothing is applied. The scrape job (prometheus-scrape.yml) uses Kubernetes service
discovery, which Debian's Prometheus is built without, so it is checked by structure, not by promtool.
"""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

import deploy_support as ds

K8S = ds.ROOT / "deploy" / "kubernetes"
MANIFESTS = sorted(p for p in K8S.glob("*.yaml") if p.name != "kustomization.yaml")


def documents() -> dict[str, dict]:
    return {f"{d['kind']}/{d['metadata']['name']}": d for p in MANIFESTS for d in [ds.load_yaml(p)]}


def statefulset() -> dict:
    return documents()["StatefulSet/devops-twin"]


def container() -> dict:
    return statefulset()["spec"]["template"]["spec"]["containers"][0]


def test_every_manifest_is_valid_against_the_kubernetes_schemas():
    result = subprocess.run(["kubernetes-validate", "--strict", "--kubernetes-version", "1.30", *map(str, MANIFESTS)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("passed") == len(MANIFESTS), result.stdout


def test_the_validator_rejects_what_kubernetes_rejects(tmp_path):
    broken = ds.load_yaml(K8S / "statefulset.yaml")
    broken["spec"]["replicas"] = "four"
    path = tmp_path / "broken.yaml"
    path.write_text(json.dumps(broken))
    result = subprocess.run(["kubernetes-validate", "--strict", str(path)], capture_output=True, text=True, timeout=300)
    assert result.returncode != 0


def test_kustomization_lists_every_manifest():
    listed = set(ds.load_yaml(K8S / "kustomization.yaml")["resources"])
    assert listed == {p.name for p in MANIFESTS}


def test_replicas_and_total_shards_agree_and_the_ordinal_comes_from_the_pod_name():
    env = {e["name"]: e for e in container()["env"]}
    assert int(env["DEVOPS_TWIN_TOTAL_SHARDS"]["value"]) == statefulset()["spec"]["replicas"]
    assert env["POD_NAME"]["valueFrom"]["fieldRef"]["fieldPath"] == "metadata.name"
    assert statefulset()["spec"]["podManagementPolicy"] == "Parallel"


def test_each_shard_has_its_own_store_probes_resources_and_runs_unprivileged():
    spec = statefulset()["spec"]
    claim = spec["volumeClaimTemplates"][0]
    mounts = {m["name"]: m["mountPath"] for m in container()["volumeMounts"]}
    assert mounts[claim["metadata"]["name"]] == "/var/lib/devops-twin"
    env = {e["name"]: e.get("value") for e in container()["env"]}
    assert env["DEVOPS_TWIN_STORE_PATH"].startswith("/var/lib/devops-twin/")
    assert container()["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert container()["readinessProbe"]["httpGet"]["path"] == "/readyz"
    resources = container()["resources"]
    assert resources["requests"]["cpu"] and resources["requests"]["memory"] and resources["limits"]["memory"]
    pod = spec["template"]["spec"]["securityContext"]
    assert pod["runAsNonRoot"] is True and pod["runAsUser"] != 0
    assert f"--uid {pod['runAsUser']}" in (ds.ROOT / "Dockerfile").read_text(), "the image's user is the pod's user"


def test_service_pdb_and_annotations_select_the_shards():
    docs = documents()
    labels = statefulset()["spec"]["template"]["metadata"]["labels"]
    assert docs["Service/devops-twin"]["spec"]["selector"].items() <= labels.items()
    assert docs["Service/devops-twin"]["spec"]["clusterIP"] == "None", "headless: one target per shard"
    assert docs["PodDisruptionBudget/devops-twin"]["spec"]["selector"]["matchLabels"].items() <= labels.items()
    assert docs["PodDisruptionBudget/devops-twin"]["spec"]["maxUnavailable"] == 1
    annotations = statefulset()["spec"]["template"]["metadata"]["annotations"]
    assert annotations["prometheus.io/scrape"] == "true" and annotations["prometheus.io/port"] == "9866"
    job = ds.load_yaml(K8S / "prometheus-scrape.yml")["scrape_configs"][0]
    assert job["kubernetes_sd_configs"] == [{"role": "pod"}]
    keeps = [r for r in job["relabel_configs"] if r.get("action") == "keep"]
    assert any(r["source_labels"] == ["__meta_kubernetes_pod_annotation_prometheus_io_scrape"] for r in keeps)
    assert any(r.get("target_label") == "pod" for r in job["relabel_configs"]), "shards stay apart"


def test_the_secret_holds_placeholders_only():
    secret = documents()["Secret/devops-twin-secrets"]
    assert set(secret["stringData"]) == {"GITHUB_TOKEN", "NEO4J_PASSWORD"}
    assert all(value == "replace-me" for value in secret["stringData"].values())


def test_the_binary_accepts_the_configmap_with_the_pod_environment(tmp_path):
    binary = ds.devops_twin_binary()
    config = tmp_path / "config.json"
    config.write_text(documents()["ConfigMap/devops-twin-config"]["data"]["config.json"])
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "POD_NAME": "devops-twin-3", "GITHUB_TOKEN": "placeholder-token",
           "NEO4J_PASSWORD": "placeholder-password"}
    for item in container()["env"]:
        if "value" in item:
            env[item["name"]] = item["value"]
    env["DEVOPS_TWIN_STORE_PATH"] = str(tmp_path / "store.sqlite")
    result = subprocess.run([binary, "check-config", "--config", str(config)], capture_output=True, text=True, env=env,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert "shard=3 totalShards=4" in result.stderr, "the ordinal of the pod name picks the shard: " + result.stderr
    effective = json.loads(result.stdout)
    assert effective["exporter"]["listenAddress"] == "0.0.0.0:9866"
