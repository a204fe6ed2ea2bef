"""What the node resync does: the first one gates /readyz; at start-up it resumes a window a replaced process left,
and heals alone when no webhook is registered; the periodic one catches the callbacks the API server skipped (the
webhook fails open)."""

from __future__ import annotations

from testkit.cluster_effects import HEALED, STARTED, node_patches, parse_rfc3339, pod_creates, succeeded, wall_time
from testkit.metrics import metric, scrape
from testkit.raw_http import request
from testkit.reviews import admission_review, windows_node
from testkit.vigilante import Vigilante
from testkit.waiting import wait_until


def readyz(server: Vigilante) -> int:
    return request(server.metrics_port, "GET", "/readyz").status


def test_readyz_turns_ready_only_after_the_first_node_resync(launch, cluster) -> None:
    # The first node list hangs at the API server for 3 s: not ready while it does, ready once it is answered.
    cluster.admin("POST", "faults", {"kind": "delay", "delayMs": 3000, "method": "GET", "path": "^/api/v1/nodes"})
    server = launch(cluster, ready=False)
    wait_until(lambda: any(r["fault"] and r["status"] is None for r in cluster.requests()), timeout=15,
               message="the first node list never reached the API server")
    assert readyz(server) != 200, "/readyz answered 200 before the first node resync was done"
    wait_until(lambda: readyz(server) == 200, timeout=15, message="/readyz 200 after the first node resync")
    assert server.wait_for_log(lambda r: r.get("message") == "Node resync done", timeout=5) is not None


def test_a_restart_mid_window_resumes_the_stored_window_instead_of_starting_a_new_one(
        launch, cluster, caller_for) -> None:
    """A restart in the middle of a healing window (a rolling update, an evicted pod) resumes the window stored on
    the node: the new process finds the node by its start-up resync, probes it again, keeps the stored start, and
    marks the node healed when that window is over, not a whole window after its own start."""
    node, window_seconds = "akswin000012", 10
    config = {"tasks": {"snat": {"healing_duration": f"{window_seconds}s"}}}
    cluster.admin("POST", "nodes", windows_node(node, ready=True))
    first = launch(cluster, config)
    caller_for(first).review(admission_review("UPDATE", windows_node(node, ready=True), sub_resource="status"))
    stored = wait_until(lambda: cluster.annotations(node).get(STARTED), timeout=10, message="the window start stored")
    # Some seconds into the window (so that a restarted window would visibly end later), the process is replaced.
    wait_until(lambda: len(succeeded(pod_creates(cluster.requests(), node))) >= 5, timeout=20,
               message="five probe rounds")
    assert first.stop() == 0, f"the first process did not exit 0; log:\n{first.log_text()}"
    assert cluster.annotations(node).get(HEALED) != "true", "healed before the restart: the window is too short"
    last_seq_of_first = max(r["seq"] for r in cluster.requests())

    second = launch(cluster, config)
    second_started = parse_rfc3339(second.records[0]["time"])
    resumed = second.wait_for_log(lambda r: r.get("message") == "Resuming the healing window stored on the node"
                                  and r.get("metadata", {}).get("node") == node, timeout=10)
    assert resumed is not None, f"no 'Resuming' log line for {node}; log:\n{second.log_text()}"
    assert resumed["metadata"]["window_start"] == stored
    wait_until(lambda: [c for c in succeeded(pod_creates(cluster.requests(), node)) if c["seq"] > last_seq_of_first],
               timeout=10, message="a probe pod from the second process (found by its start-up resync)")
    assert cluster.annotations(node).get(STARTED) == stored, "the stored window start was rewritten"

    wait_until(lambda: cluster.annotations(node).get(HEALED) == "true", timeout=window_seconds + 20,
               message="the node marked healed")
    healed_patch = next(p for p in succeeded(node_patches(cluster.requests(), node)) if HEALED in (p["body"] or ""))
    healed_at = wall_time(healed_patch)
    assert (healed_at - parse_rfc3339(stored)).total_seconds() >= window_seconds
    # A restarted window would end a whole window after the second start; the stored one ends earlier.
    restarted_end = (second_started - parse_rfc3339(stored)).total_seconds() + window_seconds
    took = (healed_at - parse_rfc3339(stored)).total_seconds()
    assert took < restarted_end - 1, \
        f"healed {took:.1f} s after the stored start; a restarted window would end at {restarted_end:.1f} s"
    assert second.wait_for_log(lambda r: r.get("message") == "Healing started", timeout=0) is None, \
        "the second process started a new window"


