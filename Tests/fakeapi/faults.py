"""Faults injected into the next N requests that match a method, a path regex and, when given, a body regex
(admin: /_admin/faults). `method` may name several (`PUT|GET`). `userAgent` (a regex searched in the User-Agent
header) and `token` (the exact bearer token) single out one client among several sharing the fake, for example one
replica of a product cut off from its Lease while its other calls succeed; faults are matched before
authentication. The body regex singles out requests whose target says too little: every pod creation POSTs to the
same path, so "every probe pod creation for node X" is `"body": "akswin000003"`.

Kinds:
  status            answer `status` with a Status body of the matching reason (and Retry-After when given)
  delay             wait `delayMs`, then answer normally (delayMs also works with every other kind)
  drop              close the connection without any answer
  drop_mid_response send the status line, headers (full Content-Length) and part of the body, then close
  malformed_json    answer the real status with a body that is not JSON (Content-Length matches it)
  truncated_body    answer the real status with the real body cut short: a complete HTTP message whose JSON
                    ends early (Content-Length matches the cut body)
  endless_list      a hostile or broken API server's list that never ends: the list is answered from its first
                    page (any `continue` sent is ignored) with a `continue` token added, the same one every time
                    (`"repeatToken": true`) or a new one each time (default)

`apply` says whether the request takes effect before the fault hits: false for status and drop (the request is
refused before it reaches the cluster), true for the response-mangling kinds (the answer to a completed request
is lost). `apply: true` with status or drop models a change that happened though the client saw an error.
"""

import json
import re
import threading
from dataclasses import dataclass

from fakeapi import errors

KINDS = ("status", "delay", "drop", "drop_mid_response", "malformed_json", "truncated_body", "endless_list")
_ALWAYS_APPLIED = ("delay", "drop_mid_response", "malformed_json", "truncated_body", "endless_list")


@dataclass
class Fault:
    id: int
    kind: str
    method: str
    path: re.Pattern
    remaining: int
    body: re.Pattern | None = None
    status: int = 500
    reason: str | None = None
    message: str | None = None
    retry_after: int | None = None
    delay_ms: int = 0
    apply: bool = False
    keep_bytes: int | None = None  # body bytes sent by drop_mid_response / kept by truncated_body
    repeat_token: bool = False  # endless_list: the same continue token every time
    pages: int = 0  # endless_list: pages answered so far
    user_agent: re.Pattern | None = None  # only requests whose User-Agent this regex finds
    token: str | None = None  # only requests with this bearer token

    def endless_page(self, response):
        """endless_list: the list answer with a continue token that leads nowhere new."""
        if response is None or response.status != 200:
            return response
        try:
            listed = json.loads(response.body)
        except ValueError:
            return response
        if not isinstance(listed, dict) or "items" not in listed:
            return response
        self.pages += 1
        listed.setdefault("metadata", {})["continue"] = "endless" if self.repeat_token else f"endless-{self.pages}"
        response.body = json.dumps(listed, separators=(",", ":")).encode()
        return response

    def error(self) -> errors.ApiError:
        return errors.from_code(self.status, self.message, self.reason, self.retry_after)

    def describe(self) -> dict:
        return {
            "id": self.id, "kind": self.kind, "method": self.method, "path": self.path.pattern,
            "body": self.body.pattern if self.body else None, "remaining": self.remaining,
            "status": self.status, "reason": self.reason, "message": self.message, "retryAfter": self.retry_after,
            "delayMs": self.delay_ms, "apply": self.apply, "keepBytes": self.keep_bytes,
            "repeatToken": self.repeat_token,
            "userAgent": self.user_agent.pattern if self.user_agent else None, "token": "***" if self.token else None,
        }


def _int(spec: dict, name: str, default, minimum: int = 0):
    value = spec.get(name, default)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}")
    return value


class FaultBook:
    def __init__(self):
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self._next_id = 1

    def add(self, spec: dict) -> Fault:
        """A fault from its admin JSON; ValueError names the field that is wrong."""
        if not isinstance(spec, dict):
            raise ValueError("a fault is a JSON object")
        kind = spec.get("kind", "status")
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}")
        try:
            path = re.compile(spec.get("path", ".*"))
        except re.error as err:
            raise ValueError(f"path is not a valid regex: {err}") from None
        try:
            body = re.compile(spec["body"]) if spec.get("body") is not None else None
        except (re.error, TypeError) as err:
            raise ValueError(f"body is not a valid regex: {err}") from None
        try:
            user_agent = re.compile(spec["userAgent"]) if spec.get("userAgent") is not None else None
        except (re.error, TypeError) as err:
            raise ValueError(f"userAgent is not a valid regex: {err}") from None
        token = spec.get("token")
        if token is not None and not isinstance(token, str):
            raise ValueError("token must be a string")
        status = _int(spec, "status", 500, 100)
        if status > 599:
            raise ValueError("status must be an HTTP status code")
        with self._lock:
            fault = Fault(
                id=self._next_id,
                kind=kind,
                method=str(spec.get("method", "*")).upper(),
                path=path,
                body=body,
                remaining=_int(spec, "count", 1, 1),
                status=status,
                reason=spec.get("reason"),
                message=spec.get("message"),
                retry_after=_int(spec, "retryAfter", None),
                delay_ms=_int(spec, "delayMs", 0),
                apply=True if kind in _ALWAYS_APPLIED else bool(spec.get("apply", False)),
                keep_bytes=_int(spec, "keepBytes", None),
                repeat_token=bool(spec.get("repeatToken", False)),
                user_agent=user_agent,
                token=token,
            )
            self._next_id += 1
            self._faults.append(fault)
            return fault

    def take(self, method: str, target: str, body: bytes = b"", user_agent: str = "",
             token: str | None = None) -> Fault | None:
        """The first fault matching this request, counted down; `target` is the path with its query."""
        text = None
        with self._lock:
            for fault in self._faults:
                if fault.body is not None and text is None:
                    text = body.decode("utf-8", "replace")
                if (fault.method == "*" or method in fault.method.split("|")) and fault.path.search(target) and \
                        (fault.body is None or fault.body.search(text)) and \
                        (fault.user_agent is None or fault.user_agent.search(user_agent)) and \
                        (fault.token is None or fault.token == token):
                    fault.remaining -= 1
                    if fault.remaining <= 0:
                        self._faults.remove(fault)
                    return fault
        return None

    def pending(self) -> list[dict]:
        with self._lock:
            return [f.describe() for f in self._faults]

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()
