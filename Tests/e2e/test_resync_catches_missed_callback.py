"""The webhook fails open: while vigilante is down or unreachable the API server skips it, and a node's callbacks
are lost. The periodic resync (tasks.snat.resync_interval) lists the nodes and heals what the callbacks missed."""

from __future__ import annotations

from cluster_effects import pod_creates
from fake_cluster import HEALED, STARTED, wait_for, windows_node
from integration_support import metric, scrape

NODE = "akswin000015"
RESYNC_SECONDS = 3


def test_a_ready_windows_node_whose_callbacks_were_missed_is_healed_after_the_next_resync(launch, cluster) -> None:
    server = launch(cluster, {"tasks": {"snat": {"resync_interval": f"{RESYNC_SECONDS}s", "healing_duration": "3s"}}})
    # Joined after the start-up resync, and no callback at all: as if the API server had skipped the webhook.
    cluster.admin("POST", "nodes", windows_node(NODE, ready=True))

    wait_for("a resync that sees the node", lambda: server.wait_for_log(
        lambda r: r.get("message") == "Node resync done" and r.get("metadata", {}).get("windows_nodes") == "1",
        timeout=0), timeout=RESYNC_SECONDS + 15)
    wait_for("the first probe pod", lambda: pod_creates(cluster.requests(), NODE), timeout=10)
    wait_for("the node marked healed", lambda: cluster.annotations(NODE).get(HEALED) == "true", timeout=25)
    assert STARTED not in cluster.annotations(NODE)
    assert (metric(scrape(server), "cops_vigilante_admission_requests_total") or 0) == 0, \
        "the webhook was called: this test is about the resync alone"
