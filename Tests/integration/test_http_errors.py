"""Every error status of the README's "Endpoints" section, through the API-server-like caller: 400 for a body that
is not an AdmissionReview, 404 for an unknown path, 405 for a wrong method, 413 over webhook.max_body_bytes, 415 for
a wrong content type. Each comes with a message, and the caller's next review is answered: on the same connection,
or on a new one when the error answer said `Connection: close`. Then, on raw sockets: chunked bodies,
Expect: 100-continue, request smuggling shapes, oversized and malformed requests."""

from __future__ import annotations

import pytest

from testkit.config import MAX_BODY_BYTES
from testkit.pki import PKI, client_context
from testkit.raw_http import ResponseReader, build_request, connect, request
from testkit.reviews import NOT_ADMISSION_REVIEWS, expected_answer, review, review_of_size
from testkit.vigilante import Vigilante
from testkit.webhook_caller import Answer, WebhookCaller


def post(server: Vigilante, pki: PKI, body: bytes, headers: dict[str, str] | None = None):
    return request(server.webhook_port, "POST", "/validate", body, headers, context=client_context(pki))


def assert_still_served(caller: WebhookCaller, error: Answer) -> None:
    """The next review after an error answer is allowed; a server that dropped the connection without saying
    `Connection: close` fails here (http.client would then get no answer on the reused connection)."""
    opened = caller.connections_opened
    assert caller.review(review("after-error")) == expected_answer("admission.k8s.io/v1", "after-error")
    if error.headers.get("connection", "").lower() != "close":
        assert caller.connections_opened == opened, "the connection was closed without `Connection: close`"


@pytest.mark.parametrize("body", NOT_ADMISSION_REVIEWS)
def test_a_body_that_is_not_an_admission_review_gets_400_with_a_message(healing_webhook, caller_for, body) -> None:
    caller = caller_for(healing_webhook)
    answer = caller.call(body)
    assert answer.status == 400, answer
    assert len(answer.body.strip()) > 10, f"400 without a message: {answer.body!r}"
    assert_still_served(caller, answer)


@pytest.mark.parametrize("method,path", [("POST", "/mutate?timeout=10s"), ("GET", "/no/such/path")])
def test_an_unknown_path_gets_404_with_a_message(healing_webhook, caller_for, method, path) -> None:
    caller = caller_for(healing_webhook)
    answer = caller.call(review() if method == "POST" else b"", method=method, path=path,
                         content_type="application/json" if method == "POST" else None)
    assert answer.status == 404, answer
    assert answer.body.strip()
    assert_still_served(caller, answer)


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_a_wrong_method_on_validate_gets_405_naming_post(healing_webhook, caller_for, method) -> None:
    caller = caller_for(healing_webhook)
    answer = caller.call(review() if method == "PUT" else b"", method=method,
                         content_type="application/json" if method == "PUT" else None)
    assert answer.status == 405, answer
    assert "POST" in answer.headers.get("allow", ""), "a 405 names the allowed methods (RFC 9110 15.5.6)"
    assert_still_served(caller, answer)


def test_a_body_one_byte_over_max_body_bytes_gets_413_and_one_at_the_limit_is_answered(
        healing_webhook, caller_for) -> None:
    caller = caller_for(healing_webhook)
    answer = caller.call(review_of_size(MAX_BODY_BYTES + 1, uid="over"))
    assert answer.status == 413, answer
    assert answer.body.strip()
    assert_still_served(caller, answer)
    assert caller.review(review_of_size(MAX_BODY_BYTES, uid="at-limit")) == \
        expected_answer("admission.k8s.io/v1", "at-limit")


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", None],
                         ids=["text-plain", "form", "none"])
def test_a_review_sent_with_a_wrong_content_type_gets_415(healing_webhook, caller_for, content_type) -> None:
    # None: no Content-Type header at all.
    caller = caller_for(healing_webhook)
    answer = caller.call(review("wrong-type"), content_type=content_type)
    assert answer.status == 415, answer
    assert answer.body.strip()
    assert_still_served(caller, answer)


def test_json_with_a_charset_parameter_is_accepted(server: Vigilante, pki: PKI) -> None:
    response = post(server, pki, review("charset"), {"Content-Type": "application/json; charset=utf-8"})
    assert response.status == 200, response
    assert response.json() == expected_answer("admission.k8s.io/v1", "charset")


