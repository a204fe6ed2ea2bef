"""Starting a fake API server process for a test, and a raw HTTP(S) client that shows exactly what came back.

Readiness is awaited on the --port-file the server writes (atomically) once it listens: no fixed sleeps."""

import http.client
import json
import os
import signal
import ssl
import subprocess
import sys
import time
from dataclasses import dataclass

TESTS_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # .../Tests
_READY_TIMEOUT_SECONDS = 20


class FakeApiProcess:
    """`python3 -m fakeapi` in a child process; `stop()` sends SIGTERM and waits."""

    def __init__(self, workdir: str, args: list[str], tls: bool = True):
        self.port_file = os.path.join(workdir, f"port-{time.monotonic_ns()}")
        self.stderr_path = self.port_file + ".stderr"
        self.tls = tls
        env = dict(os.environ, PYTHONPATH=TESTS_DIR + os.pathsep + os.environ.get("PYTHONPATH", ""))
        self._stderr = open(self.stderr_path, "wb")
        self.process = subprocess.Popen([sys.executable, "-m", "fakeapi", "--port", "0", "--port-file", self.port_file, *args], cwd=TESTS_DIR, env=env, stdout=subprocess.DEVNULL, stderr=self._stderr)
        self.port = self._await_port()

    def _await_port(self) -> int:
        deadline = time.monotonic() + _READY_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if os.path.exists(self.port_file):
                with open(self.port_file, encoding="utf-8") as f:
                    port, marker = f.read().split()
                assert marker == "ready"
                return int(port)
            if self.process.poll() is not None:
                raise RuntimeError(f"fakeapi exited with {self.process.returncode}: {self.stderr()}")
            # The file appears within milliseconds; this only yields the CPU between checks.
            time.sleep(0.01)
        self.stop()
        raise RuntimeError(f"fakeapi did not become ready: {self.stderr()}")

    def stderr(self) -> str:
        with open(self.stderr_path, encoding="utf-8", errors="replace") as f:
            return f.read()

    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._stderr.close()
        return self.process.returncode


@dataclass
class Answer:
    status: int
    headers: dict
    body: bytes

    @property
    def json(self):
        return json.loads(self.body)


def client_context(ca_file: str | None, cert: str | None = None, key: str | None = None) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=ca_file)
    if cert:
        context.load_cert_chain(cert, key)
    return context


class RawClient:
    """One keep-alive connection; reconnects after a dropped one. Bodies that are dicts go out as JSON."""

    def __init__(self, port: int, context: ssl.SSLContext | None = None, token: str | None = None, timeout: float = 30):
        self.port, self.context, self.token, self.timeout = port, context, token, timeout
        self.connection = None

    def _connect(self):
        if self.context is not None:
            return http.client.HTTPSConnection("127.0.0.1", self.port, context=self.context, timeout=self.timeout)
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)

    def request(self, method: str, path: str, body=None, headers: dict | None = None, content_type: str = "application/json") -> Answer:
        headers = dict(headers or {})
        if self.token and "Authorization" not in headers:
            headers["Authorization"] = f"Bearer {self.token}"
        data = None
        if body is not None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            headers.setdefault("Content-Type", content_type)
        if self.connection is None:
            self.connection = self._connect()
        try:
            self.connection.request(method, path, body=data, headers=headers)
            response = self.connection.getresponse()
            payload = response.read()
        except Exception:
            self.close()
            raise
        if response.getheader("Connection", "").lower() == "close":
            self.close()
        return Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, payload)

    def get(self, path: str, **kw) -> Answer:
        return self.request("GET", path, **kw)

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


class Admin:
    """The server's /_admin/ side."""

    def __init__(self, raw: RawClient):
        self.raw = raw

    def _call(self, method: str, path: str, body=None):
        answer = self.raw.request(method, "/_admin/" + path, body)
        assert answer.status < 300, (answer.status, answer.body)
        return json.loads(answer.body) if answer.headers.get("content-type", "").startswith("application/json") else answer.body

    def reset(self):
        return self._call("POST", "reset")

    def state(self) -> dict:
        return self._call("GET", "state")

    def seed(self, nodes) -> dict:
        return self._call("POST", "nodes", nodes)

    def generate(self, linux: int = 0, windows: int = 0, **options) -> dict:
        return self._call("POST", "generate", {"linux": linux, "windows": windows, **options})

    def node(self, name: str) -> dict:
        return self._call("GET", f"nodes/{name}")

    def set_ready(self, name: str, ready) -> dict:
        return self._call("POST", f"nodes/{name}/ready", {"ready": ready})

    def patch_node(self, name: str, patch: dict) -> dict:
        return self._call("PATCH", f"nodes/{name}", patch)

    def kubelet(self, name: str, **profile) -> dict:
        """POST the profile fields given (camelCase, as the admin API names them); without any: GET."""
        if not profile:
            return self._call("GET", f"nodes/{name}/kubelet")
        return self._call("POST", f"nodes/{name}/kubelet", profile)

    def reset_kubelet(self, name: str) -> dict:
        return self._call("DELETE", f"nodes/{name}/kubelet")

    def requests(self, since: int = 0) -> list[dict]:
        return self._call("GET", f"requests?since={since}")["items"]

    def clear_requests(self):
        return self._call("DELETE", "requests")

    def fault(self, **spec) -> dict:
        return self._call("POST", "faults", spec)


# Go serializes every NodeSystemInfo field (none is omitempty); typed clients require them all.
_NODE_INFO = {
    "machineID": "", "systemUUID": "", "bootID": "", "kernelVersion": "10.0.20348.2402", "osImage": "Windows Server 2022 Datacenter",
    "containerRuntimeVersion": "containerd://1.6.21+azure", "kubeletVersion": "v1.29.4", "kubeProxyVersion": "v1.29.4",
    "operatingSystem": "windows", "architecture": "amd64",
}


def node(name: str, labels: dict | None = None, ready: bool = True, annotations: dict | None = None, taints: list | None = None, unschedulable: bool = False) -> dict:
    """A small Node for tests that do not need the realistic generator."""
    spec: dict = {}
    if taints:
        spec["taints"] = taints
    if unschedulable:
        spec["unschedulable"] = True
    return {
        "kind": "Node",
        "apiVersion": "v1",
        "metadata": {"name": name, "labels": {"kubernetes.io/hostname": name, **(labels or {})}, "annotations": dict(annotations or {})},
        "spec": spec,
        "status": {"conditions": [{"type": "Ready", "status": "True" if ready else "False", "reason": "KubeletReady", "message": "", "lastHeartbeatTime": "2025-01-01T00:00:00Z", "lastTransitionTime": "2025-01-01T00:00:00Z"}], "addresses": [{"type": "InternalIP", "address": "10.240.0.4"}], "nodeInfo": _NODE_INFO},
    }


def windows_node(name: str, **kw) -> dict:
    return node(name, {"kubernetes.io/os": "windows", "agentpool": "win"}, **kw)


def pod(name: str, node_name: str | None = None, labels: dict | None = None, grace: int | None = None, selector: dict | None = None, tolerations: list | None = None) -> dict:
    spec: dict = {"containers": [{"name": "pause-container", "image": "mcr.microsoft.com/oss/kubernetes/pause:3.6"}]}
    if tolerations is not None:
        spec["tolerations"] = tolerations
    if node_name:
        spec["nodeName"] = node_name
    if selector:
        spec["nodeSelector"] = selector
    if grace is not None:
        spec["terminationGracePeriodSeconds"] = grace
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "labels": dict(labels or {})}, "spec": spec}
