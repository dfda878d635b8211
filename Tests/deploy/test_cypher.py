"""The Twin explorer's Cypher uses only what the Neo4j projection writes (docs/graph-schema.json)."""
import json
import re

import pytest

import deploy_support as ds

FUNCTION_NAMESPACES = {"date", "datetime", "duration", "localdatetime", "localtime", "time", "math", "apoc", "db",
                       "point", "vector", "string"}


def names(entries, *keys) -> dict[str, set[str]]:
    """Normalises {name: {...}} or [{label|type|name: ..., properties: ...}] into name -> property names."""
    result: dict[str, set[str]] = {}
    items = entries.items() if isinstance(entries, dict) else [(None, e) for e in entries]
    for name, entry in items:
        if isinstance(entry, str):
            result.setdefault(entry, set())
            continue
        if name is None:
            name = next((entry[k] for k in keys if isinstance(entry.get(k), str)), None)
            if name is None and isinstance(entry.get("labels"), list):
                name = entry["labels"][0]
        assert name, f"cannot read the name of {entry!r} in docs/graph-schema.json"
        properties = entry.get("properties", []) if isinstance(entry, dict) else []
        if isinstance(properties, dict):
            props = set(properties)
        else:
            props = {p if isinstance(p, str) else p.get("name") for p in properties}
        for extra in ("key", "keys", "naturalKey", "uniqueKey"):
            value = entry.get(extra) if isinstance(entry, dict) else None
            if isinstance(value, str):
                props.add(value)
            elif isinstance(value, list):
                props.update(v for v in value if isinstance(v, str))
        result.setdefault(name, set()).update(props - {None})
    return result


def graph_schema():
    assert ds.GRAPH_SCHEMA.exists(), ("docs/graph-schema.json is missing: it mirrors GraphSchema.current "
                                      "(Sources/GraphProjection/GraphSchema.swift); restore it from git")
    document = json.loads(ds.GRAPH_SCHEMA.read_text())
    node_entries = document.get("nodes") or document.get("labels") or document.get("nodeLabels")
    rel_entries = document.get("relationships") or document.get("relationshipTypes") or document.get("edges")
    assert node_entries is not None and rel_entries is not None, \
        "docs/graph-schema.json: expected `nodes` and `relationships`"
    return names(node_entries, "label", "name"), names(rel_entries, "type", "name")


def cypher_queries():
    queries = []
    for name, dashboard in ds.dashboards().items():
        for variable in dashboard["templating"]["list"]:
            if (variable.get("datasource") or {}).get("uid") == ds.NEO4J_UID:
                queries.append((f"{name} variable {variable['name']}", variable["query"]["cypherQuery"]))
        for panel in ds.query_panels(dashboard):
            for target in panel["targets"]:
                if "cypherQuery" in target:
                    queries.append((f"{name} panel {panel['id']} ({panel['title']})", target["cypherQuery"]))
    return queries


NODE = re.compile(r"\(\s*(\w+)?\s*((?::\w+)+)?\s*(\{[^{}]*\})?\s*\)")
REL = re.compile(r"\[\s*(\w+)?\s*:(\w+(?:\|\w+)*)\s*(\*[\d.]*)?\s*(\{[^{}]*\})?\s*\]")
MAP_KEYS = re.compile(r"(\w+)\s*:")


def references(query: str):
    """(labels, relationship types, [(variable, property, owner kind, owner name or None)])."""
    text = re.sub(r"'[^']*'", "''", query)
    labels, types, properties, bound = set(), set(), [], {}
    for var, label_text, map_text in NODE.findall(text):
        node_labels = [l for l in label_text.split(":") if l]
        labels.update(node_labels)
        if var and node_labels:
            bound[var] = ("node", node_labels[0])
        for key in MAP_KEYS.findall(map_text or ""):
            properties.append((var, key, "node", node_labels[0] if node_labels else None))
    for var, type_text, _, map_text in REL.findall(text):
        rel_types = type_text.split("|")
        types.update(rel_types)
        if var:
            bound[var] = ("relationship", rel_types[0])
        for key in MAP_KEYS.findall(map_text or ""):
            properties.append((var, key, "relationship", rel_types[0]))
    for var, prop in re.findall(r"(?<![\w.$])([A-Za-z_]\w*)\.(\w+)\b(?!\s*\()", text):
        if var.lower() in FUNCTION_NAMESPACES:
            continue
        kind, owner = bound.get(var, ("any", None))
        properties.append((var, prop, kind, owner))
    for prop in re.findall(r"\]\.(\w+)", text):
        properties.append(("", prop, "any", None))
    return labels, types, properties


def test_the_twin_explorer_has_cypher_to_check():
    origins = [origin for origin, _ in cypher_queries()]
    assert len(origins) >= 10 and sum(o.startswith("twin-explorer.json panel") for o in origins) >= 10


def test_the_reference_parser_reads_labels_types_and_properties():
    labels, types, props = references(
        "MATCH (d:Deployment {repository: 'x'})-[f:FIRST_DEPLOYED]->(c:Commit) "
        "WHERE d.deployedAt > datetime() RETURN f.leadTimeSeconds, duration.inSeconds(c.committedAt, d.deployedAt)")
    assert labels == {"Deployment", "Commit"} and types == {"FIRST_DEPLOYED"}
    assert ("d", "repository", "node", "Deployment") in props
    assert ("f", "leadTimeSeconds", "relationship", "FIRST_DEPLOYED") in props
    assert ("c", "committedAt", "node", "Commit") in props
    assert not any(p[1] == "inSeconds" for p in props)


@pytest.mark.parametrize("origin,query", cypher_queries(), ids=[q[0] for q in cypher_queries()])
def test_cypher_uses_only_what_the_projection_writes(origin, query):
    nodes, relationships = graph_schema()
    labels, types, properties = references(query)
    assert labels <= set(nodes), f"{origin}: labels not in the graph schema: {labels - set(nodes)}"
    assert types <= set(relationships), f"{origin}: relationship types not in the schema: {types - set(relationships)}"
    everything = set().union(*nodes.values(), *relationships.values())
    for var, prop, kind, owner in properties:
        if kind == "node" and owner:
            known = nodes[owner]
        elif kind == "relationship" and owner:
            known = relationships[owner]
        else:
            known = everything
        assert prop in known, f"{origin}: {var}.{prop} ({owner or 'any'}) is not a property the projection writes"
