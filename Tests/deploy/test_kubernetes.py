"""deploy/kubernetes: the manifests against the Kubernetes schemas (PyPI kubernetes-validate, strict), how they fit
together through the kustomization, and the generated config.json accepted by the real binary with the
StatefulSet's environment and mounted secret files.

No cluster runs here, and neither kubectl nor kustomize is installed: nothing is applied or rendered. The
kustomization is checked by reading it: every resource it lists, its configMapGenerator's file, its `images:`
entry, and its `replacements` (the shard total) resolved by hand on the StatefulSet. The scrape job
(prometheus-scrape.yml) uses Kubernetes service discovery, which Debian's Prometheus is built without, so it is
checked by structure, not by promtool. The restricted Pod Security Standard: test_kubernetes_security.py; the
Prometheus Operator component: test_prometheus_operator.py.
"""
from __future__ import annotations

import json
import re
import subprocess

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

import deploy_support as ds

K8S = ds.ROOT / "deploy" / "kubernetes"
KUSTOMIZATION = ds.load_yaml(K8S / "kustomization.yaml")
MANIFESTS = sorted(K8S / name for name in KUSTOMIZATION["resources"])
EXAMPLES = sorted(K8S.glob("examples/*.yaml"))
SECRETS_DIR = "/run/secrets/devops-twin"


def documents() -> dict[str, dict]:
    return {f"{d['kind']}/{d['metadata']['name']}": d for p in MANIFESTS for d in [ds.load_yaml(p)]}


def statefulset() -> dict:
    return documents()["StatefulSet/devops-twin"]


def container() -> dict:
    return statefulset()["spec"]["template"]["spec"]["containers"][0]


def config_json() -> dict:
    return json.loads((K8S / "config.json").read_text())


