"""Starts the release binary as the e2e tests run it: the development certificate on the webhook, and with a fake
cluster, healing on with demo durations."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dev_certs import DevCerts
from fake_cluster import FakeCluster, healing_config
from integration_support import Vigilante, merge, request, wait_until


class Launcher:
    """Starts `vigilante run` processes with the development certificate and stops them all at the end.

    With a cluster, healing is on (demo durations, see fake_cluster.healing_config) and the kubeconfig is passed
    with --kubeconfig, or written to ~/.kube/config (HOME is the process's own directory) when
    `kubeconfig_in_home`; without one, the healing task is off. `start` returns once /readyz answers 200, which
    with a cluster means the first node resync is done."""

    def __init__(self, binary: Path, certs: DevCerts, factory: pytest.TempPathFactory):
        self.binary, self.certs, self.factory = binary, certs, factory
        self.started: list[Vigilante] = []

    def start(self, cluster: FakeCluster | None = None, config: dict | None = None, *,
              cert_file: Path | None = None, key_file: Path | None = None,
              kubeconfig_in_home: bool = False) -> Vigilante:
        workdir = self.factory.mktemp("vigilante")
        extra_args: list[str] = []
        if cluster is not None:
            config = merge(healing_config(resync="5m"), config or {})
            if kubeconfig_in_home:
                (workdir / ".kube").mkdir()
                shutil.copyfile(cluster.kubeconfig, workdir / ".kube" / "config")
            else:
                extra_args = ["--kubeconfig", str(cluster.kubeconfig)]
        server = Vigilante(self.binary, workdir, config=config, cert_file=cert_file or self.certs.cert_file,
                           key_file=key_file or self.certs.key_file, extra_args=extra_args)
        self.started.append(server)
        server.start()
        try:
            wait_until(lambda: server.alive() and request(server.metrics_port, "GET", "/readyz").status == 200,
                       timeout=30, interval=0.1, message="/readyz 200")
        except AssertionError as error:
            server.stop()
            raise AssertionError(f"{error}; exit status {server.process.poll()}; log:\n{server.log_text()}") from None
        return server

    def stop_all(self) -> None:
        for server in self.started:
            server.stop()
