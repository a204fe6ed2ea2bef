"""Scenarios of HTTP/1.1 connection handling with Python's ssl and http.client: keep-alive reuse, HTTP/1.0,
pipelining, and clients that go away in the middle of a request or a response."""

from __future__ import annotations

import http.client
import json
import socket
import struct
import time

from testkit.metrics import metric, scrape
from testkit.pki import PKI, client_context
from testkit.raw_http import ResponseReader, build_request, connect, request, start_request
from testkit.reviews import expected_answer, review
from testkit.vigilante import Vigilante
from testkit.waiting import wait_until


def test_fifty_requests_reuse_one_keep_alive_connection(server: Vigilante, pki: PKI) -> None:
    connection = http.client.HTTPSConnection("localhost", server.webhook_port, context=client_context(pki),
                                             timeout=10)
    try:
        connection.connect()
        first_socket = connection.sock
        local_address = first_socket.getsockname()
        for i in range(50):
            uid = f"keep-alive-{i}"
            connection.request("POST", "/validate", body=review(uid),
                               headers={"Content-Type": "application/json"})
            response = connection.getresponse()
            body = response.read()
            assert response.status == 200, body
            assert json.loads(body) == expected_answer("admission.k8s.io/v1", uid)
            assert (response.getheader("Connection") or "").lower() != "close"
            # http.client silently reconnects when the server closed: the socket must be the very same one.
            assert connection.sock is first_socket, f"the server closed the connection after request {i}"
            assert connection.sock.getsockname() == local_address
    finally:
        connection.close()


def test_an_http_1_0_request_is_answered_and_the_connection_closed(server: Vigilante, pki: PKI) -> None:
    with connect(server.webhook_port, context=client_context(pki)) as sock:
        sock.sendall(build_request("POST", "/validate", review("http-1.0"), version="HTTP/1.0"))
        reader = ResponseReader(sock)
        response = reader.read_response("POST")
        assert response.status == 200, response
        assert response.json() == expected_answer("admission.k8s.io/v1", "http-1.0")
        assert reader.closed_by_peer(timeout=5), "the server kept an HTTP/1.0 connection without keep-alive open"


def test_three_pipelined_requests_in_one_send_get_three_responses_in_order(server: Vigilante, pki: PKI) -> None:
    uids = ["pipelined-1", "pipelined-2", "pipelined-3"]
    with connect(server.webhook_port, context=client_context(pki)) as sock:
        sock.sendall(b"".join(build_request("POST", "/validate", review(uid)) for uid in uids))
        reader = ResponseReader(sock)
        answers = []
        for _ in uids:
            response = reader.read_response("POST")
            assert response.status == 200, response
            answers.append(response.json()["response"]["uid"])
        assert answers == uids


def test_pipelined_requests_of_different_kinds_keep_their_order(server: Vigilante, pki: PKI) -> None:
    """A GET between two POSTs (a fast and a slower handler) and an error response: still answered in order."""
    with connect(server.webhook_port, context=client_context(pki)) as sock:
        sock.sendall(build_request("POST", "/validate", review("first"))
                     + build_request("GET", "/healthz")
                     + build_request("GET", "/no-such-path")
                     + build_request("POST", "/validate", review("last")))
        reader = ResponseReader(sock)
        statuses = [reader.read_response(method) for method in ("POST", "GET", "GET", "POST")]
        assert [r.status for r in statuses] == [200, 200, 404, 200]
        assert statuses[0].json()["response"]["uid"] == "first"
        assert statuses[3].json()["response"]["uid"] == "last"


def _abort(sock: socket.socket) -> None:
    """Close with a reset (SO_LINGER 0), as a crashed client would."""
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


