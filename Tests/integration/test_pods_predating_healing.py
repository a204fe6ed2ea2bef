"""When a node is healed, the workload pods that started on it before its first verified sandbox are named (they
keep the old SNAT configuration): a Warning Event on the node, a log line, a gauge. The node's pods are listed
across namespaces with the field selector spec.nodeName, as the API server serves it; DaemonSet pods are not named.
With eviction on, they are evicted through the Eviction API: a PodDisruptionBudget that allows nothing is asked
again later (never a direct delete), and the pod goes once the budget allows."""

from __future__ import annotations

from testkit.cluster_effects import HEALED, events_about
from testkit.config import healing_config
from testkit.metrics import metric, scrape
from testkit.reviews import admission_review, windows_node
from testkit.waiting import wait_until

NODE = "akswin000081"


def workload(name: str, owner_kind: str | None = None) -> dict:
    pod = {"apiVersion": "v1", "kind": "Pod",
           "metadata": {"name": name, "namespace": "default"},
           "spec": {"nodeName": NODE, "containers": [{"name": "app", "image": "mcr.microsoft.com/windows/servercore"}]}}
    if owner_kind:
        pod["metadata"]["ownerReferences"] = [{"apiVersion": "apps/v1", "kind": owner_kind, "name": f"{name}-owner",
                                               "uid": "5b0e1b7e-0000-4000-8000-000000000001"}]
    return pod


def test_workload_pods_started_before_healing_are_named_on_the_node(launch, cluster, caller_for) -> None:
    cluster.admin("POST", "nodes", windows_node(NODE, ready=True))
    cluster.api_post("/api/v1/namespaces/default/pods", workload("shop-cart-0"))
    cluster.api_post("/api/v1/namespaces/default/pods", workload("log-agent-x", owner_kind="DaemonSet"))
    server = launch(cluster, healing_config(window="4s", interval="1s", min_sandboxes=2))
    caller_for(server).review(admission_review("UPDATE", windows_node(NODE, ready=True), sub_resource="status"))
    wait_until(lambda: cluster.annotations(NODE).get(HEALED) == "true", timeout=30, message="the node healed")
    event = wait_until(lambda: next((e for e in events_about(cluster, NODE)
                                     if e.get("reason") == "SnatPodsPredatingHealing"), None),
                       timeout=10, message="the SnatPodsPredatingHealing Event")
    assert event["type"] == "Warning"
    assert "1 pod(s) started before the node was healed" in event["message"]
    assert "default/shop-cart-0" in event["message"] and "log-agent-x" not in event["message"]
    listed = [e for e in cluster.requests() if e["path"].startswith("/api/v1/pods?")]
    assert listed and "fieldSelector=spec.nodeName%3D" + NODE in listed[-1]["path"]
    logged = next(r for r in server.records if r.get("message", "").startswith("Pods that started before the node"))
    assert logged["metadata"]["pods"] == "default/shop-cart-0" and logged["metadata"]["count"] == "1"
    assert metric(scrape(server), "cops_vigilante_snat_pods_predating_healing") == 1


def test_with_eviction_on_pods_are_evicted_as_their_disruption_budget_allows(launch, cluster, caller_for) -> None:
    cluster.admin("POST", "nodes", windows_node(NODE, ready=True))
    blocked = workload("shop-cart-0")
    blocked["metadata"]["labels"] = {"app": "cart"}
    cluster.api_post("/api/v1/namespaces/default/pods", blocked)
    cluster.api_post("/api/v1/namespaces/default/pods", workload("shop-web-0"))
    cluster.api_post("/api/v1/namespaces/default/pods", workload("log-agent-x", owner_kind="DaemonSet"))
    # The only cart pod must stay: its budget allows no disruption.
    cluster.api_post("/apis/policy/v1/namespaces/default/poddisruptionbudgets",
                     {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget",
                      "metadata": {"name": "cart", "namespace": "default"},
                      "spec": {"minAvailable": 1, "selector": {"matchLabels": {"app": "cart"}}}})
    wait_until(lambda: all((cluster.pod(n, "default") or {}).get("status", {}).get("phase") == "Running"
                           for n in ("shop-cart-0", "shop-web-0", "log-agent-x")), timeout=10, message="pods running")
    server = launch(cluster, healing_config(window="4s", interval="1s", min_sandboxes=2,
                                            evict_pods_predating_healing=True))
    caller_for(server).review(admission_review("UPDATE", windows_node(NODE, ready=True), sub_resource="status"))
    wait_until(lambda: cluster.annotations(NODE).get(HEALED) == "true", timeout=30, message="the node healed")

    def evictions(name: str) -> list[dict]:
        return [e for e in cluster.requests() if e["method"] == "POST" and e["path"].endswith(f"/{name}/eviction")]

    wait_until(lambda: any(e["status"] == 201 for e in evictions("shop-web-0")), timeout=10,
               message="shop-web-0 evicted")
    wait_until(lambda: len(evictions("shop-cart-0")) >= 2, timeout=15, message="the blocked eviction asked again")
    assert all(e["status"] == 429 for e in evictions("shop-cart-0"))
    assert evictions("log-agent-x") == []
    # Never deleted directly, only through the Eviction API.
    assert not any(e["method"] == "DELETE" and "/pods/shop-" in e["path"] for e in cluster.requests())
    assert (cluster.pod("shop-cart-0", "default") or {}).get("metadata", {}).get("deletionTimestamp") is None

    # The budget goes: the next attempt evicts the pod.
    cluster.api_delete("/apis/policy/v1/namespaces/default/poddisruptionbudgets/cart")
    wait_until(lambda: any(e["status"] == 201 for e in evictions("shop-cart-0")), timeout=30,
               message="shop-cart-0 evicted once its budget is gone")
