"""The documentation checks itself: every repository path, alert name, metric name and alert threshold that
README.md and docs/*.md name must be true of the repository as it is.

  paths       a token that starts with a top-level entry of the repository (`Sources/…`, `Tests/…`, `grafana/…`,
              `docker-compose.yml`, …), and every relative Markdown link, must exist. Patterns (`*`, `<Target>`,
              `{a,b}`, `…`) must match something.
  alerts      a `DevOpsTwin…` name that is not a Swift module must be an alert of prometheus/rules.
  metrics     a `devops_twin_…` name must be a family of the exporter's catalogue (Sources/Exporter/Snapshot/
              MetricCatalogue.swift: the families, their `devops_twin_group_…` variants, a histogram's _bucket/_sum/
              _count series); `devops_twin:…` a recording rule. A name ending in `_` or `*`, or followed by `…`, is a
              prefix: some family must start with it.
  thresholds  a table row that names one alert and quotes a comparison (`> 0.15`) quotes the rule's.
Nothing here lists today's names: new docs, metrics and alerts are checked as they come.
"""
from __future__ import annotations

import fnmatch
import re
import subprocess
from pathlib import Path

import pytest

import deploy_support as ds

ROOT = ds.ROOT
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
CATALOGUE = ROOT / "Sources" / "Exporter" / "Snapshot" / "MetricCatalogue.swift"


def tracked() -> list[str]:
    """The repository's files (tracked, or new and not ignored); without git, every file but build output."""
    try:
        result = subprocess.run(["git", "-C", str(ROOT), "ls-files", "--cached", "--others", "--exclude-standard"],
                                capture_output=True, text=True, check=True)
        return [line for line in result.stdout.splitlines() if (ROOT / line).exists()]
    except (OSError, subprocess.CalledProcessError):
        return [str(p.relative_to(ROOT)) for p in ROOT.rglob("*") if p.is_file() and not any(
            part == ".git" or part.startswith(".build") for part in p.relative_to(ROOT).parts)]


FILES = tracked()
TOP_LEVEL = sorted({f.split("/", 1)[0] for f in FILES}, key=len, reverse=True)
DIRECTORIES = {str(Path(f).parents[i]) for f in FILES for i in range(len(Path(f).parents) - 1)}
# Swift targets (`DevOpsTwin`, `DevOpsTwinBench`) are not alerts.
MODULES = {p.name for top in ("Sources", "Benchmarks", "Tests", "Fuzz") if (ROOT / top).is_dir()
           for p in (ROOT / top).iterdir() if p.is_dir()}

# A path: a top-level entry, then path characters. Not after a letter, `/`, `.` or `:` (URLs, absolute paths,
# container paths such as /work/main/Sources, other repositories' files).
PATH = re.compile(r"(?<![\w/.:~$-])(?:" + "|".join(re.escape(t) for t in TOP_LEVEL) +
                  r")(?:/[\w.*<>{},…+-]*)*(?![\w(])")
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")
ALERT = re.compile(r"\bDevOpsTwin[A-Z]\w*")
# A served family (`devops_twin_…`), or a recording rule: `level:devops_twin_…:operations` by the convention, or
# the older `devops_twin:…` form. A family name inside a recorded name is the recorded name's business.
METRIC = re.compile(r"\b(?:[a-z0-9_]+:devops_twin_[a-z0-9_]+:[a-z0-9_]+|(?<!:)devops_twin(?:_[a-z0-9_]*|:[a-z0-9_:]+)\*?…?)")
THRESHOLD = re.compile(r"`[^`]*?([<>])\s*(-?[0-9][0-9.e]*)`")


def lines(doc: Path):
    """(line number, text) of every line: code blocks name paths and metrics too."""
    yield from enumerate(doc.read_text().splitlines(), start=1)


def where(doc: Path, number: int) -> str:
    return f"{doc.relative_to(ROOT)}:{number}"


