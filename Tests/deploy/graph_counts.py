"""What the compose smoke test (scripts/smoke-compose) compares between the graph and the store: per repository,
the nodes of each label and one relationship type, from Neo4j's Query API (`POST /db/neo4j/query/v2`), against
`devops-twin report --json` (its `entities`). Unit-tested in test_grafana_smoke.py."""
from __future__ import annotations

from grafana_smoke import SmokeFailure, parse_json

# The store's entities and the graph's labels they become (docs/graph.md; ProjectionIntegrationTests' expectation).
LABEL_ENTITIES = {"Commit": ("commits",), "Tag": ("tags",), "Release": ("releases",),
                  "Issue": ("issues", "pull_requests"), "Workflow": ("workflows",), "WorkflowRun": ("workflow_runs",)}
# One relationship per workflow run: (:Workflow)-[:HAS_RUN]->(:WorkflowRun).
RELATIONSHIP_ENTITIES = {"HAS_RUN": ("workflow_runs",)}
NODE_COUNTS = ("MATCH (n) WHERE n.repository IS NOT NULL UNWIND labels(n) AS label "
               "RETURN n.repository AS repository, label, count(*) AS count")
RELATIONSHIP_COUNTS = ("MATCH (a)-[r]->() WHERE a.repository IS NOT NULL "
                       "RETURN a.repository AS repository, type(r) AS type, count(*) AS count")


def query_api_request(statement: str) -> dict:
    """The Query API body (Neo4j docs, "Query the database"); the statements take no parameters."""
    return {"statement": statement}


def query_api_rows(status: int, body: bytes) -> list[dict]:
    """Rows of a Query API answer: 202 with {"data": {"fields", "values"}}; an error is 4xx with
    {"errors": [{"code", "message"}]}."""
    answer = parse_json(status, body, "Neo4j Query API")
    if answer.get("errors") or status >= 400:
        raise SmokeFailure(f"Neo4j Query API: HTTP {status}: {answer.get('errors')}")
    data = answer["data"]
    return [dict(zip(data["fields"], row)) for row in data["values"]]


def store_counts(report: dict) -> dict[tuple[str, str], int]:
    """(repository, label or relationship type) -> what the graph must hold, from `report --json`."""
    expected = {}
    for repository in report["repositories"]:
        entities = repository.get("entities") or {}
        if not entities:
            raise SmokeFailure(f"report --json gives no entity counts for {repository['repository']}")
        for name, keys in {**LABEL_ENTITIES, **RELATIONSHIP_ENTITIES}.items():
            expected[(repository["repository"], name)] = sum(int(entities.get(key, 0)) for key in keys)
    return expected


def graph_counts(node_rows: list[dict], relationship_rows: list[dict]) -> dict[tuple[str, str], int]:
    counts = {(row["repository"], row["label"]): int(row["count"]) for row in node_rows}
    counts.update({(row["repository"], row["type"]): int(row["count"]) for row in relationship_rows})
    return counts


def count_differences(expected: dict[tuple[str, str], int], graph: dict[tuple[str, str], int]) -> list[str]:
    return [f"{repository} {name}: store {count}, graph {graph.get((repository, name), 0)}"
            for (repository, name), count in sorted(expected.items()) if graph.get((repository, name), 0) != count]
