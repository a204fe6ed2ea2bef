"""The cluster state: every object of every resource, under one lock, with one resourceVersion counter.

Like etcd behind a real API server: objects are kept per storage area in key order ("name" for cluster-scoped,
"namespace/name" for namespaced), every write takes the next value of one cluster-wide revision counter as the
object's resourceVersion, and lists walk keys in order so `continue` can resume after a key. Objects are held
in their list-item form (no kind/apiVersion), with their JSON encoding cached so a 5,000-node list is a join of
ready bytes rather than 5,000 json.dumps calls.

Pods deleted with a grace period stay until their deadline (time.monotonic based, scaled by --grace-scale), and
the simulated scheduler and kubelet (lifecycle.py) schedule timed actions (`call_at`). Both are due on the monotonic
clock and run, in the order of their due times (ties in the order they were scheduled), at the start of every
store operation and whenever a watch wakes up for them: no background thread, so the outcome does not depend on
thread timing, and a write made after a due time always comes after the actions that were due before it.

Hooks: `normalizers[area]` may adjust an object before it is stored (the node lifecycle stand-in adds taints in
the same write), and every `observers` callback sees each Change after it is recorded (the scheduler retries
pending pods when a node changes).
"""

import bisect
import heapq
import itertools
import json
import sys
import threading
import traceback
import time
import uuid
from collections import deque
from dataclasses import dataclass, field

from fakeapi.clock import rfc3339


@dataclass
class Stored:
    """One object and its cached JSON (list-item form). Never mutate `obj`: replace the Stored instead."""

    obj: dict
    _json: bytes | None = field(default=None, repr=False)

    def json_bytes(self) -> bytes:
        if self._json is None:
            self._json = json.dumps(self.obj, separators=(",", ":")).encode()
        return self._json


@dataclass(frozen=True)
class Change:
    """One write, for watches: ADDED, MODIFIED or DELETED, with the object before and after."""

    revision: int
    area: str
    key: str
    type: str
    old: dict | None
    new: dict | None


