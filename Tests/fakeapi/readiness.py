"""Turning a node Ready, NotReady or Unknown the way the kubelet and the node lifecycle controller would:
the Ready condition changes (with a new lastTransitionTime), and the matching taints are set or cleared."""

import copy

from fakeapi.clock import rfc3339

_CONDITION = {
    "True": ("KubeletReady", "kubelet is posting ready status"),
    "False": ("KubeletNotReady", "container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady"),
    "Unknown": ("NodeStatusUnknown", "Kubelet stopped posting node status."),
}
# What the node lifecycle controller taints a node with for each Ready status.
_TAINTS = {
    "True": [],
    "False": [{"key": "node.kubernetes.io/not-ready", "effect": "NoSchedule"}, {"key": "node.kubernetes.io/not-ready", "effect": "NoExecute"}],
    "Unknown": [{"key": "node.kubernetes.io/unreachable", "effect": "NoSchedule"}, {"key": "node.kubernetes.io/unreachable", "effect": "NoExecute"}],
}
_MANAGED_TAINT_KEYS = {"node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"}


def status_value(ready: object) -> str:
    """true/false/"Unknown" (or the strings "True"/"False") as a condition status; ValueError otherwise."""
    if ready is True or ready == "True":
        return "True"
    if ready is False or ready == "False":
        return "False"
    if ready == "Unknown":
        return "Unknown"
    raise ValueError('ready must be true, false, "True", "False" or "Unknown"')


def with_ready(node: dict, status: str) -> dict:
    node = copy.deepcopy(node)
    now = rfc3339()
    reason, message = _CONDITION[status]
    conditions = node.setdefault("status", {}).setdefault("conditions", [])
    ready = next((c for c in conditions if c.get("type") == "Ready"), None)
    if ready is None:
        ready = {"type": "Ready", "lastTransitionTime": now}
        conditions.append(ready)
    if ready.get("status") != status:
        ready["lastTransitionTime"] = now
    ready.update(status=status, lastHeartbeatTime=now, reason=reason, message=message)
    spec = node.setdefault("spec", {})
    taints = [t for t in spec.get("taints") or [] if t.get("key") not in _MANAGED_TAINT_KEYS]
    taints += [dict(t, timeAdded=now) if t["effect"] == "NoExecute" else dict(t) for t in _TAINTS[status]]
    if taints:
        spec["taints"] = taints
    else:
        spec.pop("taints", None)
    return node
