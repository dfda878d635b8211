"""The restricted Pod Security Standard, as a check of a pod spec (a pod template's `spec`).

Written from the controls the standard documents, in the order of its tables: Kubernetes documentation, "Pod
Security Standards" (https://kubernetes.io/docs/concepts/security/pod-security-standards/, source
kubernetes/website content/en/docs/concepts/security/pod-security-standards.md), profile "Restricted", which
includes every control of "Baseline". Each violation names its control as the page does. A namespace labelled
`pod-security.kubernetes.io/enforce: restricted` refuses a pod with any of them. Only what a pod template can
say is checked (the fields the controls name, for containers, init containers and ephemeral containers).
"""
from __future__ import annotations

# Baseline, "Capabilities": adding any capability beyond this list is disallowed.
BASELINE_CAPABILITIES = {"AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD",
                         "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"}
# Baseline, "Sysctls": the safe subset.
SAFE_SYSCTLS = {"kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.ip_unprivileged_port_start",
                "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range", "net.ipv4.ip_local_reserved_ports",
                "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl",
                "net.ipv4.tcp_keepalive_probes"}
# Baseline, "SELinux": the allowed types.
SELINUX_TYPES = {"", "container_t", "container_init_t", "container_kvm_t", "container_engine_t"}
# Restricted, "Volume Types": the only volume sources allowed.
RESTRICTED_VOLUMES = {"configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim",
                      "projected", "secret"}
ALLOWED_SECCOMP = {"RuntimeDefault", "Localhost"}


def containers(spec: dict) -> list[dict]:
    return [*spec.get("containers", []), *spec.get("initContainers", []), *spec.get("ephemeralContainers", [])]


def restricted_violations(spec: dict, annotations: dict | None = None) -> list[str]:
    """Every control of the restricted profile (baseline included) that the pod spec breaks, as
    "<control>: <what>" strings; empty when the pod is admitted."""
    found: list[str] = []
    pod = spec.get("securityContext") or {}
    annotations = annotations or {}
    all_containers = containers(spec)

    # ----------------------------------------------------------------------------------------------- Baseline
    # HostProcess: windowsOptions.hostProcess must be false or unset.
    for context in [pod, *(c.get("securityContext") or {} for c in all_containers)]:
        if (context.get("windowsOptions") or {}).get("hostProcess"):
            found.append("HostProcess: windowsOptions.hostProcess is true")
    # Host Namespaces: hostNetwork, hostPID, hostIPC must be false or unset.
    for field in ("hostNetwork", "hostPID", "hostIPC"):
        if spec.get(field):
            found.append(f"Host Namespaces: {field} is true")
    for c in all_containers:
        context = c.get("securityContext") or {}
        # Privileged Containers.
        if context.get("privileged"):
            found.append(f"Privileged Containers: {c['name']} is privileged")
        # Capabilities (baseline): only the listed ones may be added.
        added = set((context.get("capabilities") or {}).get("add", []))
        if added - BASELINE_CAPABILITIES:
            found.append(f"Capabilities: {c['name']} adds {sorted(added - BASELINE_CAPABILITIES)}")
        # Host Ports: undefined or 0.
        if any(port.get("hostPort") for port in c.get("ports", [])):
            found.append(f"Host Ports: {c['name']} uses a hostPort")
        # /proc Mount Type: undefined or Default.
        if context.get("procMount", "Default") != "Default":
            found.append(f"/proc Mount Type: {c['name']} sets procMount {context['procMount']}")
    # HostPath Volumes.
    for volume in spec.get("volumes", []):
        if "hostPath" in volume:
            found.append(f"HostPath Volumes: {volume['name']}")
    # AppArmor: undefined, runtime/default or localhost/* (field or the older annotation).
    for context in [pod, *(c.get("securityContext") or {} for c in all_containers)]:
        profile = (context.get("appArmorProfile") or {}).get("type")
        if profile not in (None, "RuntimeDefault", "Localhost"):
            found.append(f"AppArmor: profile {profile}")
    for key, value in annotations.items():
        if key.startswith("container.apparmor.security.beta.kubernetes.io/") and not (
                value == "runtime/default" or value.startswith("localhost/")):
            found.append(f"AppArmor: annotation {key}={value}")
    # SELinux: type from the allowed list; user and role unset.
    for context in [pod, *(c.get("securityContext") or {} for c in all_containers)]:
        options = context.get("seLinuxOptions") or {}
        if options.get("type", "") not in SELINUX_TYPES or options.get("user") or options.get("role"):
            found.append(f"SELinux: seLinuxOptions {options}")
    # Sysctls: only the safe subset.
    for sysctl in pod.get("sysctls", []):
        if sysctl["name"] not in SAFE_SYSCTLS:
            found.append(f"Sysctls: {sysctl['name']}")

    # --------------------------------------------------------------------------------------------- Restricted
    # Volume Types: only configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected, secret.
    for volume in spec.get("volumes", []):
        sources = set(volume) - {"name"}
        if not sources <= RESTRICTED_VOLUMES:
            found.append(f"Volume Types: {volume['name']} is {sorted(sources - RESTRICTED_VOLUMES)}")
    for c in all_containers:
        context = c.get("securityContext") or {}
        # Privilege Escalation: allowPrivilegeEscalation must be false, for every container.
        if context.get("allowPrivilegeEscalation") is not False:
            found.append(f"Privilege Escalation: {c['name']} does not set allowPrivilegeEscalation: false")
        # Running as Non-root: runAsNonRoot true on the pod, or on every container (a container may not set false).
        if context.get("runAsNonRoot") is False or (
                pod.get("runAsNonRoot") is not True and context.get("runAsNonRoot") is not True):
            found.append(f"Running as Non-root: {c['name']} may run as root (runAsNonRoot)")
        # Running as Non-root user: runAsUser must not be 0 (pod or container).
        if context.get("runAsUser") == 0:
            found.append(f"Running as Non-root user: {c['name']} sets runAsUser 0")
        # Seccomp: RuntimeDefault or Localhost on the pod, or on every container; never Unconfined.
        own = (context.get("seccompProfile") or {}).get("type")
        inherited = (pod.get("seccompProfile") or {}).get("type")
        if own not in ALLOWED_SECCOMP and not (own is None and inherited in ALLOWED_SECCOMP):
            found.append(f"Seccomp: {c['name']} has no seccompProfile RuntimeDefault or Localhost")
        # Capabilities (restricted): drop ALL; add at most NET_BIND_SERVICE.
        capabilities = context.get("capabilities") or {}
        if "ALL" not in capabilities.get("drop", []):
            found.append(f"Capabilities: {c['name']} does not drop ALL")
        if set(capabilities.get("add", [])) - {"NET_BIND_SERVICE"}:
            found.append(f"Capabilities: {c['name']} adds more than NET_BIND_SERVICE")
    if pod.get("runAsUser") == 0:
        found.append("Running as Non-root user: the pod sets runAsUser 0")
    if (pod.get("seccompProfile") or {}).get("type") == "Unconfined":
        found.append("Seccomp: the pod sets seccompProfile Unconfined")
    return found
