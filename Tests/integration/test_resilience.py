"""Scenarios of slow, idle, hostile and too many clients: none of them may keep the API server's requests from
being answered, crash the process, or make it spin."""

from __future__ import annotations

import os
import resource
import socket
import ssl
import threading
import time

from testkit.metrics import metric, scrape
from testkit.pki import PKI, client_context
from testkit.raw_http import ResponseReader, build_request, connect, request
from testkit.reviews import expected_answer, review
from testkit.vigilante import Vigilante
from testkit.waiting import wait_until

SLOWLORIS_HEAD = build_request("POST", "/validate", review("slowloris"))


class Slowloris(threading.Thread):
    """Sends a request head one byte per second on a TLS connection, until told to stop or cut off."""

    def __init__(self, port: int, context: ssl.SSLContext):
        super().__init__(name="slowloris", daemon=True)
        self.sock = connect(port, context=context)
        self.stop_event = threading.Event()
        self.sent = 0
        self.cut_off_at: float | None = None
        self.started_at = time.monotonic()

    def run(self) -> None:
        try:
            while not self.stop_event.is_set() and self.sent < len(SLOWLORIS_HEAD) - 4:
                self.sock.sendall(SLOWLORIS_HEAD[self.sent:self.sent + 1])
                self.sent += 1
                self.stop_event.wait(1.0)
        except OSError:
            self.cut_off_at = time.monotonic()

    def stop(self) -> None:
        self.stop_event.set()
        self.join(timeout=5)


PER_SOURCE = 200  # under the server's limit of 256 connections per client address


def source(index: int) -> tuple[str, int]:
    """The local address of the index-th flooding connection: 127.0.0.2, .3, … (Linux routes all of 127/8 to
    loopback), PER_SOURCE connections each, so a flood is many peers under the per-client limit, while the test's
    own requests come from 127.0.0.1."""
    return f"127.0.0.{2 + index // PER_SOURCE}", 0


def open_idle(port: int, count: int, host: str = "127.0.0.1") -> list[socket.socket]:
    """count silent connections from several peers (source)."""
    sockets = []
    try:
        for index in range(count):
            sockets.append(socket.create_connection((host, port), timeout=5, source_address=source(index)))
    except BaseException:
        for sock in sockets:
            sock.close()
        raise
    return sockets


def timed_request(server: Vigilante, pki: PKI, uid: str) -> float:
    """A POST /validate on a new TLS connection; returns the seconds from connect to the complete answer."""
    started = time.monotonic()
    response = request(server.webhook_port, "POST", "/validate", review(uid), context=client_context(pki),
                       timeout=5)
    elapsed = time.monotonic() - started
    assert response.status == 200, response
    assert response.json() == expected_answer("admission.k8s.io/v1", uid)
    return elapsed


def test_a_thousand_idle_connections_and_a_slowloris_do_not_delay_valid_requests(
        server: Vigilante, pki: PKI) -> None:
    idle = open_idle(server.webhook_port, 1000)
    slowloris = Slowloris(server.webhook_port, client_context(pki))
    slowloris.start()
    try:
        # The server has accepted them all, and the slowloris has started sending.
        wait_until(lambda: (metric(scrape(server), "cops_vigilante_http_open_connections", listener="webhook") or 0)
                   >= 1001 and slowloris.sent >= 2, timeout=10, interval=0.2,
                   message="the server did not accept the 1,000 idle connections and the slowloris")
        durations = [timed_request(server, pki, f"under-siege-{i}") for i in range(20)]
        slow = [f"{d:.3f}" for d in durations if d >= 1.0]
        assert not slow, f"requests that took a second or more under load: {slow} (all: {durations})"
    finally:
        slowloris.stop()
        slowloris.sock.close()
        for sock in idle:
            sock.close()
    server.assert_alive()


