"""Replays, against a release build on loopback, the attacks of hostile clients, a hostile API server and bad files
that vigilante must survive, each for at most 60 s, and prints what held: silent connection floods on both ports
(the largest after which /healthz and the webhook still answer within 1 s, RSS during and after), stalled
uploads against the buffer budget, an API server whose node list never ends, an encrypted private key, and
configuration values that used to overflow. Figures are printed, never asserted. Run through scripts/attack.sh."""

from __future__ import annotations

import argparse
import json
import resource
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from testkit.config import healing_config
from testkit.fake_cluster import FakeCluster
from testkit.metrics import metric, scrape
from testkit.pki import make_pki
from testkit.raw_http import build_request, connect, request
from testkit.reviews import review
from testkit.vigilante import Vigilante

PER_SOURCE = 200  # connections per source address: many peers, each under the per-client limit (256)


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def timed(action) -> float:
    """Seconds `action` took, or infinity when it failed."""
    started = time.monotonic()
    try:
        ok = action()
    except OSError:
        return float("inf")
    return time.monotonic() - started if ok else float("inf")


def flood(port: int, count: int, deadline: float) -> list[socket.socket]:
    """count silent TCP connections from 127.0.0.2, .3, … (PER_SOURCE each), until the deadline."""
    sockets = []
    for index in range(count):
        if time.monotonic() > deadline:
            break
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.settimeout(1)
        try:
            sock.bind((f"127.0.0.{2 + index // PER_SOURCE}", 0))
            sock.connect(("127.0.0.1", port))
        except OSError:
            sock.close()
            continue
        sockets.append(sock)
    return sockets


def silent_floods(server: Vigilante, context: ssl.SSLContext) -> None:
    print("== silent connection floods (TCP connections that never send a byte)")
    healthz = lambda: request(server.metrics_port, "GET", "/healthz", timeout=5).status == 200
    webhook = lambda: request(server.webhook_port, "POST", "/validate", review("attack"), context=context,
                              timeout=5).status == 200
    idle_rss = rss_mib(server.process.pid)
    largest = 0
    for target, port in (("webhook", server.webhook_port), ("metrics", server.metrics_port)):
        for count in (1000, 2000, 4300, 6000):
            deadline = time.monotonic() + 20
            sockets = flood(port, count, deadline)
            during = rss_mib(server.process.pid)
            health_s, webhook_s = timed(healthz), timed(webhook)
            for sock in sockets:
                sock.close()
            held = health_s < 1 and webhook_s < 1
            if target == "webhook" and held:
                largest = max(largest, len(sockets))
            print(f"  {len(sockets):5d} silent connections on the {target} port: /healthz {health_s:.3f} s, "
                  f"webhook {webhook_s:.3f} s, RSS {during:.1f} MiB ({'held' if held else 'FAILED'})", flush=True)
    time.sleep(1)
    print(f"  largest webhook flood after which /healthz and the webhook answered within 1 s: {largest}; "
          f"RSS idle {idle_rss:.1f} MiB, after the floods {rss_mib(server.process.pid):.1f} MiB")


