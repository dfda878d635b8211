#!/usr/bin/env python3
"""Validate dumped GitHub API response bodies against GitHub's OpenAPI schemas.

Usage: validate_github_schemas.py DIR [--schemas PATH]

Every `*.json` file in DIR is one response body. Its name says what to check it against,
up to the first "."  (the rest of the name is free, e.g. a counter):
  - an operation id with "/" written as "_", e.g. `repos_list-commits.1.json`
    (the 200 response schema of that operation in the schemas file), or
  - a component schema name, e.g. `basic-error.404.json`, `repository.json`.

Needs the `openapi-schema-validator` package (pip install openapi-schema-validator).
Exit status: 0 all valid, 1 some body invalid, 2 usage or setup problem.
"""
import argparse
import json
import os
import sys

DEFAULT_SCHEMAS = os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "Fixtures", "github", "openapi",
    "github-dora-subset.schemas.json")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory")
    parser.add_argument("--schemas", default=DEFAULT_SCHEMAS)
    args = parser.parse_args()
    try:
        from openapi_schema_validator import OAS30Validator, oas30_format_checker
    except ImportError:
        print("openapi-schema-validator is not installed: run `pip install openapi-schema-validator`", file=sys.stderr)
        return 2
    try:
        with open(args.schemas, encoding="utf-8") as handle:
            document = json.load(handle)
    except OSError as error:
        print(f"cannot read the schemas file {args.schemas}: {error}", file=sys.stderr)
        return 2
    components = document.get("components", {})
    schemas = components.get("schemas", {})
    by_operation = {}
    for operation in document.get("operations", {}).values():
        response = operation.get("responses", {}).get("200", {})
        if "schema" in response:
            by_operation[operation["operationId"].replace("/", "_")] = response["schema"]

    names = sorted(name for name in os.listdir(args.directory) if name.endswith(".json"))
    if not names:
        print(f"no .json bodies in {args.directory}", file=sys.stderr)
        return 2
    failures = 0
    for name in names:
        key = name.split(".", 1)[0]
        if key in by_operation:
            schema = by_operation[key]
        elif key in schemas:
            schema = {"$ref": f"#/components/schemas/{key}"}
        else:
            print(f"{name}: no operation or component schema named {key!r}")
            failures += 1
            continue
        with open(os.path.join(args.directory, name), encoding="utf-8") as handle:
            try:
                body = json.load(handle)
            except json.JSONDecodeError as error:
                print(f"{name}: not JSON: {error}")
                failures += 1
                continue
        root = dict(schema)
        root["components"] = components
        validator = OAS30Validator(root, format_checker=oas30_format_checker)
        errors = sorted(validator.iter_errors(body), key=lambda e: list(e.absolute_path))
        for error in errors[:5]:
            location = "/".join(str(part) for part in error.absolute_path) or "(root)"
            print(f"{name}: {location}: {error.message[:300]}")
        if errors:
            failures += 1
    checked = len(names)
    print(f"checked {checked} bodies, {failures} invalid")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
