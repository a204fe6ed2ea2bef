"""`?watch=true` on a list path: a chunked stream of {"type": ADDED|MODIFIED|DELETED|ERROR, "object": ...} lines.

`kubectl delete` waits for the object to go with a watch (list, then watch from the list's resourceVersion),
so the fake serves the common case: without resourceVersion (or "0") the stream starts with an ADDED event per
existing object; with one, it replays the store's history after it, or sends a 410 Expired ERROR event when
that revision is older than the history (or compacted), as the watch cache does. An object that stops or starts
matching the selectors is reported DELETED or ADDED. The stream ends after timeoutSeconds (at most 30 minutes).
"""

import json
import time

from fakeapi.cluster import Cluster, with_type
from fakeapi.errors import ApiError, bad_request
from fakeapi.kinds import Kind
from fakeapi.selection import parse_field_selector, parse_label_selector
from fakeapi.store import Change

_MAX_TIMEOUT_SECONDS = 1800
_POLL_SECONDS = 1.0  # how often a quiet stream checks whether its client went away


class Watch:
    def __init__(self, cluster: Cluster, kind: Kind, namespace: str | None, query: dict):
        self.store = cluster.store
        self.kind = kind
        self.prefix = kind.prefix(namespace)
        labels = parse_label_selector(query.get("labelSelector"))
        fields = parse_field_selector(query.get("fieldSelector"), kind.fields)
        self._matches = lambda obj: labels.matches(obj.get("metadata", {}).get("labels")) and fields.matches(obj, kind.fields)
        try:
            timeout = int(query.get("timeoutSeconds") or _MAX_TIMEOUT_SECONDS)
        except ValueError:
            raise bad_request("timeoutSeconds must be an integer") from None
        self.deadline = time.monotonic() + min(max(timeout, 0), _MAX_TIMEOUT_SECONDS)
        self.pending: list[bytes] = []
        raw = query.get("resourceVersion")
        if raw in (None, "", "0"):
            with self.store.lock:
                items, _, _ = self.store.scan(kind.storage, self.prefix, None, self._matches)
                self.revision = self.store.revision
            self.pending = [self._line("ADDED", s.obj) for _, s in items]
        else:
            try:
                self.revision = int(raw)
            except ValueError:
                raise bad_request(f'invalid resource version "{raw}"') from None

    def _line(self, kind: str, obj: dict) -> bytes:
        return json.dumps({"type": kind, "object": with_type(self.kind, self.kind.to_view(obj))}, separators=(",", ":")).encode() + b"\n"

    def _expired(self) -> bytes:
        status = ApiError(410, "Expired", f"too old resource version: {self.revision} ({self.store.revision})").status()
        return json.dumps({"type": "ERROR", "object": status}, separators=(",", ":")).encode() + b"\n"

    def _translate(self, change: Change) -> bytes | None:
        if not change.key.startswith(self.prefix):
            return None
        was = change.old is not None and self._matches(change.old)
        now = change.type != "DELETED" and self._matches(change.new)
        if change.type == "DELETED":
            return self._line("DELETED", change.new) if was else None
        if was and now:
            return self._line("MODIFIED", change.new)
        if now:
            return self._line("ADDED", change.new)
        if was:
            return self._line("DELETED", change.new)
        return None

    def lines(self, client_gone):
        """Event lines as they happen; ends at the deadline, on an expired revision, or when client_gone()."""
        if self.pending:
            yield b"".join(self.pending)
            self.pending = []
        while time.monotonic() < self.deadline and not client_gone():
            changes = self.store.changes_after(self.kind.storage, self.revision)
            if changes is None:
                yield self._expired()
                return
            if changes:
                self.revision = changes[-1].revision
                out = [line for line in (self._translate(c) for c in changes) if line]
                if out:
                    yield b"".join(out)
                continue
            self.store.wait_for_change(min(_POLL_SECONDS, max(0.0, self.deadline - time.monotonic())))
