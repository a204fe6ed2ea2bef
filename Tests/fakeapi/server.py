"""The listener: a ThreadingHTTPServer (one thread per connection) with optional TLS.

The TLS handshake runs in the connection's own thread rather than in accept(), so a slow or broken client
cannot hold up the others. TLS 1.2+ only, ALPN http/1.1 (the fake does not speak HTTP/2; Go clients then use
HTTP/1.1, as they do with any server that does not offer h2). With a client CA, certificates are optional
(CERT_OPTIONAL): a client that presents one must present a valid one, a client that does not may still use a
token, as with kube-apiserver's --client-ca-file.
"""

import socket
import ssl
import sys
from http.server import ThreadingHTTPServer

from fakeapi.app import MAX_BODY_BYTES, App
from fakeapi.handler import FakeApiHandler

_HANDSHAKE_TIMEOUT_SECONDS = 10


def tls_context(cert_file: str, key_file: str, client_ca_file: str | None) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(cert_file, key_file)
    context.set_alpn_protocols(["http/1.1"])
    if client_ca_file:
        context.load_verify_locations(cafile=client_ca_file)
        context.verify_mode = ssl.CERT_OPTIONAL
    return context


class FakeApiServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], app: App, context: ssl.SSLContext | None, verbose: bool = False):
        self.app = app
        self.context = context
        self.verbose = verbose
        self.max_body_bytes = MAX_BODY_BYTES
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, FakeApiHandler)
        host = address[0] if ":" not in address[0] else f"[{address[0]}]"
        app.address = f"{host}:{self.port}"

    @property
    def port(self) -> int:
        return self.server_address[1]

    def finish_request(self, request, client_address) -> None:
        if self.context is None:
            super().finish_request(request, client_address)
            return
        try:
            request.settimeout(_HANDSHAKE_TIMEOUT_SECONDS)
            tls = self.context.wrap_socket(request, server_side=True)
            tls.settimeout(None)
        except (ssl.SSLError, OSError) as err:
            if self.verbose:
                sys.stderr.write(f"fakeapi: TLS handshake with {client_address[0]} failed: {err}\n")
            request.close()
            return
        try:
            super().finish_request(tls, client_address)
        finally:
            try:
                tls.close()
            except OSError:
                pass

    def handle_error(self, request, client_address) -> None:
        # Clients that vanish mid-request are normal in fault tests; only report them when asked.
        if self.verbose:
            super().handle_error(request, client_address)
