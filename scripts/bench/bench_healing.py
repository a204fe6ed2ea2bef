"""The healing benchmark, and what healing costs the API server against the Go original, measured in one run
against one fake API server holding a 5,500-node cluster (5,000 Linux nodes, 500 Windows nodes):

1. The Go original's pattern (cops-vigilante v1.2.1, replayed by api_cost.GoOriginalReplay): the 500 Windows nodes
   join, and it heals them (a full node list every 30 s; per node in its window, a delete and a create each round;
   a patch at the end); then its steady state (nothing to heal), a few rounds.
2. vigilante (release build, default rate limit 20 qps, burst 40): the 500 Windows nodes join again (deleted and
   made anew; one Ready callback each, sent concurrently) and it heals them; then its steady state: a restart with
   a 30 s resync interval, a few resyncs.

Prints, for both and both phases, API calls and response bytes by verb (from the fake's request log) and per hour:
a steady-state cycle is measured and counted as often as each runs in an hour (the original lists every 30 s,
vigilante resyncs every 5 min); the scale-out is counted at the pace it took. Then the two targets: steady-state
bytes per hour at least 100 times below the original's, and calls per healed node no more than the original's.
Also the time from each callback to its node's first probe pod, probe pods per node, peak RSS and CPU.
With --reference BINARY, vigilante's phases are run with that binary (an older build) too.
Run through scripts/bench.sh healing."""
import argparse
import concurrent.futures
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from api_cost import GoOriginalReplay, Tally, human, print_table
from testkit.fake_cluster import FakeCluster
from testkit.reviews import admission_review

TICKS = os.sysconf("SC_CLK_TCK")
HOUR = 3600
STEADY_CYCLES = 4


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


class Phase:
    """One phase's request-log tally, its length in seconds and the nodes it healed."""

    def __init__(self, tally: Tally, seconds: float, healed: int = 0):
        self.tally, self.seconds, self.healed = tally, seconds, healed


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--reference", help="an older vigilante binary, run on the same scenario too")
    parser.add_argument("--linux", type=int, default=5000)
    parser.add_argument("--windows", type=int, default=500)
    parser.add_argument("--interval", type=int, default=30)
    parser.add_argument("--window", type=int, default=300,
                        help="healing window in seconds, for both (30 min in production); at 20 qps a round of 500 "
                             "nodes takes 50 s, and a verified window needs at least 3 of them")
    parser.add_argument("--qps", type=float, default=20)
    parser.add_argument("--sandbox-delay-ms", type=int, default=1000,
                        help="how long the simulated kubelets take to give a probe pod its sandbox")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="vigilante-bench-healing-"))
    print(f"seeding the fake API server: {args.linux} Linux nodes; sandboxes after {args.sandbox_delay_ms} ms",
          flush=True)
    cluster = FakeCluster(work / "cluster", linux=args.linux, sandbox_delay_ms=args.sandbox_delay_ms)
    try:
        results = {"Go original": go_original(cluster, args)}
        runs = [("reference", args.reference)] if args.reference else []
        runs.append(("vigilante", args.binary))
        for label, binary in runs:
            print(f"=== {label}: {binary}", flush=True)
            results[label] = vigilante(cluster, binary, args, work / label)
        report(results, args)
    finally:
        cluster.stop()
    return 0


def remove_windows_nodes(cluster: FakeCluster) -> None:
    """Deletes the Windows nodes and probe pods of an earlier phase."""
    listed = cluster.api_get("/api/v1/nodes?labelSelector=kubernetes.io%2Fos%3Dwindows") or {"items": []}
    for item in listed["items"]:
        cluster.api_delete(f"/api/v1/nodes/{item['metadata']['name']}")
    for pod in cluster.probe_pods():
        cluster.api_delete(f"/api/v1/namespaces/kube-system/pods/{pod['metadata']['name']}?gracePeriodSeconds=0")
    cluster.admin("DELETE", "requests")


def join_windows_nodes(cluster: FakeCluster, count: int) -> list[str]:
    """`count` Ready Windows nodes join, none healed."""
    created = cluster.admin("POST", "generate", {"windows": count, "windowsReady": True})
    cluster.admin("DELETE", "requests")
    return sorted(created["names"])