def test_the_header_timeout_cuts_a_slowloris_with_408_but_not_an_idle_keep_alive_connection(
        server: Vigilante, pki: PKI) -> None:
    keep_alive = connect(server.webhook_port, context=client_context(pki), timeout=5)
    keep_alive_reader = ResponseReader(keep_alive)
    keep_alive.sendall(build_request("POST", "/validate", review("before-idle")))
    assert keep_alive_reader.read_response("POST").status == 200

    slowloris = Slowloris(server.webhook_port, client_context(pki))
    slowloris.sock.settimeout(20)
    slowloris.start()
    try:
        reader = ResponseReader(slowloris.sock)
        response = reader.read_response("POST")  # bounded by the socket timeout of 20 s
        elapsed = time.monotonic() - slowloris.started_at
        assert response.status == 408, response
        assert 8 <= elapsed <= 15, f"the 408 came after {elapsed:.1f} s; the header timeout is 10 s"
        assert reader.closed_by_peer(timeout=5), "the connection stayed open after 408"
    finally:
        slowloris.stop()
        slowloris.sock.close()

    # The keep-alive connection has now been idle longer than the header timeout: still usable (idle timeout 120 s).
    try:
        keep_alive.sendall(build_request("POST", "/validate", review("after-idle")))
        response = keep_alive_reader.read_response("POST")
    finally:
        keep_alive.close()
    assert response.status == 200, response
    assert response.json() == expected_answer("admission.k8s.io/v1", "after-idle")


def read_until_closed(sock: socket.socket, timeout: float) -> bytes:
    """Everything the server sends until it closes the connection; AssertionError if it has not within timeout."""
    sock.settimeout(timeout)
    deadline = time.monotonic() + timeout
    received = b""
    try:
        while time.monotonic() < deadline:
            data = sock.recv(65536)
            if not data:
                return received
            received += data
    except ConnectionResetError:
        return received
    except (socket.timeout, TimeoutError):
        pass
    raise AssertionError(f"the server did not close the connection within {timeout} s (got {received[:100]!r})")


def test_tls_garbage_instead_of_a_client_hello_is_closed_and_counted(server: Vigilante, pki: PKI) -> None:
    def failures() -> float:
        return metric(scrape(server), "cops_vigilante_tls_handshake_failures_total", listener="webhook") or 0.0

    before = failures()
    with socket.create_connection(("127.0.0.1", server.webhook_port), timeout=5) as sock:
        sock.sendall(os.urandom(2048))
        read_until_closed(sock, timeout=5)
    with socket.create_connection(("127.0.0.1", server.webhook_port), timeout=5) as sock:
        sock.sendall(build_request("GET", "/healthz"))
        answer = read_until_closed(sock, timeout=5)
        assert b"ok" not in answer, "the TLS port answered a plaintext request"
    # A record header that claims a TLS handshake but carries nonsense.
    with socket.create_connection(("127.0.0.1", server.webhook_port), timeout=5) as sock:
        sock.sendall(b"\x16\x03\x01\x00\x40" + os.urandom(64))
        read_until_closed(sock, timeout=5)

    wait_until(lambda: failures() >= before + 3, timeout=5,
               message=f"cops_vigilante_tls_handshake_failures_total{{listener=\"webhook\"}} went from {before} "
                       f"to {failures()}, expected +3")
    assert timed_request(server, pki, "after-garbage") < 5
    server.assert_alive()


def test_the_open_connections_gauge_follows_the_connections(server: Vigilante) -> None:
    def open_connections() -> float:
        return metric(scrape(server), "cops_vigilante_http_open_connections", listener="webhook") or 0.0

    baseline = open_connections()
    idle = open_idle(server.webhook_port, 50)
    try:
        wait_until(lambda: open_connections() >= baseline + 50, timeout=5,
                   message="the gauge did not count 50 new connections")
    finally:
        for sock in idle:
            sock.close()
    wait_until(lambda: open_connections() <= baseline, timeout=5,
               message="the gauge did not come back down after the connections closed")