# -------------------------------------------------------------------------------------------------- paths
def path_exists(token: str) -> bool:
    token = token.rstrip(".,:;/")
    if any(c in token for c in "*<{…"):
        pattern = re.sub(r"<[^>]*>", "*", token).replace("…", "*")
        pattern = re.sub(r"\{([^}]*)\}", "*", pattern)
        return any(fnmatch.fnmatch(f, pattern) or fnmatch.fnmatch(f, pattern + "/*") for f in FILES) or \
            any(fnmatch.fnmatch(d, pattern) for d in DIRECTORIES)
    return token in FILES or token in DIRECTORIES or (ROOT / token).exists()


def path_claims():
    for doc in DOCS:
        for number, line in lines(doc):
            for match in PATH.finditer(line):
                token = match.group(0)
                if "/" in token or token in TOP_LEVEL:
                    yield where(doc, number), token, path_exists(token)
            for match in LINK.finditer(line):
                target = match.group(1)
                if re.match(r"^[a-z]+:", target) or target.startswith("/"):
                    continue
                yield where(doc, number), target, (doc.parent / target).resolve().exists()


def test_every_repository_path_the_docs_name_exists():
    claims = list(path_claims())
    assert len(claims) > 50, "the docs name many paths: the pattern must see them"
    missing = [f"{at}: {token}" for at, token, exists in claims if not exists]
    assert not missing, "paths named in the docs that do not exist:\n" + "\n".join(missing)


# ------------------------------------------------------------------------------------------------- alerts
def alert_rules() -> dict[str, dict]:
    rules = {}
    for path in ds.RULE_FILES:
        for group in ds.load_yaml(path).get("groups", []):
            for rule in group.get("rules", []):
                if "alert" in rule:
                    rules[rule["alert"]] = rule
    return rules


def recording_rules() -> set[str]:
    return {rule["record"] for path in ds.RULE_FILES for group in ds.load_yaml(path).get("groups", [])
            for rule in group.get("rules", []) if "record" in rule}


def alert_claims():
    for doc in DOCS:
        for number, line in lines(doc):
            for name in ALERT.findall(line):
                if name not in MODULES:
                    yield where(doc, number), name


def test_every_alert_the_docs_name_is_a_rule():
    claims = list(alert_claims())
    assert claims, "the docs name alerts"
    rules = alert_rules()
    unknown = [f"{at}: {name}" for at, name in claims if name not in rules]
    assert not unknown, f"alerts named in the docs that no rule defines (rules: {sorted(rules)}):\n" + "\n".join(unknown)


def rule_threshold(rule: dict) -> tuple[str, float]:
    match = re.match(r"^\(.+\)\s*([<>])\s*(-?[0-9][0-9.e]*)", rule["expr"].strip(), re.S)
    assert match, f"{rule['alert']}: expr must read `(<query>) <op> <threshold>`"
    return match[1], float(match[2])


def threshold_claims():
    for doc in DOCS:
        for number, line in lines(doc):
            names = sorted({n for n in ALERT.findall(line) if n not in MODULES})
            if line.lstrip().startswith("|") and len(names) == 1:
                for op, value in THRESHOLD.findall(line):
                    yield where(doc, number), names[0], op, float(value)


def test_every_alert_threshold_the_docs_quote_is_the_rules():
    rules = alert_rules()
    claims = list(threshold_claims())
    assert len(claims) >= min(3, len(rules)), "the docs' alert table quotes thresholds"
    wrong = []
    for at, name, op, value in claims:
        if name in rules:
            expected = rule_threshold(rules[name])
            if (op, value) != expected:
                wrong.append(f"{at}: {name} `{op} {value:g}`, the rule says `{expected[0]} {expected[1]:g}`")
    assert not wrong, "\n".join(wrong)


