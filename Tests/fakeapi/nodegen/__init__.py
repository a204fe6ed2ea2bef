"""Realistic AKS nodes for seeding the fake: `generate(linux=5000, windows=10)`.

Deterministic for a given seed (names, uids, IPs, condition counts); timestamps are relative to now, so ages
look like a live cluster's. Also runnable: `python3 -m fakeapi.nodegen --linux 3 --windows 2 > nodes.json`.
"""

import random

from fakeapi.nodegen.linux import linux_node
from fakeapi.nodegen.pool import Pool
from fakeapi.nodegen.windows import windows_node

_LINUX_POOLS = ("nodepool1", "nodepool2")
_NODES_PER_POOL = 1000  # AKS caps a pool at 1,000 nodes; bigger counts spread over more pools


def generate(linux: int = 0, windows: int = 0, seed: int = 0, windows_ready: bool = True, windows_annotations: dict | None = None, windows_names: str = "mixed") -> list[dict]:
    """`linux` + `windows` nodes. windows_names: "computer" (akswin000003), "vmss" (aks-npwin-…-vmss000003)
    or "mixed" (the first half computer names in pool "win", the rest VMSS names in pool "npwin")."""
    if windows_names not in ("computer", "vmss", "mixed"):
        raise ValueError("windows_names must be computer, vmss or mixed")
    rng = random.Random(seed)
    nodes = []
    linux_pools: dict[int, Pool] = {}
    for i in range(linux):
        pool_number = i // _NODES_PER_POOL
        if pool_number not in linux_pools:
            name = _LINUX_POOLS[pool_number] if pool_number < len(_LINUX_POOLS) else f"nodepool{pool_number + 1}"
            linux_pools[pool_number] = Pool.make(rng, name, "linux", "system" if pool_number == 0 else "user")
        nodes.append(linux_node(linux_pools[pool_number], i % _NODES_PER_POOL, random.Random(f"{seed}-linux-{i}")))
    computer_pool = Pool.make(rng, "win", "windows", "user")
    vmss_pool = Pool.make(rng, "npwin", "windows", "user")
    first_vmss = {"computer": windows, "vmss": 0, "mixed": (windows + 1) // 2}[windows_names]
    for i in range(windows):
        computer = i < first_vmss
        pool = computer_pool if computer else vmss_pool
        index = i if computer else i - first_vmss
        node_rng = random.Random(f"{seed}-windows-{i}")
        nodes.append(windows_node(pool, index, node_rng, computer, ready=windows_ready, annotations=windows_annotations))
    return nodes
