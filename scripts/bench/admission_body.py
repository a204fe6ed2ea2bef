"""Writes a realistic AdmissionReview for the benchmark: a Windows Node UPDATE on the status subresource, with
object and oldObject as the kubelet's heartbeat sends them (labels, annotations, 4 conditions, addresses,
nodeInfo, managedFields, images), about 20 KB."""
import json
import sys


def windows_node(name: str, heartbeat: str) -> dict:
    images = [{"names": [f"mcr.microsoft.com/windows/servercore/image-{i}@sha256:{i:064x}",
                         f"mcr.microsoft.com/windows/servercore/image-{i}:ltsc2022-{i}"],
               "sizeBytes": 1_500_000_000 + i} for i in range(32)]
    conditions = [{"type": t, "status": s, "lastHeartbeatTime": heartbeat, "lastTransitionTime": "2026-11-29T06:00:00Z",
                   "reason": r, "message": m} for t, s, r, m in [
        ("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
        ("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
        ("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
        ("Ready", "True", "KubeletReady", "kubelet is posting ready status")]]
    return {
        "apiVersion": "v1", "kind": "Node",
        "metadata": {
            "name": name, "uid": "3d0f6a1e-52a5-4c1e-9a0e-6f7b4b1d2c3e", "resourceVersion": "48213391",
            "creationTimestamp": "2026-11-29T05:58:12Z",
            "labels": {"kubernetes.io/os": "windows", "kubernetes.io/arch": "amd64", "kubernetes.io/hostname": name,
                       "beta.kubernetes.io/os": "windows", "node.kubernetes.io/windows-build": "10.0.20348",
                       "agentpool": "win22", "kubernetes.azure.com/agentpool": "win22",
                       "kubernetes.azure.com/cluster": "MC_rg_cluster_westeurope", "kubernetes.azure.com/mode": "user",
                       "kubernetes.azure.com/node-image-version": "AKSWindows-2022-containerd-20348.2966.241213",
                       "node.kubernetes.io/instance-type": "Standard_D4s_v5",
                       "topology.kubernetes.io/region": "westeurope", "topology.kubernetes.io/zone": "westeurope-1"},
            "annotations": {"node.alpha.kubernetes.io/ttl": "0", "volumes.kubernetes.io/controller-managed-attach-detach": "true",
                            "csi.volume.kubernetes.io/nodeid": json.dumps({"disk.csi.azure.com": name, "file.csi.azure.com": name})},
            "managedFields": [{"manager": "kubelet.exe", "operation": "Update", "apiVersion": "v1", "time": heartbeat,
                               "fieldsType": "FieldsV1", "subresource": "status",
                               "fieldsV1": {"f:status": {"f:conditions": {f"k:{{\"type\":\"{c}\"}}": {"f:lastHeartbeatTime": {}}
                                                                           for c in ("DiskPressure", "MemoryPressure", "PIDPressure", "Ready")},
                                                        "f:images": {}, "f:nodeInfo": {"f:bootID": {}}}}}],
        },
        "spec": {"podCIDR": "10.244.7.0/24", "providerID": f"azure:///subscriptions/0000/resourceGroups/mc/providers/Microsoft.Compute/virtualMachineScaleSets/akswin/virtualMachines/3"},
        "status": {
            "capacity": {"cpu": "4", "ephemeral-storage": "133703676Ki", "memory": "16776692Ki", "pods": "30"},
            "allocatable": {"cpu": "3860m", "ephemeral-storage": "133703676Ki", "memory": "12137972Ki", "pods": "30"},
            "conditions": conditions,
            "addresses": [{"type": "Hostname", "address": name}, {"type": "InternalIP", "address": "10.240.0.97"}],
            "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
            "nodeInfo": {"machineID": name, "systemUUID": "1b7a0b6e-0000-0000-0000-000000000000", "bootID": "9",
                         "kernelVersion": "10.0.20348.2966", "osImage": "Windows Server 2022 Datacenter",
                         "containerRuntimeVersion": "containerd://1.7.20+azure", "kubeletVersion": "v1.30.6",
                         "kubeProxyVersion": "v1.30.6", "operatingSystem": "windows", "architecture": "amd64"},
            "images": images,
        },
    }


def review() -> dict:
    name = "akswin000003"
    return {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": {
        "uid": "705ab4f5-6393-11e8-b7cc-42010a800002",
        "kind": {"group": "", "version": "v1", "kind": "Node"},
        "resource": {"group": "", "version": "v1", "resource": "nodes"}, "subResource": "status",
        "requestKind": {"group": "", "version": "v1", "kind": "Node"},
        "requestResource": {"group": "", "version": "v1", "resource": "nodes"}, "requestSubResource": "status",
        "name": name, "operation": "UPDATE",
        "userInfo": {"username": f"system:node:{name}", "groups": ["system:nodes", "system:authenticated"]},
        "object": windows_node(name, "2026-11-29T07:00:10Z"), "oldObject": windows_node(name, "2026-11-29T06:59:20Z"),
        "dryRun": False, "options": {"kind": "UpdateOptions", "apiVersion": "meta.k8s.io/v1"}}}


if __name__ == "__main__":
    data = json.dumps(review(), separators=(",", ":")).encode()
    with open(sys.argv[1], "wb") as out:
        out.write(data)
    print(f"{len(data)} bytes", file=sys.stderr)
