"""A review with `dryRun: true` (kubectl --dry-run=server, or a controller's dry run) describes a change that will
not happen: it is answered allowed, and nothing is done about the node."""

from __future__ import annotations

from cluster_effects import node_patches, pod_creates, probe_pod_name
from fake_cluster import STARTED, admission_review, wait_for, windows_node
from integration_support import expected_answer

DRY_NODE = "akswin000013"
REAL_NODE = "akswin000014"


def test_a_dry_run_review_is_allowed_but_creates_no_probe_pod_and_writes_no_annotation(
        launch, cluster, caller_for) -> None:
    server = launch(cluster)
    caller = caller_for(server)
    # Both nodes are Ready Windows nodes in the cluster, added after the start-up resync: only a callback can
    # start their healing.
    cluster.admin("POST", "nodes", [windows_node(DRY_NODE, ready=True), windows_node(REAL_NODE, ready=True)])

    dry = admission_review("UPDATE", windows_node(DRY_NODE, ready=True), sub_resource="status", uid="dry",
                           dry_run=True)
    assert caller.review(dry) == expected_answer("admission.k8s.io/v1", "dry")
    # A real review sent after the dry one: once its pod exists, the dry one has been handled too (the webhook
    # hands node events to the scheduler in order), so the absence of an effect below is not a matter of timing.
    real = admission_review("UPDATE", windows_node(REAL_NODE, ready=True), sub_resource="status", uid="real")
    assert caller.review(real) == expected_answer("admission.k8s.io/v1", "real")
    wait_for("the real node's window start stored", lambda: STARTED in cluster.annotations(REAL_NODE), timeout=10)

    names = {p["metadata"]["name"] for p in cluster.probe_pods()}
    assert probe_pod_name(DRY_NODE) not in names
    requests = cluster.requests()
    assert pod_creates(requests, DRY_NODE) == [], "a probe pod was created for the dry-run review"
    assert node_patches(requests, DRY_NODE) == [], "the dry-run node was patched"
    assert cluster.annotations(DRY_NODE) == {}
