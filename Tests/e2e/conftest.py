"""Fixtures of the end-to-end tests: the release binary, the development certificates of scripts/gen-certs.sh, the
fake Kubernetes API server, vigilante processes healing it, and API-server-like webhook callers (testkit)."""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterator

import pytest

from testkit.binary import private_binary
from testkit.dev_certs import DevCerts, generate
from testkit.fake_cluster import FakeCluster
from testkit.launcher import Launcher
from testkit.paths import RELEASE_BINARY
from testkit.vigilante import Vigilante
from testkit.webhook_caller import WebhookCaller


@pytest.fixture(scope="session")
def vigilante_bin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private copy of the release binary (VIGILANTE_BIN, else .build-static/release/vigilante)."""
    return private_binary(RELEASE_BINARY, "build it with `bash deploy/check-static-build.sh`",
                          tmp_path_factory.mktemp("bin"))


@pytest.fixture(scope="session")
def dev_certs(tmp_path_factory: pytest.TempPathFactory) -> DevCerts:
    return generate(tmp_path_factory.mktemp("dev-certs"))


def _launcher(binary: Path, certs: DevCerts, factory: pytest.TempPathFactory) -> Launcher:
    return Launcher(binary, factory, cert_file=certs.cert_file, key_file=certs.key_file, ca_file=certs.ca_file)


@pytest.fixture
def launch(vigilante_bin: Path, dev_certs: DevCerts,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., Vigilante]]:
    """Starts vigilante processes with the development certificate (Launcher.start); stopped afterwards."""
    launcher = _launcher(vigilante_bin, dev_certs, tmp_path_factory)
    yield launcher.start
    launcher.stop_all()


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[FakeCluster]:
    """An empty fake API server (its namespaces only) over HTTPS with a token."""
    fake = FakeCluster(tmp_path / "fakeapi")
    yield fake
    fake.stop()


@pytest.fixture
def caller_for(dev_certs: DevCerts) -> Iterator[Callable[[Vigilante], WebhookCaller]]:
    """Makes API-server-like callers of a vigilante's webhook; each is closed afterwards."""
    callers: list[WebhookCaller] = []

    def make(server: Vigilante) -> WebhookCaller:
        caller = WebhookCaller(server.webhook_port, dev_certs.ca_file)
        callers.append(caller)
        return caller

    yield make
    for caller in callers:
        caller.close()


@pytest.fixture(scope="module")
def webhook_only(vigilante_bin: Path, dev_certs: DevCerts,
                 tmp_path_factory: pytest.TempPathFactory) -> Iterator[Vigilante]:
    """One vigilante for a module's tests of the listener alone: the healing task off (no cluster behind it)."""
    launcher = _launcher(vigilante_bin, dev_certs, tmp_path_factory)
    try:
        yield launcher.start()
    finally:
        launcher.stop_all()
