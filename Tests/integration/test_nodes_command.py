"""`vigilante nodes`, as an operator runs it: every node once, even when a continue token of the paginated list has
expired (the API server keeps a list's snapshot only so long), with each Windows node's healing state as its
annotations tell it."""

from __future__ import annotations

import subprocess
from pathlib import Path

from testkit.cluster_effects import HEALED, STARTED
from testkit.fake_cluster import FakeCluster
from testkit.reviews import windows_node

RETRY = "cops-vigilante-snat-retry-at"


def test_an_expired_continue_token_starts_the_listing_again_and_lists_every_node_once(
        vigilante_bin: Path, tmp_path: Path) -> None:
    cluster = FakeCluster(tmp_path / "fakeapi", windows=3, linux=8)
    try:
        cluster.admin("POST", "faults", {"status": 410, "reason": "Expired", "method": "GET", "path": "continue="})
        result = subprocess.run([str(vigilante_bin), "nodes", "--kubeconfig", str(cluster.kubeconfig),
                                 "--chunk-size", "3"], capture_output=True, text=True, timeout=60)
    finally:
        cluster.stop()
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split("\t") == ["NAME", "OS", "READY", "HEALED", "STATE"]
    names = [line.split("\t")[0] for line in lines[1:-1]]
    assert len(names) == 11 and len(set(names)) == 11, names
    assert lines[-1] == "11 nodes"


def test_each_windows_node_shows_its_healing_state_as_its_annotations_tell(vigilante_bin: Path, tmp_path: Path) -> None:
    cluster = FakeCluster(tmp_path / "fakeapi")
    try:
        states = {
            "akswin000001": {HEALED: "true"},
            "akswin000002": {STARTED: "2026-12-04T10:00:00Z"},
            "akswin000003": {RETRY: "2026-12-04T10:30:00Z"},
            "akswin000004": {},
        }
        for name, annotations in states.items():
            node = windows_node(name, ready=True)
            node["metadata"]["annotations"] = annotations
            cluster.admin("POST", "nodes", node)
        cluster.admin("POST", "nodes", windows_node("akswin000005", ready=False))
        result = subprocess.run([str(vigilante_bin), "nodes", "--kubeconfig", str(cluster.kubeconfig)],
                                capture_output=True, text=True, timeout=60)
    finally:
        cluster.stop()
    assert result.returncode == 0, result.stderr
    state = {line.split("\t")[0]: line.split("\t")[4] for line in result.stdout.splitlines()[1:-1]}
    assert state == {
        "akswin000001": "healed",
        "akswin000002": "healing since 2026-12-04T10:00:00Z",
        "akswin000003": "unverified, next window at 2026-12-04T10:30:00Z",
        "akswin000004": "not healed yet",
        "akswin000005": "waiting_for_ready",
    }
