"""A real Prometheus (Debian's `prometheus`) for the e2e suite and the demo's plots: it scrapes vigilante's metrics
listener(s) every second, with its data in a directory of its own, and answers PromQL through its HTTP API."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import urllib.parse
import urllib.request
from pathlib import Path

JOB = "cops-vigilante"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Prometheus:
    """`prometheus` scraping one target (or several ports) every second, with its data in a temporary directory."""

    def __init__(self, workdir: Path, target_port: int | list[int]):
        ports = target_port if isinstance(target_port, list) else [target_port]
        workdir.mkdir(parents=True, exist_ok=True)
        binary = shutil.which("prometheus")
        if binary is None:
            raise RuntimeError("prometheus is not installed (Debian package prometheus; scripts/setup.sh installs it)")
        config = workdir / "prometheus.yml"
        config.write_text(json.dumps({  # JSON is YAML
            "global": {"scrape_interval": "1s", "scrape_timeout": "1s", "evaluation_interval": "1s"},
            "scrape_configs": [{"job_name": JOB, "static_configs": [{"targets": [f"127.0.0.1:{port}" for port in ports]}]}],
        }))
        self.port = free_port()
        self.log = open(workdir / "prometheus.log", "wb")
        self.process = subprocess.Popen(
            [binary, f"--config.file={config}", f"--storage.tsdb.path={workdir / 'data'}",
             f"--web.listen-address=127.0.0.1:{self.port}", "--log.level=warn"],
            stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT, cwd=workdir)
        self.workdir = workdir

    def api(self, path: str, **params: str):
        url = f"http://127.0.0.1:{self.port}/api/v1/{path}"
        if params:
            url += "?" + urllib.parse.urlencode(params)
        with urllib.request.urlopen(url, timeout=5) as response:
            document = json.loads(response.read())
        assert document["status"] == "success", document
        return document["data"]

    def query(self, expression: str) -> list[dict]:
        return self.api("query", query=expression)["result"]

    def query_range(self, expression: str, start: float, end: float, step: str = "1") -> list[dict]:
        return self.api("query_range", query=expression, start=str(start), end=str(end), step=step)["result"]

    def ready(self) -> bool:
        assert self.process.poll() is None, f"prometheus exited: {(self.workdir / 'prometheus.log').read_text()}"
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/-/ready", timeout=2) as response:
                return response.status == 200
        except OSError:
            return False

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self.log.close()