def test_a_ready_windows_node_whose_callbacks_were_missed_is_healed_after_the_next_resync(launch, cluster) -> None:
    """While vigilante is down or unreachable the API server skips the webhook, and a node's callbacks are lost. The
    periodic resync (tasks.snat.resync_interval) lists the nodes and heals what the callbacks missed."""
    node, resync_seconds = "akswin000015", 3
    server = launch(cluster, {"tasks": {"snat": {"resync_interval": f"{resync_seconds}s", "healing_duration": "3s"}}})
    # Joined after the start-up resync, and no callback at all: as if the API server had skipped the webhook.
    cluster.admin("POST", "nodes", windows_node(node, ready=True))

    wait_until(lambda: server.wait_for_log(
        lambda r: r.get("message") == "Node resync done" and r.get("metadata", {}).get("windows_nodes") == "1",
        timeout=0), timeout=resync_seconds + 15, message="a resync that sees the node")
    wait_until(lambda: pod_creates(cluster.requests(), node), timeout=10, message="the first probe pod")
    wait_until(lambda: cluster.annotations(node).get(HEALED) == "true", timeout=25, message="the node marked healed")
    assert STARTED not in cluster.annotations(node)
    assert (metric(scrape(server), "cops_vigilante_admission_requests_total") or 0) == 0, \
        "the webhook was called: this test is about the resync alone"


def test_out_of_cluster_without_any_callback_the_start_up_resync_heals_the_ready_windows_nodes(
        launch, cluster) -> None:
    """Vigilante run outside the cluster (an operator's machine, ~/.kube/config) with no webhook registered: the
    API server never calls it, and its start-up resync alone finds the Windows nodes that need healing and heals
    them, leaving healed, NotReady and Linux nodes alone."""
    ready, not_ready, already_healed = ["akswin000021", "akswin000022"], "akswin000023", "akswin000024"
    healed = windows_node(already_healed, ready=True)
    healed["metadata"]["annotations"] = {HEALED: "true"}
    cluster.admin("POST", "nodes", [windows_node(name, ready=True) for name in ready]
                  + [windows_node(not_ready, ready=False), healed])
    cluster.admin("POST", "generate", {"linux": 3})

    server = launch(cluster, {"tasks": {"snat": {"healing_duration": "3s"}}}, kubeconfig_in_home=True)
    found = server.wait_for_log(lambda r: r.get("message") == "Kubernetes API", timeout=0)
    assert found is not None and ".kube/config" in found["metadata"]["cluster"], \
        f"not the kubeconfig of ~/.kube/config: {found}"

    for name in ready:
        wait_until(lambda: cluster.annotations(name).get(HEALED) == "true", timeout=25,
                   message=f"{name} marked healed")
        assert STARTED not in cluster.annotations(name)
    requests = cluster.requests()
    assert pod_creates(requests, not_ready) == [], "a NotReady node got a probe pod"
    assert pod_creates(requests, already_healed) == [], "an already healed node got a probe pod"
    linux = [n["metadata"]["name"] for n in cluster.state()["nodes"]
             if n["metadata"]["labels"].get("kubernetes.io/os") == "linux"]
    assert len(linux) == 3 and not any(pod_creates(requests, name) for name in linux)
    assert cluster.annotations(not_ready).get(HEALED) is None
    assert (metric(scrape(server), "cops_vigilante_admission_requests_total") or 0) == 0, "the webhook was called"


def test_a_node_listing_that_never_ends_is_abandoned_logged_counted_and_retried(launch, cluster, caller_for) -> None:
    """A hostile or broken API server answers every node list with the same continue token. The listing is abandoned
    at once (not followed for ever, memory growing, nothing logged); the webhook keeps serving; the resync is tried
    again with backoff and succeeds once the API server behaves."""
    cluster.admin("POST", "nodes", windows_node("akswin000020", ready=False))
    cluster.admin("POST", "faults", {"kind": "endless_list", "path": "^/api/v1/nodes", "count": 1000,
                                     "repeatToken": True})
    server = launch(cluster, ready=False)
    failed = server.wait_for_log(lambda r: r.get("message") == "Node resync failed; trying again later", timeout=30)
    assert failed is not None, server.log_text()
    assert "listing abandoned: the API server repeated a continue token after 2 pages" in failed["metadata"]["error"]
    assert failed["metadata"]["retry_in_seconds"] == "10"
    assert readyz(server) == 503
    assert metric(scrape(server), "cops_vigilante_snat_resync_failures_total") == 1
    assert len([e for e in cluster.requests() if e["path"].startswith("/api/v1/nodes")]) == 2
    assert caller_for(server).review(admission_review("UPDATE", windows_node("akswin000021", ready=False)))

    cluster.admin("DELETE", "faults")
    wait_until(lambda: readyz(server) == 200, timeout=30, message="/readyz 200 after the retried resync")
    assert server.wait_for_log(lambda r: r.get("message") == "Node resync done", timeout=5) is not None


def resyncs_done(server: Vigilante) -> list[dict]:
    return [r for r in list(server.records) if r.get("message") == "Node resync done"]


def node_lists(cluster) -> list[dict]:
    return [e for e in cluster.requests() if e["method"] == "GET" and e["path"].startswith("/api/v1/nodes?")
            and "watch=" not in e["path"]]


