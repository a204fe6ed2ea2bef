"""The fake Kubernetes API server (Tests/fakeapi) as a subprocess: started over HTTPS with throw-away certificates
and a token, a kubeconfig for vigilante, and the admin API to seed, inspect and inject faults."""

from __future__ import annotations

import json
import signal
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from fakeapi import kubeconfig as fake_kubeconfig
from fakeapi import pki as fake_pki

TOKEN = "integration-token"
START_TIMEOUT = 30.0


# FakeCluster.kubelet(node, sandbox_delay_ms=..., retry_ms=...) names -> the admin API's profile fields.
_PROFILE_FIELDS = {"sandbox_delay_ms": "sandboxDelayMs", "retry_ms": "retryMs", "sandbox": "sandbox", "image": "image"}


class FakeCluster:
    """sandbox_delay_ms: how long every kubelet takes to give a bound pod its sandbox and IP (--sandbox-delay-ms;
    0, the default, is at once: a created pod answers Running). Per node, see `kubelet`."""

    def __init__(self, workdir: Path, *, windows: int = 0, linux: int = 0, grace_scale: float = 0.01,
                 sandbox_delay_ms: int = 0):
        self.workdir = workdir
        workdir.mkdir(parents=True, exist_ok=True)
        self.pki = fake_pki.make_pki(str(workdir / "pki"))
        port_file = workdir / "port"
        # The same interpreter: its site-packages hold the .pth of scripts/setup.sh that makes fakeapi importable.
        args = [sys.executable, "-m", "fakeapi", "--port", "0", "--port-file", str(port_file),
                "--cert", self.pki.server_cert, "--key", self.pki.server_key, "--token", TOKEN,
                "--grace-scale", str(grace_scale)]
        if windows:
            args += ["--generate-windows", str(windows)]
        if linux:
            args += ["--generate-linux", str(linux)]
        if sandbox_delay_ms:
            args += ["--sandbox-delay-ms", str(int(sandbox_delay_ms))]
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        # The port file appears (renamed into place) once the server accepts requests.
        deadline = time.monotonic() + START_TIMEOUT
        while not port_file.exists():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.process.kill()
                raise AssertionError(f"fakeapi did not start within {START_TIMEOUT} s: "
                                     f"{self.process.stderr.read().decode() if self.process.stderr else ''}")
            time.sleep(0.05)
        self.port = int(port_file.read_text().split()[0])
        self.server = f"https://127.0.0.1:{self.port}"
        self.kubeconfig = Path(fake_kubeconfig.write(str(workdir / "kubeconfig"), self.server,
                                                     ca_file=self.pki.ca_cert, token=TOKEN))
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

    def api_get(self, path: str) -> dict | None:
        """GET an object through the Kubernetes API, as a client with the cluster's token; None on 404."""
        request = urllib.request.Request(f"{self.server}{path}", headers={"Authorization": f"Bearer {TOKEN}"})
        try:
            with urllib.request.urlopen(request, context=self._context, timeout=10) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as error:
            if error.code == 404:
                return None
            raise

    def api_post(self, path: str, body: dict) -> dict:
        """POST an object through the Kubernetes API, as a client with the cluster's token."""
        request = urllib.request.Request(f"{self.server}{path}", data=json.dumps(body).encode(), method="POST",
                                         headers={"Authorization": f"Bearer {TOKEN}",
                                                  "Content-Type": "application/json"})
        with urllib.request.urlopen(request, context=self._context, timeout=10) as response:
            return json.loads(response.read())

    def api_delete(self, path: str) -> dict:
        """DELETE an object through the Kubernetes API, as a client with the cluster's token."""
        request = urllib.request.Request(f"{self.server}{path}", method="DELETE",
                                         headers={"Authorization": f"Bearer {TOKEN}"})
        with urllib.request.urlopen(request, context=self._context, timeout=10) as response:
            return json.loads(response.read())

    def lease(self, name: str = "cops-vigilante", namespace: str = "kube-system") -> dict | None:
        """The coordination.k8s.io/v1 Lease, or None."""
        return self.api_get(f"/apis/coordination.k8s.io/v1/namespaces/{namespace}/leases/{name}")

    def lease_holder(self, name: str = "cops-vigilante", namespace: str = "kube-system") -> str:
        lease = self.lease(name, namespace)
        return ((lease or {}).get("spec") or {}).get("holderIdentity") or ""

    def node(self, name: str) -> dict:
        return self.admin("GET", f"nodes/{name}")

    def annotations(self, name: str) -> dict:
        return self.node(name).get("metadata", {}).get("annotations") or {}

    def probe_pods(self) -> list[dict]:
        return [p for p in self.state()["pods"]
                if (p["metadata"].get("labels") or {}).get("app.kubernetes.io/component") == "snat-healer"]

    def requests(self) -> list[dict]:
        return self.admin("GET", "requests")["items"]

    def pod(self, name: str, namespace: str = "kube-system") -> dict | None:
        """A pod as stored now (None when there is none), terminating ones included."""
        return next((p for p in self.state()["pods"]
                     if p["metadata"]["name"] == name and p["metadata"]["namespace"] == namespace), None)

    def pod_events(self, uid: str) -> list[dict]:
        """core/v1 Events about the pod with this uid (the scheduler's and the kubelet's)."""
        return [e for e in self.state()["events"] if (e.get("involvedObject") or {}).get("uid") == uid]

    # --- nodes: taints, cordon, kubelet ---------------------------------------------------------------------
    def _spec_patch(self, name: str, spec: dict) -> dict:
        return self.admin("PATCH", f"nodes/{name}", {"spec": spec})

    def taint(self, node: str, key: str, value: str | None = None, effect: str = "NoSchedule") -> dict:
        """Add (or replace) the taint key[=value]:effect, as `kubectl taint nodes <node> key=value:effect`."""
        taints = [t for t in self.node(node).get("spec", {}).get("taints") or []
                  if not (t.get("key") == key and t.get("effect") == effect)]
        taint = {"key": key, "effect": effect}
        if value:
            taint["value"] = value
        return self._spec_patch(node, {"taints": taints + [taint]})

    def untaint(self, node: str, key: str, effect: str | None = None) -> dict:
        """Remove the node's taints with this key (of every effect, or only `effect`), as `kubectl taint ... key-`."""
        taints = [t for t in self.node(node).get("spec", {}).get("taints") or []
                  if not (t.get("key") == key and (effect is None or t.get("effect") == effect))]
        return self._spec_patch(node, {"taints": taints or None})

    def cordon(self, node: str) -> dict:
        return self._spec_patch(node, {"unschedulable": True})

    def uncordon(self, node: str) -> dict:
        return self._spec_patch(node, {"unschedulable": None})

    def set_ready(self, node: str, ready: bool | str = True) -> dict:
        """Ready True/False/"Unknown", with the taints the node lifecycle controller sets for it."""
        return self.admin("POST", f"nodes/{node}/ready", {"ready": ready})

    def kubelet(self, node: str, **profile) -> dict:
        """Set fields of the node's kubelet profile and answer the whole profile, e.g.
        kubelet("akswin000000", sandbox="fail"), kubelet(n, sandbox_delay_ms=5000), kubelet(n, image="fail",
        retry_ms=500). camelCase names (sandboxDelayMs) work too. Without fields: the profile in force."""
        if not profile:
            return self.admin("GET", f"nodes/{node}/kubelet")
        body = {_PROFILE_FIELDS.get(k, k): v for k, v in profile.items()}
        return self.admin("POST", f"nodes/{node}/kubelet", body)

    def reset_kubelet(self, node: str) -> dict:
        """Back to the default profile (--sandbox-delay-ms, sandbox and image ok)."""
        return self.admin("DELETE", f"nodes/{node}/kubelet")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
