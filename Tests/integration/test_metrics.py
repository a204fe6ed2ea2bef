"""Scenario: Prometheus scrapes the metrics listener; the exposition is valid for promtool and has the metrics the
dashboards and alerts use."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from testkit.cluster_effects import ATTEMPTS, STARTED, healing_attempts
from testkit.metrics import metric, parse_metrics, scrape
from testkit.pki import PKI, client_context
from testkit.raw_http import request
from testkit.reviews import admission_review, review, windows_node
from testkit.vigilante import Vigilante
from testkit.waiting import wait_until

NODE = "akswin000031"

REQUIRED_METRICS = [
    "cops_vigilante_admission_requests_total",
    "cops_vigilante_admission_duration_seconds",
    "cops_vigilante_http_open_connections",
    "cops_vigilante_tls_handshake_failures_total",
    "cops_vigilante_tls_certificate_expiry_timestamp_seconds",
    "cops_vigilante_tls_certificate_reloads_total",
    "cops_vigilante_build_info",
    "process_resident_memory_bytes",
    "process_cpu_seconds_total",
    "process_open_fds",
    "process_start_time_seconds",
]


def test_the_exposition_passes_promtool_check_metrics(launch, cluster, caller_for) -> None:
    promtool = shutil.which("promtool")
    if promtool is None:
        pytest.fail("promtool is not installed: it comes with Debian's `prometheus` package "
                    "(apt-get install prometheus; scripts/setup.sh installs it)", pytrace=False)
    # A vigilante in the middle of a node's healing window, after an admission request: the healing counters, the
    # admission counters and the histogram all have samples.
    server = launch(cluster, {"tasks": {"snat": {"healing_duration": "60s"}}})
    cluster.admin("POST", "nodes", windows_node(NODE, ready=True))
    caller_for(server).review(admission_review("UPDATE", windows_node(NODE, ready=True), sub_resource="status"))
    wait_until(lambda: STARTED in cluster.annotations(NODE), timeout=10, message="the node healing")
    wait_until(lambda: healing_attempts(server) >= 1, timeout=10, message="a probe round counted")
    text = scrape(server)
    result = subprocess.run([promtool, "check", "metrics"], input=text.encode(), capture_output=True, timeout=30)
    problems = (result.stdout + result.stderr).decode()
    assert result.returncode == 0 and not problems.strip(), f"promtool check metrics:\n{problems}"
    for name in ("cops_vigilante_admission_duration_seconds_count", ATTEMPTS):
        assert (metric(text, name) or 0) >= 1, f"{name} has no sample: promtool checked too little"


def test_the_metrics_named_in_the_spec_are_exposed(server: Vigilante) -> None:
    text = scrape(server)
    names = {name for name, _, _ in parse_metrics(text)}
    types = {line.split()[2] for line in text.splitlines() if line.startswith("# TYPE ")}
    missing = [m for m in REQUIRED_METRICS if m not in names and m not in types]
    assert not missing, f"missing metrics: {missing}"


def test_the_metrics_content_type_is_the_prometheus_text_format(server: Vigilante) -> None:
    response = request(server.metrics_port, "GET", "/metrics")
    content_type = response.header("content-type") or ""
    assert content_type.startswith("text/plain") and "version=0.0.4" in content_type, content_type


def test_the_certificate_expiry_metric_is_the_certificates_not_after(server: Vigilante, pki: PKI) -> None:
    value = metric(scrape(server), "cops_vigilante_tls_certificate_expiry_timestamp_seconds")
    assert value == pki.server_a.not_after.timestamp()


def test_an_admission_request_is_counted_and_timed(server: Vigilante, pki: PKI) -> None:
    before = scrape(server)
    response = request(server.webhook_port, "POST", "/validate", review("counted"), context=client_context(pki))
    assert response.status == 200
    after = scrape(server)
    assert metric(after, "cops_vigilante_admission_requests_total", operation="UPDATE") == \
        (metric(before, "cops_vigilante_admission_requests_total", operation="UPDATE") or 0) + 1
    assert metric(after, "cops_vigilante_admission_duration_seconds_count") == \
        (metric(before, "cops_vigilante_admission_duration_seconds_count") or 0) + 1


def test_the_process_metrics_describe_this_process(server: Vigilante) -> None:
    text = scrape(server)
    pid = server.process.pid
    started = os.stat(f"/proc/{pid}").st_mtime  # close to the process start
    assert abs(metric(text, "process_start_time_seconds") - started) < 60
    assert metric(text, "process_resident_memory_bytes") > 1_000_000
    open_fds = len(os.listdir(f"/proc/{pid}/fd"))
    assert abs(metric(text, "process_open_fds") - open_fds) < 20
    assert metric(text, "process_cpu_seconds_total") >= 0
    build = [labels for name, labels, value in parse_metrics(text) if name == "cops_vigilante_build_info"]
    assert len(build) == 1 and build[0].get("version"), build


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_the_metrics_listener_serves_health(server: Vigilante, path: str) -> None:
    response = request(server.metrics_port, "GET", path)
    assert response.status == 200


@pytest.mark.parametrize("path", ["/healthz", "/readyz", "/health"])
def test_the_webhook_listener_serves_health(server: Vigilante, pki: PKI, path: str) -> None:
    response = request(server.webhook_port, "GET", path, context=client_context(pki))
    assert response.status == 200


def test_metrics_answer_unknown_paths_and_methods_with_404_and_405(server: Vigilante) -> None:
    assert request(server.metrics_port, "GET", "/nope").status == 404
    assert request(server.metrics_port, "POST", "/metrics", b"x", {"Content-Type": "text/plain"}).status == 405
