"""The webhook's real client is kube-apiserver. WebhookCaller plays its part: HTTPS verified against the CA of
the webhook configuration's caBundle with the service's host name, one keep-alive connection reused for every
call, `POST /validate?timeout=10s` with an AdmissionReview as JSON, answered as JSON."""

from __future__ import annotations

import http.client
import json
import select
import socket
import ssl
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# The API server appends the webhook's timeoutSeconds to the path it calls (ValidatingWebhookConfiguration).
VALIDATE_PATH = "/validate?timeout=10s"


@dataclass
class Answer:
    status: int
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names
    body: bytes = b""

    def json(self) -> Any:
        return json.loads(self.body)


class _LocalhostConnection(http.client.HTTPSConnection):
    """Connects to 127.0.0.1 but verifies the certificate for `localhost`, the name in the dev certificate (the
    API server verifies the service's DNS name the same way); counts the connections it opens."""

    def __init__(self, port: int, context: ssl.SSLContext, timeout: float):
        super().__init__("localhost", port, timeout=timeout, context=context)
        self._tls_context = context
        self.opened = 0

    def connect(self) -> None:
        raw = socket.create_connection(("127.0.0.1", self.port), self.timeout)
        try:
            self.sock = self._tls_context.wrap_socket(raw, server_hostname="localhost")
        except BaseException:
            raw.close()
            raise
        self.opened += 1


class WebhookCaller:
    """One API server's connection to the webhook. A call that fails raises (http.client and ssl exceptions); the
    caller does not retry, so a test sees every failure. As Go's transport, it opens a new connection for the next
    call after an answer with `Connection: close`, or when the server has closed the idle kept-alive connection
    (Go's transport notices that in the background; here it is checked before each call)."""

    def __init__(self, port: int, ca_file: Path, timeout: float = 10.0):
        context = ssl.create_default_context(cafile=str(ca_file))
        # Go's transport offers both; the webhook must choose http/1.1 (it serves no HTTP/2).
        context.set_alpn_protocols(["h2", "http/1.1"])
        self._connection = _LocalhostConnection(port, context, timeout)

    @property
    def connections_opened(self) -> int:
        return self._connection.opened

    @property
    def is_connected(self) -> bool:
        """Whether the next call goes out on a kept-alive connection (else it opens a new one)."""
        self._forget_connection_closed_by_server()
        return self._connection.sock is not None

    @property
    def alpn_protocol(self) -> str | None:
        sock = self._connection.sock
        return sock.selected_alpn_protocol() if isinstance(sock, ssl.SSLSocket) else None

    def call(self, body: bytes, *, method: str = "POST", path: str = VALIDATE_PATH,
             content_type: str | None = "application/json") -> Answer:
        self._forget_connection_closed_by_server()
        headers = {"Accept": "application/json"}
        if content_type is not None:
            headers["Content-Type"] = content_type
        try:
            self._connection.request(method, path, body=body, headers=headers)
            response = self._connection.getresponse()
            answer = Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
        except BaseException:
            self._connection.close()  # a broken exchange leaves nothing to reuse
            raise
        return answer

    def review(self, review: dict | bytes) -> dict:
        """Sends an AdmissionReview and returns the answer document; fails unless it is a 200 with JSON."""
        body = review if isinstance(review, bytes) else json.dumps(review).encode()
        answer = self.call(body)
        assert answer.status == 200, f"HTTP {answer.status}: {answer.body[:300]!r}"
        assert answer.headers.get("content-type", "").startswith("application/json"), answer.headers
        return answer.json()

    def close(self) -> None:
        self._connection.close()

    def _forget_connection_closed_by_server(self) -> None:
        # Between calls the server has nothing to say: anything readable is its close_notify or FIN.
        sock = self._connection.sock
        if sock is not None and select.select([sock], [], [], 0)[0]:
            self._connection.close()