def test_a_chunked_body_over_max_body_bytes_is_413(server: Vigilante, pki: PKI) -> None:
    body = review_of_size(MAX_BODY_BYTES + 1)
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(body[i:i + 8192]), body[i:i + 8192]) for i in range(0, len(body), 8192))
    head = build_request("POST", "/validate", content_length=False,
                         headers={"Transfer-Encoding": "chunked", "Content-Type": "application/json"})
    with connect(server.webhook_port, context=client_context(pki)) as sock:
        try:
            sock.sendall(head + chunks + b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server may answer and close before the client is done sending
        response = ResponseReader(sock).read_response("POST")
    assert response.status == 413, response


def test_a_chunked_review_is_accepted(server: Vigilante, pki: PKI) -> None:
    body = review("chunked")
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(body[i:i + 100]), body[i:i + 100]) for i in range(0, len(body), 100))
    head = build_request("POST", "/validate", content_length=False,
                         headers={"Transfer-Encoding": "chunked", "Content-Type": "application/json"})
    with connect(server.webhook_port, context=client_context(pki)) as sock:
        sock.sendall(head + chunks + b"0\r\n\r\n")
        response = ResponseReader(sock).read_response("POST")
    assert response.status == 200, response
    assert response.json() == expected_answer("admission.k8s.io/v1", "chunked")


def test_expect_100_continue_with_a_body_over_the_limit_gets_413_before_the_body_is_sent(
        server: Vigilante, pki: PKI) -> None:
    head = build_request("POST", "/validate", headers={"Content-Length": str(MAX_BODY_BYTES + 1),
                                                       "Expect": "100-continue",
                                                       "Content-Type": "application/json"})
    with connect(server.webhook_port, context=client_context(pki), timeout=5) as sock:
        sock.sendall(head)  # the head only; the body is never sent
        response = ResponseReader(sock).read_response("POST")
    assert response.status == 413, response


def test_expect_100_continue_with_a_small_body_gets_100_then_200(server: Vigilante, pki: PKI) -> None:
    body = review("expect")
    head = build_request("POST", "/validate", body, {"Expect": "100-continue"})[:-len(body)]
    with connect(server.webhook_port, context=client_context(pki), timeout=5) as sock:
        sock.sendall(head)
        reader = ResponseReader(sock)
        interim = reader.read_head()
        assert interim.status == 100, interim
        sock.sendall(body)
        response = reader.read_response("POST")
    assert response.status == 200, response
    assert response.json() == expected_answer("admission.k8s.io/v1", "expect")


@pytest.mark.parametrize("raw", [
    pytest.param(b"POST /validate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                 b"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", id="cl-and-te"),
    pytest.param(b"POST /validate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                 b"Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", id="duplicate-cl"),
    pytest.param(b"POST /validate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                 b"Content-Length: -1\r\n\r\n", id="negative-cl"),
    pytest.param(b"POST /validate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                 b"Content-Length: 1x\r\n\r\n", id="malformed-cl"),
])
def test_request_smuggling_shapes_get_400_and_close(server: Vigilante, pki: PKI, raw: bytes) -> None:
    with connect(server.webhook_port, context=client_context(pki), timeout=5) as sock:
        sock.sendall(raw)
        reader = ResponseReader(sock)
        response = reader.read_response("POST")
        assert response.status == 400, response
        assert reader.closed_by_peer(timeout=5), "the connection stayed open after a request smuggling shape"


def test_an_oversized_header_block_is_431(server: Vigilante, pki: PKI) -> None:
    raw = build_request("GET", "/healthz", headers={f"X-Filler-{i}": "y" * 1000 for i in range(200)})
    with connect(server.webhook_port, context=client_context(pki), timeout=5) as sock:
        try:
            sock.sendall(raw)
        except (BrokenPipeError, ConnectionResetError):
            pass
        response = ResponseReader(sock).read_response("GET")
    assert response.status == 431, response


@pytest.mark.parametrize("raw", [
    pytest.param(b"\x00\x00\x00\x00\r\n\r\n", id="nul-bytes"),
    pytest.param(b"GET /\xff\xfe HTTP/1.1\r\nHost: x\r\n\r\n", id="non-utf8-path"),
    pytest.param(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Bad: a\x00b\r\n\r\n", id="nul-in-header"),
    pytest.param(b"POST /validate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                 b"Content-Length: 99999999999999999999999\r\n\r\n", id="huge-content-length"),
    pytest.param(b"POST /validate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                 b"Transfer-Encoding: chunked\r\n\r\nfffffffffffffffffff\r\n", id="huge-chunk-size"),
    pytest.param(b"GET /healthz HTTP/9.9\r\nHost: x\r\n\r\n", id="unknown-version"),
    pytest.param(b"GET\r\n\r\n", id="no-target"),
    pytest.param(b"GET /healthz HTTP/1.1\r\n: no-name\r\n\r\n", id="empty-header-name"),
    pytest.param(b"GET /healthz HTTP/1.1\r\nHost x\r\n\r\n", id="header-without-colon"),
])
def test_malformed_requests_get_a_4xx_or_a_close_and_never_crash(server: Vigilante, pki: PKI, raw: bytes) -> None:
    with connect(server.webhook_port, context=client_context(pki), timeout=5) as sock:
        sock.sendall(raw)
        reader = ResponseReader(sock)
        try:
            response = reader.read_response()
        except ConnectionError:
            response = None  # closed without an answer: acceptable
        if response is not None:
            assert 400 <= response.status < 500 or response.status == 505, response
    server.assert_alive()
    assert request(server.webhook_port, "GET", "/healthz", context=client_context(pki)).status == 200
