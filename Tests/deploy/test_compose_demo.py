"""docker-compose.demo.yml, checked without Docker: a project of its own, the same services as docker-compose.yml
(kept in step), nothing to fill in, and a simulator wired to devops-twin. test_demo_stack_rehearsal.py runs it."""
import json
import re
import subprocess

import jsonschema
import pytest

import deploy_support as ds
from compose_rehearsal import volume_parts

BASE = ds.load_yaml(ds.ROOT / "docker-compose.yml")
DEMO = ds.load_yaml(ds.ROOT / "docker-compose.demo.yml")
DEMO_TEXT = (ds.ROOT / "docker-compose.demo.yml").read_text()
CONFIG = ds.ROOT / "deploy" / "demo" / "config.json"

# What the demo may set differently from docker-compose.yml, service by service; everything else must be equal.
DIFFERENCES = {
    "history": {"environment", "volumes", "depends_on"},
    "devops-twin": {"environment", "volumes"},
    "prometheus-backfill": set(),
    "neo4j": {"environment"},
    "prometheus": set(),
    "grafana": {"environment"},
}


def test_the_demo_file_is_valid_against_the_compose_specification_schema():
    schema = json.loads((ds.SCHEMAS / "compose-spec.json").read_text())
    errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(DEMO), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{'/'.join(map(str, e.path))}: {e.message}" for e in errors)


def test_the_demo_is_a_project_of_its_own_so_its_volumes_never_mix_with_a_real_stack():
    assert DEMO["name"] != BASE["name"]
    assert set(DEMO["volumes"]) == set(BASE["volumes"])


def test_the_default_stack_is_untouched_no_service_has_a_profile():
    assert all("profiles" not in service for service in [*BASE["services"].values(), *DEMO["services"].values()])
    assert "NEO4J_PASSWORD:?" in (ds.ROOT / "docker-compose.yml").read_text(), "the real stack still asks for .env"


def test_the_demo_has_every_service_of_the_stack_plus_the_simulator():
    assert set(DEMO["services"]) == set(BASE["services"]) | {"simulator"}


@pytest.mark.parametrize("name", sorted(DIFFERENCES))
def test_a_shared_service_equals_the_real_stacks_but_for_its_configuration(name):
    base, demo = BASE["services"][name], DEMO["services"][name]
    for key in set(base) | set(demo):
        if key not in DIFFERENCES[name]:
            assert base.get(key) == demo.get(key), f"{name}.{key} differs from docker-compose.yml"
    if name in ("history", "devops-twin"):
        base_targets = {volume_parts(v)[1] for v in base["volumes"]}
        assert base_targets == {volume_parts(v)[1] for v in demo["volumes"]}, "the same mounts"
    if "environment" in DIFFERENCES[name]:
        assert set(base["environment"]) <= set(demo["environment"]), f"{name}: an environment variable is missing"


def test_nothing_is_left_to_fill_in_no_token_and_ports_on_loopback_only():
    assert "${" not in DEMO_TEXT.replace("$${", ""), "compose would read .env"
    assert DEMO["services"]["devops-twin"]["environment"]["GITHUB_TOKEN"] == ""
    for name, service in DEMO["services"].items():
        for port in service.get("ports", []):
            assert port.startswith("127.0.0.1:"), f"{name} publishes {port} beyond loopback"
    sources = [volume_parts(v)[0] for s in DEMO["services"].values() for v in s.get("volumes", [])]
    tracked = subprocess.run(["git", "ls-files", "--error-unmatch", *[s for s in sources if s.startswith("./")]],
                             cwd=ds.ROOT, capture_output=True, text=True)
    assert tracked.returncode == 0, f"a bind mount source is not tracked: {tracked.stderr}"


def test_one_neo4j_password_for_neo4j_devops_twin_and_grafana():
    services = DEMO["services"]
    password = services["neo4j"]["environment"]["NEO4J_AUTH"].split("/", 1)[1]
    assert len(password) >= 8, "Neo4j refuses shorter passwords"
    assert services["devops-twin"]["environment"]["NEO4J_PASSWORD"] == password
    assert services["history"]["environment"]["NEO4J_PASSWORD"] == password
    assert services["grafana"]["environment"]["NEO4J_PASSWORD"] == password
    assert services["grafana"]["environment"]["GF_AUTH_ANONYMOUS_ORG_ROLE"] == "Viewer"


def simulator_flags() -> dict[str, list[str]]:
    flags: dict[str, list[str]] = {}
    for argument in DEMO["services"]["simulator"]["command"][1:]:
        key, _, value = argument.partition("=")
        flags.setdefault(key, []).append(value)
    return flags


def test_the_simulator_serves_the_configured_repositories_and_delivers_signed_webhooks_to_the_receiver():
    simulator, twin = DEMO["services"]["simulator"], DEMO["services"]["devops-twin"]
    assert simulator["image"] == twin["image"] and simulator["command"][0] == "simulator"
    flags = simulator_flags()
    config = json.loads(CONFIG.read_text())
    assert flags["--repository"] == [r["name"] for r in config["repositories"]]
    assert flags["--public-url"] == [config["github"]["apiUrl"]] == ["http://simulator:8787"]
    assert flags["--listen"] == ["0.0.0.0:8787"]
    receiver_port = config["webhooks"]["listenAddress"].rsplit(":", 1)[1]
    assert flags["--webhook-url"] == [f"http://devops-twin:{receiver_port}/webhooks/github"]
    assert float(flags["--live-interval"][0]) > 0
    secret = simulator["environment"]["DEVOPS_TWIN_WEBHOOK_SECRET"]
    assert secret and twin["environment"]["DEVOPS_TWIN_WEBHOOK_SECRET"] == secret
    assert DEMO["services"]["history"]["depends_on"]["simulator"]["condition"] == "service_healthy"
    assert re.search(r"http://127\.0\.0\.1:8787/", " ".join(simulator["healthcheck"]["test"]))


def test_the_binary_accepts_the_demo_config_with_the_demo_environment(tmp_path):
    service = DEMO["services"]["devops-twin"]
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), **{k: str(v) for k, v in service["environment"].items()}}
    result = subprocess.run([ds.devops_twin_binary(), "check-config", "--config", str(CONFIG)], capture_output=True,
                            text=True, env=env, timeout=60, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    effective = json.loads(result.stdout)
    assert effective["github"]["apiUrl"] == "http://simulator:8787"
    assert effective["neo4j"]["url"] == "http://neo4j:7474"
    assert effective["webhooks"]["listenAddress"] == "0.0.0.0:9867"
    assert effective["exporter"]["listenAddress"] == "0.0.0.0:9866"
    assert service["environment"]["DEVOPS_TWIN_WEBHOOK_SECRET"] not in result.stdout + result.stderr
    assert [g["name"] for g in effective["groups"]] == ["storefront", "money"]
