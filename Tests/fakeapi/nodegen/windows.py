"""AKS Windows nodes: `kubernetes.io/os: windows`, `node.kubernetes.io/windows-build`, agentpool labels, the
four kubelet conditions (node-problem-detector does not run on Windows), Windows Server images.

AKS names Windows nodes after the VMSS computer name ("akswin000003": "aks" + pool + base-36 index); pools
created with other naming show the scale-set form ("aks-npwin-12345678-vmss000003"). Both are generated; the
kubernetes.io/hostname label always carries the node's name, as the kubelet registers it."""

import random
import time

from fakeapi.clock import rfc3339
from fakeapi.nodegen import common
from fakeapi.nodegen.images import WINDOWS
from fakeapi.nodegen.pool import Pool

WINDOWS_BUILD = "10.0.20348"
_CAPACITY = {"cpu": "4", "ephemeral-storage": "133703676Ki", "memory": "16776756Ki", "pods": "30"}
_ALLOCATABLE = {"cpu": "3860m", "ephemeral-storage": "133703676Ki", "memory": "12319284Ki", "pods": "30"}


def windows_node(pool: Pool, index: int, rng: random.Random, computer_name: bool, ready: bool = True, annotations: dict | None = None) -> dict:
    if not pool.shared:
        pool.shared.update(images=common.images(WINDOWS, len(WINDOWS)), capacity=dict(_CAPACITY), allocatable=dict(_ALLOCATABLE))
    name = pool.computer_name(index) if computer_name else pool.vmss_name(index)
    zone = "0"
    now = time.time()
    created = now - rng.randrange(600, 20 * 86400)
    booted = created + rng.randrange(20, 120)
    heartbeat = now - rng.randrange(0, 40)
    ip = f"10.225.{index // 250 % 256}.{index % 250 + 4}"
    created_at, heartbeat_at = rfc3339(created), rfc3339(heartbeat)
    conditions = [common.condition(t, "False", r, m, heartbeat_at, created_at) for t, r, m in common.KUBELET_CONDITIONS]
    conditions.append(common.ready_condition(ready, heartbeat_at, rfc3339(booted), apparmor=False))
    addresses = [{"type": "Hostname", "address": name}, {"type": "InternalIP", "address": ip}]
    labels = pool.labels(name, zone)
    labels["node.kubernetes.io/windows-build"] = WINDOWS_BUILD
    labels = dict(sorted(labels.items()))  # Go's encoder writes map keys in order
    node_annotations = {"node.alpha.kubernetes.io/ttl": "0", "volumes.kubernetes.io/controller-managed-attach-detach": "true"}
    node_annotations.update(annotations or {})
    managed_fields = [
        common.managed("kube-controller-manager", booted + 5, {"f:metadata": {"f:annotations": {"f:node.alpha.kubernetes.io/ttl": {}}}}),
        common.managed("kubelet.exe", booted, {"f:metadata": {"f:annotations": common.fields_of_map(["volumes.kubernetes.io/controller-managed-attach-detach"]), "f:labels": common.fields_of_map(labels)}, "f:spec": {"f:providerID": {}}}),
        common.managed("kubelet.exe", heartbeat, {"f:status": {"f:addresses": common.fields_of_keyed_list(addresses, "type"), "f:allocatable": common.fields_of_map(_ALLOCATABLE), "f:capacity": common.fields_of_map(_CAPACITY), "f:conditions": common.fields_of_keyed_list(conditions, "type"), "f:daemonEndpoints": {"f:kubeletEndpoint": {"f:Port": {}}}, "f:images": {}, "f:nodeInfo": common.fields_of_map(["architecture", "bootID", "containerRuntimeVersion", "kernelVersion", "kubeProxyVersion", "kubeletVersion", "machineID", "operatingSystem", "osImage", "systemUUID"], own=False)}}, "status"),
    ]
    return {
        "metadata": {
            "name": name,
            "uid": common.rng_uuid(rng),
            "creationTimestamp": rfc3339(created),
            "labels": labels,
            "annotations": node_annotations,
            "managedFields": managed_fields,
        },
        "spec": {"providerID": pool.provider_id(index)},
        "status": {
            "capacity": pool.shared["capacity"],
            "allocatable": pool.shared["allocatable"],
            "conditions": conditions,
            "addresses": addresses,
            "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
            "nodeInfo": {
                "machineID": name,
                "systemUUID": common.rng_uuid(rng).upper(),
                "bootID": str(rng.randrange(5, 40)),
                "kernelVersion": WINDOWS_BUILD + ".2402",
                "osImage": "Windows Server 2022 Datacenter",
                "containerRuntimeVersion": "containerd://1.6.21+azure",
                "kubeletVersion": pool.kubelet_version,
                "kubeProxyVersion": pool.kubelet_version,
                "operatingSystem": "windows",
                "architecture": "amd64",
            },
            "images": pool.shared["images"],
        },
    }