def test_later_resyncs_read_the_watch_cache_and_act_only_on_a_node_read_by_name(launch, cluster) -> None:
    """The first resync is a quorum read; later ones ask for the watch cache, not older than the last list
    (resourceVersionMatch=NotOlderThan), and in steady state read nothing else. A node only such a list shows is read
    by name (a quorum read) before its first probe pod."""
    healed = windows_node("akswin000030", ready=True)
    healed["metadata"]["annotations"] = {HEALED: "true"}
    cluster.admin("POST", "nodes", healed)
    cluster.admin("POST", "generate", {"linux": 3})
    server = launch(cluster, {"tasks": {"snat": {"resync_interval": "3s", "healing_duration": "3s"}}})
    wait_until(lambda: len(resyncs_done(server)) >= 3, timeout=30, message="three resyncs")
    lists = node_lists(cluster)
    assert "labelSelector=kubernetes.io%2Fos%3Dwindows" in lists[0]["path"] and "limit=500" in lists[0]["path"]
    assert "resourceVersion" not in lists[0]["path"], "the first resync is a quorum read"
    version = cluster.state()["resourceVersion"]  # nothing was written since: the version every list answered
    for later in lists[1:]:
        assert f"resourceVersion={version}&resourceVersionMatch=NotOlderThan" in later["path"], later["path"]
    assert not [e for e in cluster.requests() if e["path"].startswith("/api/v1/nodes/")], \
        "a steady-state resync read a node"
    done = resyncs_done(server)
    assert done[0]["metadata"]["from_cache"] == "false" and done[-1]["metadata"]["from_cache"] == "true"

    # A node joins and no callback reaches vigilante: the cached list shows it, and it is read before it is healed.
    node = "akswin000031"
    cluster.admin("POST", "nodes", windows_node(node, ready=True))
    first_pod = wait_until(lambda: pod_creates(cluster.requests(), node), timeout=20, message="the first probe pod")[0]
    reads = [e for e in cluster.requests() if e["method"] == "GET" and e["path"] == f"/api/v1/nodes/{node}"]
    assert reads and reads[0]["seq"] < first_pod["seq"], "no read by name before the first probe pod"


def test_a_resync_the_cache_cannot_serve_is_asked_again_as_a_quorum_read(launch, cluster) -> None:
    """An API server whose watch cache lags answers 504 ResourceVersionTooLarge; the resync fails, and the next
    try reads the most recent state instead of asking for that version again."""
    cluster.admin("POST", "nodes", windows_node("akswin000032", ready=False))
    server = launch(cluster, {"tasks": {"snat": {"resync_interval": "3s"}}})
    cluster.admin("POST", "faults", {"status": 504, "reason": "Timeout", "method": "GET",
                                     "path": "resourceVersionMatch=NotOlderThan", "count": 1000})
    failed = server.wait_for_log(lambda r: r.get("message") == "Node resync failed; trying again later", timeout=60)
    assert failed is not None, server.log_text()
    failed_at = max(e["seq"] for e in node_lists(cluster))
    wait_until(lambda: [e for e in node_lists(cluster) if e["seq"] > failed_at and "resourceVersion" not in e["path"]],
               timeout=30, message="a quorum node list after the failure")
    cluster.admin("DELETE", "faults")


def test_a_lagging_watch_cache_never_starts_a_healed_nodes_window_again(launch, cluster) -> None:
    """The API server's watch cache stops while a node heals: the resyncs that follow list the node as it was before
    it was healed. vigilante reads it back by name (a quorum read), sees it healed, and leaves it alone."""
    node = "akswin000033"
    cluster.admin("POST", "nodes", windows_node(node, ready=True))
    server = launch(cluster, {"tasks": {"snat": {"resync_interval": "3s", "healing_duration": "3s"}}})
    wait_until(lambda: pod_creates(cluster.requests(), node), timeout=10, message="healing started at the first resync")
    cluster.admin("POST", "watch-cache", {"lag": True})  # from now on cached lists show the node unhealed
    wait_until(lambda: cluster.annotations(node).get(HEALED) == "true", timeout=25, message="the node marked healed")
    healed_at = max(p["seq"] for p in succeeded(node_patches(cluster.requests(), node)) if HEALED in (p["body"] or ""))
    wait_until(lambda: len([r for r in resyncs_done(server) if r["metadata"].get("read_back") == "1"]) >= 2,
               timeout=30, message="two resyncs from the lagging cache, each reading the node back")
    assert not [c for c in pod_creates(cluster.requests(), node) if c["seq"] > healed_at], \
        "a probe pod after the node was healed: the stale list was acted on"
    reads = [e for e in cluster.requests() if e["path"] == f"/api/v1/nodes/{node}" and e["seq"] > healed_at]
    assert reads and all(e["method"] == "GET" for e in reads)
    assert len([r for r in server.records if r.get("message") == "Healing started"]) == 1
    assert cluster.annotations(node).get(HEALED) == "true"
    cluster.admin("POST", "watch-cache", {"lag": False})
