"""A real Prometheus (Debian's) scrapes the metrics listener of a vigilante that is healing a node, and the series
dashboards use come back through Prometheus' own HTTP API. (promtool's check of the exposition is in
Tests/integration/test_metrics.py.)"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Iterator

import pytest

from testkit.cluster_effects import ATTEMPTS, STARTED
from testkit.reviews import admission_review, windows_node
from testkit.waiting import wait_until

NODE = "akswin000031"
JOB = "cops-vigilante"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Prometheus:
    """`prometheus` scraping one target (or several ports) every second, with its data in a temporary directory."""

    def __init__(self, workdir: Path, target_port: int | list[int]):
        ports = target_port if isinstance(target_port, list) else [target_port]
        workdir.mkdir(parents=True, exist_ok=True)
        binary = shutil.which("prometheus")
        if binary is None:
            pytest.fail("prometheus is not installed (Debian package prometheus; scripts/setup.sh installs it)",
                        pytrace=False)
        config = workdir / "prometheus.yml"
        config.write_text(json.dumps({  # JSON is YAML
            "global": {"scrape_interval": "1s", "scrape_timeout": "1s", "evaluation_interval": "1s"},
            "scrape_configs": [{"job_name": JOB, "static_configs": [{"targets": [f"127.0.0.1:{port}" for port in ports]}]}],
        }))
        self.port = free_port()
        self.log = open(workdir / "prometheus.log", "wb")
        self.process = subprocess.Popen(
            [binary, f"--config.file={config}", f"--storage.tsdb.path={workdir / 'data'}",
             f"--web.listen-address=127.0.0.1:{self.port}", "--log.level=warn"],
            stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT, cwd=workdir)
        self.workdir = workdir

    def api(self, path: str, **params: str):
        url = f"http://127.0.0.1:{self.port}/api/v1/{path}"
        if params:
            url += "?" + urllib.parse.urlencode(params)
        with urllib.request.urlopen(url, timeout=5) as response:
            document = json.loads(response.read())
        assert document["status"] == "success", document
        return document["data"]

    def query(self, expression: str) -> list[dict]:
        return self.api("query", query=expression)["result"]

    def ready(self) -> bool:
        assert self.process.poll() is None, f"prometheus exited: {(self.workdir / 'prometheus.log').read_text()}"
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/-/ready", timeout=2) as response:
                return response.status == 200
        except OSError:
            return False

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self.log.close()


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
