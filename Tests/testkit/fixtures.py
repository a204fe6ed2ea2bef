"""The pytest fixtures both black-box suites use, imported into each suite's conftest.py. A suite says which
serving certificate its processes get by defining the fixture `serving_certificate` (a `Launcher.Certificate`),
and which binary by defining `vigilante_bin`."""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterator

import pytest

from testkit.fake_cluster import FakeCluster
from testkit.launcher import Launcher
from testkit.vigilante import Vigilante
from testkit.webhook_caller import WebhookCaller


@pytest.fixture
def launch(vigilante_bin: Path, serving_certificate: Launcher.Certificate,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., Vigilante]]:
    """Starts vigilante processes for one test (Launcher.start: the suite's serving certificate unless told
    otherwise; a fake cluster as first argument turns healing on); each is stopped afterwards."""
    launcher = Launcher(vigilante_bin, tmp_path_factory, serving_certificate)
    yield launcher.start
    launcher.stop_all()


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[FakeCluster]:
    """An empty fake API server (its namespaces only) over HTTPS with a token."""
    fake = FakeCluster(tmp_path / "fakeapi")
    yield fake
    fake.stop()


@pytest.fixture
def caller_for(serving_certificate: Launcher.Certificate) -> Iterator[Callable[[Vigilante], WebhookCaller]]:
    """Makes API-server-like callers of a vigilante's webhook (verifying the suite's CA); each is closed
    afterwards."""
    callers: list[WebhookCaller] = []

    def make(server: Vigilante) -> WebhookCaller:
        caller = WebhookCaller(server.webhook_port, serving_certificate.ca_file)
        callers.append(caller)
        return caller

    yield make
    for caller in callers:
        caller.close()
