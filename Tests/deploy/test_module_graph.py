"""Package.swift is the module graph: every target declares exactly what it imports, the dependencies
point one way, and docs/architecture.md shows the same graph (both files parsed, nothing generated)."""
from __future__ import annotations

import re
from pathlib import Path

from deploy_support import ROOT

PACKAGE = ROOT / "Package.swift"
ARCHITECTURE = ROOT / "docs" / "architecture.md"
# Modules of the toolchain and the platform: imported, never declared.
SYSTEM_MODULES = {
    "Foundation", "FoundationEssentials", "FoundationNetworking", "Testing", "XCTest", "Synchronization",
    "Dispatch", "Glibc", "Musl", "Darwin", "os", "_Concurrency",
}
IMPORT = re.compile(
    r"^\s*(?:@\w+\s+)*import\s+(?:(?:struct|class|enum|func|protocol|typealias|var|let)\s+)?(\w+)", re.M)


def _targets() -> dict[str, dict]:
    """name -> {kind, path, targets (own modules), products (other packages' modules)} from Package.swift."""
    text = PACKAGE.read_text()
    body = text[text.index("targets: [") :]
    starts = [m for m in re.finditer(r"\.(target|executableTarget|testTarget)\(\s*name:\s*\"(\w+)\"", body)]
    targets = {}
    for index, match in enumerate(starts):
        end = starts[index + 1].start() if index + 1 < len(starts) else len(body)
        declaration = body[match.start() : end]
        kind, name = match.group(1), match.group(2)
        dependencies = re.search(r"dependencies:\s*\[(.*?)\]\s*(?:,\s*(?:path|exclude|resources)|\))", declaration, re.S)
        listed = dependencies.group(1) if dependencies else ""
        products = set(re.findall(r"\.product\(\s*name:\s*\"(\w+)\"", listed))
        own = set(re.findall(r"(?<![:\w])\"(\w+)\"", re.sub(r"\.product\([^)]*\)", "", listed)))
        path = re.search(r"path:\s*\"([^\"]+)\"", declaration)
        default = f"Tests/{name}" if kind == "testTarget" else f"Sources/{name}"
        targets[name] = {"kind": kind, "path": ROOT / (path.group(1) if path else default), "targets": own, "products": products}
    return targets


def _imports(folder: Path) -> set[str]:
    modules = set()
    for source in folder.rglob("*.swift"):
        modules.update(IMPORT.findall(source.read_text()))
    return modules - SYSTEM_MODULES


def test_every_target_declares_exactly_what_it_imports():
    problems = []
    for name, target in _targets().items():
        imported = _imports(target["path"])
        declared = target["targets"] | target["products"]
        if imported - declared:
            problems.append(f"{name} imports undeclared {sorted(imported - declared)}")
        if declared - imported:
            problems.append(f"{name} declares unused {sorted(declared - imported)}")
    assert not problems, "\n".join(problems)


def test_dependencies_point_one_way():
    targets = _targets()
    state: dict[str, str] = {}

    def visit(name: str, path: list[str]):
        if state.get(name) == "done":
            return
        assert state.get(name) != "open", f"dependency cycle: {' -> '.join(path + [name])}"
        state[name] = "open"
        for dependency in targets[name]["targets"]:
            visit(dependency, path + [name])
        state[name] = "done"

    for name in targets:
        visit(name, [])
    # Libraries never depend on an executable or on test support (executables cannot be imported anyway).
    for name, target in targets.items():
        if target["kind"] == "target" and name != "Neo4jFake":
            assert "Neo4jFake" not in target["targets"], f"{name} depends on test support"


def _documented_graph() -> dict[str, tuple[set[str], set[str]]]:
    """module -> (own modules, other packages' modules) from docs/architecture.md's module table."""
    text = ARCHITECTURE.read_text()
    header = "| module | job | depends on | libraries |"
    assert header in text, f"docs/architecture.md has no module table starting with {header}"
    rows = {}
    for line in text[text.index(header) :].splitlines()[2:]:
        if not line.startswith("|"):
            break
        cells = [cell.strip() for cell in re.split(r"(?<!\\)\|", line.strip().strip("|"))]
        name = re.match(r"`(\w+)`", cells[0]).group(1)
        rows[name] = tuple(set(re.findall(r"`(\w+)`", cell)) for cell in (cells[2], cells[3]))
    return rows


def test_architecture_md_shows_the_module_graph_of_package_swift():
    targets = {name: t for name, t in _targets().items() if t["kind"] != "testTarget"}
    documented = _documented_graph()
    assert set(documented) == set(targets), (
        f"modules only in docs: {sorted(set(documented) - set(targets))}, "
        f"only in Package.swift: {sorted(set(targets) - set(documented))}")
    for name, target in targets.items():
        own, products = documented[name]
        assert own == target["targets"], f"{name}: docs say it depends on {sorted(own)}, Package.swift on {sorted(target['targets'])}"
        assert products == target["products"], (
            f"{name}: docs say it uses {sorted(products)}, Package.swift {sorted(target['products'])}")


def test_every_test_target_is_named_after_what_it_tests():
    targets = _targets()
    for name, target in targets.items():
        if target["kind"] == "testTarget" and name != "EndToEndTests":
            subject = name.removesuffix("Tests")
            assert subject in target["targets"], f"{name} does not depend on {subject}"
