"""Starts vigilante processes the way the suites run them: a default serving certificate on the webhook, and with a
fake cluster, healing on with demo durations; stops them all at the end."""

from __future__ import annotations

import shutil
import ssl
from dataclasses import dataclass
from pathlib import Path

import pytest

from testkit.config import healing_config, merge
from testkit.fake_cluster import FakeCluster
from testkit.raw_http import request
from testkit.vigilante import Vigilante
from testkit.waiting import wait_until

READY_TIMEOUT = 30.0


class Launcher:
    """Starts `vigilante run` processes and stops them all at the end.

    The webhook serves cert_file/key_file (verified against ca_file) unless the test gives a certificate or turns
    TLS off (`tls=False`, or `tls=None` to leave it to the configuration). With a cluster, healing is on (demo
    durations, config.healing_config, with the resync 5 minutes away unless the test sets it, so that what happens
    comes from the callbacks) and the kubeconfig is passed with --kubeconfig, or written to ~/.kube/config (HOME is
    the process's own directory) when `kubeconfig_in_home`. `start` returns once /readyz answers 200 (with a
    cluster: the first node resync is done), or as soon as both listeners are announced when `ready=False`. Other
    keyword arguments are those of Vigilante."""

    @dataclass(frozen=True)
    class Certificate:
        """The webhook's default serving certificate, and the CA that clients verify it against."""
        cert_file: Path
        key_file: Path
        ca_file: Path

    def __init__(self, binary: Path, factory: pytest.TempPathFactory, certificate: "Launcher.Certificate"):
        self.binary, self.factory = binary, factory
        self.cert_file, self.key_file, self.ca_file = certificate.cert_file, certificate.key_file, certificate.ca_file
        self.started: list[Vigilante] = []

    def start(self, cluster: FakeCluster | None = None, config: dict | None = None, *,
              kubeconfig_in_home: bool = False, ready: bool = True, **kwargs) -> Vigilante:
        workdir = self.factory.mktemp("vigilante")
        extra_args = list(kwargs.pop("extra_args", ()))
        if cluster is not None:
            config = merge(healing_config(resync="5m"), config or {})
            if kubeconfig_in_home:
                (workdir / ".kube").mkdir()
                shutil.copyfile(cluster.kubeconfig, workdir / ".kube" / "config")
            else:
                extra_args += ["--kubeconfig", str(cluster.kubeconfig)]
        if kwargs.get("tls", True) is True and not any(kwargs.get(k) for k in ("cert", "cert_file", "key_file")):
            kwargs["cert_file"], kwargs["key_file"] = self.cert_file, self.key_file
        server = Vigilante(self.binary, workdir, config=config, extra_args=extra_args, **kwargs)
        self.started.append(server)
        server.start()
        if ready:
            self.wait_ready(server)
        return server

    def readyz(self, server: Vigilante) -> int:
        """The status of GET /readyz on the metrics listener (over HTTPS when it serves HTTPS)."""
        context = ssl.create_default_context(cafile=str(self.ca_file)) if server.metrics_scheme == "https" else None
        return request(server.metrics_port, "GET", "/readyz", context=context).status

    def wait_ready(self, server: Vigilante, timeout: float = READY_TIMEOUT) -> None:
        try:
            wait_until(lambda: server.alive() and self.readyz(server) == 200, timeout=timeout, message="/readyz 200")
        except AssertionError as error:
            server.stop()
            raise AssertionError(f"{error}; exit status {server.process.poll()}; log:\n{server.log_text()}") from None

    def stop_all(self) -> None:
        for server in self.started:
            server.stop()
