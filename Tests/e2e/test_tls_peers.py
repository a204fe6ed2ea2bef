"""Real TLS peers on the webhook port of the release binary with the development certificate of
scripts/gen-certs.sh: `openssl s_client` verifies it over TLS 1.2 and 1.3, and the testssl.sh scanner grades the whole
TLS configuration. (What each protocol version, ALPN offer, cipher suite and client certificate gets is tested, with
s_client, curl and Python's ssl, in Tests/integration/test_tls.py; curl's review in test_webhook_admission.py.)"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from testkit.openssl_client import negotiated_protocol, s_client

# testssl's grades above LOW; FATAL is a scan that could not be done.
SERIOUS = {"MEDIUM", "HIGH", "CRITICAL", "FATAL"}
# A finding about how the certificate was issued, not about the server: the development CA (like cert-manager's CA
# issuer) publishes no CRL or OCSP responder, which the API server does not use for webhook certificates anyway.
CERTIFICATE_ISSUANCE = {
    "cert_revocation": "no CRL or OCSP URI in a private CA's certificate",
}


@pytest.mark.parametrize("flag,protocol", [("-tls1_2", "TLSv1.2"), ("-tls1_3", "TLSv1.3")])
def test_openssl_s_client_verifies_the_development_certificate_over_tls_1_2_and_1_3(
        webhook_only, dev_certs, flag, protocol) -> None:
    output = s_client(webhook_only.webhook_port, dev_certs.ca_file, flag)
    assert negotiated_protocol(output) == protocol, output
    assert "Verify return code: 0 (ok)" in output, output
    assert "HTTP/1.1 200" in output, output


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
