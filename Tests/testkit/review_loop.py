"""The API server's steady stream of node callbacks: a thread that sends reviews one after the other through one
WebhookCaller and sorts every outcome, so that a test can say exactly which failures it accepts and when."""

from __future__ import annotations

import http.client
import ssl
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from testkit.reviews import expected_answer, review
from testkit.webhook_caller import WebhookCaller

OK = "ok"
# A new connection was refused (or reset before its TLS handshake finished): the listener is closed.
REFUSED = "refused"
# A kept-alive connection was closed by the server with no byte of an answer: HTTP/1.1's one unavoidable race,
# a request crossing the server's close of an idle connection (RFC 9112 9.3.1 lets clients retry it).
CLOSED_UNANSWERED = "closed-unanswered"
FAILED = "failed"

_CLOSED = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError, ssl.SSLEOFError,
           ssl.SSLZeroReturnError)


@dataclass
class Outcome:
    at: float  # time.monotonic() when the call ended
    kind: str
    detail: str = ""


class ReviewLoop(threading.Thread):
    def __init__(self, port: int, ca_file: Path, name: str, *, pause: float = 0.005, stop_when_refused: bool = False):
        super().__init__(name=name, daemon=True)
        self.caller = WebhookCaller(port, ca_file)
        self.pause, self.stop_when_refused = pause, stop_when_refused
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        self.outcomes: list[Outcome] = []

    def run(self) -> None:
        try:
            while not self.stopping.is_set():
                kind = self._one(f"{self.name}-{len(self.outcomes)}")
                if kind == REFUSED and self.stop_when_refused:
                    return
                self.stopping.wait(self.pause)
        finally:
            self.caller.close()

    def _one(self, uid: str) -> str:
        kept_alive = self.caller.is_connected
        opened = self.caller.connections_opened
        try:
            answer = self.caller.call(review(uid))
            if answer.status == 200 and answer.json() == expected_answer("admission.k8s.io/v1", uid):
                kind, detail = OK, ""
            else:
                kind, detail = FAILED, f"HTTP {answer.status}: {answer.body[:200]!r}"
        except ConnectionRefusedError as error:
            kind, detail = REFUSED, repr(error)
        except _CLOSED as error:
            # Closed with a connection to send on (kept alive, or opened with its TLS handshake done): the request
            # went unanswered. Closed before that: the connection itself was refused.
            had_connection = kept_alive or self.caller.connections_opened > opened
            kind, detail = (CLOSED_UNANSWERED if had_connection else REFUSED), repr(error)
        except Exception as error:  # noqa: BLE001 - every other failure is reported
            kind, detail = FAILED, repr(error)
        with self.lock:
            self.outcomes.append(Outcome(time.monotonic(), kind, f"{uid}: {detail}" if detail else uid))
        return kind

    def count(self, kind: str) -> int:
        with self.lock:
            return sum(1 for o in self.outcomes if o.kind == kind)

    def unexpected(self, allowed_after: float | None = None) -> list[Outcome]:
        """Outcomes other than OK, except REFUSED and CLOSED_UNANSWERED that ended after `allowed_after`."""
        with self.lock:
            return [o for o in self.outcomes if o.kind != OK and not (
                allowed_after is not None and o.at >= allowed_after and o.kind in (REFUSED, CLOSED_UNANSWERED))]

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=15)
