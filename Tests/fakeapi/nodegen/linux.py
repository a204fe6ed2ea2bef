"""AKS Linux nodes shaped like a real `GET /api/v1/nodes` item (see Tests/Fixtures/real/aks-linux-nodelist-*):
28 labels, 2 annotations, providerID and podCIDR, 10-14 conditions (node-problem-detector adds 6-10),
50 images and managedFields from five managers; 10-15 KB of compact JSON each."""

import random
import time

from fakeapi.clock import rfc3339
from fakeapi.nodegen import common
from fakeapi.nodegen.images import LINUX
from fakeapi.nodegen.pool import Pool

_CAPACITY = {"cpu": "4", "ephemeral-storage": "129886128Ki", "hugepages-1Gi": "0", "hugepages-2Mi": "0", "memory": "16375020Ki", "pods": "110"}
_ALLOCATABLE = {"cpu": "3860m", "ephemeral-storage": "119703055367", "hugepages-1Gi": "0", "hugepages-2Mi": "0", "memory": "12897516Ki", "pods": "110"}


def _shared(pool: Pool) -> dict:
    if not pool.shared:
        pool.shared["images"] = common.images(LINUX, 50)
        pool.shared["capacity"] = dict(_CAPACITY)
        pool.shared["allocatable"] = dict(_ALLOCATABLE)
        pool.shared["fields"] = {}
    return pool.shared


def linux_node(pool: Pool, index: int, rng: random.Random, ready: bool = True, annotations: dict | None = None) -> dict:
    shared = _shared(pool)
    name = pool.vmss_name(index)
    zone = f"{pool.region}-{index % 3 + 1}"
    now = time.time()
    created = now - rng.randrange(2 * 3600, 60 * 86400)
    booted = created + rng.randrange(5, 40)
    heartbeat = now - rng.randrange(0, 40)
    npd_started = created + rng.randrange(60, 600)
    ip = f"10.224.{index // 250 % 256}.{index % 250 + 4}"
    created_at, booted_at, heartbeat_at, npd_at = rfc3339(created), rfc3339(booted), rfc3339(heartbeat), rfc3339(npd_started)
    cache = shared["fields"]

    kubelet_conditions = [common.condition(t, "False", r, m, heartbeat_at, created_at) for t, r, m in common.KUBELET_CONDITIONS]
    kubelet_conditions.append(common.ready_condition(ready, heartbeat_at, booted_at, apparmor=True))
    # 6..10 node-problem-detector conditions (10..14 in all) keep a node within 10-15 KB of JSON.
    npd_count = rng.randrange(6, 11)
    npd_conditions = [common.condition(t, "False", r, m, heartbeat_at, npd_at) for t, r, m in common.NPD_CONDITIONS[:npd_count]]
    addresses = [{"type": "InternalIP", "address": ip}, {"type": "Hostname", "address": name}]
    labels = pool.labels(name, zone)  # sorted keys, as Go's encoder writes maps
    node_annotations = {
        "node.alpha.kubernetes.io/ttl": "0",
        "volumes.kubernetes.io/controller-managed-attach-detach": "true",
    }
    node_annotations.update(annotations or {})
    pod_cidr = f"10.244.{index % 256}.0/24"
    node_info = {
        "machineID": "%032x" % rng.getrandbits(128),
        "systemUUID": common.rng_uuid(rng),
        "bootID": common.rng_uuid(rng),
        "kernelVersion": "5.15.0-1061-azure",
        "osImage": "Ubuntu 22.04.4 LTS",
        "containerRuntimeVersion": "containerd://1.7.15-1",
        "kubeletVersion": pool.kubelet_version,
        "kubeProxyVersion": pool.kubelet_version,
        "operatingSystem": "linux",
        "architecture": "amd64",
    }
    if "kubelet-meta" not in cache:
        cache["kubelet-meta"] = {"f:metadata": {"f:annotations": common.fields_of_map(["volumes.kubernetes.io/controller-managed-attach-detach"]), "f:labels": common.fields_of_map(k for k in labels if not k.startswith("topology.kubernetes.io/"))}, "f:spec": {"f:providerID": {}}}
        cache["cloud-node-manager"] = {"f:metadata": {"f:labels": common.fields_of_map(["topology.kubernetes.io/region", "topology.kubernetes.io/zone"], own=False)}, "f:status": {"f:addresses": common.fields_of_keyed_list(addresses, "type")}}
    managed_fields = [
        common.managed("cloud-node-manager", booted + 2, cache["cloud-node-manager"], "status"),
        common.managed("kube-controller-manager", booted + 6, {"f:metadata": {"f:annotations": {"f:node.alpha.kubernetes.io/ttl": {}}}, "f:spec": {"f:podCIDR": {}, "f:podCIDRs": {".": {}, f'v:"{pod_cidr}"': {}}}}),
        common.managed("kubelet", booted, cache["kubelet-meta"]),
        common.managed("kubelet", heartbeat, {"f:status": {"f:conditions": common.fields_of_keyed_list(kubelet_conditions, "type", cache), "f:images": {}, "f:nodeInfo": {"f:bootID": {}}}}, "status"),
        common.managed("node-problem-detector", npd_started, {"f:status": {"f:conditions": common.fields_of_keyed_list(npd_conditions, "type", cache)}}, "status"),
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
        "spec": {"podCIDR": pod_cidr, "podCIDRs": [pod_cidr], "providerID": pool.provider_id(index)},
        "status": {
            "capacity": shared["capacity"],
            "allocatable": shared["allocatable"],
            "conditions": npd_conditions + kubelet_conditions,
            "addresses": addresses,
            "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
            "nodeInfo": node_info,
            "images": shared["images"],
        },
    }
