"""The healing benchmark: a simulated cluster of 5,000 Linux nodes in the fake API server, 500 Windows nodes
joining at once (one Ready callback each, sent concurrently), vigilante (release build) healing them with the
default rate limit (20 qps, burst 40). Prints the time from each callback to that node's first probe pod
(p50/p99/max) against what the rate limit allows, API calls per healed node, peak RSS and CPU, and the API
traffic per hour against the Go original's approach (a full node list every interval, a delete and a create per
healing node per interval, no resume). Run through scripts/bench.sh healing."""
import argparse
import concurrent.futures
import http.client
import json
import os
import subprocess
import statistics
import sys
import tempfile
import time
from pathlib import Path

from testkit.fake_cluster import FakeCluster
from testkit.reviews import admission_review

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--linux", type=int, default=5000)
    parser.add_argument("--windows", type=int, default=500)
    parser.add_argument("--interval", type=int, default=30)
    parser.add_argument("--window", type=int, default=120, help="healing window in seconds (30 min in production)")
    parser.add_argument("--qps", type=float, default=20)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="vigilante-bench-healing-"))

    print(f"seeding the fake API server: {args.linux} Linux nodes", flush=True)
    cluster = FakeCluster(work / "cluster", linux=args.linux)
    config = work / "conf.yaml"
    config.write_text(f"tls: false\ninterval: {args.interval}\nwebhook:\n  port: 0\nmetrics:\n  port: 0\n"
                      f"kubernetes:\n  qps: {args.qps}\n"
                      f"tasks:\n  snat:\n    healing_duration: {args.window}s\n    resync_interval: 5m\n")
    log = work / "vigilante.log"
    process = subprocess.Popen([args.binary, "run", "--config", str(config), "--kubeconfig", str(cluster.kubeconfig),
                                "--log-format", "json"], stderr=open(log, "w"), stdout=subprocess.DEVNULL)
    try:
        port, resync_ms = wait_for_start(log)
        entries = cluster.requests()
        list_bytes = sum(e.get("responseBytes") or 0 for e in entries if "/api/v1/nodes" in e["path"])
        print(f"first resync: {len(entries)} calls, {list_bytes / 1e6:.1f} MB of node lists read", flush=True)

        created = cluster.admin("POST", "generate", {"windows": args.windows, "windowsReady": True})
        windows = sorted(created["names"])
        reviews = {name: json.dumps(admission_review("UPDATE", cluster.node(name), sub_resource="status",
                                                     uid=f"uid-{name}")) for name in windows}
        cluster.admin("DELETE", "requests")
        cpu_before = cpu_seconds(process.pid)

        def callback(name: str) -> float:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            sent = time.time()
            connection.request("POST", "/validate?timeout=10s", body=reviews[name],
                               headers={"Content-Type": "application/json"})
            connection.getresponse().read()
            connection.close()
            return sent

        print(f"{len(windows)} Windows nodes join: {len(windows)} Ready callbacks at once", flush=True)
        with concurrent.futures.ThreadPoolExecutor(max_workers=32) as pool:
            sent = dict(zip(windows, pool.map(callback, windows)))
        first_pod: dict[str, float] = {}
        deadline = time.monotonic() + 600
        while len(first_pod) < len(windows) and time.monotonic() < deadline:
            for entry in cluster.requests():
                if entry["method"] == "POST" and entry["path"].endswith("/pods") and entry.get("status") == 201:
                    name = json.loads(entry.get("body") or "{}").get("metadata", {}).get("annotations", {}).get(
                        "cops-vigilante-snat-node")
                    if name in sent and name not in first_pod:
                        first_pod[name] = wall_seconds(entry["wallTime"])
            time.sleep(0.5)
        delays = [first_pod[n] - sent[n] for n in first_pod]
        calls_needed = len(windows)  # a new window's first round is one create; the rest follows it
        floor = calls_needed / args.qps
        print(f"first probe pod after its callback: p50 {statistics.median(delays):.2f} s, "
              f"p99 {percentile(delays, 0.99):.2f} s, max {max(delays):.2f} s "
              f"({len(first_pod)}/{len(windows)} nodes; the rate limit alone allows {floor:.1f} s + 1 s)", flush=True)

        print(f"waiting for the {args.window} s windows to end", flush=True)
        deadline = time.monotonic() + args.window + 600
        while time.monotonic() < deadline:
            listed = cluster.admin("GET", "nodes")
            healed = sum(1 for n in (listed.get("items", []) if isinstance(listed, dict) else listed)
                         if (n["metadata"].get("annotations") or {}).get("cops-vigilante-snat-node-healed") == "true")
            if healed >= len(windows):
                break
            time.sleep(2)
        cpu = cpu_seconds(process.pid) - cpu_before
        entries = cluster.requests()
        per_node = [sum(1 for e in entries if name in e["path"] or f'"{name}"' in (e.get("body") or ""))
                    for name in windows]
        rounds = args.window / args.interval
        print(f"healed {healed}/{len(windows)}; API calls per healed node over its window: "
              f"median {statistics.median(per_node):.0f} ({rounds:.0f} rounds of delete + create, start and finish "
              f"patches, events)", flush=True)
        print(f"vigilante: peak RSS {peak_rss_mib(process.pid):.1f} MiB, CPU {cpu:.1f} s for the whole run", flush=True)

        # Per hour, on this cluster, with these nodes healing through a 30-minute window each:
        hour = 3600
        production_rounds = 1800 / args.interval
        ours_calls = hour / 300 + len(windows) * (statistics.median(per_node) - 2 * rounds + 2 * production_rounds)
        ours_bytes = hour / 300 * list_bytes
        original_calls = hour / args.interval + len(windows) * 2 * production_rounds
        original_bytes = hour / args.interval * list_bytes
        print(f"per hour on this cluster ({len(windows)} nodes healing through 30-minute windows):")
        print(f"  vigilante (Swift): {ours_calls:,.0f} API calls, {ours_bytes / 1e9:.2f} GB of node lists "
              f"(a resync every 5 min; pods and patches per node)")
        print(f"  Go original:       {original_calls:,.0f} API calls, {original_bytes / 1e9:.2f} GB of node lists "
              f"(a full list every {args.interval} s; no resume, so a restart heals every window again)")
        return 0
    finally:
        process.terminate()
        process.wait(timeout=30)
        cluster.stop()


def wall_seconds(value) -> float:
    """The request log's wallTime (RFC 3339 text or seconds) as seconds since 1970."""
    if isinstance(value, (int, float)):
        return float(value)
    from datetime import datetime
    return datetime.fromisoformat(str(value).replace("Z", "+00:00")).timestamp()


def wait_for_start(log: Path) -> tuple[int, float]:
    port = None
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        for line in log.read_text().splitlines():
            record = json.loads(line) if line.startswith("{") else {}
            if record.get("message") == "Listening" and record["metadata"]["listener"] == "webhook":
                port = int(record["metadata"]["port"])
            if record.get("message") == "Node resync done" and port is not None:
                return port, time.time()
        time.sleep(0.1)
    raise SystemExit(f"vigilante did not finish its first resync; log:\n{log.read_text()}")


if __name__ == "__main__":
    sys.exit(main())
