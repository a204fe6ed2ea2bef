"""The failover benchmark: two replicas with leader election at the default timings (Lease 15 s, renew deadline
10 s, retry period 2 s) against the fake API server. Each trial stops the leader, with `kill -9` (the Lease must
expire: at most lease_duration + retry_period, 17 s) or with SIGTERM (the Lease is released: at most one
retry_period), and times how long until the other replica logs "Became the leader"; the stopped replica is then
started again as the follower of the next trial. Prints each trial, then the median and maximum per way. Run
through scripts/bench.sh failover."""
import argparse
import datetime
import json
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from testkit.fake_cluster import FakeCluster


class Replica:
    def __init__(self, binary: str, work: Path, identity: str, kubeconfig: Path, generation: int):
        self.identity = identity
        self.log = work / f"{identity}-{generation}.log"
        config = work / f"{identity}.yaml"
        config.write_text("tls: false\nwebhook:\n  port: 0\nmetrics:\n  port: 0\n"
                          f"leader_election:\n  enabled: true\n  namespace: kube-system\n  identity: {identity}\n")
        self.process = subprocess.Popen(
            [binary, "run", "--config", str(config), "--kubeconfig", str(kubeconfig), "--log-format", "json"],
            stdout=subprocess.DEVNULL, stderr=open(self.log, "w"), env={"SWIFT_BACKTRACE": "enable=no"})

    def records(self, message: str) -> list[dict]:
        records = []
        for line in self.log.read_text().splitlines():
            record = json.loads(line) if line.startswith("{") else {}
            if record.get("message") == message:
                records.append(record)
        return records


def wait_for(condition, timeout: float):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.02)
    raise SystemExit("bench: timed out waiting; see the replicas' logs")


def at(record: dict) -> datetime.datetime:
    return datetime.datetime.fromisoformat(record["time"].replace("Z", "+00:00"))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--trials", type=int, default=10)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="vigilante-failover-"))
    cluster = FakeCluster(work / "cluster", windows=2, linux=3)
    generation = 0
    replicas = {name: Replica(args.binary, work, name, cluster.kubeconfig, generation)
                for name in ("replica-a", "replica-b")}
    results: dict[str, list[float]] = {"kill -9": [], "SIGTERM": []}
    try:
        for way in results:
            for trial in range(args.trials):
                leader = wait_for(cluster.lease_holder, 60)
                follower = next(name for name in replicas if name != leader)
                wait_for(lambda: replicas[leader].records("Became the leader"), 60)
                # Stop at a random moment between two renewals.
                time.sleep(2 + random.uniform(0, 2))
                stopped = datetime.datetime.now(datetime.timezone.utc)
                if way == "kill -9":
                    replicas[leader].process.kill()
                else:
                    replicas[leader].process.send_signal(signal.SIGTERM)
                replicas[leader].process.wait(timeout=30)
                before = len(replicas[follower].records("Became the leader"))
                became = wait_for(lambda: replicas[follower].records("Became the leader")[before:], 60)[0]
                seconds = (at(became) - stopped).total_seconds()
                results[way].append(seconds)
                print(f"{way:8} trial {trial + 1:2}: {leader} stopped, {follower} leads after {seconds:5.2f} s",
                      flush=True)
                generation += 1
                replicas[leader] = Replica(args.binary, work, leader, cluster.kubeconfig, generation)
        print()
        print("| stop | trials | median | max | bound |")
        print("| --- | --- | --- | --- | --- |")
        bounds = {"kill -9": "lease_duration + retry_period = 17 s", "SIGTERM": "2 × retry_period = 4 s"}
        for way, values in results.items():
            print(f"| {way} | {len(values)} | {statistics.median(values):.2f} s | {max(values):.2f} s | {bounds[way]} |")
        return 0
    finally:
        for replica in replicas.values():
            if replica.process.poll() is None:
                replica.process.send_signal(signal.SIGTERM)
                replica.process.wait(timeout=30)
        cluster.stop()


if __name__ == "__main__":
    sys.exit(main())
