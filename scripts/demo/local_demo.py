"""The README's run command, after the build: a simulated AKS cluster (the fake API server of the tests),
vigilante against it, and the API server's part played by hand — a Windows node joins NotReady, then turns
Ready — with readable progress lines, then a clean stop."""
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

from testkit.cluster_effects import HEALED
from testkit.fake_cluster import FakeCluster
from testkit.reviews import admission_review, windows_node

NODE = "akswin000004"


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


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--certs", required=True)
    parser.add_argument("--keep-running", action="store_true")
    args = parser.parse_args()
    # SIGTERM stops like Ctrl-C: through the finally blocks, so no process is left behind.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    certs = Path(args.certs)
    work = Path(tempfile.mkdtemp(prefix="vigilante-local-"))

    say("starting a simulated AKS cluster: 3 Linux nodes, 1 Windows node already healed")
    cluster = FakeCluster(work / "cluster", linux=3)
    healed = windows_node("akswin000001", ready=True)
    healed["metadata"]["annotations"] = {HEALED: "true"}
    cluster.admin("POST", "nodes", healed)
    vigilante = None
    try:
        config = work / "conf.yaml"
        config.write_text("# Demo durations: a probe round every 3 s, a 20 s healing window.\n"
                          "interval: 3s\nunsafe_allow_short_intervals: true\n"
                          "webhook:\n  port: 0\nmetrics:\n  port: 0\n"
                          "tasks:\n  snat:\n    healing_duration: 20s\n    resync_interval: 30s\n")
        vigilante = Vigilante(args.binary, config, cluster.kubeconfig, certs, work / "vigilante.log")
        say(f"vigilante is up: webhook https://localhost:{vigilante.ports['webhook']}/validate, "
            f"metrics http://127.0.0.1:{vigilante.ports['metrics']}/metrics")

        say(f"a new Windows node {NODE} joins (NotReady): the API server calls the webhook (CREATE)")
        joining = windows_node(NODE, ready=False)
        cluster.admin("POST", "nodes", joining)
        call_webhook(vigilante.ports["webhook"], certs / "ca.crt", admission_review("CREATE", joining))
        time.sleep(2)
        say(f"  probe pods so far: {len(cluster.probe_pods())} (nothing happens while the node is NotReady)")

        say(f"{NODE} turns Ready: the kubelet updates nodes/status, the API server calls the webhook (UPDATE)")
        cluster.admin("POST", f"nodes/{NODE}/ready", {"ready": True})
        call_webhook(vigilante.ports["webhook"], certs / "ca.crt",
                     admission_review("UPDATE", windows_node(NODE, ready=True), old=joining, sub_resource="status",
                                      uid="2b8c6f3e-0000-4000-8000-000000000002"))
        seen = set()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            for pod in cluster.probe_pods():
                uid = pod["metadata"].get("uid")
                if uid not in seen:
                    seen.add(uid)
                    say(f"  probe pod {pod['metadata']['name']} created (round {len(seen)}, uid {uid[:8]})")
            if cluster.annotations(NODE).get(HEALED) == "true":
                say(f"{NODE} is marked healed ({HEALED}: \"true\"); its probe pod is removed")
                break
            time.sleep(0.2)
        else:
            say("the node was not healed in time; see the log below")
            print((work / "vigilante.log").read_text())
            return 1

        say("a few lines of /metrics:")
        for line in metrics(vigilante.ports["metrics"]):
            print(f"    {line}")
        if args.keep_running:
            say(f"keeping everything running; kubeconfig of the simulated cluster: {cluster.kubeconfig}")
            say("press Ctrl-C to stop")
            while True:
                time.sleep(3600)
        return 0
    finally:
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
