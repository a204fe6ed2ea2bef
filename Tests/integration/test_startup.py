"""Scenarios of starting vigilante: plain HTTP mode, and a certificate that cannot be used."""

from __future__ import annotations

from pathlib import Path

import pytest

from testkit.pki import PKI
from testkit.raw_http import request
from testkit.reviews import expected_answer, review
from testkit.vigilante import Vigilante


def test_no_tls_serves_the_webhook_over_plain_http(launch, pki: PKI) -> None:
    server = launch(tls=False)
    assert server.webhook_scheme == "http"
    response = request(server.webhook_port, "POST", "/validate", review("plain"))
    assert response.status == 200, response
    assert response.json() == expected_answer("admission.k8s.io/v1", "plain")
    assert request(server.metrics_port, "GET", "/metrics").status == 200


def test_tls_false_in_the_config_serves_plain_http_without_a_certificate(launch) -> None:
    server = launch(config={"tls": False}, tls=None)
    assert server.webhook_scheme == "http"
    response = request(server.webhook_port, "POST", "/validate", review("plain-config"))
    assert response.status == 200, response
    assert response.json() == expected_answer("admission.k8s.io/v1", "plain-config")


def failed_start(vigilante_bin: Path, workdir: Path, **kwargs) -> tuple[int | None, str, list[dict]]:
    server = Vigilante(vigilante_bin, workdir, **kwargs)
    server.spawn()
    status = server.wait(timeout=15)
    server.stop()
    problems = [r for r in server.records if r.get("level") in ("critical", "error") or r.get("unparsed")]
    return status, server.log_text(), problems


@pytest.mark.parametrize("which", ["cert", "key"])
def test_a_missing_certificate_file_at_start_exits_1_naming_the_file(
        vigilante_bin: Path, pki: PKI, tmp_path: Path, which: str) -> None:
    missing = tmp_path / f"missing-{which}.pem"
    files = {"cert_file": pki.server_a.cert_file, "key_file": pki.server_a.key_file, f"{which}_file": missing}
    status, log, problems = failed_start(vigilante_bin, tmp_path / "run", **files)
    assert status == 1, f"exit status {status}; log:\n{log}"
    assert any(str(missing) in r.get("message", "") + str(r.get("metadata", "")) for r in problems), \
        f"no error naming {missing}; log:\n{log}"


@pytest.mark.parametrize("content", [b"not a certificate\n", b""], ids=["garbage", "empty"])
def test_a_bad_certificate_file_at_start_exits_1_naming_the_file(
        vigilante_bin: Path, pki: PKI, tmp_path: Path, content: bytes) -> None:
    bad = tmp_path / "bad.crt"
    bad.write_bytes(content)
    status, log, problems = failed_start(vigilante_bin, tmp_path / "run", cert_file=bad,
                                         key_file=pki.server_a.key_file)
    assert status == 1, f"exit status {status}; log:\n{log}"
    assert any(str(bad) in r.get("message", "") + str(r.get("metadata", "")) for r in problems), \
        f"no error naming {bad}; log:\n{log}"


def test_a_certificate_with_the_wrong_key_at_start_exits_1(vigilante_bin: Path, pki: PKI, tmp_path: Path) -> None:
    status, log, problems = failed_start(vigilante_bin, tmp_path / "run", cert_file=pki.server_a.cert_file,
                                         key_file=pki.server_b.key_file)
    assert status == 1, f"exit status {status}; log:\n{log}"
    assert problems, f"no error logged; log:\n{log}"
