"""The healing bench's measuring parts (scripts/bench/api_cost.py) against the fake API server: the request log
read by verb, and the replay of the Go original's pattern, so that the benchmark's figures keep meaning what
docs/performance.md says they mean."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts" / "bench"))
from api_cost import GoOriginalReplay, Tally, verb  # noqa: E402

from testkit.fake_cluster import FakeCluster  # noqa: E402


@pytest.mark.parametrize("method, path, expected", [
    ("GET", "/api/v1/nodes?labelSelector=kubernetes.io%2Fos%3Dwindows&limit=500", "list_nodes"),
    ("GET", "/api/v1/nodes?watch=true&labelSelector=x", "watch_nodes"),
    ("GET", "/api/v1/nodes/akswin000001", "get_node"),
    ("PATCH", "/api/v1/nodes/akswin000001", "patch_node"),
    ("POST", "/api/v1/namespaces/kube-system/pods", "create_pod"),
    ("DELETE", "/api/v1/namespaces/kube-system/pods/cops-vigilante-snat-healer-a?gracePeriodSeconds=0", "delete_pod"),
    ("GET", "/api/v1/namespaces/kube-system/pods?labelSelector=x", "list_pods"),
    ("GET", "/api/v1/pods?fieldSelector=spec.nodeName%3Da", "list_node_pods"),
    ("POST", "/api/v1/namespaces/default/events", "create_event"),
    ("PUT", "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/cops-vigilante", "put_lease"),
])
def test_each_call_is_named_by_its_verb(method, path, expected):
    assert verb({"method": method, "path": path}) == expected


def test_the_replay_lists_every_node_and_heals_the_ready_windows_ones_round_by_round(tmp_path):
    cluster = FakeCluster(tmp_path / "cluster", linux=3)
    try:
        names = sorted(cluster.admin("POST", "generate", {"windows": 2, "windowsReady": True})["names"])
        cluster.admin("DELETE", "requests")
        replay = GoOriginalReplay("127.0.0.1", cluster.port, cluster.pki.ca_cert, window=3600, interval=0)
        try:
            assert replay.round() == 2 and replay.round() == 2
            tally = Tally(cluster.requests())
            assert tally.calls == {"list_nodes": 2, "delete_pod": 4, "create_pod": 4}
            assert tally.bytes["list_nodes"] > 0
            replay.window = 0  # the windows are over: a last delete, and the healed annotation
            assert replay.round() == 0 and sorted(replay.healed) == names
        finally:
            replay.close()
        for name in names:
            assert cluster.annotations(name).get("cops-vigilante-snat-node-healed") == "true"
        assert cluster.probe_pods() == []
        assert Tally(cluster.requests()).scaled(0.5).calls["patch_node"] == 1
    finally:
        cluster.stop()