def go_original(cluster: FakeCluster, args: argparse.Namespace) -> dict[str, Phase]:
    print("=== Go original's pattern (replayed)", flush=True)
    remove_windows_nodes(cluster)
    windows = join_windows_nodes(cluster, args.windows)
    replay = GoOriginalReplay("127.0.0.1", cluster.port, cluster.pki.ca_cert, window=args.window,
                              interval=args.interval)
    try:
        started = time.monotonic()
        replay.run_until_healed(len(windows), deadline_seconds=args.window * 3 + 600)
        scale_out = Phase(Tally(cluster.requests()), time.monotonic() - started, len(replay.healed))
        print(f"healed {len(replay.healed)}/{len(windows)} in {scale_out.seconds:.0f} s", flush=True)
        cluster.admin("DELETE", "requests")
        for _ in range(STEADY_CYCLES):
            assert replay.round() == 0
        steady = Phase(Tally(cluster.requests()).scaled(1 / STEADY_CYCLES), args.interval)
    finally:
        replay.close()
    return {"scale-out": scale_out, "steady": steady}


def vigilante(cluster: FakeCluster, binary: str, args: argparse.Namespace, work: Path) -> dict[str, Phase]:
    work.mkdir(parents=True, exist_ok=True)
    remove_windows_nodes(cluster)
    process, log = start(binary, cluster, work / "scale-out", args, resync="5m")
    try:
        port = wait_for_resyncs(log, 1)
        windows = join_windows_nodes(cluster, args.windows)
        reviews = {name: json.dumps(admission_review("UPDATE", cluster.node(name), sub_resource="status",
                                                     uid=f"uid-{name}")) for name in windows}
        cluster.admin("DELETE", "requests")
        cpu_before = cpu_seconds(process.pid)
        started = time.monotonic()

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
        first_pod = first_probe_pods(cluster, set(windows))
        delays = [first_pod[n] - sent[n] for n in first_pod]
        floor = len(windows) / args.qps
        print(f"first probe pod after its callback: p50 {statistics.median(delays):.2f} s, "
              f"p99 {percentile(delays, 0.99):.2f} s, max {max(delays):.2f} s "
              f"({len(first_pod)}/{len(windows)} nodes; the rate limit alone allows {floor:.1f} s + 1 s)", flush=True)
        print(f"waiting for the {args.window} s windows to end", flush=True)
        healed = wait_until_healed(cluster, windows, args.window + 600)
        seconds = time.monotonic() - started
        cpu = cpu_seconds(process.pid) - cpu_before
        entries = cluster.requests()
        per_node = calls_naming_each_node(entries, windows)
        creates = [sum(1 for e in entries if e["method"] == "POST" and e["path"].endswith("/pods")
                       and e.get("status") == 201 and f'"{name}"' in (e.get("body") or "")) for name in windows]
        print(f"healed {healed}/{len(windows)} in {seconds:.0f} s; API calls naming each node: median "
              f"{statistics.median(per_node):.0f}; all calls: {len(entries) / max(1, healed):.1f} per healed node; "
              f"probe pods per node: median {statistics.median(creates):.0f}, min {min(creates)}", flush=True)
        print(f"vigilante: peak RSS {peak_rss_mib(process.pid):.1f} MiB, CPU {cpu:.1f} s for the scale-out",
              flush=True)
        scale_out = Phase(Tally(entries), seconds, healed)
    finally:
        stop(process)
    # Steady state: nothing to heal; a restart with a 30 s resync interval, so that a few resyncs are quick to see.
    process, log = start(binary, cluster, work / "steady", args, resync="30s")
    try:
        wait_for_resyncs(log, 1)  # the first resync of a start is a quorum read, once per start
        cluster.admin("DELETE", "requests")
        wait_for_resyncs(log, 1 + STEADY_CYCLES)
        steady = Phase(Tally(cluster.requests()).scaled(1 / STEADY_CYCLES), 300)
    finally:
        stop(process)
    return {"scale-out": scale_out, "steady": steady}


def start(binary: str, cluster: FakeCluster, work: Path, args: argparse.Namespace, resync: str):
    work.mkdir(parents=True, exist_ok=True)
    config = work / "conf.yaml"
    config.write_text(f"tls: false\ninterval: {args.interval}\nunsafe_allow_short_intervals: true\n"
                      f"webhook:\n  port: 0\nmetrics:\n  port: 0\nkubernetes:\n  qps: {args.qps}\n"
                      f"tasks:\n  snat:\n    healing_duration: {args.window}s\n    resync_interval: {resync}\n")
    log = work / "vigilante.log"
    process = subprocess.Popen([binary, "run", "--config", str(config), "--kubeconfig", str(cluster.kubeconfig),
                                "--log-format", "json"], stderr=open(log, "w"), stdout=subprocess.DEVNULL)
    return process, log


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    process.wait(timeout=30)


def wait_for_resyncs(log: Path, count: int) -> int:
    """Waits until the log shows `count` finished resyncs; returns the webhook's port."""
    deadline = time.monotonic() + 120 + 60 * count
    while time.monotonic() < deadline:
        port, done = None, 0
        for line in log.read_text().splitlines():
            record = json.loads(line) if line.startswith("{") else {}
            if record.get("message") == "Listening" and record["metadata"]["listener"] == "webhook":
                port = int(record["metadata"]["port"])
            done += record.get("message") == "Node resync done"
        if port is not None and done >= count:
            return port
        time.sleep(0.2)
    raise SystemExit(f"vigilante did not finish {count} resyncs; log:\n{log.read_text()[-4000:]}")