def test_more_connections_than_the_limit_are_survived(launch, pki: PKI) -> None:
    """The connection limit is 4096: 4,300 silent connections from 22 peers neither crash the server nor get it
    above its limit; the webhook and /healthz answer during the flood (the oldest silent connections make room),
    and after it."""
    server = launch(cert=pki.server_a)
    sockets = []
    try:
        for index in range(4300):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.settimeout(0.5)
            sock.bind(source(index))
            try:
                sock.connect(("127.0.0.1", server.webhook_port))
            except OSError:
                sock.close()
                continue
            sockets.append(sock)
        assert len(sockets) >= 4096, f"only {len(sockets)} connections could be opened"
        open_now = metric(scrape(server), "cops_vigilante_http_open_connections", listener="webhook")
        assert open_now is not None and open_now <= 4096, f"{open_now} open webhook connections, limit 4096"
        assert _serves(server, pki), "the webhook did not answer during the flood"
        assert request(server.metrics_port, "GET", "/healthz", timeout=2).status == 200
        assert _shed(server, "silent_evicted") >= 1
        server.assert_alive()
    finally:
        for sock in sockets:
            sock.close()
    wait_until(lambda: _serves(server, pki), timeout=10, interval=0.5,
               message="the server did not serve again after the connections closed")
    server.assert_alive()


def _serves(server: Vigilante, pki: PKI) -> bool:
    try:
        return request(server.webhook_port, "GET", "/healthz", context=client_context(pki), timeout=2).status == 200
    except OSError:
        return False


def test_running_out_of_file_descriptors_is_survived_without_a_busy_loop(launch, pki: PKI) -> None:
    def low_fd_limit() -> None:  # in the child: the server cannot raise it
        resource.setrlimit(resource.RLIMIT_NOFILE, (96, 96))

    server = launch(cert=pki.server_a, preexec_fn=low_fd_limit)
    sockets = open_idle(server.webhook_port, 150)  # more than the server has descriptors: accept gets EMFILE
    try:
        fd_dir = f"/proc/{server.process.pid}/fd"
        wait_until(lambda: len(os.listdir(fd_dir)) >= 90, timeout=5,
                   message="the server never came near its descriptor limit")
        cpu_before = server.cpu_seconds()
        time.sleep(2.0)
        cpu_used = server.cpu_seconds() - cpu_before
        assert cpu_used < 0.5, f"the server used {cpu_used:.2f} s of CPU in 2 s while out of descriptors"
        server.assert_alive()
    finally:
        for sock in sockets:
            sock.close()
    wait_until(lambda: _serves(server, pki), timeout=15, interval=0.5,
               message="the server did not serve again after descriptors were freed")
    server.assert_alive()


def _shed(server: Vigilante, reason: str, listener: str = "webhook") -> float:
    return metric(scrape(server), "cops_vigilante_http_connections_shed_total", listener=listener, reason=reason) or 0


def test_silent_peers_are_closed_at_the_head_timeout_tls_handshake_included(server: Vigilante, pki: PKI) -> None:
    """A TCP connection that never sends a byte, and a TLS connection that completes its handshake and sends no
    request, are closed 10 s after the accept (the head timeout), not kept for the 120 s idle timeout."""
    before = _shed(server, "head_timeout") + _shed(server, "handshake_timeout")
    silent = socket.create_connection(("127.0.0.1", server.webhook_port), timeout=30)
    handshaken = connect(server.webhook_port, context=client_context(pki), timeout=30)
    try:
        assert silent.recv(1) == b"", "the silent connection was not closed by the server"
        assert ResponseReader(handshaken).closed_by_peer(timeout=30), "the TLS connection without a request stayed"
        wait_until(lambda: _shed(server, "head_timeout") + _shed(server, "handshake_timeout") >= before + 2, timeout=5,
                   message="the head timeouts were not counted")
    finally:
        silent.close()
        handshaken.close()


