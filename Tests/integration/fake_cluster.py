"""The fake Kubernetes API server (Tests/fakeapi) as a fixture of the integration tests: started over HTTPS
with throw-away certificates and a token, a kubeconfig for vigilante, and the admin API to seed and inspect."""
from __future__ import annotations

import json
import os
import signal
import ssl
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

TESTS_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(TESTS_DIR))

from fakeapi import kubeconfig as fake_kubeconfig  # noqa: E402
from fakeapi import pki as fake_pki  # noqa: E402

TOKEN = "integration-token"

# What vigilante writes on a node (names kept from v1.2.1, and the window start of this version).
HEALED = "cops-vigilante-snat-node-healed"
STARTED = "cops-vigilante-snat-healing-started-at"


def healing_config(window: str = "6s", interval: str = "1s", resync: str = "30s", **snat) -> dict:
    """conf.yaml of a vigilante that heals with demo durations (unsafe_allow_short_intervals); `snat` adds keys of
    tasks.snat."""
    return {"interval": interval, "unsafe_allow_short_intervals": True,
            "tasks": {"snat": {"enabled": True, "healing_duration": window, "resync_interval": resync, **snat}}}


class FakeCluster:
    def __init__(self, workdir: Path, *, windows: int = 0, linux: int = 0, grace_scale: float = 0.01):
        self.workdir = workdir
        workdir.mkdir(parents=True, exist_ok=True)
        self.pki = fake_pki.make_pki(str(workdir / "pki"))
        port_file = workdir / "port"
        args = [sys.executable, "-m", "fakeapi", "--port", "0", "--port-file", str(port_file),
                "--cert", self.pki.server_cert, "--key", self.pki.server_key, "--token", TOKEN,
                "--grace-scale", str(grace_scale)]
        if windows:
            args += ["--generate-windows", str(windows)]
        if linux:
            args += ["--generate-linux", str(linux)]
        env = dict(os.environ, PYTHONPATH=str(TESTS_DIR))
        self.process = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 30
        while not port_file.exists():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"fakeapi did not start: {self.process.stderr.read().decode() if self.process.stderr else ''}")
            time.sleep(0.05)
        self.port = int(port_file.read_text().split()[0])
        self.server = f"https://127.0.0.1:{self.port}"
        self.kubeconfig = Path(fake_kubeconfig.write(str(workdir / "kubeconfig"), self.server, ca_file=self.pki.ca_cert,
                                                     token=TOKEN))
        self._context = ssl.create_default_context(cafile=self.pki.ca_cert)

    def admin(self, method: str, path: str, body: object | None = None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(f"{self.server}/_admin/{path}", data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, context=self._context, timeout=10) as response:
            text = response.read().decode()
        return json.loads(text) if text and text[0] in "[{" else text

    def state(self) -> dict:
        return self.admin("GET", "state")

    def node(self, name: str) -> dict:
        return self.admin("GET", f"nodes/{name}")

    def annotations(self, name: str) -> dict:
        return self.node(name).get("metadata", {}).get("annotations") or {}

    def probe_pods(self) -> list[dict]:
        return [p for p in self.state()["pods"]
                if (p["metadata"].get("labels") or {}).get("app.kubernetes.io/component") == "snat-healer"]

    def requests(self) -> list[dict]:
        return self.admin("GET", "requests")["items"]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()


def windows_node(name: str, ready: bool) -> dict:
    """A Windows node as the kubelet registers it, with the uid the API server gives it (stable per name, so the
    object in a review and the one stored in the fake are the same node; Events about it carry that uid, which
    `kubectl describe node` selects them by)."""
    return {
        "apiVersion": "v1", "kind": "Node",
        "metadata": {"name": name, "uid": str(uuid.uuid5(uuid.NAMESPACE_DNS, f"{name}.nodes.fake-cluster")),
                     "labels": {"kubernetes.io/os": "windows", "kubernetes.io/hostname": name,
                                "kubernetes.io/arch": "amd64", "agentpool": "win"}},
        "spec": {"providerID": f"azure:///subscriptions/0/resourceGroups/mc/providers/Microsoft.Compute/virtualMachineScaleSets/akswin/virtualMachines/{name[-1]}"},
        "status": {"conditions": [{"type": "Ready", "status": "True" if ready else "False",
                                   "reason": "KubeletReady" if ready else "KubeletNotReady"}],
                   "nodeInfo": {"operatingSystem": "windows", "architecture": "amd64"}},
    }


def admission_review(operation: str, node: dict, old: dict | None = None, sub_resource: str | None = None,
                     uid: str = "b1c4a2f0-0000-4000-8000-000000000001", dry_run: bool = False) -> dict:
    """The AdmissionReview the API server sends for a Node change."""
    request = {
        "uid": uid, "kind": {"group": "", "version": "v1", "kind": "Node"},
        "resource": {"group": "", "version": "v1", "resource": "nodes"},
        "requestKind": {"group": "", "version": "v1", "kind": "Node"},
        "requestResource": {"group": "", "version": "v1", "resource": "nodes"},
        "name": node["metadata"]["name"], "operation": operation,
        "userInfo": {"username": f"system:node:{node['metadata']['name']}", "groups": ["system:nodes"]},
        "object": node if operation != "DELETE" else None, "oldObject": old, "dryRun": dry_run,
        "options": {"kind": f"{operation.capitalize()}Options", "apiVersion": "meta.k8s.io/v1"},
    }
    if sub_resource:
        request["subResource"] = sub_resource
        request["requestSubResource"] = sub_resource
    return {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": request}


def wait_for(description: str, condition, timeout: float = 30.0, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {description}")
        time.sleep(interval)
