"""A restart in the middle of a healing window (a rolling update, an evicted pod) resumes the window stored on the
node: the new process finds the node by its start-up resync, keeps the stored start, and marks the node healed
when that window is over, not a whole window after its own start."""

from __future__ import annotations

from cluster_effects import node_patches, parse_rfc3339, pod_creates, succeeded, wall_time
from fake_cluster import HEALED, STARTED, admission_review, wait_for, windows_node

NODE = "akswin000012"
WINDOW_SECONDS = 10
CONFIG = {"tasks": {"snat": {"healing_duration": f"{WINDOW_SECONDS}s"}}}


def test_a_restart_mid_window_resumes_the_stored_window_instead_of_starting_a_new_one(
        launch, cluster, caller_for) -> None:
    cluster.admin("POST", "nodes", windows_node(NODE, ready=True))
    first = launch(cluster, CONFIG)
    caller_for(first).review(admission_review("UPDATE", windows_node(NODE, ready=True), sub_resource="status"))
    stored = wait_for("the window start stored", lambda: cluster.annotations(NODE).get(STARTED), timeout=10)
    # Some seconds into the window (so that a restarted window would visibly end later), the process is replaced.
    wait_for("five probe rounds", lambda: len(succeeded(pod_creates(cluster.requests(), NODE))) >= 5, timeout=20)
    assert first.stop() == 0, f"the first process did not exit 0; log:\n{first.log_text()}"
    assert cluster.annotations(NODE).get(HEALED) != "true", "healed before the restart: the window is too short"

    second = launch(cluster, CONFIG)
    second_started = parse_rfc3339(second.records[0]["time"])
    resumed = second.wait_for_log(lambda r: r.get("message") == "Resuming the healing window stored on the node"
                                  and r.get("metadata", {}).get("node") == NODE, timeout=10)
    assert resumed is not None, f"no 'Resuming' log line for {NODE}; log:\n{second.log_text()}"
    assert resumed["metadata"]["window_start"] == stored
    assert cluster.annotations(NODE).get(STARTED) == stored, "the stored window start was rewritten"

    wait_for("the node marked healed", lambda: cluster.annotations(NODE).get(HEALED) == "true",
             timeout=WINDOW_SECONDS + 20)
    healed_patch = next(p for p in succeeded(node_patches(cluster.requests(), NODE)) if HEALED in (p["body"] or ""))
    healed_at = wall_time(healed_patch)
    assert (healed_at - parse_rfc3339(stored)).total_seconds() >= WINDOW_SECONDS
    # A restarted window would end a whole window after the second start; the stored one ends earlier.
    restarted_end = (second_started - parse_rfc3339(stored)).total_seconds() + WINDOW_SECONDS
    took = (healed_at - parse_rfc3339(stored)).total_seconds()
    assert took < restarted_end - 1, \
        f"healed {took:.1f} s after the stored start; a restarted window would end at {restarted_end:.1f} s"
    assert second.wait_for_log(lambda r: r.get("message") == "Healing started", timeout=0) is None, \
        "the second process started a new window"
