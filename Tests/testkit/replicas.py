"""Several vigilante replicas with leader election against one fake API server, and how to tell them apart: each
replica's identity is in its User-Agent (`cops-vigilante/<version> (replica-a)`), the Lease names the leader, and
each replica's `cops_vigilante_leader` says whether it acts as one."""

from __future__ import annotations

from typing import Callable

from testkit.fake_cluster import FakeCluster
from testkit.metrics import metric, scrape
from testkit.vigilante import Vigilante
from testkit.waiting import wait_until

# Shortened election timings for tests: a 4 s Lease, a 3 s renew deadline, a 1 s retry period.
LEASE_SECONDS, RENEW_DEADLINE_SECONDS, RETRY_SECONDS = 4, 3, 1
LEASE_PATH = "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/cops-vigilante"


def election(identity: str) -> dict:
    return {"leader_election": {"enabled": True, "namespace": "kube-system", "identity": identity,
                                "lease_duration": f"{LEASE_SECONDS}s", "renew_deadline": f"{RENEW_DEADLINE_SECONDS}s",
                                "retry_period": f"{RETRY_SECONDS}s"}}


class Replicas:
    """Replicas replica-a, replica-b, … of one deployment, started with `start(cluster, config)` (Launcher.start
    or the suites' `launch` fixture), each with its own webhook and metrics ports."""

    def __init__(self, start: Callable[..., Vigilante], cluster: FakeCluster, count: int, config: dict | None = None):
        self.cluster = cluster
        self.by_identity: dict[str, Vigilante] = {}
        for index in range(count):
            identity = f"replica-{'abcde'[index]}"
            self.by_identity[identity] = start(cluster, {**(config or {}), **election(identity)})

    def gauges(self) -> dict[str, float | None]:
        return {identity: metric(scrape(server), "cops_vigilante_leader")
                for identity, server in self.by_identity.items() if server.alive()}

    def leader(self, timeout: float = 20.0) -> str:
        """The identity the Lease names, once that replica's gauge says it leads."""
        def settled():
            holder = self.cluster.lease_holder()
            return holder if holder and self.gauges().get(holder) == 1 else None
        return wait_until(settled, timeout=timeout, interval=0.05, message="a leader")

    def became_leader(self, identity: str, timeout: float) -> dict | None:
        return self.by_identity[identity].wait_for_log(lambda r: r.get("message") == "Became the leader",
                                                       timeout=timeout)


def replica_of(entry: dict) -> str:
    """replica-a from a request log entry's `cops-vigilante/<version> (replica-a)`."""
    agent = entry.get("userAgent") or ""
    return agent[agent.rfind("(") + 1:-1] if agent.endswith(")") else agent


def is_write(entry: dict) -> bool:
    """A request of healing that changes the cluster: probe pods, node annotations, Events."""
    path = entry["path"].split("?")[0]
    return ((entry["method"] in ("POST", "DELETE") and "/pods" in path)
            or (entry["method"] == "PATCH" and path.startswith("/api/v1/nodes/"))
            or (entry["method"] == "POST" and path.endswith("/events")))
