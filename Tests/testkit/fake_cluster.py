"""The fake Kubernetes API server (Tests/fakeapi) as a subprocess: started over HTTPS with throw-away certificates
and a token, a kubeconfig for vigilante, and the admin API to seed, inspect and inject faults."""

from __future__ import annotations

import json
import signal
import ssl
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from fakeapi import kubeconfig as fake_kubeconfig
from fakeapi import pki as fake_pki

TOKEN = "integration-token"
START_TIMEOUT = 30.0


class FakeCluster:
    def __init__(self, workdir: Path, *, windows: int = 0, linux: int = 0, grace_scale: float = 0.01):
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
