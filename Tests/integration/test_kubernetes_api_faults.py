"""The Kubernetes API misbehaves while a node is healing: 500s, 429 with Retry-After, connections dropped without an
answer, and a pod created whose answer never arrived. Vigilante rides them out (retries with backoff, 409 taken
for what it is), the node is healed when its window is over, and the webhook keeps answering throughout."""

from __future__ import annotations

from testkit.cluster_effects import HEALED, PODS_PATH, STARTED, events_about, probe_pod_name
from testkit.metrics import metric, scrape
from testkit.raw_http import request
from testkit.reviews import admission_review, expected_answer, review, windows_node
from testkit.waiting import wait_until

NODE = "akswin000016"
WINDOW_SECONDS = 8


def faults_for(method: str, path: str) -> list[dict]:
    """One of each failure a real API server (or the load balancer in front of it) produces, in this order."""
    return [
        {"kind": "status", "status": 500, "method": method, "path": path},
        {"kind": "status", "status": 429, "retryAfter": 1, "method": method, "path": path},
        {"kind": "drop", "method": method, "path": path},
    ]


FAULTS = (
    faults_for("POST", f"^{PODS_PATH}$")
    # The pod is created but the answer is lost: the retry (or the next round) meets 409 AlreadyExists.
    + [{"kind": "drop", "apply": True, "method": "POST", "path": f"^{PODS_PATH}$"}]
    + faults_for("DELETE", f"^{PODS_PATH}/{probe_pod_name(NODE)}")
    + faults_for("PATCH", f"^/api/v1/nodes/{NODE}")
)


def test_api_faults_during_healing_are_survived_and_the_node_is_still_healed(launch, cluster, caller_for) -> None:
    server = launch(cluster, {"tasks": {"snat": {"healing_duration": f"{WINDOW_SECONDS}s"}}})
    caller = caller_for(server)
    cluster.admin("POST", "nodes", windows_node(NODE, ready=True))
    for fault in FAULTS:
        cluster.admin("POST", "faults", fault)

    caller.review(admission_review("UPDATE", windows_node(NODE, ready=True), sub_resource="status", uid="faulty"))
    # The webhook answers while the scheduler is retrying behind it.
    for n in range(20):
        assert caller.review(review(f"during-{n}")) == expected_answer("admission.k8s.io/v1", f"during-{n}")

    wait_until(lambda: cluster.admin("GET", "faults")["items"] == [], timeout=WINDOW_SECONDS + 20,
               message="every injected fault hit")
    wait_until(lambda: cluster.annotations(NODE).get(HEALED) == "true", timeout=WINDOW_SECONDS + 30,
               message="the node marked healed")
    wait_until(lambda: cluster.probe_pods() == [], timeout=10, message="the probe pod gone")
    assert STARTED not in cluster.annotations(NODE)
    assert "SnatHealingFailed" not in {e["reason"] for e in events_about(cluster, NODE)}

    # The client saw and counted each kind of failure.
    faulted = [e for e in cluster.requests() if e["fault"]]
    assert {e["status"] for e in faulted} >= {500, 429, None}, faulted
    text = scrape(server)
    for code in ("500", "429", "error"):
        assert (metric(text, "cops_vigilante_kube_api_requests_total", code=code) or 0) >= 1, \
            f"no Kubernetes API request counted with code {code}"

    server.assert_alive()
    assert request(server.metrics_port, "GET", "/healthz").status == 200
    assert caller.review(review("after")) == expected_answer("admission.k8s.io/v1", "after")
    assert caller.connections_opened == 1
