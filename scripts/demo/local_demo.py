"""The README's run command, after the build: a simulated AKS cluster (the fake API server of the tests, with its
scheduler and kubelet stand-ins), vigilante against it, and the API server's part played by hand — a Windows node
joins NotReady with the startup taint, a workload pod is already bound to it, then it turns Ready — with readable
progress lines: each probe pod and the evidence it brings (the sandbox's IP, or why the scheduler could not place
it), the node healed, its startup taint lifted and the pod that predates its healing named, and a GPU node that is
not marked healed because no probe pod could run on it, then a clean stop."""
import argparse
import http.client
import json
import os
import signal
import ssl
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from testkit.cluster_effects import HEALED, events_about
from testkit.fake_cluster import FakeCluster
from testkit.reviews import admission_review, windows_node

NODE = "akswin000004"
GPU_NODE = "akswin000005"  # tainted sku=gpu:NoSchedule, which the demo config does not tolerate
SANDBOX_DELAY_MS = 800  # how long the simulated kubelets take to give a probe pod its sandbox (and IP)
UNVERIFIED = "SnatHealingUnverified"
HEALED_EVENT = "SnatNodeHealed"
RETRY_AT = "cops-vigilante-snat-retry-at"
STARTUP_TAINT = {"key": "cops-vigilante/snat-unhealed", "value": "true", "effect": "NoSchedule"}
PREDATING_POD = "shop-cart-7d9f-x2x9q"


def say(text: str) -> None:
    print(f"{time.strftime('%H:%M:%S')}  {text}", flush=True)


class Vigilante:
    def __init__(self, binary: str, config: Path, kubeconfig: Path, certs: Path, log: Path):
        self.log = log
        args = [binary, "run", "--config", str(config), "--kubeconfig", str(kubeconfig),
                "--cert-file", str(certs / "tls.crt"), "--key-file", str(certs / "tls.key"), "--log-format", "json"]
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=open(log, "w"),
                                        env=dict(os.environ, SWIFT_BACKTRACE="enable=no"))
        self.ports = {}
        deadline = time.monotonic() + 30
        while len(self.ports) < 2:
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"vigilante did not start; its log:\n{log.read_text()}")
            for line in log.read_text().splitlines():
                record = json.loads(line) if line.startswith("{") else {}
                if record.get("message") == "Listening":
                    self.ports[record["metadata"]["listener"]] = int(record["metadata"]["port"])
            time.sleep(0.1)

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=30)


def call_webhook(port: int, ca: Path, review: dict) -> None:
    """As the API server does: HTTPS verified against the CA, POST /validate?timeout=10s."""
    context = ssl.create_default_context(cafile=str(ca))
    connection = http.client.HTTPSConnection("localhost", port, context=context, timeout=10)
    connection.request("POST", "/validate?timeout=10s", body=json.dumps(review),
                       headers={"Content-Type": "application/json"})
    response = connection.getresponse()
    answer = json.loads(response.read())
    connection.close()
    allowed = answer.get("response", {}).get("allowed")
    say(f"  webhook answered {response.status}, allowed={allowed}")


