"""Pieces shared by the Linux and Windows node shapes: deterministic ids, AKS instance names, conditions and
managedFields derived from the node's own fields (so their keys always match what the node carries)."""

import random
import uuid

from fakeapi.clock import rfc3339

BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz"

# Conditions the kubelet posts, and those node-problem-detector adds on AKS Linux nodes: (type, reason, message).
KUBELET_CONDITIONS = [
    ("MemoryPressure", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
    ("DiskPressure", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
    ("PIDPressure", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
]
NPD_CONDITIONS = [
    ("KernelDeadlock", "KernelHasNoDeadlock", "kernel has no deadlock"),
    ("ReadonlyFilesystem", "FilesystemIsNotReadOnly", "Filesystem is not read-only"),
    ("FrequentKubeletRestart", "NoFrequentKubeletRestart", "kubelet is functioning properly"),
    ("FrequentContainerdRestart", "NoFrequentContainerdRestart", "containerd is functioning properly"),
    ("FrequentUnregisterNetDevice", "NoFrequentUnregisterNetDevice", "node is functioning properly"),
    ("FilesystemCorruptionProblem", "FilesystemIsOK", "Filesystem is healthy"),
    ("ContainerRuntimeProblem", "ContainerRuntimeIsUp", "container runtime service is up"),
    ("KubeletProblem", "KubeletIsUp", "kubelet service is up"),
    ("VMEventScheduled", "NoVMEventScheduled", "VM has no scheduled event"),
    ("FrequentDockerRestart", "NoFrequentDockerRestart", "docker is functioning properly"),
    ("TerminateScheduled", "NoTerminateScheduled", "VM has no scheduled Terminate event"),
    ("RebootScheduled", "NoRebootScheduled", "VM has no scheduled Reboot event"),
    ("RedeployScheduled", "NoRedeployScheduled", "VM has no scheduled Redeploy event"),
    ("FreezeScheduled", "NoFreezeScheduled", "VM has no scheduled Freeze event"),
]


def rng_uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def base36(number: int, width: int = 6) -> str:
    """AKS VMSS instance suffixes count in base 36: vmss000009, vmss00000a, ..."""
    digits = []
    while number:
        number, rest = divmod(number, 36)
        digits.append(BASE36[rest])
    return "".join(reversed(digits)).rjust(width, "0")


def condition(kind: str, status: str, reason: str, message: str, heartbeat: str, transition: str) -> dict:
    """A node condition; times are RFC 3339 strings (formatted once per node: this runs 70,000 times for 5,000 nodes)."""
    return {"type": kind, "status": status, "lastHeartbeatTime": heartbeat, "lastTransitionTime": transition, "reason": reason, "message": message}


def ready_condition(ready: bool, heartbeat: str, transition: str, apparmor: bool) -> dict:
    if ready:
        message = "kubelet is posting ready status" + (". AppArmor enabled" if apparmor else "")
        return condition("Ready", "True", "KubeletReady", message, heartbeat, transition)
    return condition("Ready", "False", "KubeletNotReady", "container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized", heartbeat, transition)


def fields_of_map(keys, own: bool = True) -> dict:
    """FieldsV1 of a map whose keys the manager owns ("." marks owning the map itself)."""
    fields = {".": {}} if own else {}
    fields.update({f"f:{k}": {} for k in sorted(keys)})
    return fields


def fields_of_keyed_list(items: list[dict], key: str, cache: dict | None = None) -> dict:
    """FieldsV1 of a list merged by `key` (conditions by type, addresses by type). Nodes of a pool share the
    result through `cache` when their lists have the same entries."""
    signature = (key,) + tuple(sorted((item[key], tuple(sorted(item))) for item in items))
    if cache is not None and signature in cache:
        return cache[signature]
    fields = {".": {}}
    for item in sorted(items, key=lambda i: i[key]):
        entry = {".": {}}
        entry.update({f"f:{k}": {} for k in sorted(item)})
        fields[f'k:{{"{key}":"{item[key]}"}}'] = entry
    if cache is not None:
        cache[signature] = fields
    return fields


def managed(manager: str, at: float, fields: dict, subresource: str | None = None) -> dict:
    entry = {"manager": manager, "operation": "Update", "apiVersion": "v1", "time": rfc3339(at), "fieldsType": "FieldsV1", "fieldsV1": fields}
    if subresource:
        entry["subresource"] = subresource
    return entry


def images(catalog: list, count: int) -> list[dict]:
    chosen = sorted(catalog, key=lambda entry: -entry[1])[:count]
    return [{"names": list(names), "sizeBytes": size} for names, size in chosen]
