"""HTTP/1.1 plumbing: keep-alive, chunked request bodies, size limit, methods, HEAD."""

import socket
import ssl

from fakeapi.tests.conftest import TOKEN
from fakeapi.tests.harness import node


def _raw_exchange(server, pki, request: bytes) -> bytes:
    context = ssl.create_default_context(cafile=pki.ca_cert)
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as plain, context.wrap_socket(plain, server_hostname="127.0.0.1") as tls:
        tls.sendall(request)
        data = b""
        while b"\r\n\r\n" not in data:
            data += tls.recv(65536)
        head, _, body = data.partition(b"\r\n\r\n")
        length = int(next(line.split(b":")[1] for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")))
        while len(body) < length:
            body += tls.recv(65536)
        return head + b"\r\n\r\n" + body


def test_keep_alive_serves_many_requests_on_one_connection(api, admin):
    admin.seed([node("n1")])
    for _ in range(20):
        assert api.get("/api/v1/nodes/n1").status == 200
    assert api.connection.sock is not None  # still the first connection


def test_chunked_request_body(server, pki):
    body = b'{"metadata":{"name":"chunky"},"spec":{"containers":[{"name":"c","image":"i"}]}}'
    chunked = b"%x\r\n%s\r\n%x\r\n%s\r\n0\r\n\r\n" % (10, body[:10], len(body) - 10, body[10:])
    head = f"POST /api/v1/namespaces/default/pods HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n".encode()
    answer = _raw_exchange(server, pki, head + chunked)
    assert answer.startswith(b"HTTP/1.1 201") and b'"name":"chunky"' in answer


def test_oversized_body_is_413(server, pki):
    head = f"POST /api/v1/namespaces/default/pods HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\nContent-Type: application/json\r\nContent-Length: {4 * 1024 * 1024}\r\n\r\n".encode()
    answer = _raw_exchange(server, pki, head)
    assert answer.startswith(b"HTTP/1.1 413") and b'"reason":"RequestEntityTooLarge"' in answer


def test_unsupported_methods_are_405_with_status(api, admin):
    admin.seed([node("n1")])
    put = api.request("PUT", "/api/v1/nodes/n1", {"metadata": {"name": "n1"}})
    assert put.status == 405 and put.json["reason"] == "MethodNotAllowed"
    assert api.request("POST", "/api/v1/pods", {"metadata": {"name": "p"}}).status == 405
    assert api.request("DELETE", "/api/v1/namespaces/default/pods").status == 405


def test_head_has_headers_only(api, admin):
    admin.seed([node("n1")])
    answer = api.request("HEAD", "/api/v1/nodes/n1")
    assert answer.status == 200 and answer.body == b"" and int(answer.headers["content-length"]) > 0
