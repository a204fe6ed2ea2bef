"""What all nodes of one AKS agent pool share: cluster, region, VM size, image version, images.

The image list and the managedFields skeleton are built once per pool and shared by its nodes (the store
never mutates objects in place), so 5,000 generated nodes cost little memory beyond their JSON."""

import random
from dataclasses import dataclass, field

from fakeapi.nodegen.common import base36, rng_uuid


@dataclass
class Pool:
    name: str
    os: str  # "linux" or "windows"
    mode: str  # "system" or "user"
    scale_set_id: str  # the 8 digits in aks-<pool>-<id>-vmss<index>
    vm_size: str
    region: str
    node_image: str
    os_sku: str
    cluster_group: str = "MC_rg-prod_aks-prod_westeurope"
    subscription: str = "00000000-0000-0000-0000-000000000000"
    kubelet_version: str = "v1.29.4"
    kubelet_identity: str = ""
    properties_id: str = ""
    shared: dict = field(default_factory=dict)  # cached structures shared by the pool's nodes

    @classmethod
    def make(cls, rng: random.Random, name: str, os: str, mode: str, **overrides) -> "Pool":
        defaults = {
            "linux": ("Standard_D4s_v3", "AKSUbuntu-2204gen2containerd-202405.03.0", "Ubuntu"),
            "windows": ("Standard_D4s_v3", "AKSWindows-2022-containerd-20348.2402.240411", "Windows2022"),
        }[os]
        values = {
            "scale_set_id": str(rng.randrange(10_000_000, 99_999_999)),
            "vm_size": defaults[0],
            "region": "westeurope",
            "node_image": defaults[1],
            "os_sku": defaults[2],
            "kubelet_identity": rng_uuid(rng),
            "properties_id": rng_uuid(rng),
        }
        values.update(overrides)
        return cls(name=name, os=os, mode=mode, **values)

    def vmss_name(self, index: int) -> str:
        return f"aks-{self.name}-{self.scale_set_id}-vmss{base36(index)}"

    def computer_name(self, index: int) -> str:
        """Windows VMSS computer names: "aks" + pool + base-36 index (akswin000003)."""
        return f"aks{self.name}{base36(index)}"

    def provider_id(self, index: int) -> str:
        return (
            f"azure:///subscriptions/{self.subscription}/resourceGroups/{self.cluster_group.lower()}/providers/"
            f"Microsoft.Compute/virtualMachineScaleSets/aks-{self.name}-{self.scale_set_id}-vmss/virtualMachines/{index}"
        )

    def labels(self, hostname: str, zone: str) -> dict:
        """The labels AKS puts on every node of a pool (kubelet --node-labels plus cloud-node-manager)."""
        labels = {
            "agentpool": self.name,
            "beta.kubernetes.io/arch": "amd64",
            "beta.kubernetes.io/instance-type": self.vm_size,
            "beta.kubernetes.io/os": self.os,
            "failure-domain.beta.kubernetes.io/region": self.region,
            "failure-domain.beta.kubernetes.io/zone": zone,
            "kubernetes.azure.com/agentpool": self.name,
            "kubernetes.azure.com/cluster": self.cluster_group,
            "kubernetes.azure.com/consolidated-additional-properties": self.properties_id,
            "kubernetes.azure.com/kubelet-identity-client-id": self.kubelet_identity,
            "kubernetes.azure.com/mode": self.mode,
            "kubernetes.azure.com/node-image-version": self.node_image,
            "kubernetes.azure.com/nodepool-type": "VirtualMachineScaleSets",
            "kubernetes.azure.com/os-sku": self.os_sku,
            "kubernetes.azure.com/role": "agent",
            "kubernetes.azure.com/storageprofile": "managed",
            "kubernetes.azure.com/storagetier": "Premium_LRS",
            "kubernetes.io/arch": "amd64",
            "kubernetes.io/hostname": hostname,
            "kubernetes.io/os": self.os,
            "kubernetes.io/role": "agent",
            "node-role.kubernetes.io/agent": "",
            "node.kubernetes.io/instance-type": self.vm_size,
            "storageprofile": "managed",
            "storagetier": "Premium_LRS",
            "topology.kubernetes.io/region": self.region,
            "topology.kubernetes.io/zone": zone,
        }
        return labels
