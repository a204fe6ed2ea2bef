"""Scenarios of the TLS layer, seen by `openssl s_client` and Python's ssl: protocol versions, ALPN, cipher
suites, renegotiation, RSA and ECDSA certificates, client certificates, HTTPS metrics and IPv6."""

from __future__ import annotations

import socket
import ssl
import subprocess
from pathlib import Path
from typing import Iterator

import pytest

from testkit.metrics import metric, scrape
from testkit.openssl_client import negotiated_cipher, negotiated_protocol, s_client
from testkit.pki import PKI, client_context, peer_serial
from testkit.raw_http import ResponseReader, build_request, connect, request
from testkit.reviews import expected_answer, review
from testkit.vigilante import Vigilante
from testkit.waiting import wait_until


@pytest.mark.parametrize("flag,protocol", [("-tls1_2", "TLSv1.2"), ("-tls1_3", "TLSv1.3")])
def test_tls_1_2_and_1_3_are_accepted(server: Vigilante, pki: PKI, flag: str, protocol: str) -> None:
    output = s_client(server.webhook_port, pki.ca.cert_file, flag)
    assert negotiated_protocol(output) == protocol, output
    assert "Verify return code: 0 (ok)" in output, output
    assert "HTTP/1.1 200" in output, output


@pytest.mark.parametrize("flag", ["-tls1", "-tls1_1"])
def test_tls_1_0_and_1_1_are_refused_with_a_protocol_version_alert(server: Vigilante, pki: PKI, flag: str) -> None:
    # SECLEVEL=0 lets this OpenSSL client really offer the old versions, so the refusal is the server's.
    output = s_client(server.webhook_port, pki.ca.cert_file, flag, "-cipher", "DEFAULT@SECLEVEL=0")
    assert negotiated_protocol(output) is None, output
    assert "alert protocol version" in output, output
    assert "HTTP/1.1" not in output, output


def test_alpn_selects_http_1_1_when_offered_with_h2(server: Vigilante, pki: PKI) -> None:
    output = s_client(server.webhook_port, pki.ca.cert_file, "-alpn", "h2,http/1.1")
    assert "ALPN protocol: http/1.1" in output, output
    assert "HTTP/1.1 200" in output, output


def test_alpn_offering_only_h2_is_refused_with_no_application_protocol(server: Vigilante, pki: PKI) -> None:
    output = s_client(server.webhook_port, pki.ca.cert_file, "-alpn", "h2")
    assert "no application protocol" in output, output
    assert "HTTP/1.1" not in output, output


def test_a_client_without_alpn_is_served(server: Vigilante, pki: PKI) -> None:
    output = s_client(server.webhook_port, pki.ca.cert_file)
    assert "No ALPN negotiated" in output, output
    assert "HTTP/1.1 200" in output, output


def test_the_tls_1_2_cipher_is_ecdhe_with_an_aead(server: Vigilante, pki: PKI) -> None:
    output = s_client(server.webhook_port, pki.ca.cert_file, "-tls1_2")
    cipher = negotiated_cipher(output)
    assert cipher is not None, output
    assert cipher.startswith("ECDHE-") and ("GCM" in cipher or "CHACHA20" in cipher), cipher


@pytest.mark.parametrize("cipher", [
    "AES128-GCM-SHA256",  # RSA key exchange: not forward secret
    "AES256-SHA256",  # RSA key exchange, CBC
    "ECDHE-ECDSA-AES128-SHA",  # forward secret but CBC, not AEAD
    "ECDHE-ECDSA-AES256-SHA384",
])
def test_tls_1_2_suites_that_are_not_forward_secret_aead_are_refused(server: Vigilante, pki: PKI,
                                                                      cipher: str) -> None:
    output = s_client(server.webhook_port, pki.ca.cert_file, "-tls1_2", "-cipher", cipher)
    assert negotiated_cipher(output) is None, output
    assert "HTTP/1.1" not in output, output


