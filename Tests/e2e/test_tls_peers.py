"""Real TLS peers on the webhook port of the release binary with the development certificate: curl, `openssl
s_client` (TLS 1.2 and 1.3 accepted, 1.0 and 1.1 refused, ALPN http/1.1) and the testssl.sh scanner."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from integration_support import expected_answer, negotiated_protocol, review, s_client
from webhook_caller import VALIDATE_PATH

# testssl's grades above LOW; FATAL is a scan that could not be done.
SERIOUS = {"MEDIUM", "HIGH", "CRITICAL", "FATAL"}
# A finding about how the certificate was issued, not about the server: the development CA (like cert-manager's CA
# issuer) publishes no CRL or OCSP responder, which the API server does not use for webhook certificates anyway.
CERTIFICATE_ISSUANCE = {
    "cert_revocation": "no CRL or OCSP URI in a private CA's certificate",
}


def test_curl_posts_a_review_over_https_verified_against_the_dev_ca(webhook_only, dev_certs, tmp_path) -> None:
    body = tmp_path / "review.json"
    body.write_bytes(review("curl"))
    result = subprocess.run(
        ["curl", "--silent", "--show-error", "--fail-with-body", "--max-time", "10",
         "--cacert", str(dev_certs.ca_file), "--resolve", f"localhost:{webhook_only.webhook_port}:127.0.0.1",
         "--header", "Content-Type: application/json", "--header", "Accept: application/json",
         "--data-binary", f"@{body}", "--write-out", "\n%{http_version} %{ssl_verify_result}",
         f"https://localhost:{webhook_only.webhook_port}{VALIDATE_PATH}"],
        capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, f"curl failed ({result.returncode}): {result.stderr}"
    answer, _, trailer = result.stdout.rpartition("\n")
    assert json.loads(answer) == expected_answer("admission.k8s.io/v1", "curl")
    assert trailer == "1.1 0", f"HTTP version and certificate verification result: {trailer}"


@pytest.mark.parametrize("flag,protocol", [("-tls1_2", "TLSv1.2"), ("-tls1_3", "TLSv1.3")])
def test_openssl_s_client_is_served_over_tls_1_2_and_1_3(webhook_only, dev_certs, flag, protocol) -> None:
    output = s_client(webhook_only.webhook_port, dev_certs.ca_file, flag)
    assert negotiated_protocol(output) == protocol, output
    assert "Verify return code: 0 (ok)" in output, output
    assert "HTTP/1.1 200" in output, output


@pytest.mark.parametrize("flag", ["-tls1", "-tls1_1"])
def test_openssl_s_client_is_refused_tls_1_0_and_1_1(webhook_only, dev_certs, flag) -> None:
    # SECLEVEL=0 lets this OpenSSL really offer the old versions, so the refusal is the server's.
    output = s_client(webhook_only.webhook_port, dev_certs.ca_file, flag, "-cipher", "DEFAULT@SECLEVEL=0")
    assert negotiated_protocol(output) is None, output
    assert "alert protocol version" in output, output


def test_openssl_s_client_offering_h2_and_http_1_1_gets_http_1_1(webhook_only, dev_certs) -> None:
    output = s_client(webhook_only.webhook_port, dev_certs.ca_file, "-alpn", "h2,http/1.1")
    assert "ALPN protocol: http/1.1" in output, output


def run_testssl(port: int, ca_file: Path, json_file: Path) -> list[dict]:
    testssl = shutil.which("testssl") or shutil.which("testssl.sh")
    if testssl is None:
        pytest.fail("testssl.sh is not installed (Debian package testssl.sh)", pytrace=False)
    # Protocols, server preferences, ciphers per protocol, server defaults (certificate, extensions, tickets),
    # vulnerabilities, renegotiation, compression; offline: no DNS, the address given, the dev CA trusted.
    command = [testssl, "--quiet", "--color", "0", "--warnings", "batch", "--nodns", "none", "--ip", "127.0.0.1",
               "--add-ca", str(ca_file), "--connect-timeout", "10", "--openssl-timeout", "10",
               "--jsonfile", str(json_file), "-p", "-P", "-E", "-S", "-U", "-R", "-C", f"localhost:{port}"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert json_file.is_file(), f"testssl wrote no JSON ({result.returncode}):\n{result.stdout}\n{result.stderr}"
    return json.loads(json_file.read_text())


def test_testssl_finds_nothing_above_low_in_the_tls_configuration(webhook_only, dev_certs, tmp_path) -> None:
    findings = run_testssl(webhook_only.webhook_port, dev_certs.ca_file, tmp_path / "testssl.json")
    by_id = {f["id"]: f for f in findings}
    # The scan really ran: it saw the protocols the server offers.
    assert by_id["TLS1_2"]["finding"].startswith("offered") and by_id["TLS1_3"]["finding"].startswith("offered"), \
        {k: by_id[k]["finding"] for k in ("TLS1_2", "TLS1_3") if k in by_id}
    serious = [f for f in findings if f["severity"] in SERIOUS and f["id"] not in CERTIFICATE_ISSUANCE]
    assert not serious, "testssl findings above LOW:\n" + "\n".join(
        f"{f['severity']} {f['id']}: {f['finding']}" for f in serious)
    # Printed for the record (pytest -s or -rA): what testssl grades LOW or only reports.
    for finding in findings:
        if finding["severity"] not in ("OK", "INFO") or finding["id"] in CERTIFICATE_ISSUANCE:
            print(f"testssl {finding['severity']} {finding['id']}: {finding['finding']}")
