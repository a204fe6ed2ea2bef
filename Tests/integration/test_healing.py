"""The whole healing life cycle of the README's "Healing" section, played once against the fake API server and then
checked behaviour by behaviour: a Windows node joins NotReady (CREATE callback), turns Ready (nodes/status UPDATE
callback), gets a probe pod at once and a fresh one every interval, and is marked healed when the window is over.
And a dry-run review, which is allowed and changes nothing."""

from __future__ import annotations

import datetime
import json
import time
from dataclasses import dataclass

import pytest

from testkit.cluster_effects import (HEALED, POD_NAMESPACE, STARTED, events_about, healing_attempts, node_patches,
                                     not_ready_sightings, parse_rfc3339, pod_creates, pod_deletes, probe_pod_name,
                                     succeeded, wall_time)
from testkit.fake_cluster import FakeCluster
from testkit.launcher import Launcher
from testkit.reviews import admission_review, expected_answer, windows_node
from testkit.waiting import wait_until
from testkit.webhook_caller import WebhookCaller

NODE = "akswin000011"
WINDOW_SECONDS = 5
INTERVAL_SECONDS = 1
# Tolerations from the config are copied into the probe pod, as Kubernetes writes them.
TOLERATIONS = [{"key": "sku", "operator": "Equal", "value": "windows", "effect": "NoSchedule"}]


@dataclass
class Story:
    pods_while_not_ready: list[dict]
    first_pod_after_seconds: float
    first_pod: dict
    ready_at: datetime.datetime
    stored_window_start: str
    attempts_before: float
    attempts_after: float
    requests: list[dict]
    final_annotations: dict
    final_probe_pods: list[dict]
    events: list[dict]


@pytest.fixture(scope="module")
def story(vigilante_bin, serving_certificate, tmp_path_factory) -> Story:
    cluster = FakeCluster(tmp_path_factory.mktemp("fakeapi"))
    launcher = Launcher(vigilante_bin, tmp_path_factory, serving_certificate)
    try:
        # The resync is 5 min away: whatever happens to the new node comes from the callbacks.
        server = launcher.start(cluster, {"interval": f"{INTERVAL_SECONDS}s", "tasks": {"snat": {
            "healing_duration": f"{WINDOW_SECONDS}s", "healing_pod_tolerations": TOLERATIONS}}})
        caller = WebhookCaller(server.webhook_port, serving_certificate.ca_file)

        # The API server calls the webhook before it stores the change; the fake then stores it.
        joining = windows_node(NODE, ready=False)
        assert caller.review(admission_review("CREATE", joining, uid="lifecycle-create")) == \
            expected_answer("admission.k8s.io/v1", "lifecycle-create")
        cluster.admin("POST", "nodes", joining)
        # The scheduler has seen the node, NotReady: only now does "no probe pod" mean something.
        wait_until(lambda: not_ready_sightings(server) >= 1, timeout=10,
                   message="the scheduler never counted the NotReady node")
        pods_while_not_ready = cluster.probe_pods()
        attempts_before = healing_attempts(server)

        # The kubelet reports Ready: the API server calls the webhook with the stored node as oldObject, then
        # stores the change; vigilante reads the node until it sees the new version.
        stored_before = cluster.node(NODE)
        ready = windows_node(NODE, ready=True)
        ready_at = datetime.datetime.now(datetime.timezone.utc)
        sent = time.monotonic()
        assert caller.review(admission_review("UPDATE", ready, old=stored_before, sub_resource="status",
                                              uid="lifecycle-ready")) == \
            expected_answer("admission.k8s.io/v1", "lifecycle-ready")
        cluster.admin("POST", f"nodes/{NODE}/ready", {"ready": True})
        first_pod = wait_until(cluster.probe_pods, timeout=10, interval=0.02, message="the first probe pod")[0]
        first_pod_after = time.monotonic() - sent

        stored = wait_until(lambda: cluster.annotations(NODE).get(STARTED), timeout=10,
                            message="the window start stored")
        wait_until(lambda: cluster.annotations(NODE).get(HEALED) == "true", timeout=WINDOW_SECONDS + 20,
                   message="the node marked healed")
        wait_until(lambda: cluster.probe_pods() == [], timeout=10, message="the probe pod gone")
        # Events are written without holding up healing: wait for the last one.
        wait_until(lambda: any(e.get("reason") == "SnatNodeHealed" for e in events_about(cluster, NODE)),
                   timeout=10, message="the SnatNodeHealed event")
        caller.close()
        return Story(pods_while_not_ready, first_pod_after, first_pod, ready_at, stored, attempts_before,
                     healing_attempts(server), cluster.requests(), cluster.annotations(NODE), cluster.probe_pods(),
                     events_about(cluster, NODE))
    finally:
        launcher.stop_all()
        cluster.stop()


def test_a_windows_node_that_joins_not_ready_gets_no_probe_pod(story: Story) -> None:
    assert story.pods_while_not_ready == []


def test_the_first_probe_pod_comes_from_the_ready_callback_not_from_a_resync(story: Story) -> None:
    # The resync is 5 min away, so a pod within seconds can only come from the callback. How fast it comes (the
    # README's "right away") is measured by scripts/bench.sh healing, not asserted here.
    assert story.first_pod_after_seconds < 30, f"first probe pod after {story.first_pod_after_seconds:.2f} s"


