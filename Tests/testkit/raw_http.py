"""HTTP/1.x on raw (TLS) sockets: a test controls every byte and every connection, and reads exactly what the
server sent."""

from __future__ import annotations

import json
import re
import socket
import ssl
from dataclasses import dataclass, field
from typing import Any

# Every blocking socket operation of these helpers is bounded by this, unless a test says otherwise.
IO_TIMEOUT = 10.0


def connect(port: int, host: str = "127.0.0.1", *, context: ssl.SSLContext | None = None,
            timeout: float = IO_TIMEOUT) -> socket.socket:
    """A TCP connection, wrapped in TLS (handshake done, verifying the host name) when a context is given."""
    sock = socket.create_connection((host, port), timeout=timeout)
    if context is not None:
        try:
            sock = context.wrap_socket(sock, server_hostname=host)
        except BaseException:
            sock.close()
            raise
    return sock


def build_request(method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None,
                  version: str = "HTTP/1.1", content_length: bool = True) -> bytes:
    lines = [f"{method} {path} {version}", "Host: localhost"]
    all_headers = {"User-Agent": "vigilante-integration-tests"}
    if body and "Content-Type" not in (headers or {}):
        all_headers["Content-Type"] = "application/json"
    if content_length and (body or method in ("POST", "PUT")):
        all_headers["Content-Length"] = str(len(body))
    all_headers.update(headers or {})
    lines += [f"{k}: {v}" for k, v in all_headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


@dataclass
class Response:
    version: str
    status: int
    reason: str
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names; repeated headers joined by ", "
    body: bytes = b""

    def json(self) -> Any:
        return json.loads(self.body)

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


class ResponseReader:
    """Reads HTTP/1.x responses one after the other from one socket, keeping what it read ahead."""

    def __init__(self, sock: socket.socket):
        self.sock = sock
        self.buffer = b""
        self.eof = False

    def _fill(self) -> bool:
        if self.eof:
            return False
        data = self.sock.recv(65536)
        if not data:
            self.eof = True
            return False
        self.buffer += data
        return True

    def _line(self) -> bytes:
        while b"\r\n" not in self.buffer:
            if not self._fill():
                raise ConnectionError(f"connection closed before a full line; got {self.buffer[:200]!r}")
        line, self.buffer = self.buffer.split(b"\r\n", 1)
        return line

    def _exactly(self, n: int) -> bytes:
        while len(self.buffer) < n:
            if not self._fill():
                raise ConnectionError(f"connection closed after {len(self.buffer)} of {n} body bytes")
        data, self.buffer = self.buffer[:n], self.buffer[n:]
        return data

    def read_head(self) -> Response:
        status_line = self._line().decode("latin-1")
        match = re.fullmatch(r"(HTTP/\d\.\d) (\d{3})(?: (.*))?", status_line)
        if not match:
            raise AssertionError(f"not an HTTP status line: {status_line!r}")
        response = Response(match.group(1), int(match.group(2)), match.group(3) or "")
        while True:
            line = self._line().decode("latin-1")
            if not line:
                return response
            name, _, value = line.partition(":")
            name, value = name.strip().lower(), value.strip()
            response.headers[name] = f"{response.headers[name]}, {value}" if name in response.headers else value

    def read_response(self, method: str = "GET") -> Response:
        response = self.read_head()
        if method == "HEAD" or response.status in (204, 304) or 100 <= response.status < 200:
            return response
        if "chunked" in (response.header("transfer-encoding") or "").lower():
            body = b""
            while True:
                size = int(self._line().split(b";")[0], 16)
                if size == 0:
                    while self._line():
                        pass
                    break
                body += self._exactly(size)
                self._line()
            response.body = body
        elif response.header("content-length") is not None:
            response.body = self._exactly(int(response.header("content-length")))
        else:
            while self._fill():
                pass
            response.body, self.buffer = self.buffer, b""
        return response

    def closed_by_peer(self, timeout: float = IO_TIMEOUT) -> bool:
        """True when the server closes the connection (EOF or reset) within timeout, with nothing more sent."""
        self.sock.settimeout(timeout)
        try:
            while True:
                data = self.sock.recv(65536)
                if not data:
                    return True
                self.buffer += data
                return False
        except (ConnectionResetError, BrokenPipeError, ssl.SSLEOFError, ssl.SSLZeroReturnError):
            return True
        except ssl.SSLError as error:
            return "closed" in str(error).lower() or "eof" in str(error).lower()
        except (socket.timeout, TimeoutError):
            return False


def start_request(sock: socket.socket, method: str, path: str, body: bytes,
                  headers: dict[str, str] | None = None) -> "ResponseReader":
    """Sends the head of a request with `Expect: 100-continue` (and a Content-Length for `body`) and waits for the
    server's `100 Continue`: the signal that the server has read the head and is waiting for the body, which the
    caller then sends, in part, or not at all. Returns the reader for the final response."""
    raw = build_request(method, path, body, {**(headers or {}), "Expect": "100-continue"})
    sock.sendall(raw[:len(raw) - len(body)])
    reader = ResponseReader(sock)
    interim = reader.read_head()
    assert interim.status == 100, f"expected 100 Continue after the head, got {interim}"
    return reader


def request(port: int, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None, *,
            context: ssl.SSLContext | None = None, host: str = "127.0.0.1",
            timeout: float = IO_TIMEOUT) -> Response:
    """One request on a new connection, closed afterwards."""
    with connect(port, host, context=context, timeout=timeout) as sock:
        sock.sendall(build_request(method, path, body, headers))
        return ResponseReader(sock).read_response(method)
