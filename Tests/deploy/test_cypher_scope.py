"""The dashboards' Cypher passes the scope and node-graph rules of cypher_scope, which reject the queries
Neo4j rejected (or drew without edges) before issue 10, and accept their fixes."""
import pytest

import cypher_scope
import deploy_support as ds

# The two panels as they were: Neo4j refused the first, the second drew a graph without edges.
BROKEN_BUG_ISSUES_PER_RELEASE = (
    "MATCH (d:Deployment {repository: '$repository'})-[:FROM]->(r:Release)\n"
    "WHERE d.deployedAt >= datetime({epochMillis: ${__from}}) AND d.deployedAt < datetime({epochMillis: ${__to}})\n"
    "OPTIONAL MATCH (i:Issue)-[:ATTRIBUTED_TO]->(d)\n"
    "RETURN r.tagName AS release, count(i) AS incidents ORDER BY d.deployedAt")
FIXED_BUG_ISSUES_PER_RELEASE = (
    "MATCH (d:Deployment {repository: '$repository'})-[:FROM]->(r:Release)\n"
    "WHERE d.deployedAt >= datetime({epochMillis: ${__from}}) AND d.deployedAt < datetime({epochMillis: ${__to}})\n"
    "OPTIONAL MATCH (i:Issue)-[:ATTRIBUTED_TO]->(d)\n"
    "WITH r.tagName AS release, d.deployedAt AS deployedAt, count(i) AS incidents\n"
    "RETURN release, incidents ORDER BY deployedAt")
BROKEN_DEPLOYMENT_HISTORY = (
    "MATCH (d:Deployment {repository: '$repository'})-[:DEPLOYS]->(c:Commit)\n"
    "WITH d, c ORDER BY d.deployedAt DESC LIMIT 25\n"
    "OPTIONAL MATCH (d)-[:FROM]->(source)\n"
    "RETURN d, c, source")
FIXED_DEPLOYMENT_HISTORY = (
    "MATCH (d:Deployment {repository: '$repository'})\n"
    "WHERE d.deployedAt >= datetime({epochMillis: ${__from}}) AND d.deployedAt < datetime({epochMillis: ${__to}})\n"
    "WITH d ORDER BY d.deployedAt DESC LIMIT 25\n"
    "MATCH (d)-[deploys:DEPLOYS]->(c:Commit)\n"
    "OPTIONAL MATCH (d)-[origin:FROM]->(source)\n"
    "OPTIONAL MATCH (d)-[previous:PREVIOUS]->(earlier:Deployment)\n"
    "RETURN d, deploys, c, origin, source, previous, earlier")


def rules(query: str, node_graph: bool = False) -> list[str]:
    return [finding.rule for finding in cypher_scope.check(query, node_graph=node_graph)]


def test_the_old_bug_issues_per_release_is_rejected_for_ordering_by_a_variable_the_aggregation_dropped():
    findings = cypher_scope.check(BROKEN_BUG_ISSUES_PER_RELEASE)
    assert [f.rule for f in findings] == ["aggregation-scope"]
    assert "`d`" in findings[0].message and "incidents, release" in findings[0].message


def test_the_fixed_bug_issues_per_release_is_accepted():
    assert rules(FIXED_BUG_ISSUES_PER_RELEASE) == []


def test_the_old_deployment_history_is_rejected_as_a_node_graph_without_relationships():
    assert rules(BROKEN_DEPLOYMENT_HISTORY, node_graph=True) == ["node-graph-edges"]
    assert rules(BROKEN_DEPLOYMENT_HISTORY) == [], "as a table it is valid Cypher"


def test_the_fixed_deployment_history_returns_relationships():
    assert rules(FIXED_DEPLOYMENT_HISTORY, node_graph=True) == []


