"""Scenario: Kubernetes stops the pod (SIGTERM) while the API server has a request in flight: the request is
answered, new connections are refused, idle connections are closed, and the process exits 0."""

from __future__ import annotations

import signal
import socket
import time

import pytest

from integration_support import (PKI, ResponseReader, Vigilante, build_request, client_context, connect,
                                 expected_answer, review, wait_until)


def refused(port: int, host: str = "127.0.0.1") -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return False
    except ConnectionRefusedError:
        return True


def stopping(server: Vigilante, timeout: float = 5.0) -> None:
    record = server.wait_for_log(lambda r: r.get("message", "").startswith("Stopping")
                                 and r.get("metadata", {}).get("listener") == "webhook", timeout=timeout)
    assert record is not None, f"no 'Stopping' log line within {timeout} s of the signal; log:\n{server.log_text()}"


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_with_a_request_in_flight_answers_it_refuses_new_connections_and_exits_0(
        launch, pki: PKI, signum: int) -> None:
    server = launch(cert=pki.server_a)
    body = review("in-flight")
    raw = build_request("POST", "/validate", body)
    split = len(raw) - len(body) // 2

    idle = connect(server.webhook_port, context=client_context(pki))
    idle_reader = ResponseReader(idle)
    idle.sendall(build_request("GET", "/healthz"))
    assert idle_reader.read_response().status == 200

    in_flight = connect(server.webhook_port, context=client_context(pki))
    try:
        in_flight.sendall(raw[:split])  # the head and half the body
        time.sleep(0.2)  # the server has read them
        server.signal(signum)
        stopping(server)

        # The listening socket may close a moment after the log line; bounded.
        wait_until(lambda: refused(server.webhook_port), timeout=2, interval=0.05,
                   message="new webhook connections were still accepted 2 s after the signal")
        assert idle_reader.closed_by_peer(timeout=5), "an idle keep-alive connection was not closed on shutdown"

        in_flight.sendall(raw[split:])
        response = ResponseReader(in_flight).read_response("POST")
        assert response.status == 200, response
        assert response.json() == expected_answer("admission.k8s.io/v1", "in-flight")
    finally:
        in_flight.close()
        idle.close()

    status = server.wait(timeout=15)
    assert status == 0, f"exit status {status} (None: still running 15 s after the signal); log:\n{server.log_text()}"
    assert server.wait_for_log(lambda r: r.get("message") == "Stopped cleanly", timeout=2) is not None


def test_a_client_that_never_finishes_its_request_does_not_hold_up_the_shutdown(launch, pki: PKI) -> None:
    server = launch(cert=pki.server_a)
    stalled = connect(server.webhook_port, context=client_context(pki))
    try:
        body = review("never-finished")
        stalled.sendall(build_request("POST", "/validate", body)[:-10])
        time.sleep(0.2)
        started = time.monotonic()
        server.signal(signal.SIGTERM)
        status = server.wait(timeout=20)
        took = time.monotonic() - started
    finally:
        stalled.close()
    assert status == 0, f"exit status {status} (None: still running 20 s after SIGTERM); log:\n{server.log_text()}"
    assert took < 15, f"shutdown took {took:.1f} s"


def test_sigterm_stops_the_metrics_listener_too(launch, pki: PKI) -> None:
    server = launch(cert=pki.server_a)
    server.signal(signal.SIGTERM)
    status = server.wait(timeout=15)
    assert status == 0, f"exit status {status}; log:\n{server.log_text()}"
    assert refused(server.metrics_port) and refused(server.webhook_port)


def test_sigterm_while_the_api_server_hangs_every_request_exits_0_within_the_shutdown_timeout(
        launch, tmp_path) -> None:
    from fake_cluster import FakeCluster, healing_config, windows_node

    cluster = FakeCluster(tmp_path / "fakeapi")
    try:
        cluster.admin("POST", "nodes", windows_node("akswin000001", ready=True))
        server = launch(config=healing_config(window="10m"), tls=False,
                        extra_args=["--kubeconfig", str(cluster.kubeconfig)])
        wait_until(lambda: cluster.probe_pods(), timeout=30, message="the start-up resync never started healing")

        # From now on every request hangs for 10 minutes, far beyond the 60 s request timeout and the 25 s
        # shutdown_timeout; wait until one of vigilante's is hanging at the server.
        cluster.admin("POST", "faults", {"kind": "delay", "delayMs": 600_000, "count": 1_000_000})
        wait_until(lambda: any(r["fault"] and r["status"] is None for r in cluster.requests()), timeout=30,
                   message="no request of vigilante reached the hanging API server")

        signalled = time.monotonic()
        server.signal(signal.SIGTERM)
        status = server.wait(timeout=30)
        took = time.monotonic() - signalled
        assert status == 0, f"exit status {status} {took:.1f} s after SIGTERM; log:\n{server.log_text()}"
        assert took < 25, f"stopping took {took:.1f} s, beyond the 25 s shutdown_timeout"
        # The hanging calls were aborted, not waited out: the deadline never had to cut anything short.
        assert server.wait_for_log(lambda r: r.get("message") == "Stopped cleanly", timeout=5)
        assert not server.wait_for_log(lambda r: r.get("message", "").startswith("Shutdown deadline"), timeout=0)
    finally:
        cluster.process.kill()  # its handler threads sleep out the delay; nothing to drain
        cluster.stop()
