"""deploy/kubernetes: every pod template meets the restricted Pod Security Standard (pod_security.py, written from the
standard's documented controls), and the check refuses the StatefulSet as it was before issue 23
(fixtures/kubernetes/statefulset-before-issue-23.yaml: no seccomp profile), so it can fail."""
from __future__ import annotations

import copy

import pytest

import deploy_support as ds
from pod_security import restricted_violations

K8S = ds.ROOT / "deploy" / "kubernetes"
BEFORE = ds.FIXTURES / "kubernetes" / "statefulset-before-issue-23.yaml"


def pod_templates() -> dict[str, dict]:
    """Every pod template of the manifests (and examples), by file and kind/name."""
    found = {}
    for path in sorted([*K8S.glob("*.yaml"), *K8S.glob("examples/*.yaml")]):
        document = ds.load_yaml(path)
        template = (document.get("spec") or {}).get("template")
        if template:
            found[f"{path.name} {document['kind']}/{document['metadata']['name']}"] = template
    return found


def statefulset_template() -> dict:
    return ds.load_yaml(K8S / "statefulset.yaml")["spec"]["template"]


def test_the_manifests_have_a_pod_template_to_check():
    assert set(pod_templates()) == {"statefulset.yaml StatefulSet/devops-twin"}


@pytest.mark.parametrize("name", sorted(pod_templates()))
def test_every_pod_template_is_admitted_under_the_restricted_standard(name):
    template = pod_templates()[name]
    assert restricted_violations(template["spec"], template["metadata"].get("annotations")) == []


def test_the_statefulset_before_issue_23_is_refused_for_its_missing_seccomp_profile():
    template = ds.load_yaml(BEFORE)["spec"]["template"]
    assert restricted_violations(template["spec"]) == [
        "Seccomp: devops-twin has no seccompProfile RuntimeDefault or Localhost"]


def test_the_pod_needs_no_service_account_token():
    assert statefulset_template()["spec"]["automountServiceAccountToken"] is False


def mutate(change):
    spec = copy.deepcopy(statefulset_template()["spec"])
    change(spec, spec["containers"][0].setdefault("securityContext", {}), spec.setdefault("securityContext", {}))
    return spec


# (what is changed, the control that must then refuse the pod) for every control of the standard.
CASES = [
    ("hostProcess", lambda s, c, p: c.update(windowsOptions={"hostProcess": True}), "HostProcess"),
    ("hostNetwork", lambda s, c, p: s.update(hostNetwork=True), "Host Namespaces"),
    ("hostPID", lambda s, c, p: s.update(hostPID=True), "Host Namespaces"),
    ("privileged", lambda s, c, p: c.update(privileged=True), "Privileged Containers"),
    ("capability SYS_ADMIN", lambda s, c, p: c["capabilities"].update(add=["SYS_ADMIN"]), "Capabilities"),
    ("capability CHOWN", lambda s, c, p: c["capabilities"].update(add=["CHOWN"]), "Capabilities"),
    ("no drop ALL", lambda s, c, p: c["capabilities"].update(drop=["NET_RAW"]), "Capabilities"),
    ("hostPath", lambda s, c, p: s["volumes"].append({"name": "h", "hostPath": {"path": "/"}}), "HostPath Volumes"),
    ("hostPort", lambda s, c, p: s["containers"][0]["ports"][0].update(hostPort=9866), "Host Ports"),
    ("AppArmor unconfined", lambda s, c, p: c.update(appArmorProfile={"type": "Unconfined"}), "AppArmor"),
    ("SELinux user", lambda s, c, p: p.update(seLinuxOptions={"user": "root"}), "SELinux"),
    ("procMount", lambda s, c, p: c.update(procMount="Unmasked"), "/proc Mount Type"),
    ("unsafe sysctl", lambda s, c, p: p.update(sysctls=[{"name": "kernel.msgmax", "value": "1"}]), "Sysctls"),
    ("nfs volume", lambda s, c, p: s["volumes"].append({"name": "n", "nfs": {"server": "x", "path": "/"}}),
     "Volume Types"),
    ("privilege escalation", lambda s, c, p: c.update(allowPrivilegeEscalation=True), "Privilege Escalation"),
    ("runAsNonRoot unset", lambda s, c, p: (p.pop("runAsNonRoot"), c.pop("runAsNonRoot")), "Running as Non-root"),
    ("runAsUser 0", lambda s, c, p: c.update(runAsUser=0), "Running as Non-root user"),
    ("seccomp unset", lambda s, c, p: p.pop("seccompProfile"), "Seccomp"),
    ("seccomp Unconfined", lambda s, c, p: c.update(seccompProfile={"type": "Unconfined"}), "Seccomp"),
]


@pytest.mark.parametrize("what,change,control", CASES, ids=[case[0] for case in CASES])
def test_the_check_refuses_each_control_of_the_standard(what, change, control):
    violations = restricted_violations(mutate(change))
    assert any(v.startswith(control + ":") for v in violations), (what, violations)
