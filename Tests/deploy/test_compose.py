"""docker-compose.yml, the Dockerfile, .env.example and the Grafana provisioning YAML, checked without Docker."""
import json
import re
import subprocess

import jsonschema
import pytest

import deploy_support as ds

COMPOSE = ds.load_yaml(ds.ROOT / "docker-compose.yml")
SERVICES = COMPOSE["services"]
DOCKERFILE = (ds.ROOT / "Dockerfile").read_text()
ONE_SHOTS = {"history", "prometheus-backfill"}


def volume_parts(volume) -> tuple[str, str, dict]:
    """(source, target, long-syntax options) of a compose volume in short or long syntax."""
    if isinstance(volume, dict):
        return volume["source"], volume["target"], volume
    source, target, *_ = volume.split(":")
    return source, target, {}


def mounts(service: str) -> dict[str, str]:
    """Target -> source of a service's volumes."""
    return {target: source for source, target, _ in map(volume_parts, SERVICES[service].get("volumes", []))}


def tracked_files() -> set[str]:
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ds.ROOT, capture_output=True, check=True).stdout
    return {name for name in listed.decode().split("\0") if name}


def untracked_sources(sources: list[str], tracked: set[str]) -> list[str]:
    """The sources (files or folders, relative to the repository) that git does not track (a folder must hold
    at least one tracked file)."""
    missing = []
    for source in sources:
        path = source.removeprefix("./").rstrip("/")
        if path in tracked or any(name.startswith(path + "/") for name in tracked):
            continue
        missing.append(source)
    return missing


def test_compose_file_is_valid_against_the_compose_specification_schema():
    schema = json.loads((ds.SCHEMAS / "compose-spec.json").read_text())
    jsonschema.Draft7Validator.check_schema(schema)
    errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(COMPOSE), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{'/'.join(map(str, e.path))}: {e.message}" for e in errors)


def test_the_schema_rejects_what_compose_rejects():
    schema = json.loads((ds.SCHEMAS / "compose-spec.json").read_text())
    broken = {"services": {"a": {"image": "x", "depends_on": {"b": {"condition": "service_ready"}}}}}
    assert list(jsonschema.Draft7Validator(schema).iter_errors(broken))


def test_the_stack_has_the_four_services_and_the_two_history_one_shots():
    assert set(SERVICES) == {"devops-twin", "neo4j", "prometheus", "grafana"} | ONE_SHOTS
    assert SERVICES["devops-twin"]["build"] == "."
    assert SERVICES["history"]["image"] == SERVICES["devops-twin"]["image"]


def test_every_long_running_service_has_a_healthcheck_and_health_conditions_refer_to_one():
    for name, service in SERVICES.items():
        if name in ONE_SHOTS:
            assert service["restart"] == "no" and service["healthcheck"] == {"disable": True}, name
        else:
            assert service.get("healthcheck", {}).get("test"), f"{name} has no healthcheck"
        for dependency, condition in (service.get("depends_on") or {}).items():
            assert dependency in SERVICES
            if condition["condition"] == "service_healthy":
                assert SERVICES[dependency].get("healthcheck", {}).get("test"), f"{name} waits for {dependency}'s health"
            if condition["condition"] == "service_completed_successfully":
                assert dependency in ONE_SHOTS, f"{name} waits for {dependency} to exit, but it is long-running"
    assert SERVICES["devops-twin"]["depends_on"]["neo4j"]["condition"] == "service_healthy"
    assert SERVICES["grafana"]["depends_on"]["prometheus"]["condition"] == "service_healthy"
    assert SERVICES["grafana"]["depends_on"]["neo4j"]["condition"] == "service_healthy"


def test_neo4j_is_a_5_26_lts_or_newer_image_with_the_query_api_and_auth_from_the_environment():
    neo4j = SERVICES["neo4j"]
    major, minor = map(int, re.match(r"neo4j:(\d+)\.(\d+)", neo4j["image"]).groups())
    assert (major, minor) >= (5, 26)
    assert "QUERY_API_ENDPOINTS" in neo4j["environment"]["NEO4J_server_http__enabled__modules"]
    assert neo4j["environment"]["NEO4J_AUTH"].startswith("neo4j/${NEO4J_PASSWORD")
    assert any(v.endswith(":/data") for v in neo4j["volumes"])


