"""`openssl s_client` against a listener, and what its output says was negotiated."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

HEALTHZ = b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"


def s_client(port: int, ca_file: Path, *args: str, host: str = "127.0.0.1", send: bytes = HEALTHZ) -> str:
    """openssl s_client against the server, verifying it against ca_file; sends `send` after the handshake and
    waits until the server closes. Returns everything s_client printed."""
    result = subprocess.run(
        ["openssl", "s_client", "-connect", f"{host}:{port}", "-servername", "localhost",
         "-CAfile", str(ca_file), "-verify_return_error", "-ign_eof", *args],
        input=send, capture_output=True, timeout=20)
    return (result.stdout + result.stderr).decode("utf-8", "replace")


def negotiated_protocol(output: str) -> str | None:
    match = re.search(r"^New, (TLSv[\d.]+|\(NONE\)), Cipher is (\S+)", output, re.MULTILINE)
    return match.group(1) if match and match.group(1) != "(NONE)" else None


def negotiated_cipher(output: str) -> str | None:
    match = re.search(r"^New, \S+, Cipher is (\S+)", output, re.MULTILINE)
    return match.group(1) if match and match.group(1) != "(NONE)" else None
