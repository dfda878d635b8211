"""The simulator's live mode delivers webhooks as GitHub does: each delivery is signed with the secret
(checked here with Python's own hmac), carries the GitHub headers, and its payload validates against GitHub's
webhook schemas from octokit/webhooks (the subset in Tests/Fixtures/github/octokit-webhooks, see its README).
The simulator runs as the real `devops-twin simulator` process; a Python HTTP server receives the deliveries."""
from __future__ import annotations

import hashlib
import hmac
import http.server
import json
import os
import tempfile
import threading
import time
from pathlib import Path

import pytest
from jsonschema import Draft7Validator
from referencing import Registry, Resource

import deploy_support as ds

SCHEMAS = ds.ROOT / "Tests" / "Fixtures" / "github" / "octokit-webhooks" / "payload-schemas" / "api.github.com"
SECRET = "payload-test-secret"
# (event, action) -> schema file: the deliveries the live mode sends.
SCHEMA_FOR = {
    ("push", None): "push/event.schema.json",
    ("create", None): "create/event.schema.json",
    ("release", "published"): "release/published.schema.json",
    ("issues", "opened"): "issues/opened.schema.json",
    ("issues", "closed"): "issues/closed.schema.json",
    ("workflow_run", "completed"): "workflow_run/completed.schema.json",
    ("ping", None): "ping/event.schema.json",
}


def registry() -> Registry:
    """Every schema of the subset under the URI its `$ref`s use: `common/x.schema.json` from an event file,
    `x.schema.json` from a common file."""
    resources = []
    for path in SCHEMAS.rglob("*.schema.json"):
        contents = json.loads(path.read_text())
        contents.pop("$id", None)
        relative = path.relative_to(SCHEMAS).as_posix()
        resources.append((f"https://schemas.test/{relative}", Resource.from_contents(contents)))
    return Registry().with_resources(resources)


def validator(schema_file: str, registry_: Registry) -> Draft7Validator:
    schema = json.loads((SCHEMAS / schema_file).read_text())
    # An event file's `common/…` references are relative to the folder holding `common/`, as octokit resolves them.
    schema["$id"] = "https://schemas.test/event.schema.json"
    return Draft7Validator(schema, registry=registry_)


class Receiver(ds.LoopbackHTTPServer):
    """Records every POST (headers and body) and answers 202."""

    def __init__(self):
        self.deliveries: list[tuple[dict, bytes]] = []
        lock = self.lock = threading.Lock()
        deliveries = self.deliveries

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's naming)
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with lock:
                    deliveries.append(({k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(202)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        super().__init__(Handler)
        self.url = f"http://{self.address}/webhooks/github"

    def kinds(self) -> set[tuple[str, str | None]]:
        with self.lock:
            found = set()
            for headers, body in self.deliveries:
                action = json.loads(body).get("action")
                event = headers.get("x-github-event")
                found.add((event, action if (event, action) in SCHEMA_FOR else None))
            return found


@pytest.fixture(scope="module")
def deliveries():
    binary = Path(os.environ.get("DEVOPS_TWIN_BIN", ds.ROOT / ".build" / "debug" / "devops-twin"))
    if not binary.exists():
        if os.environ.get("CI"):
            pytest.fail(f"the payload check needs the devops-twin binary in CI: {binary} is missing")
        pytest.skip(f"no devops-twin binary at {binary}")
    with tempfile.TemporaryDirectory(prefix="devops-twin-webhooks-") as tmp, Receiver() as receiver:
        log = Path(tmp) / "simulator.log"
        command = [str(binary), "simulator", "--listen", f"127.0.0.1:{ds.free_port()}", "--organisation", "acme/svc:3",
                   "--commits", "60", "--live-interval", "0.02", "--webhook-url", receiver.url]
        env = dict(os.environ, DEVOPS_TWIN_WEBHOOK_SECRET=SECRET)
        with ds.running(command, log, env=env) as process:
            ds.wait_until(lambda: set(SCHEMA_FOR) <= receiver.kinds(),
                          "a delivery of every kind the live mode sends", 90, process, log)
        with receiver.lock:
            return list(receiver.deliveries)


def test_every_delivery_is_signed_with_the_secret_and_carries_githubs_headers(deliveries):
    ids = set()
    for headers, body in deliveries:
        expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
        assert hmac.compare_digest(headers["x-hub-signature-256"], expected)
        assert headers["content-type"] == "application/json"
        assert headers["user-agent"].startswith("GitHub-Hookshot/")
        assert headers["x-github-event"] in {event for event, _ in SCHEMA_FOR}
        ids.add(headers["x-github-delivery"])
    assert len(ids) == len(deliveries), "delivery ids repeat without a fault asking for duplicates"


def test_the_first_delivery_is_the_ping_of_a_new_hook(deliveries):
    assert deliveries[0][0]["x-github-event"] == "ping"


def test_every_payload_validates_against_githubs_webhook_schema(deliveries):
    registry_ = registry()
    validators = {key: validator(path, registry_) for key, path in SCHEMA_FOR.items()}
    checked = set()
    for headers, body in deliveries:
        payload = json.loads(body)
        event = headers["x-github-event"]
        key = (event, payload.get("action")) if (event, payload.get("action")) in validators else (event, None)
        errors = sorted(validators[key].iter_errors(payload), key=lambda e: list(e.absolute_path))
        assert not errors, f"{key}: " + "; ".join(f"{list(e.absolute_path)}: {e.message[:200]}" for e in errors[:5])
        checked.add(key)
    assert checked == set(SCHEMA_FOR)
