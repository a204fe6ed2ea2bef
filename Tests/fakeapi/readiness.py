"""Turning a node Ready, NotReady or Unknown the way the kubelet and the node lifecycle controller would:
the Ready condition changes (with a new lastTransitionTime), and the matching taints are set or cleared.

`with_controller_taints` is the node lifecycle controller's half on its own (TaintNodesByCondition, and the kubelet
registering a new node with node.kubernetes.io/not-ready:NoSchedule): whatever writes a node (API create or
patch, admin seeding, admin patches), the stored node carries

- node.kubernetes.io/not-ready (NoSchedule and NoExecute) while its Ready condition is False,
- node.kubernetes.io/unreachable (NoSchedule and NoExecute) while it is Unknown,
- node.kubernetes.io/unschedulable:NoSchedule while it is cordoned (spec.unschedulable),

and none of these otherwise. A node without a Ready condition keeps the not-ready/unreachable taints it has.
The fake applies them in the same write (the real controller follows within moments), so the scheduler refuses
a NotReady node through its taints, as kube-scheduler does, never through a look at its conditions.
"""

import copy

from fakeapi.clock import rfc3339

_CONDITION = {
    "True": ("KubeletReady", "kubelet is posting ready status"),
    "False": ("KubeletNotReady", "container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady"),
    "Unknown": ("NodeStatusUnknown", "Kubelet stopped posting node status."),
}
NOT_READY = "node.kubernetes.io/not-ready"
UNREACHABLE = "node.kubernetes.io/unreachable"
UNSCHEDULABLE = "node.kubernetes.io/unschedulable"
# What the node lifecycle controller taints a node with for each Ready status.
_TAINTS = {
    "True": [],
    "False": [{"key": NOT_READY, "effect": "NoSchedule"}, {"key": NOT_READY, "effect": "NoExecute"}],
    "Unknown": [{"key": UNREACHABLE, "effect": "NoSchedule"}, {"key": UNREACHABLE, "effect": "NoExecute"}],
}
_READY_TAINT_KEYS = {NOT_READY, UNREACHABLE}


def status_value(ready: object) -> str:
    """true/false/"Unknown" (or the strings "True"/"False") as a condition status; ValueError otherwise."""
    if ready is True or ready == "True":
        return "True"
    if ready is False or ready == "False":
        return "False"
    if ready == "Unknown":
        return "Unknown"
    raise ValueError('ready must be true, false, "True", "False" or "Unknown"')


def _ready_status(node: dict) -> str | None:
    for c in (node.get("status") or {}).get("conditions") or []:
        if isinstance(c, dict) and c.get("type") == "Ready":
            return c.get("status") if c.get("status") in _TAINTS else "Unknown"
    return None


def _wanted(node: dict) -> list[dict] | None:
    """The controller's taints this node should carry, or None when its Ready condition says nothing."""
    status = _ready_status(node)
    return None if status is None else list(_TAINTS[status])


def with_controller_taints(node: dict) -> dict:
    """The node with the lifecycle controller's taints brought in line (unchanged object when nothing changes)."""
    spec = node.get("spec") if isinstance(node.get("spec"), dict) else {}
    current = [t for t in spec.get("taints") or [] if isinstance(t, dict)]
    wanted_ready = _wanted(node)
    keep, add = [], []
    for taint in current:
        key = taint.get("key")
        if key in _READY_TAINT_KEYS and wanted_ready is not None:
            if any(w["key"] == key and w["effect"] == taint.get("effect") for w in wanted_ready):
                keep.append(taint)
        elif key == UNSCHEDULABLE and taint.get("effect") == "NoSchedule":
            if spec.get("unschedulable"):
                keep.append(taint)
        else:
            keep.append(taint)
    now = rfc3339()
    for w in wanted_ready or []:
        if not any(t.get("key") == w["key"] and t.get("effect") == w["effect"] for t in keep):
            add.append(dict(w, timeAdded=now) if w["effect"] == "NoExecute" else dict(w))
    if spec.get("unschedulable") and not any(t.get("key") == UNSCHEDULABLE and t.get("effect") == "NoSchedule" for t in keep):
        add.append({"key": UNSCHEDULABLE, "effect": "NoSchedule", "timeAdded": now})
    taints = keep + add
    if not add and len(keep) == len(current):
        return node
    node = dict(node)
    spec = dict(spec)
    if taints:
        spec["taints"] = taints
    else:
        spec.pop("taints", None)
    node["spec"] = spec
    return node


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
    taints = [t for t in spec.get("taints") or [] if t.get("key") not in _READY_TAINT_KEYS]
    taints += [dict(t, timeAdded=now) if t["effect"] == "NoExecute" else dict(t) for t in _TAINTS[status]]
    if taints:
        spec["taints"] = taints
    else:
        spec.pop("taints", None)
    return with_controller_taints(node)
