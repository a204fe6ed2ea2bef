"""Fixtures of the black-box tests: a private copy of the vigilante binary, test certificates, vigilante processes
listening on ports picked by the kernel, the fake Kubernetes API server, and API-server-like webhook callers."""

from __future__ import annotations

import resource
from pathlib import Path
from typing import Iterator

import pytest

from testkit.binary import private_binary
from testkit.config import MAX_BODY_BYTES
from testkit.fake_cluster import FakeCluster
from testkit.fixtures import caller_for, cluster, launch  # noqa: F401 (fixtures)
from testkit.launcher import Launcher
from testkit.paths import DEBUG_BINARY
from testkit.pki import PKI, make_pki
from testkit.vigilante import Vigilante

# Raised once for the whole session: some tests hold a thousand or more connections open.
_soft, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
_wanted = 8192 if _hard == resource.RLIM_INFINITY else min(_hard, 8192)
if _soft != resource.RLIM_INFINITY and _soft < _wanted:
    resource.setrlimit(resource.RLIMIT_NOFILE, (_wanted, _hard))


@pytest.fixture(scope="session")
def vigilante_bin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the binary under test (VIGILANTE_BIN, else .build/debug/vigilante), so that a rebuild during the
    session changes nothing."""
    return private_binary(DEBUG_BINARY, "run `swift build` (or `bash deploy/check-static-build.sh` for the release "
                          "binary)", tmp_path_factory.mktemp("bin"))


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> PKI:
    """CAs and certificates made for this session; keys live only in the session's temporary directory."""
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture(scope="session")
def serving_certificate(pki: PKI) -> Launcher.Certificate:
    """The webhook's default certificate in this suite: the ECDSA certificate A of the session's CA."""
    return Launcher.Certificate(pki.server_a.cert_file, pki.server_a.key_file, pki.ca.cert_file)


class SharedServer:
    """One vigilante for the many tests that only need a healthy server: HTTPS webhook with the ECDSA certificate
    A, plain-HTTP metrics, max_body_bytes 65536, healing off. A test that kills it fails; the next test gets a new
    one, so that one crash is reported once and does not fail every later test."""

    def __init__(self, binary: Path, pki: PKI, factory: pytest.TempPathFactory):
        self.binary, self.pki, self.factory = binary, pki, factory
        self.current: Vigilante | None = None

    def get(self) -> Vigilante:
        if self.current is None or not self.current.alive():
            if self.current is not None:
                self.current.stop()
            self.current = Vigilante(self.binary, self.factory.mktemp("shared-vigilante"), cert=self.pki.server_a,
                                     config={"webhook": {"max_body_bytes": MAX_BODY_BYTES}}).start()
        return self.current


@pytest.fixture(scope="session")
def shared_servers(vigilante_bin: Path, pki: PKI, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SharedServer]:
    shared = SharedServer(vigilante_bin, pki, tmp_path_factory)
    yield shared
    if shared.current is not None:
        shared.current.stop()


@pytest.fixture
def server(shared_servers: SharedServer) -> Iterator[Vigilante]:
    """The shared server; the test fails when the server is dead after it."""
    server = shared_servers.get()
    yield server
    server.assert_alive()


@pytest.fixture(scope="module")
def _module_healing_webhook(vigilante_bin: Path, serving_certificate: Launcher.Certificate,
                            tmp_path_factory: pytest.TempPathFactory) -> Iterator[Vigilante]:
    fake = FakeCluster(tmp_path_factory.mktemp("fakeapi"))
    launcher = Launcher(vigilante_bin, tmp_path_factory, serving_certificate)
    try:
        yield launcher.start(fake, {"webhook": {"max_body_bytes": MAX_BODY_BYTES}})
    finally:
        launcher.stop_all()
        fake.stop()


@pytest.fixture
def healing_webhook(_module_healing_webhook: Vigilante) -> Iterator[Vigilante]:
    """One vigilante per module as it runs in a cluster (healing on, against a fake API server, certificate A),
    with webhook.max_body_bytes MAX_BODY_BYTES (small, so that 413 is cheap to reach); the test fails when the
    server is dead after it."""
    yield _module_healing_webhook
    _module_healing_webhook.assert_alive()
