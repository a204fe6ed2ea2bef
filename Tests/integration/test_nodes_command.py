"""Scenario: an operator runs `vigilante nodes` against a cluster whose node list takes several pages, and one of
the continue tokens has expired by the time it is used (the API server keeps a list's snapshot only so long)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from testkit.fake_cluster import FakeCluster


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
    assert lines[0].split("\t") == ["NAME", "OS", "READY", "HEALED"]
    names = [line.split("\t")[0] for line in lines[1:-1]]
    assert len(names) == 11 and len(set(names)) == 11, names
    assert lines[-1] == "11 nodes"
