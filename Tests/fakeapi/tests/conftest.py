"""Fixtures: throw-away certificates, one shared TLS server (token + client CA) reset before each test, and a
factory for servers with other flags."""

import os

import pytest

from fakeapi import kubeconfig
from fakeapi.pki import make_pki
from fakeapi.tests.harness import Admin, FakeApiProcess, RawClient, client_context

TOKEN = "test-token-0123456789"
GRACE_SCALE = "0.02"  # a 30 s grace period lasts 0.6 s


@pytest.fixture(scope="session")
def pki(tmp_path_factory):
    return make_pki(str(tmp_path_factory.mktemp("pki")))


@pytest.fixture(scope="session")
def shared_server(pki, tmp_path_factory):
    server = FakeApiProcess(str(tmp_path_factory.mktemp("server")), ["--cert", pki.server_cert, "--key", pki.server_key, "--client-ca", pki.ca_cert, "--token", TOKEN, "--grace-scale", GRACE_SCALE])
    yield server
    assert server.stop() == 0, server.stderr()


@pytest.fixture
def server(shared_server, pki):
    """The shared server, emptied (nodes, pods, events, log, faults) for this test."""
    admin = Admin(RawClient(shared_server.port, client_context(pki.ca_cert)))
    admin.reset()
    admin.raw.close()
    return shared_server


@pytest.fixture
def api(server, pki):
    client = RawClient(server.port, client_context(pki.ca_cert), TOKEN)
    yield client
    client.close()


@pytest.fixture
def admin(server, pki):
    client = RawClient(server.port, client_context(pki.ca_cert))
    yield Admin(client)
    client.close()


@pytest.fixture
def kubeconfig_path(server, pki, tmp_path):
    return kubeconfig.write(str(tmp_path / "kubeconfig"), server.url, ca_file=pki.ca_cert, token=TOKEN)


@pytest.fixture
def start_server(tmp_path):
    """Factory for a dedicated server: start_server(["--token", "x"], tls=True)."""
    started = []

    def start(args: list[str], tls: bool = True) -> FakeApiProcess:
        server = FakeApiProcess(str(tmp_path), args, tls)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


def fixture_path(*parts: str) -> str:
    """A file of the repository's Tests/Fixtures (sources in its README)."""
    tests = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    return os.path.join(tests, "Fixtures", *parts)
