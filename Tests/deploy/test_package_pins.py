"""The package builds from GitHub: no tracked Package.resolved pins this machine's package copies, and
Package.swift pins every direct dependency to an exact version.

The machines this project is built on serve Swift packages from local copies (/opt/swift-packages/OWNER/NAME.git)
whose commits are synthetic (author `packages`, dated 1970): their ids are not GitHub's. A Package.resolved written
here and committed stops every build that fetches from GitHub with "Revision … does not match previously recorded
value" (a user's `swift build`, the Docker image's `swift package resolve`)."""
import json
import re
import subprocess
from pathlib import Path

import pytest

import deploy_support as ds

PACKAGE_COPIES = Path("/opt/swift-packages")


def tracked(path: str) -> bool:
    return subprocess.run(["git", "ls-files", "--error-unmatch", path], cwd=ds.ROOT,
                          capture_output=True).returncode == 0


def copy_of(location: str) -> Path | None:
    """The machine's local copy of a package named by its GitHub URL, if this machine has one."""
    match = re.match(r"https://github\.com/([^/]+)/([^/]+?)(?:\.git)?/?$", location)
    if not match:
        return None
    candidate = PACKAGE_COPIES / match.group(1) / f"{match.group(2)}.git"
    return candidate if candidate.is_dir() else None


def synthetic_pins(resolved: dict) -> list[str]:
    """The pins of a Package.resolved whose revision is, in this machine's package copies, a synthetic commit:
    one GitHub has never seen, so a build that fetches from GitHub cannot check it out."""
    found = []
    for pin in resolved.get("pins", []):
        copy = copy_of(pin.get("location", ""))
        revision = pin.get("state", {}).get("revision", "")
        if copy is None or not revision:
            continue
        shown = subprocess.run(["git", "-C", str(copy), "log", "-1", "--format=%an|%at", revision],
                               capture_output=True, text=True)
        if shown.returncode != 0:
            continue
        author, timestamp = shown.stdout.strip().split("|")
        if author == "packages" or int(timestamp) == 0:
            found.append(f"{pin.get('identity')} {pin['state'].get('version', '')} {revision[:10]}")
    return found


def test_no_tracked_package_resolved_pins_a_synthetic_revision():
    if not tracked("Package.resolved"):
        assert "Package.resolved" in (ds.ROOT / ".gitignore").read_text().split(), \
            "Package.resolved is untracked but not in .gitignore: the next `git add -A` commits it again"
        return
    resolved = json.loads(subprocess.run(["git", "show", "HEAD:Package.resolved"], cwd=ds.ROOT,
                                         capture_output=True, text=True, check=True).stdout)
    bad = synthetic_pins(resolved)
    assert not bad, ("Package.resolved is tracked and pins revisions that exist only in this machine's package "
                     f"copies (a build from GitHub fails): {bad}. Untrack it (`git rm --cached Package.resolved`).")


@pytest.mark.skipif(not (PACKAGE_COPIES / "apple" / "swift-log.git").is_dir(),
                    reason="needs this machine's package copies")
def test_the_pin_check_flags_a_revision_of_the_machines_copies():
    # The machine's own swift-log 1.16.2, as a Package.resolved made here would record it.
    local = subprocess.run(["git", "-C", str(PACKAGE_COPIES / "apple" / "swift-log.git"), "rev-parse", "1.16.2^{commit}"],
                           capture_output=True, text=True, check=True).stdout.strip()
    pin = {"identity": "swift-log", "location": "https://github.com/apple/swift-log",
           "state": {"revision": local, "version": "1.16.2"}}
    assert synthetic_pins({"pins": [pin]}) == [f"swift-log 1.16.2 {local[:10]}"]
    # A revision the copy does not have (GitHub's own) is not this check's business: nothing here can judge it.
    github = dict(pin, state={"revision": "0" * 40, "version": "1.16.2"})
    assert synthetic_pins({"pins": [github]}) == []


def test_every_direct_dependency_is_pinned_to_an_exact_version():
    manifest = (ds.ROOT / "Package.swift").read_text()
    packages = re.findall(r"\.package\(([^)]*)\)", manifest)
    assert packages, "no .package(...) in Package.swift"
    loose = [p for p in packages if not re.search(r'exact:\s*"\d+\.\d+\.\d+"', p)]
    assert not loose, f"direct dependencies not pinned with exact: {loose}"


def test_the_dockerfile_resolves_inside_the_image_without_a_resolved_file():
    dockerfile = (ds.ROOT / "Dockerfile").read_text()
    copies = [line for line in dockerfile.splitlines() if line.startswith("COPY")]
    assert not any("Package.resolved" in line for line in copies), copies
    assert re.search(r"^RUN swift package resolve", dockerfile, re.M)
