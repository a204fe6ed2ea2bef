"""Tests/testkit/fake_cluster.py's helpers for the black-box suites: the sandbox delay passed to the fake, taints,
cordons and kubelet profiles through the admin API."""

import json
import time
import urllib.request

import pytest

fake_cluster = pytest.importorskip("testkit.fake_cluster")

from fakeapi.tests.harness import pod, windows_node  # noqa: E402


def _create_pod(cluster, body: dict) -> dict:
    request = urllib.request.Request(f"{cluster.server}/api/v1/namespaces/kube-system/pods", data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json", "Authorization": f"Bearer {fake_cluster.TOKEN}"})
    with urllib.request.urlopen(request, context=cluster._context, timeout=10) as response:
        return json.loads(response.read())


@pytest.fixture
def cluster(tmp_path):
    started = fake_cluster.FakeCluster(tmp_path / "fake", sandbox_delay_ms=300)
    yield started
    started.stop()


def test_fake_cluster_helpers(cluster):
    cluster.admin("POST", "nodes", windows_node("akswin000001"))
    assert cluster.kubelet("akswin000001")["sandboxDelayMs"] == 300  # --sandbox-delay-ms passed through
    cluster.taint("akswin000001", "sku", "gpu", "NoSchedule")
    cluster.cordon("akswin000001")
    assert [(t["key"], t.get("value")) for t in cluster.node("akswin000001")["spec"]["taints"]] == [("sku", "gpu"), ("node.kubernetes.io/unschedulable", None)]
    created = _create_pod(cluster, pod("cops-vigilante-snat-healer-akswin000001", selector={"kubernetes.io/hostname": "akswin000001"}))
    message = next(c["message"] for c in created["status"]["conditions"] if c["type"] == "PodScheduled")
    assert message.startswith("0/1 nodes are available: 1 node(s) were unschedulable.")
    cluster.uncordon("akswin000001")
    cluster.untaint("akswin000001", "sku")
    assert "taints" not in cluster.node("akswin000001")["spec"]
    bound = cluster.pod("cops-vigilante-snat-healer-akswin000001")
    assert bound["spec"]["nodeName"] == "akswin000001" and "podIP" not in bound["status"]
    deadline = time.monotonic() + 10
    while not cluster.pod("cops-vigilante-snat-healer-akswin000001")["status"].get("podIP"):
        assert time.monotonic() < deadline
        time.sleep(0.05)
    reasons = [e["reason"] for e in cluster.pod_events(bound["metadata"]["uid"])]
    assert reasons[:2] == ["FailedScheduling", "FailedScheduling"] and "Scheduled" in reasons and "Started" in reasons
    assert cluster.kubelet("akswin000001", sandbox="fail", retry_ms=0, sandbox_delay_ms=0) == {"node": "akswin000001", "sandboxDelayMs": 0, "sandbox": "fail", "image": "ok", "retryMs": 0}
    failing = _create_pod(cluster, pod("second", node_name="akswin000001"))
    assert [e["reason"] for e in cluster.pod_events(failing["metadata"]["uid"])] == ["FailedCreatePodSandBox"]
    assert cluster.reset_kubelet("akswin000001")["sandbox"] == "ok"
    assert cluster.set_ready("akswin000001", False)["spec"]["taints"][0]["key"] == "node.kubernetes.io/not-ready"
