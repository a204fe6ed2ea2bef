"""Authentication: bearer tokens, a token file re-read on every request, client certificates, TLS trust."""

import os
import ssl

import pytest

from fakeapi.pki import issue, make_ca
from fakeapi.tests.conftest import TOKEN
from fakeapi.tests.harness import RawClient, client_context

UNAUTHORIZED = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure", "message": "Unauthorized", "reason": "Unauthorized", "code": 401}


def test_wrong_missing_or_non_bearer_credentials_are_401(server, pki):
    for headers in ({"Authorization": f"Bearer {TOKEN}x"}, {}, {"Authorization": "Basic dXNlcjpwYXNz"}, {"Authorization": "Bearer "}):
        answer = RawClient(server.port, client_context(pki.ca_cert)).get("/api/v1/nodes", headers=headers)
        assert answer.status == 401 and answer.json == UNAUTHORIZED


def test_right_token_and_public_health(api, server, pki):
    assert api.get("/api/v1/nodes").status == 200
    assert RawClient(server.port, client_context(pki.ca_cert)).get("/healthz").body == b"ok"


def test_token_file_is_reread_on_every_request(start_server, pki, tmp_path):
    token_file = tmp_path / "token"
    token_file.write_text("first-token\n")
    server = start_server(["--cert", pki.server_cert, "--key", pki.server_key, "--token-file", str(token_file)])
    first = RawClient(server.port, client_context(pki.ca_cert), "first-token")
    second = RawClient(server.port, client_context(pki.ca_cert), "second-token")
    assert first.get("/api/v1/nodes").status == 200 and second.get("/api/v1/nodes").status == 401
    # Rotate the way the kubelet does: write a new file, then rename it over the old one.
    (tmp_path / "token.new").write_text("second-token\n")
    os.replace(tmp_path / "token.new", token_file)
    assert first.get("/api/v1/nodes").status == 401 and second.get("/api/v1/nodes").status == 200


def test_client_certificate_authenticates_without_a_token(server, pki, admin):
    client = RawClient(server.port, client_context(pki.ca_cert, pki.client_cert, pki.client_key))
    assert client.get("/api/v1/nodes").status == 200
    entry = admin.requests()[-1]
    assert entry["authMethod"] == "x509" and entry["user"] == "cops-vigilante" and entry["authorization"] is None


def test_certificate_from_another_ca_is_refused(server, pki, tmp_path):
    other_ca, other_key = make_ca(str(tmp_path), "other-ca", "someone else's CA")
    cert, key = issue(str(tmp_path), "intruder", other_ca, other_key, "intruder", server=False)
    client = RawClient(server.port, client_context(pki.ca_cert, cert, key))
    with pytest.raises((ssl.SSLError, ConnectionError)):
        client.get("/api/v1/nodes")


def test_client_refuses_a_server_it_does_not_trust(server, tmp_path):
    other_ca, _ = make_ca(str(tmp_path), "other-ca")
    with pytest.raises(ssl.SSLCertVerificationError):
        RawClient(server.port, client_context(other_ca), TOKEN).get("/api/v1/nodes")


def test_no_credentials_configured_means_anonymous(start_server):
    server = start_server(["--http"], tls=False)
    assert RawClient(server.port).get("/api/v1/nodes").status == 200


def test_admin_token(start_server):
    server = start_server(["--http", "--admin-token", "adm"], tls=False)
    client = RawClient(server.port)
    assert client.get("/_admin/state").status == 401
    assert client.get("/_admin/state", headers={"X-Admin-Token": "adm"}).status == 200
