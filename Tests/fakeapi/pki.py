"""Throw-away certificates for tests, made at test time into a directory (never committed): a CA, a server
certificate for 127.0.0.1/::1/localhost and a client certificate, all ECDSA P-256, using the `cryptography`
package (a test dependency; the server itself needs only the standard library).

    python3 -m fakeapi.pki DIR      # writes ca.crt ca.key server.crt server.key client.crt client.key
"""

import datetime
import ipaddress
import os
import sys
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


@dataclass(frozen=True)
class Pki:
    directory: str
    ca_cert: str
    ca_key: str
    server_cert: str
    server_key: str
    client_cert: str
    client_key: str


def _name(common_name: str, organization: str | None = None) -> x509.Name:
    parts = [x509.NameAttribute(NameOID.COMMON_NAME, common_name)]
    if organization:
        parts.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization))
    return x509.Name(parts)


def _write(path: str, data: bytes, private: bool = False) -> str:
    with open(path, "wb") as f:
        f.write(data)
    if private:
        os.chmod(path, 0o600)
    return path


def _key_pem(key) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())


def _builder(subject: x509.Name, issuer: x509.Name, public_key, days: int) -> x509.CertificateBuilder:
    now = datetime.datetime.now(datetime.timezone.utc)
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=days))
    )


def make_ca(directory: str, name: str = "ca", common_name: str = "fakeapi test CA") -> tuple[str, str]:
    """A self-signed CA: (certificate path, key path)."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = _name(common_name)
    cert = (
        _builder(subject, subject, key.public_key(), 30)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True, content_commitment=False, key_encipherment=False, data_encipherment=False, key_agreement=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path = _write(os.path.join(directory, f"{name}.crt"), cert.public_bytes(serialization.Encoding.PEM))
    key_path = _write(os.path.join(directory, f"{name}.key"), _key_pem(key), private=True)
    return cert_path, key_path


def issue(directory: str, name: str, ca_cert_path: str, ca_key_path: str, common_name: str, server: bool, organization: str | None = None, hosts: tuple = ("127.0.0.1", "::1", "localhost")) -> tuple[str, str]:
    """A leaf certificate signed by the CA: serverAuth with SANs for `hosts`, or clientAuth with CN/O."""
    with open(ca_cert_path, "rb") as f:
        ca_cert = x509.load_pem_x509_certificate(f.read())
    with open(ca_key_path, "rb") as f:
        ca_key = serialization.load_pem_private_key(f.read(), password=None)
    key = ec.generate_private_key(ec.SECP256R1())
    builder = (
        _builder(_name(common_name, organization), ca_cert.subject, key.public_key(), 30)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=False, crl_sign=False, content_commitment=False, key_encipherment=False, data_encipherment=False, key_agreement=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH if server else ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
    )
    if server:
        names = []
        for host in hosts:
            try:
                names.append(x509.IPAddress(ipaddress.ip_address(host)))
            except ValueError:
                names.append(x509.DNSName(host))
        builder = builder.add_extension(x509.SubjectAlternativeName(names), critical=False)
    cert = builder.sign(ca_key, hashes.SHA256())
    cert_path = _write(os.path.join(directory, f"{name}.crt"), cert.public_bytes(serialization.Encoding.PEM))
    key_path = _write(os.path.join(directory, f"{name}.key"), _key_pem(key), private=True)
    return cert_path, key_path


def make_pki(directory: str, client_user: str = "cops-vigilante", client_group: str = "system:masters") -> Pki:
    os.makedirs(directory, exist_ok=True)
    ca_cert, ca_key = make_ca(directory)
    server_cert, server_key = issue(directory, "server", ca_cert, ca_key, "fakeapi", server=True)
    client_cert, client_key = issue(directory, "client", ca_cert, ca_key, client_user, server=False, organization=client_group)
    return Pki(directory, ca_cert, ca_key, server_cert, server_key, client_cert, client_key)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python3 -m fakeapi.pki DIR")
    print(make_pki(sys.argv[1]))
