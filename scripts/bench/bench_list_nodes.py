"""The node-list benchmark: `vigilante nodes --quiet --chunk-size 500` (the product's libcurl client) against
`kubectl get nodes -o name --chunk-size=500`, both listing the same 5,000 generated AKS Linux nodes (13-15 KB of
JSON each, as the fixtures) from one fake API server over HTTPS with a token, in interleaved rounds.

Each run is one child process: wall time from spawn to exit, peak RSS and CPU time from GNU time. The fake's
request log gives the time the server itself spent answering each run (the same for both clients), so the client's
own share is visible. kubectl keeps its discovery cache in a directory warmed before the rounds, its best case.
Run through `scripts/bench.sh nodes`; figures are printed, never asserted."""
import argparse
import json
import shutil
import ssl
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from fakeapi import kubeconfig  # the fake's own kubeconfig writer

TOKEN = "bench-token"


def start_fake(directory: Path, nodes: int) -> tuple[subprocess.Popen, int]:
    # The same interpreter: its site-packages hold the .pth of scripts/setup.sh that makes fakeapi importable.
    subprocess.run([sys.executable, "-m", "fakeapi.pki", str(directory)], check=True, capture_output=True)
    port_file = directory / "port"
    process = subprocess.Popen(
        [sys.executable, "-m", "fakeapi", "--port", "0", "--port-file", str(port_file), "--cert",
         str(directory / "server.crt"), "--key", str(directory / "server.key"), "--token", TOKEN,
         "--generate-linux", str(nodes), "--log-capacity", "1000"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 300  # generating 5,000 nodes takes a few seconds
    while time.monotonic() < deadline:
        if port_file.exists():
            port, marker = port_file.read_text().split()
            if marker == "ready":
                return process, int(port)
        if process.poll() is not None:
            sys.exit(f"bench: fakeapi exited: {process.stderr.read()}")
        time.sleep(0.05)  # only yields between checks of the readiness file
    process.kill()
    sys.exit("bench: fakeapi did not become ready")


class Admin:
    def __init__(self, port: int, ca: Path):
        self.base = f"https://127.0.0.1:{port}/_admin"
        self.context = ssl.create_default_context(cafile=str(ca))

    def call(self, method: str, path: str):
        request = urllib.request.Request(f"{self.base}/{path}", method=method)
        with urllib.request.urlopen(request, context=self.context) as answer:
            return json.loads(answer.read() or b"null")

    def server_seconds(self) -> tuple[float, int]:
        """Time the fake spent answering the list requests since the log was cleared, and how many there were."""
        items = [e for e in self.call("GET", "requests")["items"] if e["path"].startswith("/api/v1/nodes")]
        return sum(e["durationMs"] or 0 for e in items) / 1000, len(items)


def measure(command: list[str], expected_nodes: int, is_kubectl: bool) -> dict:
    """Runs `command` under GNU time: peak RSS must come from a small parent, because Linux counts the memory a
    child had before exec (a fork of this Python process, holding the fake's state) in its ru_maxrss."""
    with tempfile.TemporaryFile() as output, tempfile.NamedTemporaryFile("r") as usage:
        started = time.monotonic()
        process = subprocess.run(["/usr/bin/time", "-f", "%M %U %S", "-o", usage.name, *command], stdout=output,
                                 stderr=subprocess.PIPE)
        wall = time.monotonic() - started
        if process.returncode != 0:
            sys.exit(f"bench: {' '.join(command)} failed: {process.stderr.decode(errors='replace')}")
        max_rss_kib, user, system = usage.read().split()[-3:]
        output.seek(0)
        text = output.read().decode()
    count = len(text.splitlines()) if is_kubectl else int(text.split()[0])
    if count != expected_nodes:
        sys.exit(f"bench: {command[0]} listed {count} nodes, expected {expected_nodes}")
    return {"wall": wall, "rss_mib": int(max_rss_kib) / 1024, "cpu": float(user) + float(system)}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--binary", required=True, help="the vigilante binary (release build)")
    p.add_argument("--kubectl", default=shutil.which("kubectl") or "kubectl")
    p.add_argument("--nodes", type=int, default=5000)
    p.add_argument("--chunk-size", type=int, default=500)
    p.add_argument("--rounds", type=int, default=7)
    a = p.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-nodes-") as scratch:
        directory = Path(scratch)
        print(f"bench: starting the fake API server with {a.nodes} generated Linux nodes ...", flush=True)
        fake, port = start_fake(directory, a.nodes)
        try:
            config = kubeconfig.write(str(directory / "kubeconfig"), f"https://127.0.0.1:{port}",
                                      ca_file=str(directory / "ca.crt"), token=TOKEN)
            admin = Admin(port, directory / "ca.crt")
            cache = directory / "kubectl-cache"
            tools = {
                "vigilante": ([a.binary, "nodes", "--quiet", "--kubeconfig", config, "--chunk-size",
                               str(a.chunk_size)], False),
                "kubectl": ([a.kubectl, "--kubeconfig", config, "--cache-dir", str(cache), "get", "nodes", "-o",
                             "name", f"--chunk-size={a.chunk_size}"], True),
            }
            print("bench: warming up (kubectl discovery cache, the fake's caches) ...", flush=True)
            admin.call("DELETE", "requests")
            for command, is_kubectl in tools.values():
                measure(command, a.nodes, is_kubectl)
            pages = [e for e in admin.call("GET", "requests")["items"] if e["path"].startswith("/api/v1/nodes")]
            print(f"bench: {a.nodes} nodes, {statistics.mean(e['responseBytes'] for e in pages) / 1e6:.1f} MB of "
                  f"JSON per page of {a.chunk_size}", flush=True)

            results = {name: [] for name in tools}
            for round_number in range(a.rounds):
                # Alternate the order so that neither tool always runs right after the other.
                order = list(tools) if round_number % 2 == 0 else list(reversed(tools))
                for name in order:
                    command, is_kubectl = tools[name]
                    admin.call("DELETE", "requests")
                    run = measure(command, a.nodes, is_kubectl)
                    run["server"], run["requests"] = admin.server_seconds()
                    results[name].append(run)
                    print(f"  round {round_number + 1} {name:9} {run['wall']:6.3f} s  {run['rss_mib']:6.1f} MiB  "
                          f"cpu {run['cpu']:5.2f} s  server {run['server']:5.2f} s ({run['requests']} requests)",
                          flush=True)
        finally:
            fake.terminate()
            try:
                fake.wait(10)
            except subprocess.TimeoutExpired:
                fake.kill()

    print(f"\nmedians of {a.rounds} rounds, {a.nodes} nodes, chunk size {a.chunk_size}:")
    print(f"  {'client':10} {'wall s':>8} {'peak RSS MiB':>13} {'CPU s':>7} {'server s':>9} {'client share s':>15}")
    medians = {}
    for name, runs in results.items():
        m = {key: statistics.median(r[key] for r in runs) for key in ("wall", "rss_mib", "cpu", "server")}
        medians[name] = m
        print(f"  {name:10} {m['wall']:8.3f} {m['rss_mib']:13.1f} {m['cpu']:7.2f} {m['server']:9.2f} "
              f"{m['wall'] - m['server']:15.3f}")
    ours, theirs = medians["vigilante"], medians["kubectl"]
    print(f"\n  vigilante wall time is {ours['wall'] / theirs['wall']:.2f}x kubectl's "
          f"(targets: faster than kubectl, peak RSS below 100 MiB: "
          f"{'met' if ours['wall'] < theirs['wall'] and ours['rss_mib'] < 100 else 'NOT met'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