@pytest.mark.parametrize("query,expected", [
    # aggregation scope: ORDER BY / WITH ... WHERE after an aggregating or DISTINCT projection
    ("MATCH (n:X) WITH n.a AS a, count(*) AS c ORDER BY n.b RETURN a, c", ["aggregation-scope"]),
    ("MATCH (n:X) RETURN DISTINCT n.a AS a ORDER BY n.b", ["aggregation-scope"]),
    ("MATCH (n:X) WITH n.a AS a, count(*) AS c WHERE n.b > 1 RETURN a", ["aggregation-scope"]),
    ("MATCH (n:X) RETURN n.a AS a, percentileCont(n.v, 0.9) AS p ORDER BY n.v DESC", ["aggregation-scope"]),
    ("MATCH (n:X) RETURN n.a AS a, round(avg(n.v), 1) AS v ORDER BY a, n.a", []),   # n.a repeats a projection
    ("MATCH (n:X) WITH n.a AS a, count(*) AS c WHERE c > 1 RETURN a ORDER BY a", []),
    ("MATCH (n:X) RETURN n.name, count(*) AS c ORDER BY n.name", []),
    ("MATCH (n:X) RETURN n.a AS a ORDER BY n.b", []),                                # not aggregating: n visible
    ("MATCH (n:X) RETURN n.a AS a, count(*) AS c ORDER BY c DESC, a ASC", []),
    # scope after WITH
    ("MATCH (n:X)-[r:R]->(m) WITH n, count(r) AS c RETURN m", ["undefined-variable"]),
    ("MATCH (r:R) WITH collect(r) AS rs UNWIND range(1, size(rs) - 1) AS i RETURN r", ["undefined-variable"]),
    ("MATCH (r:R) WITH collect(r) AS rs UNWIND range(1, size(rs) - 1) AS i WITH rs[i] AS r RETURN r.x AS x", []),
    # locals, namespaced functions, strings, keywords inside expressions
    ("MATCH p = (a)-[:R*1..5]->(b) WHERE all(x IN nodes(p) WHERE x.c IN ['f']) WITH a, collect(b) AS s "
     "WITH a, reduce(f = a, x IN s | CASE WHEN x.u < f.u THEN x ELSE f END) AS first RETURN first", []),
    ("MATCH (r:Release) WITH date.truncate('month', r.publishedAt) AS month, count(r) AS n "
     "RETURN toString(month) AS month, n ORDER BY month", []),
    ("MATCH (n:X) WHERE n.a = 'ORDER BY zz' AND n.b STARTS WITH 'x' RETURN n.a AS a, count(*) AS c ORDER BY c", []),
    ("MATCH (d:X) WHERE d.t >= datetime({epochMillis: ${__from}}) RETURN {sha: d.sha, at: d.t} AS row", []),
    # UNION parts have their own scope
    ("MATCH (a:X) RETURN a.n AS n, count(*) AS c UNION MATCH (b:Y) RETURN b.n AS n, count(*) AS c ORDER BY b.z",
     ["aggregation-scope"]),
    ("MATCH (a:X) RETURN a.n AS n UNION ALL MATCH (b:Y) RETURN b.n AS n", []),
])
def test_scope_rules(query, expected):
    assert rules(query) == expected


# The datasource (1.3.2) draws only top-level node and relationship values (pkg/plugin/plugin.go, lines 299-355):
# a path or a list of them draws nothing.
@pytest.mark.parametrize("query,edges", [
    ("MATCH p = (a:X)-[:R]->(b) RETURN p", False),
    ("MATCH (a:X)-[r:R]->(b) RETURN a, collect(r) AS rs, collect(b) AS bs", False),
    ("MATCH (a:X)-[r:R]->(b) RETURN a, collect(DISTINCT r) AS rs, b", False),
    ("MATCH p = (a:X)-[:R*1..3]->(b) RETURN relationships(p) AS rs, nodes(p) AS ns", False),
    ("MATCH p = (a:X)-[r:R]->(b) RETURN p, a, r, b", True),
    ("MATCH (a:X)-[r:R]->(b) WITH a, r, b RETURN a, r, b", True),
    ("MATCH (a:X)-[r:R]->(b) RETURN a, b", False),
    ("MATCH (a:X)-[r:R]->(b) RETURN a, type(r) AS type, b", False),
    ("MATCH (a:X)-[r:R]->(b) RETURN a, r AS rel ORDER BY a.x UNION MATCH (a:X) RETURN a, a AS rel", False),
])
def test_node_graph_rule(query, edges):
    assert (rules(query, node_graph=True) == []) == edges


def dashboard_cypher():
    queries = []
    for name, dashboard in ds.dashboards().items():
        for variable in dashboard["templating"]["list"]:
            if (variable.get("datasource") or {}).get("uid") == ds.NEO4J_UID:
                queries.append((f"{name} variable {variable['name']}", variable["query"]["cypherQuery"], False))
        for panel in ds.query_panels(dashboard):
            for target in panel["targets"]:
                if "cypherQuery" in target:
                    node_graph = target.get("Format") == "nodegraph" or panel["type"] == "nodeGraph"
                    queries.append((f"{name} panel {panel['id']} ({panel['title']})", target["cypherQuery"],
                                    node_graph))
    return queries


def test_every_node_graph_panel_asks_the_datasource_for_the_nodegraph_format():
    for name, dashboard in ds.dashboards().items():
        for panel in ds.query_panels(dashboard):
            if panel["type"] == "nodeGraph":
                assert all(t.get("Format") == "nodegraph" for t in panel["targets"]), f"{name}: {panel['title']}"


def test_the_check_sees_every_dashboards_cypher():
    origins = [origin for origin, _, _ in dashboard_cypher()]
    assert len(origins) >= 10 and any(node_graph for _, _, node_graph in dashboard_cypher())


@pytest.mark.parametrize("origin,query,node_graph", dashboard_cypher(), ids=[q[0] for q in dashboard_cypher()])
def test_dashboard_cypher_passes_the_scope_and_node_graph_rules(origin, query, node_graph):
    findings = cypher_scope.check(query, node_graph=node_graph)
    assert not findings, f"{origin}:\n" + "\n".join(map(str, findings)) + f"\n{query}"
