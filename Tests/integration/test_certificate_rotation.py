"""Scenario: cert-manager renews the webhook certificate and the kubelet swaps the `..data` symlink of the mounted
Secret, while the API server keeps calling, on new connections and on a kept-alive one. No request may fail; the
kept-alive connection goes on; new connections get the new certificate once vigilante's reload poll (every 5 s) has
seen the change; a bad new pair is refused and the old one kept."""

from __future__ import annotations

import ssl
import threading
import time
from pathlib import Path

from testkit.metrics import metric, scrape
from testkit.pki import PKI, client_context, peer_serial
from testkit.raw_http import ResponseReader, build_request, connect
from testkit.review_loop import OK, ReviewLoop
from testkit.reviews import expected_answer, review
from testkit.secret_volume import SecretVolume
from testkit.vigilante import Vigilante
from testkit.waiting import wait_until


class RequestLoop(threading.Thread):
    """POSTs reviews on a new, verified TLS connection each, as fast as it can (with a short pause), recording the
    serial of the certificate each connection saw and every failure."""

    def __init__(self, port: int, context: ssl.SSLContext):
        super().__init__(name="request-loop", daemon=True)
        self.port, self.context = port, context
        self.stop_event = threading.Event()
        self.lock = threading.Lock()
        self.serials: list[tuple[float, int]] = []
        self.failures: list[str] = []
        self.count = 0

    def run(self) -> None:
        while not self.stop_event.is_set():
            uid = f"rotation-{self.count}"
            try:
                with connect(self.port, context=self.context, timeout=5) as sock:
                    serial = peer_serial(sock)
                    sock.sendall(build_request("POST", "/validate", review(uid)))
                    response = ResponseReader(sock).read_response("POST")
                if response.status != 200 or response.json() != expected_answer("admission.k8s.io/v1", uid):
                    raise AssertionError(f"unexpected answer {response}")
                with self.lock:
                    self.serials.append((time.monotonic(), serial))
            except Exception as error:  # noqa: BLE001 - every failure is recorded and asserted on
                with self.lock:
                    self.failures.append(f"request {self.count}: {error!r}")
            self.count += 1
            self.stop_event.wait(0.01)

    def seen_since(self, since: float) -> set[int]:
        with self.lock:
            return {serial for at, serial in self.serials if at >= since}

    def stop(self) -> None:
        self.stop_event.set()
        self.join(timeout=10)


def test_a_data_symlink_swap_rotates_the_certificate_without_failing_a_request(
        launch, pki: PKI, tmp_path: Path) -> None:
    volume = SecretVolume(tmp_path / "secret")
    volume.publish(pki.server_a, pki.server_a)
    server: Vigilante = launch(cert_file=volume.cert_file, key_file=volume.key_file)

    def reloads(result: str) -> float:
        return metric(scrape(server), "cops_vigilante_tls_certificate_reloads_total", result=result) or 0.0

    def expiry() -> float | None:
        return metric(scrape(server), "cops_vigilante_tls_certificate_expiry_timestamp_seconds")

    assert expiry() == pki.server_a.not_after.timestamp()
    successes_before = reloads("success")

    # A keep-alive connection opened on certificate A must go on working after the swap.
    old_connection = connect(server.webhook_port, context=client_context(pki))
    old_reader = ResponseReader(old_connection)
    assert peer_serial(old_connection) == pki.server_a.serial

    loop = RequestLoop(server.webhook_port, client_context(pki))
    # The API server's own stream of callbacks, on one kept-alive connection for the whole test.
    kept_alive = ReviewLoop(server.webhook_port, pki.ca.cert_file, "kept-alive", pause=0.01)
    loop.start()
    kept_alive.start()
    try:
        wait_until(lambda: pki.server_a.serial in loop.seen_since(0), timeout=10,
                   message="the request loop never got an answer with certificate A")
        wait_until(lambda: kept_alive.count(OK) >= 10, timeout=10, message="the kept-alive loop got no answers")

        # Swap to certificate B (same CA); the kubelet removes the old directory.
        swapped_at = time.monotonic()
        volume.publish(pki.server_b, pki.server_b)
        wait_until(lambda: pki.server_b.serial in loop.seen_since(swapped_at), timeout=20, interval=0.2,
                   message="no new connection saw certificate B within 20 s of the swap")
        picked_up_at = min(at for at, serial in loop.serials if serial == pki.server_b.serial)
        settled = time.monotonic()
        wait_until(lambda: loop.seen_since(settled), timeout=5, message="the loop stopped answering")
        assert loop.seen_since(settled) == {pki.server_b.serial}, "certificate A is still served after the reload"
        assert reloads("success") >= successes_before + 1
        assert expiry() == pki.server_b.not_after.timestamp(), "the expiry metric still shows certificate A"
        answered_at_reload = kept_alive.count(OK)
        wait_until(lambda: kept_alive.count(OK) >= answered_at_reload + 10, timeout=10,
                   message="the kept-alive connection stopped answering after the reload")

        old_connection.sendall(build_request("POST", "/validate", review("old-connection")))
        response = old_reader.read_response("POST")
        assert response.status == 200
        assert response.json() == expected_answer("admission.k8s.io/v1", "old-connection")

        # Swap to a mismatched pair (certificate B with key A): refused, counted, certificate B kept.
        failures_before = reloads("failure")
        bad_swap_at = time.monotonic()
        volume.publish(pki.server_b, pki.server_a)
        wait_until(lambda: reloads("failure") == failures_before + 1, timeout=20, interval=0.2,
                   message=f"the mismatched pair was not counted as a failed reload within 20 s "
                           f"(failures: {reloads('failure')})")
        counted_at = time.monotonic()
        wait_until(lambda: len(loop.seen_since(counted_at)) > 0, timeout=5, message="the loop stopped answering")
        assert loop.seen_since(bad_swap_at) == {pki.server_b.serial}, "the mismatched pair was served"
        assert reloads("failure") == 1
        assert expiry() == pki.server_b.not_after.timestamp()
        server.assert_alive()
    finally:
        loop.stop()
        kept_alive.stop()
        old_connection.close()

    assert not loop.failures, f"{len(loop.failures)} of {loop.count} requests failed during the rotation: " \
                              f"{loop.failures[:5]}"
    failures = kept_alive.unexpected()
    assert not failures, f"{len(failures)} of {len(kept_alive.outcomes)} kept-alive calls failed: {failures[:5]}"
    assert kept_alive.caller.connections_opened == 1, "the kept-alive connection was dropped during the rotation"
    assert loop.count > 50, f"only {loop.count} requests were made"
    assert picked_up_at - swapped_at < 20