# ------------------------------------------------------------------------------------------------ metrics
def catalogue() -> set[str]:
    """Every series name the exporter can serve, read from its catalogue."""
    source = CATALOGUE.read_text()
    names, kinds = {}, {}
    for ident, kind, name in re.findall(r"static let (\w+) = (gauge|counter)\(\s*\"(devops_twin_\w+)\"", source):
        names[ident], kinds[ident] = name, kind
    for ident, name, kind in re.findall(
            r"static let (\w+) = Descriptor\(\s*name:\s*\"(devops_twin_\w+)\",\s*type:\s*\.(\w+)", source):
        names[ident], kinds[ident] = name, kind
    assert names, f"no families found in {CATALOGUE.relative_to(ROOT)}: the parser needs updating"
    per_window = re.search(r"static let perWindow: \[Descriptor\] = \[(.*?)\]", source, re.S)
    assert per_window, "MetricCatalogue.perWindow: the families groups have too"
    families = set(names.values())
    for ident in re.findall(r"\w+", per_window.group(1)):
        names["group_" + ident] = "devops_twin_group_" + names[ident].removeprefix("devops_twin_")
        kinds["group_" + ident] = kinds[ident]
        families.add(names["group_" + ident])
    series = set(families)
    for ident, kind in kinds.items():
        name = names[ident]
        if kind == "histogram":
            series.update(name + suffix for suffix in ("_bucket", "_sum", "_count"))
        # OpenMetrics names a counter's family without `_total` and an info family without `_info`.
        if kind == "counter":
            series.add(name.removesuffix("_total"))
        if kind == "info":
            series.add(name.removesuffix("_info"))
    return series


def metric_claims():
    for doc in DOCS:
        for number, line in lines(doc):
            for token in METRIC.findall(line):
                yield where(doc, number), token


def metric_known(token: str, served: set[str], recorded: set[str]) -> bool:
    if ":" in token:
        name = token.rstrip("*…")
        return name in recorded or (name != token and any(r.startswith(name) for r in recorded))
    prefix = token.endswith(("_", "*", "…"))
    name = token.rstrip("*…")
    if prefix:
        return any(s.startswith(name) for s in served)
    return name in served


def test_the_catalogue_parser_sees_every_documented_family():
    assert ds.documented_families() <= catalogue()


def test_every_metric_the_docs_name_is_in_the_catalogue():
    served, recorded = catalogue(), recording_rules()
    claims = list(metric_claims())
    assert len(claims) > 50
    unknown = [f"{at}: {token}" for at, token in claims if not metric_known(token, served, recorded)]
    assert not unknown, "metric names in the docs that the exporter does not serve:\n" + "\n".join(unknown)


# ------------------------------------------------------------------------------------ the check itself
@pytest.mark.parametrize("line,found", [
    ("see `Tests/DoraTests/CoverageTests.swift`", ["Tests/DoraTests/CoverageTests.swift"]),
    ("at /work/main/Sources/X and https://example.org/docs/x.md", []),
    ("run `scripts/test`.", ["scripts/test"]),
])
def test_the_path_pattern_reads_repository_paths_only(line, found):
    assert [m.group(0).rstrip(".,:;") for m in PATH.finditer(line)] == found


def test_a_false_claim_of_each_kind_is_caught():
    served, recorded, rules = catalogue(), recording_rules(), alert_rules()
    assert not path_exists("Tests/DoraTests/CoverageTests.swift")
    assert path_exists("Tests/<Target>Tests") and path_exists("grafana/dashboards/*.json")
    assert "DevOpsTwinRateLimitLow" not in rules
    assert not metric_known("devops_twin_no_such_family", served, recorded)
    assert metric_known("devops_twin_group_", served, recorded)
    assert not metric_known("devops_twin_nothing_", served, recorded)


@pytest.mark.parametrize("line,found", [
    ("joins `repository_window_metric:devops_twin_dora_samples:sufficient`",
     ["repository_window_metric:devops_twin_dora_samples:sufficient"]),
    ("`devops_twin_dora_deployments` and `devops_twin_dora_*`", ["devops_twin_dora_deployments", "devops_twin_dora_*"]),
    ("the old `devops_twin:dora_deployments_per_week`", ["devops_twin:dora_deployments_per_week"]),
])
def test_metric_names_are_found_whole_recorded_names_included(line, found):
    assert METRIC.findall(line) == found


def test_a_recorded_name_must_be_a_recording_rule():
    recorded = {"repository:devops_twin_sync_last_success_age_seconds:min"}
    assert metric_known("repository:devops_twin_sync_last_success_age_seconds:min", set(), recorded)
    assert not metric_known("repository:devops_twin_sync_last_success_age_seconds:max", set(), recorded)
