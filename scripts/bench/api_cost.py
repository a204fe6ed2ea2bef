"""What a client costs the API server, read from the fake API server's request log: calls and response bytes by
verb; and a replay of the Go original's pattern (cops-vigilante v1.2.1) against the same fake, so that both are
measured alike. Used by bench_healing.py."""
import collections
import http.client
import json
import re
import ssl
import time

from testkit.fake_cluster import TOKEN

HEALED = "cops-vigilante-snat-node-healed"
NAMESPACE = "kube-system"
PROBE_PREFIX = "cops-vigilante-snat-healer-"


def verb(entry: dict) -> str:
    """The call a request-log entry is, named as vigilante's metrics name its verbs."""
    method, path = entry["method"], entry["path"]
    base, _, query = path.partition("?")
    if "/leases" in base:
        return f"{method.lower()}_lease"
    if base == "/api/v1/nodes":
        return "watch_nodes" if "watch=true" in query or "watch=1" in query else "list_nodes"
    if base.startswith("/api/v1/nodes/"):
        return {"GET": "get_node", "PATCH": "patch_node"}.get(method, f"{method.lower()}_node")
    if base == "/api/v1/pods":
        return "list_node_pods"
    if re.fullmatch(r"/api/v1/namespaces/[^/]+/pods", base):
        return {"GET": "list_pods", "POST": "create_pod"}.get(method, f"{method.lower()}_pods")
    if re.fullmatch(r"/api/v1/namespaces/[^/]+/pods/[^/]+", base):
        return {"DELETE": "delete_pod", "GET": "get_pod"}.get(method, f"{method.lower()}_pod")
    if base.endswith("/eviction"):
        return "evict_pod"
    if base.endswith("/events"):
        return "create_event"
    return f"{method} {base}"


class Tally:
    """Calls and response bytes by verb over some request-log entries."""

    def __init__(self, entries: list[dict]):
        self.calls: collections.Counter = collections.Counter()
        self.bytes: collections.Counter = collections.Counter()
        for entry in entries:
            name = verb(entry)
            self.calls[name] += 1
            self.bytes[name] += entry.get("responseBytes") or 0

    @property
    def total_calls(self) -> int:
        return sum(self.calls.values())

    @property
    def total_bytes(self) -> int:
        return sum(self.bytes.values())

    def scaled(self, factor: float) -> "Tally":
        scaled = Tally([])
        scaled.calls = collections.Counter({k: v * factor for k, v in self.calls.items()})
        scaled.bytes = collections.Counter({k: v * factor for k, v in self.bytes.items()})
        return scaled


def print_table(title: str, columns: list[tuple[str, Tally]]) -> None:
    """One row per verb, calls and bytes for each column."""
    print(title)
    verbs = sorted({v for _, tally in columns for v in tally.calls}, key=lambda v: (-columns[0][1].bytes.get(v, 0), v))
    header = "  {:<16}".format("verb") + "".join(f" | {name + ' calls':>22} {name + ' bytes':>20}" for name, _ in columns)
    print(header)
    for name in verbs + ["total"]:
        cells = []
        for _, tally in columns:
            calls = tally.total_calls if name == "total" else tally.calls.get(name, 0)
            size = tally.total_bytes if name == "total" else tally.bytes.get(name, 0)
            cells.append(f" | {calls:>22,.0f} {human(size):>20}")
        print(f"  {name:<16}" + "".join(cells))


def human(size: float) -> str:
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("KB", 1e3)):
        if size >= scale:
            return f"{size / scale:,.2f} {unit}"
    return f"{size:,.0f} B"


class GoOriginalReplay:
    """The Go original's loop, replayed over HTTPS with the cluster's token: every `interval`, one list of every
    node (no selector, no limit, as its client-go List with empty ListOptions), the Windows nodes (label any case)
    that are Ready and not annotated healed are its candidates; a candidate's window starts when the loop first
    sees it; in its window, each round deletes its probe pod (gracePeriodSeconds=0) and creates it again; once the
    window is over, the pod is deleted and the node annotated healed (a merge patch). The state is in memory only,
    as the original's was."""

    def __init__(self, host: str, port: int, ca_file: str, window: float, interval: float = 30):
        self.host, self.port, self.window, self.interval = host, port, window, interval
        self.context = ssl.create_default_context(cafile=ca_file)
        self.connection: http.client.HTTPSConnection | None = None
        self.started: dict[str, float] = {}
        self.hostnames: dict[str, str] = {}
        self.healed: set[str] = set()

    def _call(self, method: str, path: str, body: dict | None = None, content_type: str = "application/json"):
        if self.connection is None:
            self.connection = http.client.HTTPSConnection(self.host, self.port, context=self.context, timeout=60)
        headers = {"Authorization": f"Bearer {TOKEN}", "Accept": "application/json",
                   "User-Agent": "cops-vigilante-go-original-replay"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = content_type
        self.connection.request(method, path, body=data, headers=headers)
        response = self.connection.getresponse()
        payload = response.read()
        return response.status, payload

    def round(self) -> int:
        """One tick of the original's loop; returns how many nodes are in their window."""
        now = time.monotonic()
        status, payload = self._call("GET", "/api/v1/nodes")
        assert status == 200, payload[:200]
        for node in json.loads(payload)["items"]:
            meta = node["metadata"]
            name = meta["name"]
            windows = (meta.get("labels") or {}).get("kubernetes.io/os", "").lower() == "windows"
            ready = any(c.get("type") == "Ready" and c.get("status") == "True"
                        for c in (node.get("status") or {}).get("conditions") or [])
            healed = (meta.get("annotations") or {}).get(HEALED) == "true"
            if windows and ready and not healed and name not in self.started:
                self.started[name] = now
                self.hostnames[name] = (meta.get("labels") or {}).get("kubernetes.io/hostname", name)
        for name, start in list(self.started.items()):
            pod = PROBE_PREFIX + name
            self._call("DELETE", f"/api/v1/namespaces/{NAMESPACE}/pods/{pod}?gracePeriodSeconds=0")
            if now - start < self.window:
                self._call("POST", f"/api/v1/namespaces/{NAMESPACE}/pods", probe_pod(name, self.hostnames[name]))
            else:
                self._call("PATCH", f"/api/v1/nodes/{name}", {"metadata": {"annotations": {HEALED: "true"}}},
                           "application/merge-patch+json")
                del self.started[name]
                self.healed.add(name)
        return len(self.started)

    def run_until_healed(self, expected: int, deadline_seconds: float) -> None:
        """Rounds every `interval` until `expected` nodes are healed."""
        deadline = time.monotonic() + deadline_seconds
        while len(self.healed) < expected and time.monotonic() < deadline:
            started = time.monotonic()
            self.round()
            time.sleep(max(0.0, self.interval - (time.monotonic() - started)))

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()


def probe_pod(node: str, hostname: str) -> dict:
    """The original's probe pod (its name, namespace, image, container and node selector)."""
    return {
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": PROBE_PREFIX + node, "namespace": NAMESPACE},
        "spec": {
            "containers": [{"name": "pause-container", "image": "mcr.microsoft.com/oss/kubernetes/pause:3.6"}],
            "nodeSelector": {"kubernetes.io/os": "windows", "kubernetes.io/hostname": hostname},
            "terminationGracePeriodSeconds": 0,
        },
    }
