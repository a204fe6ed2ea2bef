"""cert-manager renews the webhook's certificate and the kubelet swaps the `..data` symlink of the mounted Secret
while the API server keeps calling: no call fails, the kept-alive connection goes on, and new connections get the
new certificate once vigilante's reload poll (every 5 s) has seen the change."""

from __future__ import annotations

import ssl
import time
from pathlib import Path

from integration_support import SecretVolume, connect, metric, peer_serial, scrape, wait_until
from review_loop import OK, ReviewLoop


def serial_of_a_new_connection(port: int, ca_file: Path) -> int:
    """The serial of the certificate a new, verifying connection gets (the dev certificate names 127.0.0.1)."""
    with connect(port, "127.0.0.1", context=ssl.create_default_context(cafile=str(ca_file))) as sock:
        return peer_serial(sock)


def test_a_secret_style_symlink_swap_rotates_the_certificate_without_failing_a_call(
        launch, dev_certs, tmp_path: Path) -> None:
    volume = SecretVolume(tmp_path / "secret")
    volume.publish_files(dev_certs.cert_file, dev_certs.key_file)
    server = launch(cert_file=volume.cert_file, key_file=volume.key_file)
    original = serial_of_a_new_connection(server.webhook_port, dev_certs.ca_file)
    renewed = dev_certs.renewed(tmp_path, "renewed")

    loop = ReviewLoop(server.webhook_port, dev_certs.ca_file, "rotation", pause=0.01)
    loop.start()
    try:
        wait_until(lambda: loop.count(OK) >= 10, timeout=10, message="the review loop got no answers")
        swapped_at = time.monotonic()
        volume.publish_files(renewed.cert_file, renewed.key_file)  # the old directory is removed, as the kubelet does
        wait_until(lambda: serial_of_a_new_connection(server.webhook_port, dev_certs.ca_file) == renewed.serial,
                   timeout=20, interval=0.25, message="no new connection got the renewed certificate within 20 s")
        picked_up = time.monotonic() - swapped_at
        answered_at_swap = loop.count(OK)
        wait_until(lambda: loop.count(OK) >= answered_at_swap + 10, timeout=10,
                   message="the kept-alive connection stopped answering after the reload")
    finally:
        loop.stop()

    assert original != renewed.serial
    failures = loop.unexpected()
    assert not failures, f"{len(failures)} of {len(loop.outcomes)} calls failed: {failures[:5]}"
    assert loop.caller.connections_opened == 1, "the kept-alive connection was dropped during the rotation"
    assert picked_up < 20
    assert (metric(scrape(server), "cops_vigilante_tls_certificate_reloads_total", result="success") or 0) >= 1
    server.assert_alive()