def first_probe_pods(cluster: FakeCluster, names: set[str]) -> dict[str, float]:
    first: dict[str, float] = {}
    deadline = time.monotonic() + 600
    while len(first) < len(names) and time.monotonic() < deadline:
        for entry in cluster.requests():
            if entry["method"] == "POST" and entry["path"].endswith("/pods") and entry.get("status") == 201:
                name = json.loads(entry.get("body") or "{}").get("metadata", {}).get("annotations", {}).get(
                    "cops-vigilante-snat-node")
                if name in names and name not in first:
                    first[name] = wall_seconds(entry["wallTime"])
        time.sleep(0.5)
    return first


def wait_until_healed(cluster: FakeCluster, names: list[str], seconds: float) -> int:
    wanted = set(names)
    deadline = time.monotonic() + seconds
    healed = 0
    while time.monotonic() < deadline:
        listed = cluster.admin("GET", "nodes")  # not through the API: the request log stays vigilante's own
        items = listed.get("items", []) if isinstance(listed, dict) else listed
        healed = sum(1 for n in items if n["metadata"]["name"] in wanted
                     and (n["metadata"].get("annotations") or {}).get("cops-vigilante-snat-node-healed") == "true")
        if healed >= len(names):
            break
        time.sleep(2)
    return healed


def calls_naming_each_node(entries: list[dict], names: list[str]) -> list[int]:
    counts = dict.fromkeys(names, 0)
    for entry in entries:
        for name in names:
            if name in entry["path"] or f'"{name}"' in (entry.get("body") or ""):
                counts[name] += 1
    return list(counts.values())


def wall_seconds(value) -> float:
    """The request log's wallTime (RFC 3339 text or seconds) as seconds since 1970."""
    if isinstance(value, (int, float)):
        return float(value)
    from datetime import datetime
    return datetime.fromisoformat(str(value).replace("Z", "+00:00")).timestamp()


def report(results: dict[str, dict[str, Phase]], args: argparse.Namespace) -> None:
    labels = list(results)
    print(f"\n=== per hour, {args.linux + args.windows:,}-node cluster ({args.windows} Windows nodes)")
    steady = {label: results[label]["steady"] for label in labels}
    print_table(f"steady state (nothing to heal): one cycle measured, counted {HOUR // args.interval} times an hour "
                f"for the Go original (a list every {args.interval} s) and {HOUR // 300} times for vigilante "
                f"(a resync every 5 min)",
                [(label, phase.tally.scaled(HOUR / phase.seconds)) for label, phase in steady.items()])
    print_table(f"scale-out ({args.windows} Windows nodes join and are healed, {args.window} s windows), "
                f"at the pace each took (" + ", ".join(f"{label} {results[label]['scale-out'].seconds:.0f} s"
                                                       for label in labels) + ")",
                [(label, results[label]["scale-out"].tally.scaled(HOUR / results[label]["scale-out"].seconds))
                 for label in labels])
    print_table("scale-out, the whole phase", [(label, results[label]["scale-out"].tally) for label in labels])
    original = results["Go original"]
    print("\n=== targets")
    for label in labels[1:]:
        ours = results[label]
        ours_bytes = ours["steady"].tally.total_bytes * HOUR / ours["steady"].seconds
        original_bytes = original["steady"].tally.total_bytes * HOUR / original["steady"].seconds
        ratio = original_bytes / max(1, ours_bytes)
        print(f"{label}: steady-state bytes per hour {human(ours_bytes)} against {human(original_bytes)}: "
              f"{ratio:,.0f} times fewer (target: at least 100) -> {'met' if ratio >= 100 else 'NOT met'}")
        ours_per_node = ours["scale-out"].tally.total_calls / max(1, ours["scale-out"].healed)
        original_per_node = original["scale-out"].tally.total_calls / max(1, original["scale-out"].healed)
        print(f"{label}: API calls per healed node in the scale-out {ours_per_node:.1f} against "
              f"{original_per_node:.1f} (target: no more) -> {'met' if ours_per_node <= original_per_node else 'NOT met'}")
        print(f"{label}: response bytes per healed node in the scale-out "
              f"{human(ours['scale-out'].tally.total_bytes / max(1, ours['scale-out'].healed))} against "
              f"{human(original['scale-out'].tally.total_bytes / max(1, original['scale-out'].healed))}")


if __name__ == "__main__":
    sys.exit(main())
