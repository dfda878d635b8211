"""A compose file's services run here as local processes, for the rehearsals of docker-compose.yml and
docker-compose.demo.yml (Docker cannot run on these machines).

Each service's command, entrypoint, environment and healthcheck are read from the compose file, compose's variable
interpolation is applied, and every container path is mapped to a folder standing for its volume or bind mount.
The compose network is mapped too: a service's `host:port` (and `0.0.0.0:port`, where it listens) becomes a free
loopback port. The tools are the real ones: the built `devops-twin`, Debian's `promtool` and `prometheus`.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import deploy_support as ds


def interpolate(text: str, values: dict[str, str]) -> str:
    """Compose's interpolation: ${VAR}, ${VAR:-default}, ${VAR:?error}; $$ is a literal $."""
    def replace(match: re.Match) -> str:
        name, operator, default = match.group(1), match.group(2), match.group(3)
        if name in values and values[name] != "":
            return values[name]
        if operator == ":?":
            raise AssertionError(f"compose would refuse to start: {default}")
        return default or ""
    text = re.sub(r"(?<!\$)\$\{(\w+)(?:(:-|:\?)([^}]*))?\}", replace, text)
    return text.replace("$$", "$")


def volume_parts(volume) -> tuple[str, str]:
    """(source, target) of a compose volume in short or long syntax."""
    if isinstance(volume, dict):
        return volume["source"], volume["target"]
    source, target, *_ = volume.split(":")
    return source, target


class Rehearsal:
    """The compose stack's volumes and bind mounts as folders, its network as loopback ports, and its services'
    commands as processes. `ports` lists the container ports the services listen on (each gets a free loopback
    port); `values` are the variables compose would read from .env."""

    def __init__(self, root: Path, compose: dict, values: dict[str, str], ports: tuple[int, ...] = ()):
        self.root, self.compose, self.services, self.values = root, compose, compose["services"], values
        self.bin = root / "bin"
        self.bin.mkdir()
        (self.bin / "devops-twin").symlink_to(ds.devops_twin_binary())
        for tool in ("promtool", "prometheus"):
            (self.bin / tool).symlink_to(ds.require_tool(tool))
        self.volumes = {name: root / "volumes" / name for name in compose["volumes"]}
        for folder in self.volumes.values():
            folder.mkdir(parents=True)
        # The files beside the compose file: the Prometheus configuration (its rule files are rewritten below).
        self.project = root / "project"
        shutil.copytree(ds.ROOT / "prometheus", self.project / "prometheus")
        self.ports = {port: ds.free_port() for port in ports}

    def address(self, container_port: int) -> str:
        return f"127.0.0.1:{self.ports[container_port]}"

    def networked(self, text: str) -> str:
        """`service:port` and `0.0.0.0:port` of the compose network as the loopback port standing for it."""
        services = "|".join(re.escape(name) for name in [*self.services, "0.0.0.0", "localhost", "127.0.0.1"])
        return re.sub(rf"\b({services}):(\d+)\b",
                      lambda m: self.address(int(m[2])) if int(m[2]) in self.ports else m[0], text)

    def host_path(self, container_path: str, service: str) -> str:
        """The folder or file standing for `container_path` in `service`."""
        best = None
        for volume in self.services[service].get("volumes", []):
            source, target = volume_parts(volume)
            if container_path == target or container_path.startswith(target.rstrip("/") + "/"):
                if best is None or len(target) > len(best[1]):
                    best = (source, target)
        if best is None:
            raise AssertionError(f"{service}: {container_path} is on no volume or bind mount: it would not persist")
        source, target = best
        base = self.project / source[2:] if source.startswith("./") else self.volumes[source]
        return str(base) + container_path[len(target):]

    def mapped(self, text: str, service: str) -> str:
        """Every container path in `text` replaced by its host folder, and the network by loopback ports."""
        targets = sorted({volume_parts(v)[1] for v in self.services[service].get("volumes", [])}, key=len,
                         reverse=True)
        if targets:
            pattern = "|".join(re.escape(t) for t in targets)
            text = re.sub(rf"({pattern})(?=[/\s\"']|$)", lambda m: self.host_path(m.group(1), service), text)
        return self.networked(text)

    def bind_source(self, source: str, text: str) -> Path:
        """Writes a bind mount's source file (e.g. ./config.json) beside the compose file, and returns its path."""
        path = self.project / source.removeprefix("./")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        return path

    def environment(self, service: str) -> dict[str, str]:
        env = {"PATH": f"{self.bin}:/usr/bin:/bin", "HOME": str(self.root)}
        for key, value in (self.services[service].get("environment") or {}).items():
            env[key] = self.mapped(interpolate(str(value), self.values), service)
        env["GITHUB_TOKEN"] = ""
        env.pop("NEO4J_URL", None)  # no Neo4j here: devops-twin runs on its store alone
        return env

    def run_one_shot(self, service: str) -> str:
        spec = self.services[service]
        entrypoint, command = spec["entrypoint"], spec["command"]
        assert entrypoint == ["/bin/sh", "-c"] and len(command) == 1, f"{service}: a shell script one-shot"
        script = self.mapped(interpolate(command[0], self.values), service)
        done = subprocess.run(["/bin/sh", "-c", script], env=self.environment(service), cwd=self.root,
                              capture_output=True, text=True, timeout=600)
        output = done.stdout + done.stderr
        assert done.returncode == 0, f"{service} failed ({done.returncode}):\n{output[-4000:]}"
        return output

    def command(self, service: str, image_entrypoint: str = "devops-twin") -> list[str]:
        """A long-running service's command line: the image's entrypoint and the compose `command`, mapped."""
        arguments = [self.mapped(interpolate(str(a), self.values), service) for a in self.services[service]["command"]]
        return [str(self.bin / image_entrypoint), *arguments]

    def healthcheck(self, service: str) -> bool:
        """Runs the service's compose healthcheck (CMD or CMD-SHELL), mapped; True when it passes."""
        test = self.services[service]["healthcheck"]["test"]
        mapped = [self.mapped(part, service) for part in test[1:]]
        argv = ["/bin/sh", "-c", mapped[0]] if test[0] == "CMD-SHELL" else mapped
        return subprocess.run(argv, capture_output=True, timeout=30).returncode == 0

    def prometheus_command(self, port: int) -> list[str]:
        spec = self.services["prometheus"]
        image_default = ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus"]
        arguments = [self.mapped(interpolate(a, self.values), "prometheus") for a in spec.get("command", image_default)]
        return [str(self.bin / "prometheus"), *arguments, f"--web.listen-address=127.0.0.1:{port}"]

    def rule_files_mapped_config(self) -> None:
        """prometheus.yml names its rule files by container path and scrapes by service name: map both."""
        config = self.project / "prometheus" / "prometheus.yml"
        config.write_text(self.mapped(config.read_text(), "prometheus"))

    def blocks(self) -> list[str]:
        folder = self.volumes["prometheus-data"]
        return sorted(p.name for p in folder.iterdir() if (p / "meta.json").exists())
