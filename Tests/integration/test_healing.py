"""Issue 5 end to end: the real binary heals a Windows node of the fake cluster, driven by AdmissionReviews as
the API server sends them (short durations through the config and unsafe_allow_short_intervals)."""
from __future__ import annotations

import http.client
import json
import time
from pathlib import Path

import pytest

from fake_cluster import HEALED, STARTED, FakeCluster, admission_review, healing_config, wait_for, windows_node

NODE = "akswin000007"


@pytest.fixture
def cluster(tmp_path: Path):
    fake = FakeCluster(tmp_path / "fakeapi")
    yield fake
    fake.stop()


def post_review(vigilante, review: dict) -> dict:
    connection = http.client.HTTPConnection("127.0.0.1", vigilante.webhook_port, timeout=10)
    connection.request("POST", "/validate?timeout=10s", body=json.dumps(review),
                       headers={"Content-Type": "application/json"})
    response = connection.getresponse()
    body = json.loads(response.read())
    connection.close()
    assert response.status == 200
    assert body["response"] == {"uid": review["request"]["uid"], "allowed": True}
    return body


def test_a_windows_node_that_joins_not_ready_then_turns_ready_is_probed_and_healed(launch, cluster):
    vigilante = launch(config=healing_config(), tls=False, extra_args=["--kubeconfig", str(cluster.kubeconfig)])
    joining = windows_node(NODE, ready=False)
    cluster.admin("POST", "nodes", joining)
    post_review(vigilante, admission_review("CREATE", joining))
    time.sleep(1.5)
    assert cluster.probe_pods() == [], "no probe pod while the node is NotReady"

    ready = windows_node(NODE, ready=True)
    cluster.admin("POST", f"nodes/{NODE}/ready", {"ready": True})
    post_review(vigilante, admission_review("UPDATE", ready, old=joining, sub_resource="status",
                                            uid="b1c4a2f0-0000-4000-8000-000000000002"))
    # How fast the first pod comes is measured by scripts/bench.sh healing, not asserted here.
    pods = wait_for("the first probe pod", cluster.probe_pods, timeout=10, interval=0.02)
    pod = pods[0]
    assert pod["metadata"]["name"] == f"cops-vigilante-snat-healer-{NODE}"
    assert pod["metadata"]["namespace"] == "kube-system"
    assert pod["spec"]["nodeSelector"] == {"kubernetes.io/os": "windows", "kubernetes.io/hostname": NODE}
    assert STARTED in cluster.annotations(NODE)

    wait_for("a second probe round", lambda: sum(1 for r in cluster.requests()
                                                  if r["method"] == "POST" and "/pods" in r["path"]) >= 2, timeout=10)
    wait_for("the node marked healed", lambda: cluster.annotations(NODE).get(HEALED) == "true", timeout=20)
    annotations = cluster.annotations(NODE)
    assert STARTED not in annotations, "the window start is removed in the same patch"
    wait_for("the probe pod gone", lambda: cluster.probe_pods() == [], timeout=10)
    reasons = {e.get("reason") for e in cluster.state()["events"]}
    assert {"SnatHealingStarted", "SnatNodeHealed"} <= reasons


def test_a_restart_midway_resumes_the_stored_window(launch, cluster):
    cluster.admin("POST", "nodes", windows_node(NODE, ready=True))
    first = launch(config=healing_config(window="8s"), tls=False, extra_args=["--kubeconfig", str(cluster.kubeconfig)])
    post_review(first, admission_review("UPDATE", windows_node(NODE, ready=True), sub_resource="status"))
    wait_for("the window start stored", lambda: STARTED in cluster.annotations(NODE), timeout=10)
    stored = cluster.annotations(NODE)[STARTED]
    first.stop()

    second = launch(config=healing_config(window="8s"), tls=False, extra_args=["--kubeconfig", str(cluster.kubeconfig)])
    wait_for("probe pods again after the restart (found by the start-up resync)", cluster.probe_pods, timeout=10)
    assert cluster.annotations(NODE).get(STARTED) == stored, "the stored window is resumed, not restarted"
    wait_for("healed at the end of the stored window", lambda: cluster.annotations(NODE).get(HEALED) == "true",
             timeout=20)
    second.stop()


def test_readyz_turns_ready_after_the_first_resync(launch, cluster):
    vigilante = launch(config=healing_config(), tls=False, extra_args=["--kubeconfig", str(cluster.kubeconfig)])

    def ready() -> bool:
        connection = http.client.HTTPConnection("127.0.0.1", vigilante.metrics_port, timeout=5)
        connection.request("GET", "/readyz")
        status = connection.getresponse().status
        connection.close()
        return status == 200

    wait_for("/readyz 200", ready, timeout=15)
