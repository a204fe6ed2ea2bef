"""What an operator sees with kubectl while vigilante heals a node: the probe pod on that node while the window
runs, and afterwards the healed annotation and the Events in `kubectl describe node`."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from testkit.cluster_effects import HEALED, POD_NAMESPACE, probe_pod_name
from testkit.fake_cluster import FakeCluster
from testkit.reviews import admission_review, windows_node
from testkit.waiting import wait_until

NODE = "akswin000041"


def kubectl(cluster: FakeCluster, home: Path, *args: str) -> str:
    binary = shutil.which("kubectl")
    if binary is None:
        pytest.fail("kubectl is not installed", pytrace=False)
    # A HOME of its own: kubectl keeps a discovery cache in ~/.kube, and no config of the machine may leak in.
    env = {k: v for k, v in os.environ.items() if k != "KUBECONFIG"} | {"HOME": str(home)}
    result = subprocess.run([binary, "--kubeconfig", str(cluster.kubeconfig), *args], capture_output=True,
                            text=True, timeout=30, env=env)
    assert result.returncode == 0, f"kubectl {' '.join(args)} failed ({result.returncode}): {result.stderr}"
    return result.stdout


def kubectl_or_none(cluster: FakeCluster, home: Path, *args: str) -> str | None:
    """The output of a kubectl command, or None when it failed (an object that is gone for a moment)."""
    try:
        return kubectl(cluster, home, *args)
    except AssertionError:
        return None


def kubectl_until(cluster: FakeCluster, home: Path, wanted: str, *args: str, timeout: float = 15) -> str:
    """The output of the kubectl command once it contains `wanted`, as an operator runs it again until it does."""
    return wait_until(lambda: (lambda output: output if wanted in output else None)(kubectl(cluster, home, *args)),
                      timeout=timeout, interval=0.3, message=f"`kubectl {' '.join(args)}` showing {wanted!r}")


def test_kubectl_shows_the_probe_pod_while_healing_and_the_healed_annotation_afterwards(
        launch, cluster, caller_for, tmp_path: Path) -> None:
    server = launch(cluster, {"tasks": {"snat": {"healing_duration": "6s"}}})
    cluster.admin("POST", "nodes", windows_node(NODE, ready=True))
    caller_for(server).review(admission_review("UPDATE", windows_node(NODE, ready=True), sub_resource="status"))
    probe_pods = ["get", "pods", "-n", POD_NAMESPACE, "-l", "app.kubernetes.io/managed-by=cops-vigilante"]

    # The pod is deleted and created again every second: the listing is repeated until it catches one.
    listing = kubectl_until(cluster, tmp_path, probe_pod_name(NODE), *probe_pods, "-o", "wide")
    row = next(line.split() for line in listing.splitlines() if line.startswith(probe_pod_name(NODE)))
    assert NODE in row, f"the probe pod is not shown on its node:\n{listing}"

    healed = kubectl_until(cluster, tmp_path, "true", "get", "node", NODE, "-o",
                           "jsonpath={.metadata.annotations.cops-vigilante-snat-node-healed}", timeout=25)
    assert healed == "true"
    annotations = kubectl(cluster, tmp_path, "get", "node", NODE, "-o", "jsonpath={.metadata.annotations}")
    assert "cops-vigilante-snat-healing-started-at" not in annotations, annotations
    wait_until(lambda: probe_pod_name(NODE) not in kubectl(cluster, tmp_path, *probe_pods), timeout=10,
               interval=0.3, message="the probe pod gone from the listing")
    description = kubectl_until(cluster, tmp_path, "SnatNodeHealed", "describe", "node", NODE, timeout=10)
    assert "SnatHealingStarted" in description
    assert f"{HEALED}: true" in description


def test_kubectl_shows_why_a_tainted_node_is_not_healed(launch, cluster, tmp_path: Path) -> None:
    """A GPU node tainted sku=gpu:NoSchedule, which the probe pod does not tolerate: `kubectl get pods` shows the
    probe pod Pending, `kubectl describe pod` the scheduler's FailedScheduling, and once the window is over
    `kubectl describe node` the SnatHealingUnverified Warning naming the taint, with no healed annotation."""
    node = "akswin000042"
    cluster.admin("POST", "nodes", windows_node(node, ready=True))
    cluster.taint(node, "sku", "gpu")
    # The start-up resync finds the Ready node and starts its window.
    launch(cluster, {"tasks": {"snat": {"healing_duration": "4s", "retry_after": "10m"}}})
    probe_pods = ["get", "pods", "-n", POD_NAMESPACE, "-l", "app.kubernetes.io/managed-by=cops-vigilante"]

    listing = kubectl_until(cluster, tmp_path, probe_pod_name(node), *probe_pods)
    row = next(line.split() for line in listing.splitlines() if line.startswith(probe_pod_name(node)))
    assert "Pending" in row, listing
    # The pod is replaced every round: a describe between its deletion and its successor finds none; run it again.
    described = wait_until(lambda: (lambda output: output if output and "FailedScheduling" in output else None)(
        kubectl_or_none(cluster, tmp_path, "describe", "pod", "-n", POD_NAMESPACE, probe_pod_name(node))),
        timeout=15, interval=0.3, message="`kubectl describe pod` showing FailedScheduling")
    assert "untolerated taint {sku: gpu}" in described, described

    description = kubectl_until(cluster, tmp_path, "SnatHealingUnverified", "describe", "node", node, timeout=25)
    assert "untolerated taint {sku: gpu}" in " ".join(description.split()), description
    assert f"{HEALED}: true" not in description
    retry_at = kubectl(cluster, tmp_path, "get", "node", node, "-o",
                       "jsonpath={.metadata.annotations.cops-vigilante-snat-retry-at}")
    assert retry_at.endswith("Z"), f"no retry time on the node: {retry_at!r}"
