"""Fixtures of the end-to-end tests: the release binary, the development certificates of scripts/gen-certs.sh, the
fake Kubernetes API server, vigilante processes healing it, and API-server-like webhook callers (testkit)."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

from testkit.binary import private_binary
from testkit.dev_certs import DevCerts, generate
from testkit.fixtures import caller_for, cluster, launch  # noqa: F401 (fixtures)
from testkit.launcher import Launcher
from testkit.paths import RELEASE_BINARY
from testkit.vigilante import Vigilante


@pytest.fixture(scope="session")
def vigilante_bin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private copy of the release binary (VIGILANTE_BIN, else .build-static/release/vigilante)."""
    return private_binary(RELEASE_BINARY, "build it with `bash deploy/check-static-build.sh`",
                          tmp_path_factory.mktemp("bin"))


@pytest.fixture(scope="session")
def dev_certs(tmp_path_factory: pytest.TempPathFactory) -> DevCerts:
    return generate(tmp_path_factory.mktemp("dev-certs"))


@pytest.fixture(scope="session")
def serving_certificate(dev_certs: DevCerts) -> Launcher.Certificate:
    """The webhook's default certificate in this suite: the development certificate of scripts/gen-certs.sh."""
    return Launcher.Certificate(dev_certs.cert_file, dev_certs.key_file, dev_certs.ca_file)


@pytest.fixture(scope="module")
def webhook_only(vigilante_bin: Path, serving_certificate: Launcher.Certificate,
                 tmp_path_factory: pytest.TempPathFactory) -> Iterator[Vigilante]:
    """One vigilante for a module's tests of the listener alone: the healing task off (no cluster behind it)."""
    launcher = Launcher(vigilante_bin, tmp_path_factory, serving_certificate)
    try:
        yield launcher.start()
    finally:
        launcher.stop_all()