def test_renegotiation_is_refused(server: Vigilante, pki: PKI) -> None:
    # s_client renegotiates on an input line "R" (commands are off with -ign_eof, so it is run without it) and
    # exits when the server refuses; if the server renegotiated, s_client would wait for more input.
    process = subprocess.Popen(
        ["openssl", "s_client", "-connect", f"127.0.0.1:{server.webhook_port}", "-servername", "localhost",
         "-CAfile", str(pki.ca.cert_file), "-verify_return_error", "-tls1_2"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        process.stdin.write(b"R\n")
        process.stdin.flush()
        try:
            process.wait(timeout=10)
            refused = True
        except subprocess.TimeoutExpired:
            refused = False
    finally:
        if process.poll() is None:
            process.kill()
        output = process.communicate(timeout=10)[0].decode("utf-8", "replace")
    assert "RENEGOTIATING" in output, output
    assert refused and "no renegotiation" in output, f"the server renegotiated:\n{output}"


def test_compression_is_off(server: Vigilante, pki: PKI) -> None:
    output = s_client(server.webhook_port, pki.ca.cert_file, "-tls1_2")
    assert "Compression: NONE" in output, output


@pytest.mark.parametrize("version", [ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_3])
def test_sessions_are_never_resumed_and_no_ticket_is_issued(server: Vigilante, pki: PKI,
                                                            version: ssl.TLSVersion) -> None:
    context = client_context(pki, version=version)
    with connect(server.webhook_port, context=context) as sock:
        # A TLS 1.3 ticket would arrive after the handshake: read one answer so it has had its chance.
        sock.sendall(build_request("POST", "/validate", review("first")))
        assert ResponseReader(sock).read_response("POST").status == 200
        session = sock.session
    assert session is not None
    assert not session.has_ticket
    raw = socket.create_connection(("127.0.0.1", server.webhook_port), timeout=5)
    with context.wrap_socket(raw, server_hostname="127.0.0.1", session=session) as again:
        assert not again.session_reused
        again.sendall(build_request("POST", "/validate", review("second")))
        assert ResponseReader(again).read_response("POST").status == 200


@pytest.fixture(scope="module")
def rsa_server(vigilante_bin: Path, pki: PKI, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Vigilante]:
    server = Vigilante(vigilante_bin, tmp_path_factory.mktemp("rsa"), cert=pki.server_rsa).start()
    yield server
    server.assert_alive()
    server.stop()


@pytest.mark.parametrize("version", [ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_3])
def test_an_rsa_2048_certificate_serves_tls_1_2_and_1_3(rsa_server: Vigilante, pki: PKI,
                                                        version: ssl.TLSVersion) -> None:
    context = client_context(pki, version=version)
    with connect(rsa_server.webhook_port, context=context) as sock:
        assert peer_serial(sock) == pki.server_rsa.serial
        assert sock.version() == {ssl.TLSVersion.TLSv1_2: "TLSv1.2", ssl.TLSVersion.TLSv1_3: "TLSv1.3"}[version]
        cipher = sock.cipher()[0]
        if version == ssl.TLSVersion.TLSv1_2:
            assert cipher.startswith("ECDHE-RSA-") and ("GCM" in cipher or "CHACHA20" in cipher), cipher
        sock.sendall(build_request("POST", "/validate", review("rsa")))
        response = ResponseReader(sock).read_response("POST")
    assert response.status == 200
    assert response.json() == expected_answer("admission.k8s.io/v1", "rsa")


# --- client certificates


@pytest.fixture(scope="module")
def mtls_server(vigilante_bin: Path, pki: PKI, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Vigilante]:
    server = Vigilante(vigilante_bin, tmp_path_factory.mktemp("mtls"), cert=pki.server_a,
                       config={"webhook": {"client_ca_file": str(pki.client_ca.cert_file)}}).start()
    yield server
    server.assert_alive()
    server.stop()


def attempt(server: Vigilante, context: ssl.SSLContext) -> object:
    """A POST /validate; returns the Response, or the exception that stopped it."""
    try:
        with connect(server.webhook_port, context=context, timeout=5) as sock:
            sock.sendall(build_request("POST", "/validate", review("mtls")))
            return ResponseReader(sock).read_response("POST")
    except (OSError, ConnectionError) as error:  # ssl.SSLError is an OSError
        return error


def versioned(context: ssl.SSLContext, version: str) -> ssl.SSLContext:
    context.maximum_version = getattr(ssl.TLSVersion, version)
    return context


@pytest.mark.parametrize("version", ["TLSv1_2", "TLSv1_3"])
def test_with_a_client_ca_a_client_without_a_certificate_is_refused(mtls_server: Vigilante, pki: PKI,
                                                                    version: str) -> None:
    def failures() -> float:
        return metric(scrape(mtls_server), "cops_vigilante_tls_handshake_failures_total", listener="webhook") or 0

    before = failures()
    outcome = attempt(mtls_server, versioned(client_context(pki), version))
    assert isinstance(outcome, Exception), f"a client without a certificate got an answer: {outcome}"
    wait_until(lambda: failures() > before, timeout=5, message="the refused client certificate was not counted")


@pytest.mark.parametrize("version", ["TLSv1_2", "TLSv1_3"])
def test_with_a_client_ca_a_certificate_from_that_ca_is_accepted(mtls_server: Vigilante, pki: PKI,
                                                                 version: str) -> None:
    outcome = attempt(mtls_server, versioned(client_context(pki, pki.client), version))
    assert not isinstance(outcome, Exception), f"the trusted client certificate was refused: {outcome!r}"
    assert outcome.status == 200
    assert outcome.json() == expected_answer("admission.k8s.io/v1", "mtls")


@pytest.mark.parametrize("version", ["TLSv1_2", "TLSv1_3"])
def test_with_a_client_ca_a_certificate_from_another_ca_is_refused(mtls_server: Vigilante, pki: PKI,
                                                                   version: str) -> None:
    outcome = attempt(mtls_server, versioned(client_context(pki, pki.other_client), version))
    assert isinstance(outcome, Exception), f"a client certificate of another CA got an answer: {outcome}"


def test_curl_with_the_client_certificate_is_answered(mtls_server: Vigilante, pki: PKI) -> None:
    def curl(*cert_args: str) -> subprocess.CompletedProcess:
        url = f"https://localhost:{mtls_server.webhook_port}/healthz"
        return subprocess.run(["curl", "--silent", "--show-error", "--max-time", "10", "--cacert",
                               str(pki.ca.cert_file), *cert_args, url], capture_output=True, timeout=20)

    good = curl("--cert", str(pki.client.cert_file), "--key", str(pki.client.key_file))
    assert good.returncode == 0 and good.stdout.strip() == b"ok", good
    bad = curl()
    assert bad.returncode != 0, bad


# --- metrics over HTTPS, IPv6


def test_metrics_tls_serves_metrics_over_https_with_the_webhook_certificate(launch, pki: PKI) -> None:
    server = launch(cert=pki.server_a, config={"metrics": {"tls": True}})
    assert server.metrics_scheme == "https"
    with connect(server.metrics_port, context=client_context(pki)) as sock:
        assert peer_serial(sock) == pki.server_a.serial
        sock.sendall(build_request("GET", "/metrics"))
        response = ResponseReader(sock).read_response()
    assert response.status == 200
    assert b"cops_vigilante_build_info" in response.body
    # Plain HTTP to the HTTPS metrics port is not answered in the clear.
    with socket.create_connection(("127.0.0.1", server.metrics_port), timeout=5) as sock:
        sock.sendall(build_request("GET", "/metrics"))
        sock.settimeout(5)
        try:
            answer = sock.recv(4096)
        except (ConnectionResetError, TimeoutError, socket.timeout):
            answer = b""
        assert b"cops_vigilante" not in answer


@pytest.mark.parametrize("host", ["127.0.0.1", "::1", "localhost"])
def test_the_webhook_answers_on_ipv4_and_ipv6_loopback(server: Vigilante, pki: PKI, host: str) -> None:
    if host == "::1" and not socket.has_ipv6:
        pytest.fail("this machine has no IPv6; the test needs ::1")
    response = request(server.webhook_port, "POST", "/validate", review(f"ip-{host}"), context=client_context(pki),
                       host=host)
    assert response.status == 200
    assert response.json() == expected_answer("admission.k8s.io/v1", f"ip-{host}")


def test_curl_reaches_the_webhook_on_ipv6(server: Vigilante, pki: PKI) -> None:
    result = subprocess.run(["curl", "--silent", "--show-error", "--max-time", "10", "--globoff", "--cacert",
                             str(pki.ca.cert_file), f"https://[::1]:{server.webhook_port}/healthz"],
                            capture_output=True, timeout=20)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == b"ok"
