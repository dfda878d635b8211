"""`devops-twin simulator` with GitHub Apps from the command line, driven by an independent client: JWTs signed
here with the real `cryptography` library (RS256 = PKCS#1 v1.5 over SHA-256), not by the Swift code under test.

Shown: `--app` takes a public or a private key file; `--installation APP:ORG:K/N` splits an organisation between
two apps with no repository in both and none left out; installation tokens read their part only and expire after
`--installation-token-lifetime`; `--archived-every`/`--fork-every` mark the generated repositories; a bad key
file or a bad flag stops the simulator with a message naming the flag.
"""
from __future__ import annotations

import base64
import json
import subprocess
import time
import urllib.error
import urllib.request

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

import deploy_support as ds

REPOSITORIES = 9


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def sign_jwt(key, app_id: int, iat_offset: int = -60, lifetime: int = 600) -> str:
    now = int(time.time())
    header = b64url(json.dumps({"alg": "RS256", "typ": "JWT"}).encode())
    payload = b64url(json.dumps({"iat": now + iat_offset, "exp": now + iat_offset + lifetime, "iss": str(app_id)}).encode())
    signature = key.sign(f"{header}.{payload}".encode(), padding.PKCS1v15(), hashes.SHA256())
    return f"{header}.{payload}.{b64url(signature)}"


def request(url: str, token: str | None = None, method: str = "GET") -> tuple[int, dict | list]:
    headers = {"Accept": "application/vnd.github+json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    req = urllib.request.Request(url, method=method, headers=headers, data=b"" if method == "POST" else None)
    try:
        with urllib.request.urlopen(req, timeout=10) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


@pytest.fixture(scope="module")
def simulator(tmp_path_factory):
    root = tmp_path_factory.mktemp("simulator-apps")
    first = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    second = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public_file = root / "app7.pub.pem"
    public_file.write_bytes(first.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    private_file = root / "app8.private-key.pem"  # as GitHub hands it out: PKCS#1 "RSA PRIVATE KEY"
    private_file.write_bytes(second.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()))
    port = ds.free_port()
    log = root / "simulator.log"
    arguments = [ds.devops_twin_binary(), "simulator", "--listen", f"127.0.0.1:{port}", "--commits", "30",
                 "--organisation", f"acme/svc:{REPOSITORIES}", "--archived-every", "3", "--fork-every", "4",
                 "--app", f"7:{public_file}", "--app", f"8:{private_file}",
                 "--installation", "7:acme:1/2", "--installation", "8:acme:2/2",
                 "--installation-token-lifetime", "10"]
    with ds.running(arguments, log) as process:
        ds.wait_until(lambda: "simulated GitHub at" in log.read_text(), "the simulator", 60, process, log)
        yield f"http://127.0.0.1:{port}", {7: first, 8: second}, log


def installation_token(base: str, key, app_id: int) -> tuple[int, str]:
    status, installations = request(f"{base}/app/installations", sign_jwt(key, app_id))
    assert status == 200, installations
    assert [i["app_id"] for i in installations] == [app_id]
    installation = installations[0]["id"]
    status, body = request(f"{base}/app/installations/{installation}/access_tokens", sign_jwt(key, app_id), "POST")
    assert status == 201, body
    assert body["token"].startswith("ghs_") and body["repository_selection"] == "selected"
    return installation, body["token"]


def test_two_apps_split_the_organisation(simulator):
    base, keys, log = simulator
    assert "GitHub App 7 (devops-twin-app-7): installations 7001 on acme (4 selected)" in log.read_text()
    seen = {}
    for app_id, key in keys.items():
        installation, token = installation_token(base, key, app_id)
        assert installation == app_id * 1000 + 1
        status, body = request(f"{base}/installation/repositories?per_page=100", token)
        assert status == 200, body
        assert body["total_count"] == len(body["repositories"])
        seen[app_id] = {repository["full_name"] for repository in body["repositories"]}
        for name in seen[app_id]:
            assert request(f"{base}/repos/{name}", token)[0] == 200
    assert not seen[7] & seen[8]
    assert seen[7] | seen[8] == {f"acme/svc-{i}" for i in range(REPOSITORIES)}
    assert seen[7] == {f"acme/svc-{i}" for i in range(4)}
    # A token of one app cannot read the other's part.
    _, token = installation_token(base, keys[7], 7)
    assert request(f"{base}/repos/acme/svc-8", token)[0] == 404


def test_generated_repositories_are_archived_and_forked_as_asked(simulator):
    base, _, _ = simulator
    status, repositories = request(f"{base}/orgs/acme/repos?per_page=100&sort=full_name")
    assert status == 200
    flags = {r["name"]: (r["archived"], r["fork"]) for r in repositories}
    assert {name for name, (archived, _) in flags.items() if archived} == {"svc-2", "svc-5", "svc-8"}
    assert {name for name, (_, fork) in flags.items() if fork} == {"svc-3", "svc-7"}


def test_tokens_expire_and_bad_jwts_are_refused(simulator):
    base, keys, _ = simulator
    _, token = installation_token(base, keys[8], 8)
    assert request(f"{base}/installation/repositories", token)[0] == 200
    ds.wait_until(lambda: request(f"{base}/installation/repositories", token)[0] == 401, "the token to expire", 40)
    status, body = request(f"{base}/app", sign_jwt(keys[8], 8, iat_offset=-60, lifetime=900))
    assert status == 401 and "too far in the future" in body["message"]
    status, body = request(f"{base}/app", sign_jwt(keys[7], 8))
    assert status == 401 and "signature does not verify" in body["message"]


@pytest.mark.parametrize("flags, expected", [
    (["--app", "7:/nonexistent/key.pem"], "--app 7: cannot read the key file /nonexistent/key.pem"),
    (["--app", "seven:key.pem"], "--app seven:key.pem is not ID:PEM_FILE"),
    (["--installation", "9:acme"], "no --app 9 is registered"),
    (["--archived-every", "2"], "--archived-every and --fork-every apply to --organisation"),
])
def test_bad_flags_are_named(flags, expected, tmp_path):
    done = subprocess.run([ds.devops_twin_binary(), "simulator", "--listen", f"127.0.0.1:{ds.free_port()}", *flags],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert expected in done.stderr, done.stderr


def test_a_key_that_is_not_rsa_pem_is_refused(tmp_path):
    bad = tmp_path / "bad.pem"
    bad.write_text("-----BEGIN PUBLIC KEY-----\nbm90IGEga2V5\n-----END PUBLIC KEY-----\n")
    done = subprocess.run([ds.devops_twin_binary(), "simulator", "--listen", f"127.0.0.1:{ds.free_port()}",
                           "--app", f"7:{bad}"], capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert "not an RSA key in PEM form" in done.stderr and str(bad) in done.stderr, done.stderr
