"""Fixtures of the black-box integration tests: a private copy of the vigilante binary, test certificates, and
vigilante processes listening on ports picked by the kernel."""

from __future__ import annotations

import resource
from pathlib import Path
from typing import Callable, Iterator

import pytest

from integration_support import MAX_BODY_BYTES, PKI, REPO_ROOT, Vigilante, make_pki, private_binary

# Raised once for the whole session: some tests hold a thousand or more connections open.
_soft, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
_wanted = 8192 if _hard == resource.RLIM_INFINITY else min(_hard, 8192)
if _soft != resource.RLIM_INFINITY and _soft < _wanted:
    resource.setrlimit(resource.RLIMIT_NOFILE, (_wanted, _hard))


@pytest.fixture(scope="session")
def vigilante_bin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the built binary (VIGILANTE_BIN, or .build/debug/vigilante), so that a rebuild during the session
    changes nothing."""
    return private_binary(REPO_ROOT / ".build" / "debug" / "vigilante", "run `swift build`",
                          tmp_path_factory.mktemp("bin"))


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> PKI:
    """CAs and certificates made for this session; keys live only in the session's temporary directory."""
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture
def launch(vigilante_bin: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., Vigilante]]:
    """Starts vigilante processes for one test (keyword arguments of Vigilante); each is stopped afterwards."""
    started: list[Vigilante] = []

    def start(**kwargs) -> Vigilante:
        server = Vigilante(vigilante_bin, tmp_path_factory.mktemp("vigilante"), **kwargs)
        started.append(server)
        return server.start()

    yield start
    for server in started:
        server.stop()


class SharedServer:
    """One vigilante for the many tests that only need a healthy server: HTTPS webhook with the ECDSA certificate
    A, plain-HTTP metrics, max_body_bytes 65536. A test that kills it fails; the next test gets a new one, so that
    one crash is reported once and does not fail every later test."""

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