def test_one_client_address_cannot_take_every_slot(server: Vigilante, pki: PKI) -> None:
    """300 connections from one peer: 256 are kept, the rest closed at once and counted; other peers are served."""
    before = _shed(server, "per_client_limit")
    flood = []
    try:
        for _ in range(300):
            flood.append(socket.create_connection(("127.0.0.1", server.webhook_port), timeout=5,
                                                  source_address=("127.0.0.250", 0)))
        wait_until(lambda: _shed(server, "per_client_limit") >= before + 44, timeout=10,
                   message="the connections over the per-client limit were not refused")
        assert timed_request(server, pki, "beside-the-flood") < 5
        assert request(server.metrics_port, "GET", "/healthz", timeout=5).status == 200
    finally:
        for sock in flood:
            sock.close()


def test_uploads_over_the_buffer_budget_get_503_with_retry_after(launch, pki: PKI) -> None:
    """Stalled uploads hold the buffered-bytes budget (here 160 KiB): the request that would go over it is answered
    503 with Retry-After and closed, not buffered; once the uploads are gone, the same request is answered."""
    server = launch(cert=pki.server_a,
                    config={"webhook": {"max_body_bytes": 65536, "max_buffered_bytes": 163840}})
    body = review("big") + b" " * (60000 - len(review("big")))
    # Expect: 100-continue: the server answers 100 once it has taken the head, and with it the body's budget.
    head = build_request("POST", "/validate", body, {"Expect": "100-continue"})[:-len(body)]
    stalled = []
    try:
        for _ in range(2):
            sock = connect(server.webhook_port, context=client_context(pki), timeout=10)
            sock.sendall(head)
            assert sock.recv(100).startswith(b"HTTP/1.1 100 Continue"), "no 100 Continue for a stalled upload"
            sock.sendall(body[:1000])
            stalled.append(sock)
        wait_until(lambda: _over_budget(server, pki, body), timeout=10,
                   message="a third 60 KB upload was not refused while two were stalled")
        assert _shed(server, "buffer_budget") >= 1
    finally:
        for sock in stalled:
            sock.close()
    wait_until(lambda: _answered(server, pki, body), timeout=10,
               message="the upload was not answered once the stalled ones were gone")
    server.assert_alive()


def _over_budget(server: Vigilante, pki: PKI, body: bytes) -> bool:
    response = request(server.webhook_port, "POST", "/validate", body, context=client_context(pki), timeout=5)
    if response.status != 503:
        return False
    assert response.headers.get("retry-after") == "1", response.headers
    return True


def _answered(server: Vigilante, pki: PKI, body: bytes) -> bool:
    return request(server.webhook_port, "POST", "/validate", body, context=client_context(pki),
                   timeout=5).status == 200


def test_failed_tls_handshakes_are_logged_at_debug_with_their_reason_at_most_one_line_a_second(
        launch, pki: PKI) -> None:
    server = launch(cert=pki.server_a, extra_args=["--log-level", "debug"])
    for _ in range(20):
        with socket.create_connection(("127.0.0.1", server.webhook_port), timeout=5) as sock:
            sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")  # plain HTTP to the TLS port
            sock.settimeout(5)
            try:
                sock.recv(100)
            except OSError:
                pass
    first = server.wait_for_log(lambda r: r.get("message") == "TLS handshake failed", timeout=10)
    assert first is not None, server.log_text()
    assert first["level"] == "debug" and first["metadata"]["listener"] == "webhook"
    assert first["metadata"]["reason"], first
    wait_until(lambda: (metric(scrape(server), "cops_vigilante_tls_handshake_failures_total", listener="webhook")
                        or 0) >= 20, timeout=10, message="the failed handshakes were not all counted")
    lines = [r for r in server.records if r.get("message") == "TLS handshake failed"]
    assert len(lines) < 20, f"{len(lines)} log lines for 20 failed handshakes: not rate-limited"
