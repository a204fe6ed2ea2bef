"""The log of API requests (admin requests are not logged), for tests that check what a client sent and when.

Times are milliseconds of time.monotonic() since the server started, so intervals between requests (backoff,
rate limits) can be measured from the log without trusting wall clocks. `timeMs` is when the request had been
read, `endMs` when its answer was ready to send (an entry is complete before its client gets the answer).
"""

import threading
import time
from collections import deque

from fakeapi.clock import rfc3339_micro

_BODY_LIMIT_BYTES = 64 * 1024


class RequestLog:
    def __init__(self, capacity: int = 100_000):
        self._lock = threading.Lock()
        self._entries: deque = deque(maxlen=capacity)
        self._seq = 0
        self.started = time.monotonic()

    def ms(self, monotonic: float) -> float:
        return round((monotonic - self.started) * 1000, 3)

    def begin(self, request, started: float) -> dict:
        headers = request.headers
        authorization = headers.get("Authorization")
        body = None
        if request.method not in ("GET", "HEAD") and request.body:
            body = request.body[:_BODY_LIMIT_BYTES].decode("utf-8", "replace")
        with self._lock:
            self._seq += 1
            entry = {
                "seq": self._seq,
                "method": request.method,
                "path": request.target,
                "timeMs": self.ms(started),
                "wallTime": rfc3339_micro(),
                "userAgent": headers.get("User-Agent"),
                "authorization": authorization.split(" ", 1)[0] if authorization else None,
                "user": None,
                "authMethod": None,
                "accept": headers.get("Accept"),
                "contentType": headers.get("Content-Type"),
                "requestBytes": len(request.body),
                "body": body,
                "fault": None,
                "status": None,
                "responseBytes": None,
                "endMs": None,
                "durationMs": None,
            }
            self._entries.append(entry)
            return entry

    def finish(self, entry: dict, status: int | None, response_bytes: int) -> None:
        now = self.ms(time.monotonic())
        with self._lock:
            entry.update(status=status, responseBytes=response_bytes, endMs=now, durationMs=round(now - entry["timeMs"], 3))

    def entries(self, since: int = 0) -> list[dict]:
        with self._lock:
            return [dict(e) for e in self._entries if e["seq"] > since]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
