"""`scripts/run-local.sh --replicas N`: N replicas of vigilante with leader election against the simulated cluster.
It shows which replica leads (the Lease and every replica's cops_vigilante_leader), a new Windows node whose
callback goes to a follower and is healed by the leader all the same, a `kill -9` of the leader in the middle of the
node's window, the follower taking over (and how long that took), and the node healed in the end."""
import argparse
import http.client
import json
import signal
import sys
import tempfile
import time
from pathlib import Path

from local_demo import Vigilante, call_webhook, say
from testkit.cluster_effects import HEALED, probe_pod_name
from testkit.fake_cluster import FakeCluster
from testkit.reviews import admission_review, windows_node

NODE = "akswin000007"
# Shortened for the demo (defaults: 15 s, 10 s, 2 s).
LEASE, RENEW_DEADLINE, RETRY = 6, 4, 1


def leader_gauge(port: int) -> str:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.request("GET", "/metrics")
    text = connection.getresponse().read().decode()
    connection.close()
    return next((line.split()[-1] for line in text.splitlines() if line.startswith("cops_vigilante_leader ")), "?")


def show_replicas(cluster: FakeCluster, replicas: dict[str, Vigilante]) -> None:
    lease = cluster.lease() or {}
    spec = lease.get("spec") or {}
    say(f"  Lease kube-system/cops-vigilante: holder {spec.get('holderIdentity')!r}, "
        f"transitions {spec.get('leaseTransitions')}, renewed {spec.get('renewTime')}")
    for identity, replica in replicas.items():
        gauge = leader_gauge(replica.ports["metrics"]) if replica.process.poll() is None else "(not running)"
        say(f"  {identity}: cops_vigilante_leader {gauge}")


def wait_for(condition, timeout: float, step: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(step)
    return None


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--certs", required=True)
    parser.add_argument("--replicas", type=int, default=2)
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    certs = Path(args.certs)
    work = Path(tempfile.mkdtemp(prefix="vigilante-replicas-"))
    count = max(2, min(args.replicas, 5))
    say(f"starting a simulated AKS cluster (3 Linux nodes) and {count} replicas of vigilante with leader election "
        f"(Lease {LEASE} s, renew deadline {RENEW_DEADLINE} s, retry {RETRY} s)")
    cluster = FakeCluster(work / "cluster", linux=3, sandbox_delay_ms=500)
    replicas: dict[str, Vigilante] = {}
    try:
        for index in range(count):
            identity = f"vigilante-{index}"
            config = work / f"{identity}.yaml"
            config.write_text(
                "interval: 2s\nunsafe_allow_short_intervals: true\nwebhook:\n  port: 0\nmetrics:\n  port: 0\n"
                "tasks:\n  snat:\n    healing_duration: 16s\n    resync_interval: 30s\n"
                f"leader_election:\n  enabled: true\n  namespace: kube-system\n  identity: {identity}\n"
                f"  lease_duration: {LEASE}s\n  renew_deadline: {RENEW_DEADLINE}s\n  retry_period: {RETRY}s\n")
            replicas[identity] = Vigilante(args.binary, config, cluster.kubeconfig, certs, work / f"{identity}.log")
        leader = wait_for(lambda: cluster.lease_holder(), timeout=20)
        if not leader:
            say("no replica became the leader; see the logs in " + str(work))
            return 1
        say(f"{leader} leads; every replica serves the webhook, only the leader heals")
        show_replicas(cluster, replicas)

        follower = next(identity for identity in replicas if identity != leader)
        say(f"a new Windows node {NODE} joins Ready; the API server sends its callback to the follower {follower}")
        node = windows_node(NODE, ready=True)
        call_webhook(replicas[follower].ports["webhook"], certs / "ca.crt", admission_review("CREATE", node))
        cluster.admin("POST", "nodes", node)
        stored = time.monotonic()
        if not wait_for(lambda: cluster.pod(probe_pod_name(NODE)), timeout=10, step=0.02):
            say("no probe pod came; see the logs in " + str(work))
            return 1
        say(f"  {leader} saw it through its watch of Windows nodes: first probe pod after "
            f"{time.monotonic() - stored:.2f} s")
        wait_for(lambda: False, timeout=5)
        say(f"kill -9 of the leader {leader}, 5 s into the node's window")
        killed = time.monotonic()
        replicas[leader].process.kill()
        replicas[leader].process.wait()
        new_leader = wait_for(lambda: (h := cluster.lease_holder()) not in ("", leader) and h, timeout=30, step=0.05)
        if not new_leader:
            say("nobody took over; see the logs in " + str(work))
            return 1
        say(f"  {new_leader} took over {time.monotonic() - killed:.1f} s after the kill (at most Lease + retry = "
            f"{LEASE + RETRY} s); it resyncs and resumes the window stored on the node")
        show_replicas(cluster, replicas)
        if not wait_for(lambda: cluster.annotations(NODE).get(HEALED) == "true", timeout=90, step=0.2):
            say("the node was not healed; see the logs in " + str(work))
            return 1
        say(f"{NODE} is marked healed ({HEALED}: \"true\") by {new_leader}")
        writers = sorted({(e.get("userAgent") or "").rsplit("(", 1)[-1].rstrip(")") for e in cluster.requests()
                          if e["method"] in ("POST", "DELETE") and "/pods" in e["path"]})
        say(f"probe pods were written by {', '.join(writers)} only, one after the other")
        return 0
    finally:
        for identity, replica in replicas.items():
            if replica.process.poll() is None:
                say(f"{identity} stopped (exit status {replica.stop()})")
        cluster.stop()
        say("simulated cluster stopped")


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
