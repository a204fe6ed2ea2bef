"""Fixtures of the end-to-end tests: the release binary, the development certificates of scripts/gen-certs.sh, the
fake Kubernetes API server, vigilante processes healing it, and API-server-like webhook callers.

The process and cluster helpers are those of Tests/integration (imported, not copied)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Callable, Iterator

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "integration"))

from dev_certs import DevCerts, generate  # noqa: E402
from fake_cluster import FakeCluster  # noqa: E402
from integration_support import MAX_BODY_BYTES, REPO_ROOT, Vigilante, private_binary  # noqa: E402
from launcher import Launcher  # noqa: E402
from webhook_caller import WebhookCaller  # noqa: E402

# What the container image ships: a release build with the Swift runtime linked in.
RELEASE_BINARY = REPO_ROOT / ".build-static" / "release" / "vigilante"


@pytest.fixture(scope="session")
def vigilante_bin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private copy of the release binary (VIGILANTE_BIN, else .build-static/release/vigilante)."""
    return private_binary(RELEASE_BINARY, "build it with `bash deploy/check-static-build.sh`",
                          tmp_path_factory.mktemp("bin"))


@pytest.fixture(scope="session")
def dev_certs(tmp_path_factory: pytest.TempPathFactory) -> DevCerts:
    return generate(tmp_path_factory.mktemp("dev-certs"))


@pytest.fixture
def launch(vigilante_bin: Path, dev_certs: DevCerts,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., Vigilante]]:
    launcher = Launcher(vigilante_bin, dev_certs, tmp_path_factory)
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
    launcher = Launcher(vigilante_bin, dev_certs, tmp_path_factory)
    try:
        yield launcher.start()
    finally:
        launcher.stop_all()


@pytest.fixture(scope="module")
def healing_webhook(vigilante_bin: Path, dev_certs: DevCerts,
                    tmp_path_factory: pytest.TempPathFactory) -> Iterator[Vigilante]:
    """One vigilante as it runs in a cluster (healing on, against a fake API server) for a module's admission
    tests, with webhook.max_body_bytes MAX_BODY_BYTES (small, so that 413 is cheap to reach)."""
    fake = FakeCluster(tmp_path_factory.mktemp("fakeapi"))
    launcher = Launcher(vigilante_bin, dev_certs, tmp_path_factory)
    try:
        yield launcher.start(fake, {"webhook": {"max_body_bytes": MAX_BODY_BYTES}})
    finally:
        launcher.stop_all()
        fake.stop()
