"""What vigilante did to the fake cluster, read from the fake's request log and state: tests assert on effects
(pods created, annotations written, Events), the way an operator would look at a cluster."""

from __future__ import annotations

import datetime
import json

from testkit.fake_cluster import FakeCluster
from testkit.metrics import metric, scrape
from testkit.vigilante import Vigilante

# What vigilante writes on a node (names kept from v1.2.1, and the window start of this version).
HEALED = "cops-vigilante-snat-node-healed"
STARTED = "cops-vigilante-snat-healing-started-at"

PROBE_POD_PREFIX = "cops-vigilante-snat-healer-"
POD_NAMESPACE = "kube-system"
PODS_PATH = f"/api/v1/namespaces/{POD_NAMESPACE}/pods"
ATTEMPTS = "cops_vigilante_snat_node_healing_attempts"
NOT_READY_FOUND = "cops_vigilante_snat_number_of_not_ready_nodes_found"


def probe_pod_name(node: str) -> str:
    """The v1.2.1 name (node names in these tests are short enough not to be hashed)."""
    return PROBE_POD_PREFIX + node


def _path(entry: dict) -> str:
    return entry["path"].split("?", 1)[0]


def pod_creates(requests: list[dict], node: str) -> list[dict]:
    """POSTs of the node's probe pod, answered or not."""
    name = probe_pod_name(node)
    return [e for e in requests if e["method"] == "POST" and _path(e) == PODS_PATH
            and json.loads(e["body"] or "{}").get("metadata", {}).get("name") == name]


def pod_deletes(requests: list[dict], node: str) -> list[dict]:
    return [e for e in requests if e["method"] == "DELETE" and _path(e) == f"{PODS_PATH}/{probe_pod_name(node)}"]


def node_patches(requests: list[dict], node: str) -> list[dict]:
    return [e for e in requests if e["method"] == "PATCH" and _path(e) == f"/api/v1/nodes/{node}"]


def succeeded(entries: list[dict]) -> list[dict]:
    return [e for e in entries if e["status"] is not None and 200 <= e["status"] < 300]


def wall_time(entry: dict) -> datetime.datetime:
    """When the fake had read the request (RFC 3339 with microseconds, UTC)."""
    return parse_rfc3339(entry["wallTime"])


def parse_rfc3339(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


def events_about(cluster: FakeCluster, node: str) -> list[dict]:
    """core/v1 Events whose involvedObject is the node (what `kubectl describe node` lists)."""
    return [e for e in cluster.state()["events"]
            if (e.get("involvedObject") or {}).get("kind") == "Node" and e["involvedObject"].get("name") == node]


def healing_attempts(server: Vigilante) -> float:
    """The v1.2.1 counter of probe rounds (0 before the first round)."""
    return metric(scrape(server), ATTEMPTS) or 0.0


def not_ready_sightings(server: Vigilante) -> float:
    """The v1.2.1 counter of NotReady Windows nodes the scheduler was handed (0 before the first)."""
    return metric(scrape(server), NOT_READY_FOUND) or 0.0