def test_the_probe_pod_has_the_shape_of_the_spec(story: Story) -> None:
    pod = story.first_pod
    assert pod["metadata"]["name"] == probe_pod_name(NODE)
    assert pod["metadata"]["namespace"] == POD_NAMESPACE
    assert pod["metadata"]["labels"] == {"app.kubernetes.io/managed-by": "cops-vigilante",
                                         "app.kubernetes.io/component": "snat-healer"}
    spec = pod["spec"]
    assert [(c["name"], c["image"]) for c in spec["containers"]] == \
        [("pause-container", "mcr.microsoft.com/oss/kubernetes/pause:3.6")]
    assert spec["nodeSelector"] == {"kubernetes.io/os": "windows", "kubernetes.io/hostname": NODE}
    assert spec["terminationGracePeriodSeconds"] == 0
    # The API server adds its default not-ready/unreachable tolerations; the configured one must be there too.
    assert all(t in spec["tolerations"] for t in TOLERATIONS), spec["tolerations"]


def test_the_probe_pod_is_deleted_and_created_again_every_interval(story: Story) -> None:
    creates = succeeded(pod_creates(story.requests, NODE))
    deletes = pod_deletes(story.requests, NODE)
    assert len(creates) >= 3, f"{len(creates)} probe pods in a {WINDOW_SECONDS} s window of {INTERVAL_SECONDS} s rounds"
    # Every round sends the same pod.
    sent = [json.loads(c["body"]) for c in creates]
    assert all(pod == sent[0] for pod in sent), "the probe pods of one window differ"
    # Each round after the first deletes the old pod before creating the new one.
    for before, after in zip(creates, creates[1:]):
        assert any(before["seq"] < d["seq"] < after["seq"] for d in deletes), "a round created without deleting"
        gap = (after["timeMs"] - before["timeMs"]) / 1000
        assert gap >= 0.5 * INTERVAL_SECONDS, f"rounds {gap:.2f} s apart: faster than the interval"


def test_the_window_start_is_stored_on_the_node_as_rfc3339_utc(story: Story) -> None:
    assert story.stored_window_start.endswith("Z"), story.stored_window_start
    start = parse_rfc3339(story.stored_window_start)
    assert abs((start - story.ready_at).total_seconds()) < 3, (story.stored_window_start, story.ready_at)


def test_after_the_window_the_probe_pod_is_deleted_and_the_node_marked_healed(story: Story) -> None:
    assert story.final_annotations.get(HEALED) == "true"
    assert STARTED not in story.final_annotations, "the window start is removed once the node is healed"
    assert story.final_probe_pods == []
    healed_patch = next(p for p in succeeded(node_patches(story.requests, NODE)) if HEALED in (p["body"] or ""))
    window = (wall_time(healed_patch) - parse_rfc3339(story.stored_window_start)).total_seconds()
    # The stored start has whole seconds: the window may look up to a second longer, never shorter.
    assert window >= WINDOW_SECONDS, f"marked healed {window:.2f} s after the window start"


def test_events_on_the_node_announce_the_start_and_the_end_of_healing(story: Story) -> None:
    by_reason = {e["reason"]: e for e in story.events}
    assert {"SnatHealingStarted", "SnatNodeHealed"} <= set(by_reason), sorted(by_reason)
    assert "SnatHealingFailed" not in by_reason
    for reason in ("SnatHealingStarted", "SnatNodeHealed"):
        assert by_reason[reason]["type"] == "Normal"
        assert by_reason[reason].get("message"), f"{reason} without a message"
        # `kubectl describe node` selects a node's Events by its uid.
        assert by_reason[reason]["involvedObject"].get("uid") == windows_node(NODE, ready=True)["metadata"]["uid"]


def test_the_healing_attempts_counter_counts_every_probe_round(story: Story) -> None:
    creates = pod_creates(story.requests, NODE)
    assert story.attempts_after - story.attempts_before == len(creates) >= 3


def test_a_dry_run_review_is_allowed_but_creates_no_probe_pod_and_writes_no_annotation(
        launch, cluster, caller_for) -> None:
    """A review with `dryRun: true` (kubectl --dry-run=server, or a controller's dry run) describes a change that
    will not happen: it is answered allowed, and nothing is done about the node."""
    dry_node, real_node = "akswin000013", "akswin000014"
    server = launch(cluster)
    caller = caller_for(server)
    # Both nodes are Ready Windows nodes in the cluster, added after the start-up resync: only a callback can
    # start their healing.
    cluster.admin("POST", "nodes", [windows_node(dry_node, ready=True), windows_node(real_node, ready=True)])

    dry = admission_review("UPDATE", windows_node(dry_node, ready=True), sub_resource="status", uid="dry",
                           dry_run=True)
    assert caller.review(dry) == expected_answer("admission.k8s.io/v1", "dry")
    # A real review sent after the dry one: once its window start is stored, the dry one has been handled too (the
    # webhook hands node events to the scheduler in order), so the absence of an effect below is not a matter of
    # timing.
    real = admission_review("UPDATE", windows_node(real_node, ready=True), sub_resource="status", uid="real")
    assert caller.review(real) == expected_answer("admission.k8s.io/v1", "real")
    wait_until(lambda: STARTED in cluster.annotations(real_node), timeout=10,
               message="the real node's window start stored")

    names = {p["metadata"]["name"] for p in cluster.probe_pods()}
    assert probe_pod_name(dry_node) not in names
    requests = cluster.requests()
    assert pod_creates(requests, dry_node) == [], "a probe pod was created for the dry-run review"
    assert node_patches(requests, dry_node) == [], "the dry-run node was patched"
    assert cluster.annotations(dry_node) == {}
