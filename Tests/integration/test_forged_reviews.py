"""Scenario: an attacker who can reach the webhook's port (any pod can: the API server presents no client certificate
on managed control planes) sends forged AdmissionReviews. A review is only a hint: vigilante reads the node from
the API server and acts on what is stored, so a forgery makes it read, never write."""

from __future__ import annotations

import re
from urllib.parse import unquote_plus

from testkit.cluster_effects import HEALED, PODS_PATH, STARTED, node_patches, not_ready_sightings
from testkit.metrics import metric, scrape
from testkit.reviews import admission_review, expected_answer, windows_node
from testkit.waiting import wait_until

QUEUE_DEPTH = "cops_vigilante_snat_queue_depth"


def test_a_forged_ready_review_for_a_not_ready_node_writes_nothing(launch, cluster, caller_for) -> None:
    node = "akswin000031"
    cluster.admin("POST", "nodes", windows_node(node, ready=False))
    server = launch(cluster)
    wait_until(lambda: not_ready_sightings(server) >= 1, timeout=10, message="the start-up resync saw the node")

    # The forgery: Ready, and a healing window that "started" in 2000 (long over: a naive reader would mark the
    # node healed at once). Its oldObject is made up too.
    forged = windows_node(node, ready=True)
    forged["metadata"]["annotations"] = {STARTED: "2000-01-01T00:00:00Z"}
    old = windows_node(node, ready=False)
    old["metadata"]["resourceVersion"] = "1"
    answer = caller_for(server).review(admission_review("UPDATE", forged, old=old, sub_resource="status",
                                                        uid="forged-ready"))
    assert answer == expected_answer("admission.k8s.io/v1", "forged-ready"), "the webhook still answers allowed"

    # The scheduler read the node (NotReady as stored) and counted it so: the forgery has been dealt with.
    wait_until(lambda: not_ready_sightings(server) >= 2, timeout=10, message="the node read back after the review")
    requests = cluster.requests()
    assert any(r["method"] == "GET" and r["path"] == f"/api/v1/nodes/{node}" for r in requests)
    assert node_patches(requests, node) == [], "a forged review made vigilante patch the node"
    assert not [r for r in requests if r["method"] == "POST" and r["path"].startswith(PODS_PATH)]
    assert HEALED not in cluster.annotations(node)


def test_forged_reviews_for_made_up_nodes_cost_a_bounded_number_of_reads_and_create_nothing(
        launch, cluster, caller_for) -> None:
    server = launch(cluster)
    caller = caller_for(server)
    names = [f"akswin-forged-{index:03d}" for index in range(50)]
    for name in names:
        # Five reviews each, sent at once: a node's waiting callbacks are read together.
        for attempt in range(5):
            caller.review(admission_review("CREATE", windows_node(name, ready=True), uid=f"{name}-{attempt}"))

    def reads(name: str) -> int:
        """GETs of the node, and node lists whose label selector names it (callbacks waiting together)."""
        return sum(1 for r in cluster.requests() if r["method"] == "GET" and (
            r["path"] == f"/api/v1/nodes/{name}"
            or (r["path"].startswith("/api/v1/nodes?") and re.search(rf"[(,]{name}[,)]", unquote_plus(r["path"])))))

    # A made-up node is read until the bounded wait for it to appear is over (4 reads; a list that did not hold it
    # is followed by a GET at the end), then ignored; the reviews that came while it was read cost one more such
    # wait at most.
    wait_until(lambda: metric(scrape(server), QUEUE_DEPTH) == 0 and all(reads(name) >= 4 for name in names),
               timeout=90, message="every forged name read and no callback left waiting")
    counts = {name: reads(name) for name in names}
    assert max(counts.values()) <= 10, counts
    requests = cluster.requests()
    assert not [r for r in requests if r["method"] == "POST" and r["path"].startswith(PODS_PATH)]
    assert not [r for r in requests if r["method"] == "PATCH"]
