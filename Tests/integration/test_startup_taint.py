"""tasks.snat.startup_taint on the release binary against the fake API server: the probe pods tolerate it, it is
removed only after verified healing, with a JSON patch that tests the entry first, and another controller's taint
added during the window survives; an unverified node keeps it."""

from __future__ import annotations

import json

from testkit.cluster_effects import HEALED, events_about, probe_pod_name
from testkit.config import healing_config
from testkit.reviews import admission_review, windows_node
from testkit.waiting import wait_until

NODE = "akswin000071"
KEY = "cops-vigilante/snat-unhealed"
STARTUP = {"key": KEY, "value": "true", "effect": "NoSchedule"}


def taints(cluster, node: str) -> list[dict]:
    return cluster.node(node).get("spec", {}).get("taints") or []


def test_the_startup_taint_is_tolerated_and_lifted_after_verified_healing_only(launch, cluster, caller_for) -> None:
    node = windows_node(NODE, ready=True)
    node["spec"]["taints"] = [STARTUP]
    cluster.admin("POST", "nodes", node)
    server = launch(cluster, healing_config(window="4s", interval="1s", min_sandboxes=2,
                                            startup_taint=f"{KEY}=true:NoSchedule"))
    caller_for(server).review(admission_review("UPDATE", node, sub_resource="status"))
    pod = wait_until(lambda: cluster.pod(probe_pod_name(NODE)), timeout=10, interval=0.05, message="a probe pod")
    assert {"key": KEY, "operator": "Equal", "value": "true", "effect": "NoSchedule"} in pod["spec"]["tolerations"]
    # Another controller adds a taint of its own during the window (PreferNoSchedule: the probe pods still land).
    cluster.taint(NODE, "example.com/maintenance-soon", effect="PreferNoSchedule")
    assert any(t["key"] == KEY for t in taints(cluster, NODE)), "still tainted while healing"

    wait_until(lambda: cluster.annotations(NODE).get(HEALED) == "true", timeout=30, message="the node healed")
    wait_until(lambda: not any(t["key"] == KEY for t in taints(cluster, NODE)), timeout=10,
               message="the startup taint removed")
    assert [t["key"] for t in taints(cluster, NODE)] == ["example.com/maintenance-soon"]
    removal = [e for e in cluster.requests() if e["method"] == "PATCH" and "json-patch" in (e.get("contentType") or "")
               or (e["method"] == "PATCH" and (e.get("body") or "").startswith("[{\"op\":\"test\""))]
    assert removal, "the taint is removed with a JSON patch"
    operations = json.loads(removal[-1]["body"])
    assert [o["op"] for o in operations] == ["test", "remove"]
    assert operations[0]["value"] == STARTUP and operations[0]["path"] == operations[1]["path"]
    wait_until(lambda: any(e.get("reason") == "SnatStartupTaintRemoved" for e in events_about(cluster, NODE)),
               timeout=10, message="the SnatStartupTaintRemoved Event")


def test_an_unverified_node_keeps_its_startup_taint(launch, cluster, caller_for) -> None:
    node = windows_node(NODE, ready=True)
    node["spec"]["taints"] = [STARTUP]
    cluster.admin("POST", "nodes", node)
    cluster.kubelet(NODE, sandbox="fail")
    server = launch(cluster, healing_config(window="3s", interval="1s", min_sandboxes=2, sandbox_timeout="1s",
                                            startup_taint=f"{KEY}=true:NoSchedule"))
    caller_for(server).review(admission_review("UPDATE", node, sub_resource="status"))
    wait_until(lambda: any(e.get("reason") == "SnatHealingUnverified" for e in events_about(cluster, NODE)),
               timeout=30, message="the window ending unverified")
    assert taints(cluster, NODE) == [STARTUP]
    assert HEALED not in cluster.annotations(NODE)
