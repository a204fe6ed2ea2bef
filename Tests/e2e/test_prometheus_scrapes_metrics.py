"""A real Prometheus (Debian's) scrapes the metrics listener of a vigilante that is healing a node, and the series
dashboards use come back through Prometheus' own HTTP API. (promtool's check of the exposition is in
Tests/integration/test_metrics.py.)"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

from testkit.cluster_effects import ATTEMPTS, STARTED
from testkit.prometheus import JOB, Prometheus
from testkit.reviews import admission_review, windows_node
from testkit.waiting import wait_until

NODE = "akswin000031"


@pytest.fixture
def healing(launch, cluster, caller_for):
    """A vigilante in the middle of a node's healing window, so the healing counters have moved."""
    server = launch(cluster, {"tasks": {"snat": {"healing_duration": "60s"}}})
    cluster.admin("POST", "nodes", windows_node(NODE, ready=True))
    caller_for(server).review(admission_review("UPDATE", windows_node(NODE, ready=True), sub_resource="status"))
    wait_until(lambda: STARTED in cluster.annotations(NODE), timeout=10, message="the node healing")
    return server


@pytest.fixture
def prometheus(healing, tmp_path: Path) -> Iterator[Prometheus]:
    instance = Prometheus(tmp_path, healing.metrics_port)
    try:
        wait_until(instance.ready, timeout=30, interval=0.2, message="prometheus ready")
        yield instance
    finally:
        instance.stop()


def test_prometheus_scrapes_the_metrics_listener_and_serves_the_healing_counter(prometheus) -> None:
    up = wait_until(lambda: [s for s in prometheus.query(f'up{{job="{JOB}"}}') if s["value"][1] == "1"],
                    timeout=30, interval=0.5, message="a successful scrape (up == 1)")
    assert len(up) == 1
    attempts = wait_until(lambda: prometheus.query(f'{ATTEMPTS}{{job="{JOB}"}}'), timeout=15, interval=0.5,
                          message=f"{ATTEMPTS} in Prometheus")
    assert float(attempts[0]["value"][1]) >= 1, attempts
    targets = prometheus.api("targets")["activeTargets"]
    assert [(t["health"], t["lastError"]) for t in targets] == [("up", "")], targets
