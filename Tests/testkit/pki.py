"""Throw-away certificates made at test time: CAs, ECDSA P-256 and RSA 2048 server certificates for localhost,
127.0.0.1 and ::1, client certificates; and verifying TLS client contexts. Keys live only in the directory given."""

from __future__ import annotations

import datetime
import ipaddress
import ssl
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


@dataclass
class Issued:
    """A certificate and its key, written as PEM files."""

    cert: x509.Certificate
    key: Any
    cert_file: Path
    key_file: Path

    @property
    def serial(self) -> int:
        return self.cert.serial_number

    @property
    def not_after(self) -> datetime.datetime:
        return self.cert.not_valid_after_utc


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "cops-vigilante integration tests"),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _write_key(key: Any, path: Path, key_format: serialization.PrivateFormat) -> None:
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM, key_format, serialization.NoEncryption()))
    path.chmod(0o600)


def make_ca(directory: Path, name: str) -> Issued:
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder()
            .subject_name(_name(name)).issuer_name(_name(name))
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(hours=1))
            .not_valid_after(now + datetime.timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                         crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256()))
    cert_file, key_file = directory / f"{name}.crt", directory / f"{name}.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    _write_key(key, key_file, serialization.PrivateFormat.PKCS8)
    return Issued(cert, key, cert_file, key_file)


def make_leaf(directory: Path, name: str, ca: Issued, *, rsa_key: bool = False, client: bool = False,
              days: int = 10, key_format: serialization.PrivateFormat = serialization.PrivateFormat.PKCS8) -> Issued:
    """A server certificate for localhost, 127.0.0.1 and ::1 (or a client certificate), signed by ca."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048) if rsa_key \
        else ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    builder = (x509.CertificateBuilder()
               .subject_name(_name(name)).issuer_name(ca.cert.subject)
               .public_key(key.public_key())
               .serial_number(x509.random_serial_number())
               .not_valid_before(now - datetime.timedelta(hours=1))
               .not_valid_after(now + datetime.timedelta(days=days))
               .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
               .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()),
                              critical=False))
    if client:
        builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
    else:
        builder = (builder
                   .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
                   .add_extension(x509.SubjectAlternativeName([
                       x509.DNSName("localhost"),
                       x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                       x509.IPAddress(ipaddress.ip_address("::1")),
                   ]), critical=False))
    cert = builder.sign(ca.key, hashes.SHA256())
    cert_file, key_file = directory / f"{name}.crt", directory / f"{name}.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    _write_key(key, key_file, key_format)
    return Issued(cert, key, cert_file, key_file)


@dataclass
class PKI:
    directory: Path
    ca: Issued  # issues every server certificate
    server_a: Issued  # ECDSA P-256, PKCS#8 key
    server_b: Issued  # ECDSA P-256, SEC1 key, same CA: the rotation target
    server_rsa: Issued  # RSA 2048, PKCS#1 key
    client_ca: Issued
    client: Issued  # signed by client_ca
    other_ca: Issued
    other_client: Issued  # signed by other_ca, which the server does not trust


def make_pki(directory: Path) -> PKI:
    ca = make_ca(directory, "server-ca")
    client_ca = make_ca(directory, "client-ca")
    other_ca = make_ca(directory, "other-ca")
    return PKI(
        directory=directory,
        ca=ca,
        server_a=make_leaf(directory, "server-a", ca),
        server_b=make_leaf(directory, "server-b", ca, days=20,
                           key_format=serialization.PrivateFormat.TraditionalOpenSSL),
        server_rsa=make_leaf(directory, "server-rsa", ca, rsa_key=True,
                             key_format=serialization.PrivateFormat.TraditionalOpenSSL),
        client_ca=client_ca,
        client=make_leaf(directory, "client", client_ca, client=True),
        other_ca=other_ca,
        other_client=make_leaf(directory, "other-client", other_ca, client=True),
    )


def client_context(pki: PKI, client: Issued | None = None, version: ssl.TLSVersion | None = None) -> ssl.SSLContext:
    """A verifying TLS client context: trusts only the test server CA, checks the host name; with `version`, speaks
    that TLS version only."""
    context = ssl.create_default_context(cafile=str(pki.ca.cert_file))
    if client is not None:
        context.load_cert_chain(str(client.cert_file), str(client.key_file))
    if version is not None:
        context.minimum_version = context.maximum_version = version
    return context


def peer_serial(sock: ssl.SSLSocket) -> int:
    der = sock.getpeercert(binary_form=True)
    assert der is not None, "the server sent no certificate"
    return x509.load_der_x509_certificate(der).serial_number


def load_issued(cert_file: Path, key_file: Path) -> Issued:
    """A certificate and key made elsewhere (e.g. the CA of scripts/gen-certs.sh), to issue more with make_leaf."""
    cert = x509.load_pem_x509_certificate(cert_file.read_bytes())
    key = serialization.load_pem_private_key(key_file.read_bytes(), password=None)
    return Issued(cert, key, cert_file, key_file)