class Store:
    def __init__(self, grace_scale: float = 1.0, first_revision: int = 1000, history: int = 20_000):
        self.lock = threading.RLock()
        self.changed = threading.Condition(self.lock)  # notified on every write, for watches
        self.grace_scale = grace_scale
        self._revision = first_revision
        self._compacted = 0
        self._areas: dict[str, dict[str, Stored]] = {}
        self._sorted: dict[str, list[str]] = {}
        self._deadlines: dict[tuple[str, str], float] = {}
        self._history: deque[Change] = deque(maxlen=history)
        self._history_floor = first_revision  # watches from an older revision get 410 Gone
        self._timers: list[tuple[float, int, object]] = []  # heap of (due, sequence, action)
        self._sequence = itertools.count()
        self._reaping = False
        self.normalizers: dict = {}  # area -> callable(obj) -> obj, applied to every stored version
        self.observers: list = []  # callables(Change), called after each recorded write

    # --- revisions -------------------------------------------------------------------------------------
    @property
    def revision(self) -> int:
        """The current revision, after whatever was due has happened (a list reports it as its resourceVersion)."""
        with self.lock:
            self._reap()
            return self._revision

    def _next_revision(self) -> int:
        self._revision += 1
        return self._revision

    def compact(self) -> int:
        """Forget history up to now: continue tokens issued before this answer 410 Expired."""
        with self.lock:
            self._compacted = self._revision
            return self._compacted

    def is_compacted(self, revision: int) -> bool:
        return revision <= self._compacted

    # --- reads -----------------------------------------------------------------------------------------
    def get(self, area: str, key: str) -> Stored | None:
        with self.lock:
            self._reap()
            return self._areas.get(area, {}).get(key)

    def scan(self, area: str, prefix: str = "", after: str | None = None, match=None, limit: int = 0):
        """Objects in key order from the first key >= `after` (continue tokens end their key in NUL, so that
        is the key after the last one returned), keeping those `match` accepts, at most `limit` (0: all).

        Returns (items, more, remaining): `more` tells whether keys are left after the last item returned, and
        `remaining` how many (the list's remainingItemCount, only meaningful without a filter)."""
        with self.lock:
            self._reap()
            keys = self._keys(area)
            objects = self._areas.get(area, {})
            lower = prefix if after is None or after < prefix else after
            index = bisect.bisect_left(keys, lower)
            end = bisect.bisect_left(keys, prefix + "\U0010ffff") if prefix else len(keys)
            items = []
            while index < end and (limit <= 0 or len(items) < limit):
                key = keys[index]
                index += 1
                stored = objects[key]
                if match is None or match(stored.obj):
                    items.append((key, stored))
            return items, index < end, end - index

    def scan_at(self, revision: int, area: str, prefix: str = "", after: str | None = None, match=None,
                limit: int = 0):
        """`scan` of the state as it was at `revision` (an exact read, as etcd serves one): the writes after it are
        undone from the history. None when the history no longer reaches back to it, or it was compacted."""
        with self.lock:
            self._reap()
            if revision >= self._revision:
                return self.scan(area, prefix, after, match, limit)
            if revision < max(self._history_floor, self._compacted):
                return None
            then: dict[str, Stored | None] = {}
            for change in reversed(self._history):  # newest first, so the oldest write's "before" wins
                if change.revision <= revision:
                    break
                if change.area == area:
                    then[change.key] = Stored(change.old) if change.old is not None else None
            objects = self._areas.get(area, {})
            lower = prefix if after is None or after < prefix else after
            keys = self._keys(area)
            end = bisect.bisect_left(keys, prefix + "\U0010ffff") if prefix else len(keys)
            in_range = keys[bisect.bisect_left(keys, lower):end]
            upper = prefix + "\U0010ffff" if prefix else None
            extra = [k for k in then if k >= lower and (upper is None or k < upper) and k not in objects]
            ordered = sorted(in_range + extra) if extra else in_range
            items = []
            index = 0
            while index < len(ordered) and (limit <= 0 or len(items) < limit):
                key = ordered[index]
                index += 1
                stored = then[key] if key in then else objects[key]
                if stored is not None and (match is None or match(stored.obj)):
                    items.append((key, stored))
            rest = ordered[index:]
            remaining = sum(1 for k in rest if (then[k] if k in then else objects[k]) is not None)
            return items, remaining > 0, remaining

    def count(self, area: str) -> int:
        with self.lock:
            self._reap()
            return len(self._areas.get(area, {}))

    def _keys(self, area: str) -> list[str]:
        keys = self._sorted.get(area)
        if keys is None:
            keys = sorted(self._areas.get(area, {}))
            self._sorted[area] = keys
        return keys

    # --- writes ----------------------------------------------------------------------------------------
    def create(self, area: str, key: str, obj: dict) -> Stored:
        """Store a new object, filling uid, creationTimestamp and resourceVersion as the server does."""
        with self.lock:
            self._reap()
            meta = obj.setdefault("metadata", {})
            meta.setdefault("uid", str(uuid.uuid4()))
            meta.setdefault("creationTimestamp", rfc3339())
            return self._put(area, key, obj)

    def replace(self, area: str, key: str, obj: dict) -> Stored:
        """Store a changed object under a new resourceVersion."""
        with self.lock:
            self._reap()
            return self._put(area, key, obj)

    def _put(self, area: str, key: str, obj: dict) -> Stored:
        normalize = self.normalizers.get(area)
        if normalize is not None:
            obj = normalize(obj)
        revision = self._next_revision()
        obj["metadata"]["resourceVersion"] = str(revision)
        objects = self._areas.setdefault(area, {})
        old = objects.get(key)
        if old is None:
            keys = self._sorted.get(area)
            if keys is not None:
                bisect.insort(keys, key)
        stored = Stored(obj)
        objects[key] = stored
        self._record(Change(revision, area, key, "ADDED" if old is None else "MODIFIED", old.obj if old else None, obj))
        return stored

    def remove(self, area: str, key: str) -> Stored | None:
        with self.lock:
            self._reap()
            return self._remove(area, key)

    def _remove(self, area: str, key: str) -> Stored | None:
        stored = self._areas.get(area, {}).pop(key, None)
        if stored is not None:
            revision = self._next_revision()
            keys = self._sorted.get(area)
            if keys is not None:
                keys.pop(bisect.bisect_left(keys, key))
            self._deadlines.pop((area, key), None)
            # A watcher sees the last state stamped with the revision of the deletion, as from etcd.
            last = {**stored.obj, "metadata": {**stored.obj["metadata"], "resourceVersion": str(revision)}}
            self._record(Change(revision, area, key, "DELETED", stored.obj, last))
        return stored

    def clear(self, area: str) -> None:
        with self.lock:
            for key in list(self._areas.get(area, {})):
                self._remove(area, key)

    # --- watch history ---------------------------------------------------------------------------------
    def _record(self, change: Change) -> None:
        if len(self._history) == self._history.maxlen:
            self._history_floor = self._history[0].revision
        self._history.append(change)
        self.changed.notify_all()
        for observer in list(self.observers):
            observer(change)

    def changes_after(self, area: str, revision: int) -> list[Change] | None:
        """Writes to `area` after `revision`, or None when that revision is no longer in the history."""
        with self.lock:
            self._reap()
            if revision < max(self._history_floor, self._compacted):
                return None
            return [c for c in self._history if c.revision > revision and c.area == area]

    def wait_for_change(self, timeout: float) -> None:
        """Block until a write or `timeout`; wakes early for the next graceful-deletion deadline or timed action."""
        with self.lock:
            self._reap()
            due = self._next_due()
            if due is not None:
                timeout = max(0.0, min(timeout, due - time.monotonic()))
            self.changed.wait(timeout)
            self._reap()

    # --- graceful deletion and timed actions -------------------------------------------------------------
    def remove_after(self, area: str, key: str, seconds: float) -> None:
        """Remove the object `seconds` (API time, scaled by grace_scale) from now."""
        with self.lock:
            self._deadlines[(area, key)] = time.monotonic() + seconds * self.grace_scale

    def call_at(self, due: float, action) -> None:
        """Run `action(due)` (under the lock) once time.monotonic() reaches `due`. The action gets its own due
        time, so what it schedules next can be relative to that (a timeline that does not drift with reads)."""
        with self.lock:
            heapq.heappush(self._timers, (due, next(self._sequence), action))
            self.changed.notify_all()  # a watch waiting for a later deadline must recompute its timeout

    def _next_due(self) -> float | None:
        dues = [min(self._deadlines.values())] if self._deadlines else []
        if self._timers:
            dues.append(self._timers[0][0])
        return min(dues) if dues else None

    def reap(self) -> None:
        """Apply whatever is due now."""
        with self.lock:
            self._reap()

    def _reap(self) -> None:
        if self._reaping or (not self._deadlines and not self._timers):
            return
        self._reaping = True  # actions write through the store, which would come back here
        try:
            now = time.monotonic()
            while True:
                deletion = min(((due, k) for k, due in self._deadlines.items() if due <= now), default=None)
                timer = self._timers[0] if self._timers and self._timers[0][0] <= now else None
                if deletion is None and timer is None:
                    return
                if timer is not None and (deletion is None or timer[0] <= deletion[0]):
                    heapq.heappop(self._timers)
                    try:
                        timer[2](timer[0])
                    except Exception:  # a bug in a simulated component must not break the store
                        traceback.print_exc(file=sys.stderr)
                else:
                    self._remove(*deletion[1])
        finally:
            self._reaping = False