def test_grafana_installs_the_neo4j_plugin_and_mounts_provisioning_and_dashboards():
    grafana = SERVICES["grafana"]
    env = grafana["environment"]
    assert env["GF_INSTALL_PLUGINS"].split()[0] == "kniepdennis-neo4j-datasource"
    assert env["GF_SECURITY_ADMIN_PASSWORD"].startswith("${GRAFANA_ADMIN_PASSWORD")
    assert "NEO4J_PASSWORD" in env, "the datasource provisioning reads $NEO4J_PASSWORD"
    grafana_mounts = mounts("grafana")
    assert grafana_mounts["/etc/grafana/provisioning"] == "./grafana/provisioning"
    provider = ds.load_yaml(ds.PROVISIONING / "dashboards" / "dashboards.yaml")["providers"][0]
    assert grafana_mounts[provider["options"]["path"]] == "./grafana/dashboards"
    home = env["GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH"]
    assert (ds.DASHBOARD_DIR / home.rsplit("/", 1)[1]).exists()


def test_prometheus_mounts_its_config_and_rules_and_scrapes_the_service():
    prometheus_mounts = mounts("prometheus")
    assert prometheus_mounts["/etc/prometheus/prometheus.yml"] == "./prometheus/prometheus.yml"
    assert prometheus_mounts["/etc/prometheus/rules"] == "./prometheus/rules"
    assert "devops-twin:9866" in (ds.PROMETHEUS / "prometheus.yml").read_text()


def test_every_bind_mount_source_is_tracked_by_git_except_the_users_config():
    tracked = tracked_files()
    for name, service in SERVICES.items():
        for volume in service.get("volumes", []):
            source, _, options = volume_parts(volume)
            if source.startswith("."):
                if source == "./config.json":
                    assert "config.example.json" in tracked, "config.json is copied from config.example.json"
                    continue
                assert not untracked_sources([source], tracked), f"{name}: {source} is not tracked by git"
            else:
                assert source in COMPOSE["volumes"], f"{name}: named volume {source} is not declared"


def test_a_missing_config_json_stops_compose_instead_of_becoming_a_folder():
    for name in ("devops-twin", "history"):
        config = [volume_parts(v)[2] for v in SERVICES[name]["volumes"] if volume_parts(v)[0] == "./config.json"]
        assert config, f"{name} does not mount ./config.json"
        assert config[0]["type"] == "bind" and config[0]["bind"]["create_host_path"] is False, name
        assert config[0]["read_only"] is True


def test_the_tracked_file_check_finds_what_a_clone_would_miss():
    tracked = {"Package.swift", "Sources/Dora/DoraEngine.swift", "grafana/provisioning/datasources/datasources.yaml"}
    assert untracked_sources(["Package.swift", "Sources", "./grafana/provisioning"], tracked) == []
    # The Dockerfile once copied Package.resolved, which .gitignore keeps out of every clone.
    assert untracked_sources(["Package.swift", "Package.resolved"], tracked) == ["Package.resolved"]
    assert untracked_sources(["./prometheus/rules"], tracked) == ["./prometheus/rules"]


def test_the_history_one_shots_run_in_order_before_prometheus_and_the_daemon():
    assert SERVICES["prometheus-backfill"]["depends_on"] == {"history": {"condition": "service_completed_successfully"}}
    assert SERVICES["prometheus"]["depends_on"]["prometheus-backfill"]["condition"] == "service_completed_successfully"
    assert SERVICES["devops-twin"]["depends_on"]["history"]["condition"] == "service_completed_successfully"
    assert SERVICES["prometheus-backfill"]["image"] == SERVICES["prometheus"]["image"], "promtool of the same release"
    assert mounts("prometheus-backfill")["/prometheus"] == mounts("prometheus")["/prometheus"]