def test_every_manifest_and_example_is_valid_against_the_kubernetes_schemas():
    files = [*MANIFESTS, *EXAMPLES]
    result = subprocess.run(["kubernetes-validate", "--strict", "--kubernetes-version", "1.30", *map(str, files)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("passed") == len(files), result.stdout


def test_the_validator_rejects_what_kubernetes_rejects(tmp_path):
    broken = ds.load_yaml(K8S / "statefulset.yaml")
    broken["spec"]["replicas"] = "four"
    path = tmp_path / "broken.yaml"
    path.write_text(json.dumps(broken))
    result = subprocess.run(["kubernetes-validate", "--strict", str(path)], capture_output=True, text=True, timeout=300)
    assert result.returncode != 0


def test_the_kustomization_lists_every_manifest_and_generates_the_config():
    listed = set(KUSTOMIZATION["resources"])
    assert listed == {p.name for p in K8S.glob("*.yaml") if p.name != "kustomization.yaml"}
    generator = KUSTOMIZATION["configMapGenerator"]
    assert [g["name"] for g in generator] == ["devops-twin-config"]
    assert generator[0]["files"] == ["config.json"] and (K8S / "config.json").exists()
    volumes = {v["name"]: v for v in statefulset()["spec"]["template"]["spec"]["volumes"]}
    assert volumes["config"]["configMap"]["name"] == "devops-twin-config", "kustomize appends the hash here"
    assert "ConfigMap/devops-twin-config" not in documents(), "generated, not a plain manifest"


def test_the_image_is_set_by_the_kustomization():
    image = container()["image"]
    assert [i["name"] for i in KUSTOMIZATION["images"]] == [image]
    assert ":" not in image, "the tag comes from images:, not the manifest"


def resolve(document: dict, field_path: str) -> list:
    """A kustomize fieldPath (`a.b.[name=x].c`) on a document: the parent and key of the field it names."""
    node, parts = document, field_path.split(".")
    for part in parts[:-1]:
        match = re.fullmatch(r"\[(\w+)=(.+)\]", part)
        node = next(item for item in node if item.get(match[1]) == match[2]) if match else node[part]
    return [node, parts[-1]]


def test_the_shard_total_is_written_once_and_copied_to_replicas_and_the_environment():
    (replacement,) = KUSTOMIZATION["replacements"]
    source = replacement["source"]
    shards = documents()[f"{source['kind']}/{source['name']}"]
    assert shards["metadata"]["annotations"]["config.kubernetes.io/local-config"] == "true", "never applied"
    total = resolve(shards, source["fieldPath"])
    total = total[0][total[1]]
    assert re.fullmatch(r"[1-9][0-9]*", total)
    (target,) = replacement["targets"]
    assert target["select"] == {"kind": "StatefulSet", "name": "devops-twin"}
    paths = set(target["fieldPaths"])
    assert paths == {"spec.replicas",
                     "spec.template.spec.containers.[name=devops-twin].env.[name=DEVOPS_TWIN_TOTAL_SHARDS].value"}
    for path in paths:
        parent, key = resolve(statefulset(), path)
        assert key in parent, f"{path} must exist: kustomize replaces only the value and keeps its type"
        assert str(parent[key]) == total, f"{path} reads {parent[key]!r}, shards.yaml {total!r}"
    env = {e["name"]: e for e in container()["env"]}
    assert isinstance(env["DEVOPS_TWIN_TOTAL_SHARDS"]["value"], str)
    assert isinstance(statefulset()["spec"]["replicas"], int)
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
    assert pod["seccompProfile"] == {"type": "RuntimeDefault"}
    assert f"--uid {pod['runAsUser']}" in (ds.ROOT / "Dockerfile").read_text(), "the image's user is the pod's user"


def test_shards_spread_over_zones_and_nodes_and_a_broken_shard_never_blocks_a_drain():
    labels = statefulset()["spec"]["template"]["metadata"]["labels"]
    spread = statefulset()["spec"]["template"]["spec"]["topologySpreadConstraints"]
    assert {c["topologyKey"] for c in spread} == {"topology.kubernetes.io/zone", "kubernetes.io/hostname"}
    assert all(c["labelSelector"]["matchLabels"].items() <= labels.items() for c in spread)
    pdb = documents()["PodDisruptionBudget/devops-twin"]["spec"]
    assert pdb["selector"]["matchLabels"].items() <= labels.items() and pdb["maxUnavailable"] == 1
    assert pdb["unhealthyPodEvictionPolicy"] == "AlwaysAllow"


def test_the_services_reach_the_metrics_and_webhook_ports_and_the_ingress_only_the_webhooks():
    docs = documents()
    labels = statefulset()["spec"]["template"]["metadata"]["labels"]
    ports = {p["name"]: p["containerPort"] for p in container()["ports"]}
    assert ports == {"metrics": 9866, "webhooks": int(config_json()["webhooks"]["listenAddress"].rsplit(":", 1)[1])}
    headless = docs["Service/devops-twin-headless"]["spec"]
    # The governing Service gives the pods the DNS names shards forward webhook deliveries to
    # (http://devops-twin-N.devops-twin-headless:9867/webhooks/github, the default webhooks.peerUrlTemplate).
    assert statefulset()["spec"]["serviceName"] == "devops-twin-headless"
    assert headless["clusterIP"] == "None" and headless["selector"].items() <= labels.items()
    assert {p["name"]: p["targetPort"] for p in headless["ports"]} == {"metrics": "metrics", "webhooks": "webhooks"}
    webhooks = docs["Service/devops-twin-webhooks"]["spec"]
    assert webhooks["selector"].items() <= labels.items()
    assert [p["targetPort"] for p in webhooks["ports"]] == ["webhooks"], "never /metrics behind it"
    ingress = ds.load_yaml(K8S / "examples" / "ingress.yaml")
    paths = [p for rule in ingress["spec"]["rules"] for p in rule["http"]["paths"]]
    assert [(p["path"], p["pathType"]) for p in paths] == [("/webhooks/github", "Exact")]
    assert all(p["backend"]["service"] == {"name": "devops-twin-webhooks", "port": {"name": "webhooks"}} for p in paths)


def test_the_network_policy_admits_only_prometheus_to_metrics_and_webhooks_to_their_port():
    policy = documents()["NetworkPolicy/devops-twin"]["spec"]
    labels = statefulset()["spec"]["template"]["metadata"]["labels"]
    assert policy["podSelector"]["matchLabels"].items() <= labels.items() and policy["policyTypes"] == ["Ingress"]
    by_port = {rule["ports"][0]["port"]: rule["from"] for rule in policy["ingress"]}
    assert set(by_port) == {"metrics", "webhooks"}
    assert all("namespaceSelector" in peer for peer in by_port["metrics"])
    assert {"podSelector": {"matchLabels": labels}} in by_port["webhooks"], "shards forward to each other"


def test_the_scrape_job_names_each_target_by_its_pod():
    annotations = statefulset()["spec"]["template"]["metadata"]["annotations"]
    assert annotations["prometheus.io/scrape"] == "true" and annotations["prometheus.io/port"] == "9866"
    job = ds.load_yaml(K8S / "prometheus-scrape.yml")["scrape_configs"][0]
    assert job["job_name"] == "devops-twin", "the alerts select job devops-twin"
    assert job["kubernetes_sd_configs"] == [{"role": "pod"}]
    keeps = [r for r in job["relabel_configs"] if r.get("action") == "keep"]
    assert any(r["source_labels"] == ["__meta_kubernetes_pod_annotation_prometheus_io_scrape"] for r in keeps)
    by_target = {r.get("target_label"): r for r in job["relabel_configs"]}
    assert by_target["instance"]["source_labels"] == ["__meta_kubernetes_pod_name"], "not the pod IP"
    assert by_target["pod"]["source_labels"] == ["__meta_kubernetes_pod_name"]


def test_the_secret_is_referenced_not_shipped_and_mounted_as_the_files_config_json_names():
    assert not any(d["kind"] == "Secret" for d in documents().values()), "apply -k must never overwrite it"
    volumes = {v["name"]: v for v in statefulset()["spec"]["template"]["spec"]["volumes"]}
    mounts = {m["name"]: m for m in container()["volumeMounts"]}
    assert volumes["secrets"]["secret"]["secretName"] == "devops-twin-secrets"
    assert mounts["secrets"]["mountPath"] == SECRETS_DIR and mounts["secrets"]["readOnly"] is True
    assert "envFrom" not in container(), "secrets as files, not environment variables"
    files = re.findall(rf'"({SECRETS_DIR}/[^"]+)"', (K8S / "config.json").read_text())
    keys = {path.rsplit("/", 1)[1] for path in files}
    assert keys == {"github-app.pem", "neo4j-password", "webhook-secret"}
    assert config_json()["github"]["app"]["privateKeyFile"] == f"{SECRETS_DIR}/github-app.pem"
    # Where the operator is told how to create it: every key, in the kustomization and in docs/scaling.md.
    for text in ((K8S / "kustomization.yaml").read_text(), (ds.ROOT / "docs" / "scaling.md").read_text()):
        assert "kubectl create secret generic devops-twin-secrets" in text
        assert all(f"{key}=" in text for key in keys)


@pytest.fixture
def secret_files(tmp_path):
    """The Secret's keys as the pod would see them: a real RSA key in PEM, and two placeholders."""
    folder = tmp_path / "secrets"
    folder.mkdir()
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    (folder / "github-app.pem").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()))
    (folder / "neo4j-password").write_text("placeholder-password")
    (folder / "webhook-secret").write_text("placeholder-webhook-secret")
    return folder


def test_the_binary_accepts_the_config_with_the_pod_environment_and_secret_files(tmp_path, secret_files):
    binary = ds.devops_twin_binary()
    config = tmp_path / "config.json"
    config.write_text((K8S / "config.json").read_text().replace(SECRETS_DIR, str(secret_files)))
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "POD_NAME": "devops-twin-3"}
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
    assert "placeholder" not in result.stdout + result.stderr and "PRIVATE KEY" not in result.stdout + result.stderr
