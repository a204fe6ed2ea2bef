"""The HTTP/1.1 request handler: reads a request, sends admin calls to the admin router, and everything else
through fault injection, authentication and the Kubernetes API router, logging it.

Keep-alive is on (protocol HTTP/1.1, always a Content-Length), as clients reuse connections to the API server.
Request bodies may be sized by Content-Length or sent chunked; over 3 MiB is a 413.
"""

import select
import socket
import ssl
import sys
import time
import traceback
import uuid
from http.server import BaseHTTPRequestHandler

from fakeapi.errors import ApiError, bad_request, too_large
from fakeapi.messages import Request, Response, error_response
from fakeapi.watch import Watch

_NOT_JSON = b'{"kind":"NodeList","apiVersion":"v1","items":[{"metadata":{"name":<<not json>>'


class FakeApiHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fakeapi"
    sys_version = ""
    timeout = 300  # an idle keep-alive connection is closed after this many seconds
    # Headers and body go out in two writes; with Nagle on, the body waits for the client's delayed ACK (~40 ms).
    disable_nagle_algorithm = True

    def do_GET(self) -> None:
        self._serve()

    do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_GET

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class names it so
        if self.server.verbose:
            sys.stderr.write(f"fakeapi: {self.address_string()} {format % args}\n")

    # --- request -----------------------------------------------------------------------------------------
    def _serve(self) -> None:
        app = self.server.app
        started = time.monotonic()
        try:
            body = self._read_body()
        except ApiError as err:
            self.close_connection = True  # the rest of the body may still be in the socket
            self._send(error_response(err))
            return
        peer_cert = self.connection.getpeercert() if isinstance(self.connection, ssl.SSLSocket) else None
        request = Request.parse(self.command, self.path, self.headers, body, peer_cert or None)
        if app.is_admin(request.path):
            self._send(self._guarded(lambda: app.admin.handle(request)))
            return
        entry = app.log.begin(request, started)
        fault = app.faults.take(request.method, request.target, request.body, request.headers.get("User-Agent") or "",
                                _bearer_token(request.headers.get("Authorization")))
        if fault is not None:
            entry["fault"] = fault.kind
            if fault.delay_ms:
                time.sleep(fault.delay_ms / 1000)
        if fault is not None and not fault.apply and fault.kind in ("status", "drop"):
            response = error_response(fault.error()) if fault.kind == "status" else None
        elif fault is not None and fault.kind == "endless_list":
            request.query.pop("continue", None)
            response = fault.endless_page(self._guarded(lambda: app.serve_api(request, entry)))
        else:
            response = self._guarded(lambda: app.serve_api(request, entry))
            if fault is not None and fault.kind == "status":
                response = error_response(fault.error())
        if fault is not None and fault.kind == "drop":
            app.log.finish(entry, None, 0)
            self._drop()
            return
        if isinstance(response, Watch):
            app.log.finish(entry, 200, 0)
            self._stream(response, entry)
            return
        kind, keep = (fault.kind, fault.keep_bytes) if fault else (None, None)
        # Complete the log entry before answering: a client that reads the log right after its answer must find it.
        app.log.finish(entry, response.status, self._body_bytes_sent(response, kind, keep))
        self._send_faulty(response, kind, keep)

    def _guarded(self, action) -> Response:
        try:
            return action()
        except Exception as err:  # a bug in the fake must still answer, as a 500 Status
            traceback.print_exc()
            return error_response(ApiError(500, "InternalError", f"Internal error occurred: {err!r}", {"causes": [{"message": repr(err)}]}))

    def _read_body(self) -> bytes:
        limit = self.server.max_body_bytes
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            return self._read_chunked(limit)
        length = self.headers.get("Content-Length")
        if not length:
            return b""
        try:
            size = int(length)
        except ValueError:
            raise bad_request(f"invalid Content-Length {length!r}") from None
        if size < 0:
            raise bad_request(f"invalid Content-Length {length!r}")
        if size > limit:
            raise too_large(limit)
        return self.rfile.read(size)

    def _read_chunked(self, limit: int) -> bytes:
        chunks, total = [], 0
        while True:
            line = self.rfile.readline(1024)
            try:
                size = int(line.split(b";")[0].strip(), 16)
            except ValueError:
                raise bad_request("malformed chunked encoding") from None
            if size == 0:
                while self.rfile.readline(1024).strip():
                    pass  # trailers
                return b"".join(chunks)
            total += size
            if total > limit:
                raise too_large(limit)
            chunks.append(self.rfile.read(size))
            self.rfile.readline(16)

    # --- response ----------------------------------------------------------------------------------------
    def _head(self, response: Response, length: int) -> None:
        self.send_response(response.status)
        self.send_header("Audit-Id", str(uuid.uuid4()))
        self.send_header("Cache-Control", "no-cache, private")
        self.send_header("Content-Type", response.content_type)
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(length))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()

    def _send(self, response: Response) -> None:
        self._head(response, len(response.body))
        if self.command != "HEAD":
            self.wfile.write(response.body)

    @staticmethod
    def _cut(response: Response, keep_bytes: int | None) -> int:
        return min(keep_bytes, len(response.body)) if keep_bytes is not None else len(response.body) // 2

    def _body_bytes_sent(self, response: Response, fault: str | None, keep_bytes: int | None) -> int:
        if self.command == "HEAD":
            return 0
        if fault == "malformed_json":
            return len(_NOT_JSON)
        if fault in ("truncated_body", "drop_mid_response"):
            return self._cut(response, keep_bytes)
        return len(response.body)

    def _send_faulty(self, response: Response, fault: str | None, keep_bytes: int | None) -> None:
        body, cut = response.body, self._cut(response, keep_bytes)
        if fault == "malformed_json":
            self._send(Response(response.status, _NOT_JSON, response.content_type, response.headers))
        elif fault == "truncated_body":
            self._send(Response(response.status, body[:cut], response.content_type, response.headers))
        elif fault == "drop_mid_response":
            self._head(response, len(body))
            self.wfile.write(body[:cut])
            self.wfile.flush()
            self._drop()
        else:
            self._send(response)

    def _stream(self, watch: Watch, entry: dict) -> None:
        """A watch answer: chunked transfer encoding, one chunk per batch of event lines."""
        self.send_response(200)
        self.send_header("Audit-Id", str(uuid.uuid4()))
        self.send_header("Cache-Control", "no-cache, private")
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        sent = 0
        try:
            for chunk in watch.lines(self._client_gone):
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                sent += len(chunk)
            self.wfile.write(b"0\r\n\r\n")
        except OSError:
            self.close_connection = True
        entry["responseBytes"] = sent

    def _client_gone(self) -> bool:
        """A watch client sends nothing more; anything readable means it closed (EOF or TLS close_notify)."""
        try:
            readable, _, _ = select.select([self.connection], [], [], 0)
        except (OSError, ValueError):
            return True
        return bool(readable)

    def _drop(self) -> None:
        """Close without a TLS close_notify or any answer, as a crashed server or a cut network would."""
        self.close_connection = True
        try:
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def _bearer_token(authorization: str | None) -> str | None:
    """The token of `Authorization: Bearer <token>`, for faults that target one client."""
    if authorization and authorization[:7].lower() == "bearer ":
        return authorization[7:].strip()
    return None