def test_a_client_gone_in_the_middle_of_a_request_body_does_not_disturb_others(
        server: Vigilante, pki: PKI) -> None:
    body = review("half")
    for close in (lambda s: s.close(), _abort):
        sock = connect(server.webhook_port, context=client_context(pki))
        # The server's 100 Continue says it has read the head and waits for the body: half of it comes, then the
        # client goes.
        start_request(sock, "POST", "/validate", body)
        sock.sendall(body[:len(body) // 2])
        close(sock)
    response = request(server.webhook_port, "POST", "/validate", review("after-half"),
                        context=client_context(pki))
    assert response.status == 200
    assert response.json() == expected_answer("admission.k8s.io/v1", "after-half")
    server.assert_alive()


def test_a_client_gone_in_the_middle_of_a_large_response_does_not_disturb_others(server: Vigilante) -> None:
    # 300 pipelined scrapes make several megabytes of response: far more than the socket buffers hold, so the
    # server is still writing when the client resets the connection.
    for _ in range(3):
        sock = connect(server.metrics_port)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sock.sendall(build_request("GET", "/metrics") * 300)
        assert sock.recv(16).startswith(b"HTTP/1.1 200")  # the server is writing
        _abort(sock)
    response = request(server.metrics_port, "GET", "/metrics")
    assert response.status == 200
    assert b"cops_vigilante_build_info" in response.body
    server.assert_alive()


def test_a_connection_close_request_is_let_go_of_at_once_while_the_client_still_holds_its_socket(
        server: Vigilante, pki: PKI) -> None:
    """A client that says `Connection: close` and sends nothing more is done: the server closes its side right
    after the answer instead of lingering until the client closes too, so the descriptor is free at once."""
    def open_connections() -> float:
        return metric(scrape(server), "cops_vigilante_http_open_connections", listener="webhook") or 0.0

    baseline = open_connections()
    with connect(server.webhook_port, context=client_context(pki)) as sock:
        sock.sendall(build_request("POST", "/validate", review("closing"), headers={"Connection": "close"}))
        reader = ResponseReader(sock)
        response = reader.read_response("POST")
        assert response.status == 200, response
        assert response.json() == expected_answer("admission.k8s.io/v1", "closing")
        assert reader.closed_by_peer(timeout=5), "the server kept the connection open after Connection: close"
        # The client has not closed its socket; the server has already let go of the connection.
        wait_until(lambda: open_connections() <= baseline, timeout=1,
                   message="the server still counts the connection the client asked to close")


def test_bytes_after_a_connection_close_request_do_not_cost_the_client_its_answer(
        server: Vigilante, pki: PKI) -> None:
    """A client that sends more after its `Connection: close` request (a stray CRLF, a pipelined request it should
    not have sent) still reads the whole answer and then a clean end of stream: the server lingers instead of
    closing with unread bytes, which would reset the connection."""
    with connect(server.webhook_port, context=client_context(pki)) as sock:
        sock.sendall(build_request("POST", "/validate", review("then-more"), headers={"Connection": "close"})
                     + build_request("GET", "/healthz"))
        reader = ResponseReader(sock)
        response = reader.read_response("POST")
        assert response.status == 200, response
        assert response.json() == expected_answer("admission.k8s.io/v1", "then-more")
        assert reader.closed_by_peer(timeout=5), "the connection stayed open after the Connection: close answer"


def _answer_on_kept_alive_connections(port: int, pki: PKI, count: int) -> list[http.client.HTTPSConnection]:
    connections = []
    for i in range(count):
        connection = http.client.HTTPSConnection("localhost", port, context=client_context(pki), timeout=10)
        connections.append(connection)
        connection.request("POST", "/validate", body=review(f"then-silent-{i}"),
                           headers={"Content-Type": "application/json"})
        response = connection.getresponse()
        assert response.status == 200, response.read()
        response.read()
    return connections


def test_kept_alive_connections_that_fall_silent_leave_the_server_asleep(server: Vigilante, pki: PKI) -> None:
    # A client that keeps its connection open but sends nothing more must not keep a loop spinning.
    connections = _answer_on_kept_alive_connections(server.webhook_port, pki, 20)
    try:
        cpu_before = server.cpu_seconds()
        time.sleep(2.0)
        cpu_used = server.cpu_seconds() - cpu_before
        assert cpu_used < 0.2, f"the server used {cpu_used:.2f} s of CPU in 2 s with only silent connections"
    finally:
        for connection in connections:
            connection.close()

