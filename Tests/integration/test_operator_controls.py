"""The operator's controls, on the release binary against the fake API server: a dry run writes nothing (the
request log shows only reads) but logs and counts each write it would have made; a pause starts no window and no
probe pod while resyncs go on; a node labelled cops-vigilante/skip=true is never healed until the label goes."""

from __future__ import annotations

import pytest

from testkit.cluster_effects import STARTED, probe_pod_name
from testkit.config import healing_config
from testkit.metrics import metric, scrape
from testkit.reviews import admission_review, windows_node
from testkit.waiting import wait_until

NODE = "akswin000061"
SKIP = "cops-vigilante/skip"


def resyncs(server) -> int:
    return sum(1 for r in server.records if r.get("message") == "Node resync done")


@pytest.mark.parametrize("how", ["config", "flag"])
def test_dry_run_writes_nothing_and_logs_and_counts_each_write(launch, cluster, caller_for, how) -> None:
    cluster.admin("POST", "nodes", windows_node(NODE, ready=True))
    config = healing_config(window="6s", interval="1s", resync="5m")
    if how == "config":
        config["dry_run"] = True
    server = launch(cluster, config, extra_args=["--dry-run"] if how == "flag" else [])
    caller_for(server).review(admission_review("UPDATE", windows_node(NODE, ready=True), sub_resource="status"))
    # Two rounds' worth of probe pods that were not created.
    wait_until(lambda: sum(1 for r in server.records if r.get("message") == "Dry run: not written"
                           and (r.get("metadata") or {}).get("verb") == "create_pod") >= 2,
               timeout=20, message="two probe pods logged as not written")
    logged = next(r for r in server.records if r.get("message") == "Dry run: not written")
    assert set(logged["metadata"]) >= {"verb", "object", "would_write"}
    assert {e["method"] for e in cluster.requests()} == {"GET"}, "a dry run only reads"
    assert cluster.probe_pods() == []
    assert STARTED not in cluster.annotations(NODE)
    exposition = scrape(server)
    assert metric(exposition, "cops_vigilante_dry_run_writes_total", verb="create_pod") >= 2
    assert metric(exposition, "cops_vigilante_dry_run_writes_total", verb="patch_node") >= 1


def test_paused_healing_starts_no_window_and_no_probe_pod_while_resyncs_go_on_and_resumes_unpaused(launch, cluster, caller_for) -> None:
    cluster.admin("POST", "nodes", windows_node(NODE, ready=True))
    server = launch(cluster, healing_config(window="6s", interval="1s", resync="2s", paused=True))
    assert any(r.get("message", "").startswith("Healing is paused") for r in server.records)
    caller_for(server).review(admission_review("UPDATE", windows_node(NODE, ready=True), sub_resource="status"))
    wait_until(lambda: resyncs(server) >= 3, timeout=20, message="three resyncs while paused")
    writes = [e for e in cluster.requests() if e["method"] != "GET"]
    assert writes == [], writes
    assert cluster.probe_pods() == [] and STARTED not in cluster.annotations(NODE)
    assert metric(scrape(server), "cops_vigilante_snat_paused") == 1

    # Unpaused (the setting is read at start, as a chart rollout applies it): healing starts.
    assert server.stop() == 0
    resumed = launch(cluster, healing_config(window="6s", interval="1s", resync="2s"))
    wait_until(lambda: cluster.pod(probe_pod_name(NODE)), timeout=15, interval=0.05, message="a probe pod once unpaused")
    assert metric(scrape(resumed), "cops_vigilante_snat_paused") == 0


def test_a_node_labelled_skip_is_not_healed_until_the_label_is_removed(launch, cluster, caller_for) -> None:
    node = windows_node(NODE, ready=True)
    node["metadata"]["labels"][SKIP] = "true"
    cluster.admin("POST", "nodes", node)
    server = launch(cluster, healing_config(window="30s", interval="1s", resync="2s"))
    caller = caller_for(server)
    caller.review(admission_review("UPDATE", node, sub_resource="status"))
    wait_until(lambda: resyncs(server) >= 3, timeout=20, message="three resyncs with the node labelled")
    assert cluster.pod(probe_pod_name(NODE)) is None and STARTED not in cluster.annotations(NODE)

    # The operator removes the label; the API server calls the webhook about it.
    cluster.admin("PATCH", f"nodes/{NODE}", {"metadata": {"labels": {SKIP: None}}})
    unlabelled = windows_node(NODE, ready=True)
    caller.review(admission_review("UPDATE", unlabelled, old=node))
    wait_until(lambda: cluster.pod(probe_pod_name(NODE)), timeout=10, interval=0.05,
               message="the first probe pod once the label is gone")