def test_secrets_come_from_the_environment_and_env_example_has_placeholders_only():
    twin = SERVICES["devops-twin"]["environment"]
    assert twin["GITHUB_TOKEN"].startswith("${GITHUB_TOKEN")
    assert twin["NEO4J_PASSWORD"].startswith("${NEO4J_PASSWORD")
    assert twin["DEVOPS_TWIN_LISTEN_ADDRESS"] == "0.0.0.0:9866"
    example = dict(line.split("=", 1) for line in (ds.ROOT / ".env.example").read_text().splitlines()
                   if line and not line.startswith("#"))
    referenced = set(re.findall(r"\$\{(\w+)", (ds.ROOT / "docker-compose.yml").read_text()))
    assert referenced <= set(example), f"variables not in .env.example: {referenced - set(example)}"
    assert example["GITHUB_TOKEN"] == ""
    for key, value in example.items():
        assert not re.match(r"(ghp_|github_pat_|gho_|ghs_)", value), f"{key} looks like a real token"
        if "PASSWORD" in key:
            assert value.startswith("change-me"), f"{key} must be a placeholder"


# ----------------------------------------------------------------------------------------------- Dockerfile
def dockerfile_instructions() -> list[tuple[str, str]]:
    text = re.sub(r"\\\n", " ", DOCKERFILE)
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1] if " " in line.strip() else "")
            for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def test_every_copy_and_add_source_of_the_dockerfile_is_tracked_by_git_and_not_dockerignored():
    ignored = {line.strip() for line in (ds.ROOT / ".dockerignore").read_text().splitlines()
               if line.strip() and not line.startswith("#")}
    copies = [args for op, args in dockerfile_instructions() if op in ("COPY", "ADD") and "--from=" not in args]
    assert copies
    tracked = tracked_files()
    for args in copies:
        *sources, _ = [word for word in args.split() if not word.startswith("--")]
        assert not untracked_sources(sources, tracked), f"COPY {args}: not tracked by git, so not in a clone"
        for source in sources:
            assert source.rstrip("/") not in ignored, f"COPY {source}: excluded by .dockerignore"


def test_every_target_path_of_the_package_is_in_the_build_context():
    manifest = (ds.ROOT / "Package.swift").read_text()
    copied = {s.rstrip("/") for op, args in dockerfile_instructions() if op == "COPY" and "--from=" not in args
              for s in args.split()[:-1]}
    for path in re.findall(r'path:\s*"([^"]+)"', manifest):
        assert path.split("/")[0] in copied, f"Package.swift target path {path} is not copied into the build"
    assert {"Sources", "Tests"} <= copied


def test_dockerfile_builds_statically_and_runs_as_non_root_with_volumes_and_a_healthcheck():
    instructions = dockerfile_instructions()
    froms = [args for op, args in instructions if op == "FROM"]
    assert len(froms) == 2, "multi-stage: build and runtime"
    assert re.search(r"SWIFT_IMAGE=swift:6\.\d+", DOCKERFILE)
    run_lines = " ".join(args for op, args in instructions if op == "RUN")
    assert "swift build -c release --product devops-twin --static-swift-stdlib" in run_lines
    for package in ("libsqlite3-0", "ca-certificates", "tzdata", "libsqlite3-dev"):
        assert package in run_lines, f"{package} is not installed"
    user = [args for op, args in instructions if op == "USER"]
    assert user and not user[-1].startswith(("root", "0")), "runs as a non-root user"
    volumes = " ".join(args for op, args in instructions if op == "VOLUME")
    assert "/etc/devops-twin" in volumes and "/var/lib/devops-twin" in volumes
    healthcheck = next(args for op, args in instructions if op == "HEALTHCHECK")
    assert "/healthz" in healthcheck and "curl" in healthcheck
    assert "curl" in run_lines, "the healthcheck's tool is installed in the runtime image"
    assert "DEVOPS_TWIN_LISTEN_ADDRESS=0.0.0.0:9866" in DOCKERFILE


def test_the_runtime_image_has_libcurl_if_the_code_uses_foundation_networking():
    uses = [p for p in (ds.ROOT / "Sources").rglob("*.swift") if "import FoundationNetworking" in p.read_text()]
    if uses:
        assert "curl" in DOCKERFILE or "libcurl4" in DOCKERFILE, f"FoundationNetworking needs libcurl: {uses}"
    uses_xml = [p for p in (ds.ROOT / "Sources").rglob("*.swift") if "import FoundationXML" in p.read_text()]
    if uses_xml:
        assert "libxml2" in DOCKERFILE, f"FoundationXML needs libxml2: {uses_xml}"


# ---------------------------------------------------------------------------------- Grafana provisioning
DATASOURCE_KEYS = {"name", "type", "uid", "access", "orgId", "url", "isDefault", "jsonData", "secureJsonData",
                   "basicAuth", "basicAuthUser", "user", "database", "withCredentials", "version", "editable"}