def metrics(port: int) -> list[str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.request("GET", "/metrics")
    text = connection.getresponse().read().decode()
    connection.close()
    wanted = ("cops_vigilante_snat_node_healing_attempts ", "cops_vigilante_snat_nodes{",
              "cops_vigilante_snat_nodes_healed_total ", "cops_vigilante_admission_requests_total{operation=\"UPDATE\",result=\"allowed\"}",
              "cops_vigilante_kube_api_requests_total{")
    lines = [line for line in text.splitlines() if line.startswith(wanted) and not line.endswith(" 0")
             and not line.endswith(" 0.0")]
    return sorted(lines, key=lambda line: next(i for i, w in enumerate(wanted) if line.startswith(w)))[:10]


class ProbeWatcher:
    """Prints each probe pod once created, then the evidence it brings: its sandbox's IP (and how long after it was
    first seen), or the scheduler's reason when it cannot be placed."""

    def __init__(self, cluster: FakeCluster):
        self.cluster = cluster
        self.first_seen: dict[str, float] = {}  # pod uid -> when the demo first saw it
        self.rounds: dict[str, int] = {}  # node -> probe pods seen
        self.told: set[tuple[str, str]] = set()  # (pod uid, what) already printed

    def tell_once(self, uid: str, what: str, text: str) -> None:
        if (uid, what) not in self.told:
            self.told.add((uid, what))
            say(text)

    def poll_for(self, seconds: float) -> None:
        """Polls the probe pods every 0.1 s for `seconds`."""
        end = time.monotonic() + seconds
        while True:
            self.poll()
            if time.monotonic() >= end:
                return
            time.sleep(0.1)

    def poll(self) -> None:
        for pod in self.cluster.probe_pods():
            uid = pod["metadata"].get("uid", "")
            node = (pod["spec"].get("nodeSelector") or {}).get("kubernetes.io/hostname", "?")
            status = pod.get("status") or {}
            if uid not in self.first_seen:
                self.first_seen[uid] = time.monotonic()
                self.rounds[node] = self.rounds.get(node, 0) + 1
                say(f"  {node}: probe pod created (round {self.rounds[node]}, uid {uid[:8]})")
            if status.get("podIP"):
                after = time.monotonic() - self.first_seen[uid]
                self.tell_once(uid, "ip", f"  {node}: sandbox {status['podIP']} after {after:.1f} s "
                                          "(CNI ADD ran on the node: evidence)")
            scheduled = next((c for c in status.get("conditions") or [] if c.get("type") == "PodScheduled"), {})
            if scheduled.get("status") == "False":
                self.tell_once(uid, "pending", f"  {node}: Pending, {scheduled.get('reason')}: "
                                               f"{scheduled.get('message')}")


def show_startup_taint_and_predating_pods(cluster: FakeCluster) -> None:
    """The two follow-ups of healing: the startup taint lifted, the pod that predates healing named."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        taints = cluster.node(NODE).get("spec", {}).get("taints") or []
        events = {e.get("reason"): e.get("message") for e in events_about(cluster, NODE)}
        if not taints and "SnatPodsPredatingHealing" in events and "SnatStartupTaintRemoved" in events:
            say(f"{NODE}: the startup taint is lifted (taints now {taints}); Normal SnatStartupTaintRemoved:")
            print(f"    {events['SnatStartupTaintRemoved']}", flush=True)
            say(f"{NODE}: Warning SnatPodsPredatingHealing names the pod that started before healing:")
            print(f"    {events['SnatPodsPredatingHealing']}", flush=True)
            return
        time.sleep(0.1)
    say(f"{NODE}: the startup taint or the predating pod's Event did not come; see the log")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--certs", required=True)
    parser.add_argument("--keep-running", action="store_true")
    parser.add_argument("--plots", help="draw the dashboard's panels over the run as PNGs in this directory")
    args = parser.parse_args()
    # SIGTERM stops like Ctrl-C: through the finally blocks, so no process is left behind.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    certs = Path(args.certs)
    work = Path(tempfile.mkdtemp(prefix="vigilante-local-"))

    say("starting a simulated AKS cluster: 3 Linux nodes, 1 Windows node already healed, and a Ready Windows "
        f"GPU node {GPU_NODE} tainted sku=gpu:NoSchedule; kubelets create a pod sandbox in "
        f"{SANDBOX_DELAY_MS / 1000:.1f} s")
    cluster = FakeCluster(work / "cluster", linux=3, sandbox_delay_ms=SANDBOX_DELAY_MS)
    healed = windows_node("akswin000001", ready=True)
    healed["metadata"]["annotations"] = {HEALED: "true"}
    cluster.admin("POST", "nodes", healed)
    cluster.admin("POST", "nodes", windows_node(GPU_NODE, ready=True))
    cluster.taint(GPU_NODE, "sku", "gpu")
    vigilante = None
    prometheus = None
    try:
        config = work / "conf.yaml"
        config.write_text("# Demo durations: a probe round every 3 s, a 20 s healing window.\n"
                          "interval: 3s\nunsafe_allow_short_intervals: true\n"
                          "webhook:\n  port: 0\nmetrics:\n  port: 0\n"
                          "tasks:\n  snat:\n    healing_duration: 20s\n    resync_interval: 30s\n"
                          "    startup_taint: cops-vigilante/snat-unhealed=true:NoSchedule\n")
        vigilante = Vigilante(args.binary, config, cluster.kubeconfig, certs, work / "vigilante.log")
        say(f"vigilante is up: webhook https://localhost:{vigilante.ports['webhook']}/validate, "
            f"metrics http://127.0.0.1:{vigilante.ports['metrics']}/metrics")
        if args.plots:
            from plots import start_prometheus
            prometheus = start_prometheus(work / "prometheus", vigilante.ports["metrics"])
            plot_start = time.time()
            say(f"Prometheus scrapes vigilante every second (http://127.0.0.1:{prometheus.port})")
        say(f"its start-up resync found {GPU_NODE} Ready and not healed: healing starts there")
        watcher = ProbeWatcher(cluster)

        say(f"a new Windows node {NODE} joins (NotReady) with the startup taint "
            "cops-vigilante/snat-unhealed=true:NoSchedule: the API server calls the webhook (CREATE)")
        joining = windows_node(NODE, ready=False)
        joining["spec"]["taints"] = [STARTUP_TAINT]
        cluster.admin("POST", "nodes", joining)
        # A pod bound to the node directly (nodeName bypasses the scheduler and its taints), before it is healed.
        cluster.api_post("/api/v1/namespaces/default/pods", {
            "apiVersion": "v1", "kind": "Pod", "metadata": {"name": PREDATING_POD, "namespace": "default"},
            "spec": {"nodeName": NODE, "containers": [{"name": "cart", "image": "mcr.microsoft.com/windows/nanoserver"}]}})
        say(f"  a workload pod default/{PREDATING_POD} is bound to {NODE} before it is healed")
        call_webhook(vigilante.ports["webhook"], certs / "ca.crt", admission_review("CREATE", joining))
        watcher.poll_for(2.0)
        say(f"  {NODE}: probe pods so far: {watcher.rounds.get(NODE, 0)} (nothing happens while the node is "
            "NotReady)")

        say(f"{NODE} turns Ready: the kubelet updates nodes/status, the API server calls the webhook (UPDATE)")
        cluster.admin("POST", f"nodes/{NODE}/ready", {"ready": True})
        call_webhook(vigilante.ports["webhook"], certs / "ca.crt",
                     admission_review("UPDATE", windows_node(NODE, ready=True), old=joining, sub_resource="status",
                                      uid="2b8c6f3e-0000-4000-8000-000000000002"))
        deadline = time.monotonic() + 90
        outcomes: dict[str, str] = {}
        while time.monotonic() < deadline and len(outcomes) < 2:
            for node in (NODE, GPU_NODE):
                if node in outcomes:
                    continue
                annotations = cluster.annotations(node)
                if annotations.get(HEALED) == "true":
                    outcomes[node] = "healed"
                    say(f"{node} is marked healed ({HEALED}: \"true\"), its probe pod removed; Normal "
                        f"{HEALED_EVENT} on the node:")
                    for event in events_about(cluster, node):
                        if event.get("reason") == HEALED_EVENT:
                            print(f"    {event.get('message')}", flush=True)
                    if node == NODE:
                        show_startup_taint_and_predating_pods(cluster)
                elif RETRY_AT in annotations:
                    outcomes[node] = "unverified"
                    say(f"{node} is NOT marked healed; Warning {UNVERIFIED} on the node:")
                    for event in events_about(cluster, node):
                        if event.get("reason") == UNVERIFIED:
                            print(f"    {event.get('message')}", flush=True)
            watcher.poll_for(0.1)
        if outcomes.get(NODE) != "healed" or outcomes.get(GPU_NODE) != "unverified":
            say(f"unexpected outcome {outcomes}; see the log below")
            print((work / "vigilante.log").read_text())
            return 1

        say("a few lines of /metrics:")
        for line in metrics(vigilante.ports["metrics"]):
            print(f"    {line}")
        if prometheus is not None:
            from plots import render
            time.sleep(2)  # the last scrapes after the outcome
            paths = render(prometheus, plot_start, time.time(), Path(args.plots))
            say(f"the dashboard's panels over this run, drawn from Prometheus: {paths[0]} "
                f"(and {len(paths) - 1} panels beside it)")
        if args.keep_running:
            say(f"keeping everything running; kubeconfig of the simulated cluster: {cluster.kubeconfig}")
            say("press Ctrl-C to stop")
            while True:
                time.sleep(3600)
        return 0
    finally:
        if prometheus is not None:
            prometheus.stop()
        if vigilante is not None:
            status = vigilante.stop()
            say(f"vigilante stopped (exit status {status})")
        cluster.stop()
        say("simulated cluster stopped")


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