def stalled_uploads(server: Vigilante, context: ssl.SSLContext) -> None:
    print("== stalled uploads of the largest body (4 MiB announced, 1 MiB sent, then silence)")
    body_size = 4 * 1024 * 1024
    head = build_request("POST", "/validate", b"x" * body_size)[:-body_size]
    before = rss_mib(server.process.pid)
    answers: dict[str, int] = {}
    sockets = []
    peak = before

    def upload(index: int) -> None:
        try:
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.bind((f"127.0.0.{2 + index // PER_SOURCE}", 0))
            sock.settimeout(10)
            sock.connect(("127.0.0.1", server.webhook_port))
            tls = context.wrap_socket(sock, server_hostname="127.0.0.1")
            sockets.append(tls)
            tls.sendall(head + b" " * (1024 * 1024))
            tls.settimeout(2)
            first = tls.recv(64)
            key = first.split(b"\r\n")[0].decode(errors="replace") if first else "no answer yet (stalled)"
        except (OSError, ssl.SSLError):
            key = "connection ended"
        answers[key] = answers.get(key, 0) + 1

    threads = [threading.Thread(target=upload, args=(i,), daemon=True) for i in range(150)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
        peak = max(peak, rss_mib(server.process.pid))
    healthz_s = timed(lambda: request(server.metrics_port, "GET", "/healthz", timeout=5).status == 200)
    for sock in sockets:
        sock.close()
    time.sleep(2)
    print(f"  150 uploads: {dict(sorted(answers.items()))}")
    print(f"  RSS before {before:.1f} MiB, peak {peak:.1f} MiB, 2 s after they closed "
          f"{rss_mib(server.process.pid):.1f} MiB; /healthz meanwhile {healthz_s:.3f} s")


def endless_list(binary: Path, work: Path) -> None:
    print("== an API server whose node list never ends (the same continue token on every page), 30 s")
    cluster = FakeCluster(work / "cluster", windows=2)
    try:
        cluster.admin("POST", "faults", {"kind": "endless_list", "path": "^/api/v1/nodes", "count": 100000,
                                         "repeatToken": True})
        server = Vigilante(binary, work / "endless", config=healing_config(resync="30s"), tls=False,
                           extra_args=["--kubeconfig", str(cluster.kubeconfig)])
        server.start()
        samples = []
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            samples.append(rss_mib(server.process.pid))
            time.sleep(1)
        lists = len([e for e in cluster.requests() if e["path"].startswith("/api/v1/nodes")])
        failures = metric(scrape(server), "cops_vigilante_snat_resync_failures_total")
        abandoned = [r for r in server.records if r.get("message") == "Node resync failed; trying again later"]
        readyz = request(server.metrics_port, "GET", "/readyz", timeout=5).status
        print(f"  node list requests in 30 s: {lists}; resyncs abandoned and logged: {len(abandoned)} "
              f"(metric {failures}); /readyz {readyz}; RSS {min(samples):.1f} to {max(samples):.1f} MiB; "
              f"first error: {abandoned[0]['metadata']['error'] if abandoned else 'none'}")
        server.stop()
    finally:
        cluster.stop()


def encrypted_key(binary: Path, work: Path) -> None:
    print("== an encrypted private key")
    (work / "pki-encrypted").mkdir()
    pki = make_pki(work / "pki-encrypted")
    encrypted = work / "encrypted.key"
    subprocess.run(["openssl", "pkey", "-in", str(pki.server_a.key_file), "-aes256", "-passout", "pass:x",
                    "-out", str(encrypted)], check=True, capture_output=True)
    conf = work / "encrypted.yaml"
    conf.write_text("tasks:\n  snat:\n    enabled: false\n")
    started = time.monotonic()
    try:
        result = subprocess.run([str(binary), "run", "--config", str(conf), "--cert-file",
                                 str(pki.server_a.cert_file), "--key-file", str(encrypted), "--webhook-port", "0",
                                 "--metrics-port", "0"], capture_output=True, text=True, timeout=20,
                                stdin=subprocess.DEVNULL)
        line = next((l for l in result.stderr.splitlines() if "encrypted private keys are not supported" in l),
                    result.stderr.strip()[-300:])
        print(f"  exit {result.returncode} after {time.monotonic() - started:.2f} s: {line}")
    except subprocess.TimeoutExpired:
        print("  FAILED: still running after 20 s (waiting for a passphrase?)")


def extreme_configuration(binary: Path, work: Path) -> None:
    print("== configuration values that used to overflow")
    for value in ("10000000000000", "9223372036854775807", "1e308"):
        conf = work / "extreme.yaml"
        conf.write_text(f"tls: false\ninterval: {value}\n")
        for args in (["check-config", "--config", str(conf)], ["check-config", "--interval", value]):
            result = subprocess.run([str(binary), *args], capture_output=True, text=True, timeout=20)
            outcome = f"signal {-result.returncode}" if result.returncode < 0 else f"exit {result.returncode}"
            first = (result.stderr.splitlines() or [""])[0]
            print(f"  {' '.join(args[:2])} interval={value}: {outcome}: {first}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--binary", required=True)
    args = parser.parse_args()
    binary = Path(args.binary).resolve()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # the floods need descriptors on this side too
    work = Path(tempfile.mkdtemp(prefix="vigilante-attack-"))
    (work / "pki").mkdir()
    pki = make_pki(work / "pki")
    context = ssl.create_default_context(cafile=str(pki.ca.cert_file))
    server = Vigilante(binary, work / "server", cert=pki.server_a)
    server.start()
    try:
        silent_floods(server, context)
        stalled_uploads(server, context)
        shed = {reason: metric(scrape(server), "cops_vigilante_http_connections_shed_total", listener="webhook",
                               reason=reason) for reason in ("per_client_limit", "idle_evicted", "silent_evicted", "buffer_budget",
                                                             "handshake_timeout", "head_timeout")}
        print(f"  connections shed on the webhook port: {json.dumps(shed)}")
        server.assert_alive()
    finally:
        server.stop()
    endless_list(binary, work)
    encrypted_key(binary, work)
    extreme_configuration(binary, work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
