"""Scenario: the container runtime stops reading vigilante's standard error (a stalled log collector, a full
node disk) while clients keep sending requests that are refused, each refusal logged: the listeners go on
answering, because log lines are written by a thread of their own, never by the event loop that answers."""

from __future__ import annotations

from testkit.raw_http import ResponseReader, build_request, connect
from testkit.vigilante import Vigilante
from testkit.waiting import wait_until


def test_a_stalled_stderr_reader_does_not_stop_the_webhook_answering_refusals(launch) -> None:
    server: Vigilante = launch(tls=False)
    server.pause_log_reading()
    try:
        # Each refusal logs a line of about 250 bytes: 2,000 of them overflow the 64 KiB pipe several times over.
        with connect(server.webhook_port) as sock:
            reader = ResponseReader(sock)
            for i in range(2000):
                sock.sendall(build_request("POST", "/validate", b"not json " + str(i).encode()))
                response = reader.read_response("POST")
                assert response.status == 400, (i, response)
    finally:
        server.resume_log_reading()
    # Nothing was lost: every refusal is in the log once it is read again.
    wait_until(lambda: sum(r.get("message") == "Refused an admission request" for r in server.records) == 2000,
               timeout=30, message="the refusals were not all logged once the reader came back")