PROVIDER_KEYS = {"name", "orgId", "folder", "folderUid", "type", "disableDeletion", "updateIntervalSeconds",
                 "allowUiUpdates", "options"}


def test_datasource_provisioning_uses_documented_keys_and_no_literal_secret():
    document = ds.load_yaml(ds.PROVISIONING / "datasources" / "datasources.yaml")
    assert document["apiVersion"] == 1
    assert set(document) <= {"apiVersion", "datasources", "deleteDatasources", "prune"}
    for datasource in document["datasources"]:
        assert set(datasource) <= DATASOURCE_KEYS, set(datasource) - DATASOURCE_KEYS
        for value in (datasource.get("secureJsonData") or {}).values():
            assert re.fullmatch(r"\$\{?\w+\}?", value), "secrets come from the environment"
    neo4j = next(d for d in document["datasources"] if d["uid"] == "neo4j")
    assert neo4j["jsonData"]["url"] == "neo4j://neo4j:7687"
    assert neo4j["secureJsonData"]["password"] == "$NEO4J_PASSWORD"


def test_dashboard_provider_uses_documented_keys():
    document = ds.load_yaml(ds.PROVISIONING / "dashboards" / "dashboards.yaml")
    assert document["apiVersion"] == 1
    for provider in document["providers"]:
        assert set(provider) <= PROVIDER_KEYS, set(provider) - PROVIDER_KEYS
        assert provider["type"] == "file"
        assert set(provider["options"]) <= {"path", "foldersFromFilesStructure"}


@pytest.mark.parametrize("path", sorted(ds.PROVISIONING.rglob("*.y*ml")), ids=lambda p: p.name)
def test_every_provisioning_file_is_yaml_with_api_version_1(path):
    assert ds.load_yaml(path)["apiVersion"] == 1


def compose_environment(service: dict) -> dict[str, str]:
    """The service's environment as Compose would pass it, ${VAR:-default}/${VAR:?msg} filled from .env.example."""
    dotenv = dict(line.split("=", 1) for line in (ds.ROOT / ".env.example").read_text().splitlines()
                  if line and not line.startswith("#"))
    dotenv["GITHUB_TOKEN"] = "compose-test-token-not-real"  # the example leaves it empty

    def fill(value: str) -> str:
        return re.sub(r"\$\{(\w+)(?::?[-?][^}]*)?\}", lambda m: dotenv.get(m[1], ""), str(value))
    return {name: fill(value) for name, value in service["environment"].items()}


def test_the_binary_accepts_the_compose_command_environment_and_the_example_config(tmp_path):
    """`devops-twin check-config` with config.example.json (mounted as the compose file says) and exactly the
    compose environment: the environment wins over the file, and the secrets are redacted."""
    binary = ds.devops_twin_binary()
    service = SERVICES["devops-twin"]
    command = service["command"]
    assert command[0] == "run" and command[1] == "--config"
    assert mounts("devops-twin")[command[2]] == "./config.json"
    environment = compose_environment(service)
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), **environment}
    result = subprocess.run([binary, "check-config", "--config", str(ds.ROOT / "config.example.json")],
                            capture_output=True, text=True, env=env, timeout=60, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    effective = json.loads(result.stdout)
    assert effective["exporter"]["listenAddress"] == environment["DEVOPS_TWIN_LISTEN_ADDRESS"] == "0.0.0.0:9866"
    assert effective["store"]["path"] == environment["DEVOPS_TWIN_STORE_PATH"]
    assert effective["store"]["path"].startswith("/var/lib/devops-twin/")  # the devops-twin-data volume
    assert mounts("devops-twin")["/var/lib/devops-twin"] == "devops-twin-data"
    assert effective["neo4j"]["url"] == "http://neo4j:7474"
    for secret in (environment["GITHUB_TOKEN"], environment["NEO4J_PASSWORD"]):
        assert secret not in result.stdout + result.stderr
    assert effective["github"]["_token"] == effective["neo4j"]["_password"] == "<redacted>"
    help_text = subprocess.run([binary, command[0], "--help"], capture_output=True, text=True, timeout=30).stdout
    assert "--config" in help_text
