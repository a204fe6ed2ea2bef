"""Helpers of the black-box integration tests: test certificates, the vigilante process, and small HTTP clients
that work on raw (TLS) sockets so that tests control every byte and every connection."""

from __future__ import annotations

import datetime
import ipaddress
import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

REPO_ROOT = Path(__file__).resolve().parents[2]

# Every wait in these tests is bounded by one of these.
START_TIMEOUT = 30.0
IO_TIMEOUT = 10.0

# webhook.max_body_bytes of the shared server.
MAX_BODY_BYTES = 65536

# ---------------------------------------------------------------------------------------------------------------
# Certificates


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


class SecretFiles:
    """The serving pair in `directory` under the names a mounted Secret gives them: tls.crt and tls.key."""

    directory: Path

    @property
    def cert_file(self) -> Path:
        return self.directory / "tls.crt"

    @property
    def key_file(self) -> Path:
        return self.directory / "tls.key"


class SecretVolume(SecretFiles):
    """A directory laid out like a mounted Kubernetes Secret: dir/..<timestamp>/tls.{crt,key}, dir/..data ->
    ..<timestamp>, dir/tls.crt -> ..data/tls.crt, dir/tls.key -> ..data/tls.key."""

    def __init__(self, directory: Path):
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)
        self.generation = 0
        self.current: str | None = None

    def publish(self, cert_from: Issued, key_from: Issued, remove_old: bool = True) -> None:
        """Publishes the certificate of cert_from with the key of key_from (a mismatched pair when they differ)."""
        self.publish_files(cert_from.cert_file, key_from.key_file, remove_old)

    def publish_files(self, cert_file: Path, key_file: Path, remove_old: bool = True) -> None:
        """Writes a new timestamped directory and swaps ..data to it atomically, as the kubelet's atomic writer."""
        self.generation += 1
        name = f"..2026_01_{self.generation:02d}_00_00_00.{os.getpid()}"
        target = self.directory / name
        target.mkdir()
        shutil.copyfile(cert_file, target / "tls.crt")
        shutil.copyfile(key_file, target / "tls.key")
        temporary = self.directory / "..data_tmp"
        os.symlink(name, temporary)
        os.rename(temporary, self.directory / "..data")
        for file in ("tls.crt", "tls.key"):
            link = self.directory / file
            if not link.is_symlink():
                os.symlink(f"..data/{file}", link)
        old, self.current = self.current, name
        if old is not None and remove_old:
            shutil.rmtree(self.directory / old)


# ---------------------------------------------------------------------------------------------------------------
# Configuration


def to_yaml(value: Any, indent: int = 0) -> str:
    """A tiny YAML writer for nested dicts of scalars (enough for conf.yaml)."""
    lines = []
    for key, item in value.items():
        prefix = " " * indent + f"{key}:"
        if isinstance(item, dict):
            lines.append(prefix)
            lines.append(to_yaml(item, indent + 2))
        else:
            lines.append(f"{prefix} {json.dumps(item)}")
    return "\n".join(lines)


def merge(base: dict, override: dict) -> dict:
    result = dict(base)
    for key, item in override.items():
        result[key] = merge(result[key], item) if isinstance(item, dict) and isinstance(result.get(key), dict) \
            else item
    return result


# The healing task needs a Kubernetes API; these tests are about the listeners only.
BASE_CONFIG: dict = {"tasks": {"snat": {"enabled": False}}}

# ---------------------------------------------------------------------------------------------------------------
# The process


def runnable_copy(path: Path, directory: Path) -> Path:
    """A copy of the binary at path in directory, so that a rebuild during the session changes nothing. The binary
    may be in the middle of a rebuild: it is copied once its size and time have been stable for a moment, and the
    copy must run (`vigilante version`); retried for a bounded time, then the test fails."""
    copy = directory / path.name
    deadline = time.monotonic() + 120
    result = None
    while True:
        before = path.stat()
        time.sleep(0.5)
        after = path.stat()
        if (before.st_size, before.st_mtime_ns) == (after.st_size, after.st_mtime_ns):
            shutil.copy2(path, copy)
            result = subprocess.run([str(copy), "version"], capture_output=True, timeout=30,
                                    env={**os.environ, "SWIFT_BACKTRACE": "enable=no"})
            if result.returncode == 0 and path.stat().st_mtime_ns == after.st_mtime_ns:
                return copy
        if time.monotonic() > deadline:
            pytest.fail(f"no runnable copy of {path} within 120 s (it keeps changing, or `vigilante version` "
                        f"fails: {result.returncode if result is not None else '-'})", pytrace=False)
        time.sleep(2)


def private_binary(default: Path, how_to_build: str, directory: Path) -> Path:
    """A runnable copy of the binary under test: VIGILANTE_BIN (relative to the repository), else `default`. A
    missing binary fails the tests (never skips them), saying how to build it."""
    path = Path(os.environ.get("VIGILANTE_BIN", default))
    if not path.is_absolute():
        path = REPO_ROOT / path
    if not (path.is_file() and os.access(path, os.X_OK)):
        pytest.fail(f"the vigilante binary is missing at {path}: {how_to_build} in {REPO_ROOT}, "
                    "or set VIGILANTE_BIN to a built binary", pytrace=False)
    return runnable_copy(path, directory)


class Vigilante:
    """One `vigilante run` process, with its stderr log read by a thread (JSON lines)."""

    def __init__(self, binary: Path, workdir: Path, *, config: dict | None = None, cert: Issued | None = None,
                 cert_file: Path | None = None, key_file: Path | None = None, tls: bool | None = True,
                 extra_args: Iterable[str] = (), preexec_fn: Callable[[], None] | None = None):
        self.binary = binary
        self.workdir = workdir
        workdir.mkdir(parents=True, exist_ok=True)
        self.config = merge(BASE_CONFIG, config or {})
        self.cert_file = cert_file or (cert.cert_file if cert else None)
        self.key_file = key_file or (cert.key_file if cert else None)
        self.tls = tls
        self.extra_args = list(extra_args)
        self.preexec_fn = preexec_fn
        self.process: subprocess.Popen | None = None
        self.lines: list[str] = []
        self.records: list[dict] = []
        self._cond = threading.Condition()
        self._reader: threading.Thread | None = None
        self._reading = threading.Event()
        self._reading.set()
        self.webhook_port: int | None = None
        self.metrics_port: int | None = None
        self.metrics_scheme: str | None = None
        self.webhook_scheme: str | None = None

    # -- life cycle

    def command(self) -> list[str]:
        conf = self.workdir / "conf.yaml"
        conf.write_text(to_yaml(self.config) + "\n")
        args = [str(self.binary), "run", "--config", str(conf), "--webhook-port", "0", "--metrics-port", "0",
                "--log-format", "json"]
        if self.cert_file is not None:
            args += ["--cert-file", str(self.cert_file)]
        if self.key_file is not None:
            args += ["--key-file", str(self.key_file)]
        if self.tls is not None:  # None: neither flag, the configuration decides
            args.append("--tls" if self.tls else "--no-tls")
        return args + self.extra_args

    def spawn(self) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("KUBERNETES_") and k != "KUBECONFIG"}
        env["SWIFT_BACKTRACE"] = "enable=no"
        env["HOME"] = str(self.workdir)  # no ~/.kube/config of the machine
        self.process = subprocess.Popen(self.command(), cwd=self.workdir, stdin=subprocess.DEVNULL,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
                                        preexec_fn=self.preexec_fn)
        self._reader = threading.Thread(target=self._read_stderr, name="vigilante-stderr", daemon=True)
        self._reader.start()

    def start(self, timeout: float = START_TIMEOUT) -> "Vigilante":
        self.spawn()
        record = None
        deadline = time.monotonic() + timeout
        while self.webhook_port is None or self.metrics_port is None:
            record = self.wait_for_log(lambda r: r.get("message") == "Listening",
                                       timeout=max(0.0, deadline - time.monotonic()), after=record)
            if record is None:
                self.kill()
                raise AssertionError(f"vigilante did not announce both listeners within {timeout} s "
                                     f"(exit status {self.process.poll()}); its log:\n{self.log_text()}")
            meta = record.get("metadata", {})
            if meta.get("listener") == "webhook":
                self.webhook_port, self.webhook_scheme = int(meta["port"]), meta.get("scheme")
            elif meta.get("listener") == "metrics":
                self.metrics_port, self.metrics_scheme = int(meta["port"]), meta.get("scheme")
        return self

    def _read_stderr(self) -> None:
        assert self.process is not None and self.process.stderr is not None
        log = open(self.workdir / "vigilante.log", "w", encoding="utf-8")
        for raw in self.process.stderr:
            self._reading.wait()
            line = raw.decode("utf-8", "replace").rstrip("\n")
            log.write(line + "\n")
            log.flush()
            try:
                record = json.loads(line)
                if not isinstance(record, dict):
                    record = {"message": line}
            except ValueError:
                record = {"message": line, "unparsed": True}
            with self._cond:
                self.lines.append(line)
                self.records.append(record)
                self._cond.notify_all()
        log.close()
        with self._cond:
            self._cond.notify_all()

    def wait_for_log(self, predicate: Callable[[dict], bool], timeout: float,
                     after: dict | None = None) -> dict | None:
        """The first log record (after the record `after`, by identity) matching predicate, waiting up to timeout."""
        deadline = time.monotonic() + timeout
        with self._cond:
            start = 0
            if after is not None:
                start = next(i for i, r in enumerate(self.records) if r is after) + 1
            while True:
                for record in self.records[start:]:
                    if predicate(record):
                        return record
                start = len(self.records)
                remaining = deadline - time.monotonic()
                if remaining <= 0 or (self.process.poll() is not None and not self._reader.is_alive()):
                    return None
                self._cond.wait(min(remaining, 0.2))

    def pause_log_reading(self) -> None:
        """Stops reading the process's stderr (after the line in hand), as a stalled log collector would: the
        pipe fills and every further write to it blocks."""
        self._reading.clear()

    def resume_log_reading(self) -> None:
        self._reading.set()

    def log_text(self) -> str:
        with self._cond:
            return "\n".join(self.lines[-200:])

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def assert_alive(self) -> None:
        assert self.alive(), f"vigilante exited with status {self.process.poll()}; its log:\n{self.log_text()}"

    def signal(self, signum: int) -> None:
        assert self.process is not None
        self.process.send_signal(signum)

    def wait(self, timeout: float) -> int | None:
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None

    def stop(self, timeout: float = 15.0) -> int | None:
        """SIGTERM, then the exit status (None if it did not exit in time; it is then killed)."""
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        status = self.wait(timeout)
        if status is None:
            self.kill()
        if self._reader is not None:
            self._reader.join(timeout=5)
        return status

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def cpu_seconds(self) -> float:
        """utime + stime of the process, from /proc."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# ---------------------------------------------------------------------------------------------------------------
# HTTP on raw sockets


def connect(port: int, host: str = "127.0.0.1", *, context: ssl.SSLContext | None = None,
            timeout: float = IO_TIMEOUT) -> socket.socket:
    """A TCP connection, wrapped in TLS (handshake done, verifying the host name) when a context is given."""
    sock = socket.create_connection((host, port), timeout=timeout)
    if context is not None:
        try:
            sock = context.wrap_socket(sock, server_hostname=host)
        except BaseException:
            sock.close()
            raise
    return sock


def build_request(method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None,
                  version: str = "HTTP/1.1", content_length: bool = True) -> bytes:
    lines = [f"{method} {path} {version}", "Host: localhost"]
    all_headers = {"User-Agent": "vigilante-integration-tests"}
    if body and "Content-Type" not in (headers or {}):
        all_headers["Content-Type"] = "application/json"
    if content_length and (body or method in ("POST", "PUT")):
        all_headers["Content-Length"] = str(len(body))
    all_headers.update(headers or {})
    lines += [f"{k}: {v}" for k, v in all_headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


@dataclass
class Response:
    version: str
    status: int
    reason: str
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names; repeated headers joined by ", "
    body: bytes = b""

    def json(self) -> Any:
        return json.loads(self.body)

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


class ResponseReader:
    """Reads HTTP/1.x responses one after the other from one socket, keeping what it read ahead."""

    def __init__(self, sock: socket.socket):
        self.sock = sock
        self.buffer = b""
        self.eof = False

    def _fill(self) -> bool:
        if self.eof:
            return False
        data = self.sock.recv(65536)
        if not data:
            self.eof = True
            return False
        self.buffer += data
        return True

    def _line(self) -> bytes:
        while b"\r\n" not in self.buffer:
            if not self._fill():
                raise ConnectionError(f"connection closed before a full line; got {self.buffer[:200]!r}")
        line, self.buffer = self.buffer.split(b"\r\n", 1)
        return line

    def _exactly(self, n: int) -> bytes:
        while len(self.buffer) < n:
            if not self._fill():
                raise ConnectionError(f"connection closed after {len(self.buffer)} of {n} body bytes")
        data, self.buffer = self.buffer[:n], self.buffer[n:]
        return data

    def read_head(self) -> Response:
        status_line = self._line().decode("latin-1")
        match = re.fullmatch(r"(HTTP/\d\.\d) (\d{3})(?: (.*))?", status_line)
        if not match:
            raise AssertionError(f"not an HTTP status line: {status_line!r}")
        response = Response(match.group(1), int(match.group(2)), match.group(3) or "")
        while True:
            line = self._line().decode("latin-1")
            if not line:
                return response
            name, _, value = line.partition(":")
            name, value = name.strip().lower(), value.strip()
            response.headers[name] = f"{response.headers[name]}, {value}" if name in response.headers else value

    def read_response(self, method: str = "GET") -> Response:
        response = self.read_head()
        if method == "HEAD" or response.status in (204, 304) or 100 <= response.status < 200:
            return response
        if "chunked" in (response.header("transfer-encoding") or "").lower():
            body = b""
            while True:
                size = int(self._line().split(b";")[0], 16)
                if size == 0:
                    while self._line():
                        pass
                    break
                body += self._exactly(size)
                self._line()
            response.body = body
        elif response.header("content-length") is not None:
            response.body = self._exactly(int(response.header("content-length")))
        else:
            while self._fill():
                pass
            response.body, self.buffer = self.buffer, b""
        return response

    def closed_by_peer(self, timeout: float = IO_TIMEOUT) -> bool:
        """True when the server closes the connection (EOF or reset) within timeout, with nothing more sent."""
        self.sock.settimeout(timeout)
        try:
            while True:
                data = self.sock.recv(65536)
                if not data:
                    return True
                self.buffer += data
                return False
        except (ConnectionResetError, BrokenPipeError, ssl.SSLEOFError, ssl.SSLZeroReturnError):
            return True
        except ssl.SSLError as error:
            return "closed" in str(error).lower() or "eof" in str(error).lower()
        except (socket.timeout, TimeoutError):
            return False


def request(port: int, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None, *,
            context: ssl.SSLContext | None = None, host: str = "127.0.0.1",
            timeout: float = IO_TIMEOUT) -> Response:
    """One request on a new connection, closed afterwards."""
    with connect(port, host, context=context, timeout=timeout) as sock:
        sock.sendall(build_request(method, path, body, headers))
        return ResponseReader(sock).read_response(method)


# ---------------------------------------------------------------------------------------------------------------
# openssl s_client

HEALTHZ = b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"


def s_client(port: int, ca_file: Path, *args: str, host: str = "127.0.0.1", send: bytes = HEALTHZ) -> str:
    """openssl s_client against the server, verifying it against ca_file; sends `send` after the handshake and
    waits until the server closes. Returns everything s_client printed."""
    result = subprocess.run(
        ["openssl", "s_client", "-connect", f"{host}:{port}", "-servername", "localhost",
         "-CAfile", str(ca_file), "-verify_return_error", "-ign_eof", *args],
        input=send, capture_output=True, timeout=20)
    return (result.stdout + result.stderr).decode("utf-8", "replace")


def negotiated_protocol(output: str) -> str | None:
    match = re.search(r"^New, (TLSv[\d.]+|\(NONE\)), Cipher is (\S+)", output, re.MULTILINE)
    return match.group(1) if match and match.group(1) != "(NONE)" else None


def negotiated_cipher(output: str) -> str | None:
    match = re.search(r"^New, \S+, Cipher is (\S+)", output, re.MULTILINE)
    return match.group(1) if match and match.group(1) != "(NONE)" else None


# ---------------------------------------------------------------------------------------------------------------
# Admission reviews


FIXTURES_DIR = REPO_ROOT / "Tests" / "Fixtures"


def fixture_reviews() -> list[str]:
    """The AdmissionReviews of Tests/Fixtures (Kubernetes' test data and real captures), relative to FIXTURES_DIR.
    Raises when they are missing, so that a test parametrised with them cannot silently run zero cases."""
    names = sorted([p.relative_to(FIXTURES_DIR).as_posix() for p in FIXTURES_DIR.glob("k8s-testdata/admission.k8s.io.*.json")]
                   + [p.relative_to(FIXTURES_DIR).as_posix() for p in FIXTURES_DIR.glob("real/admissionreview-*.json")])
    if len(names) < 6:
        raise FileNotFoundError(f"expected the 2 Kubernetes and 4 real AdmissionReviews in {FIXTURES_DIR}, found {names}")
    return names


def review(uid: str = "7f0a3f4e-4c3e-4a3b-9d1e-000000000001", api_version: str = "admission.k8s.io/v1",
           padding: int = 0) -> bytes:
    """A small Node UPDATE AdmissionReview (a Linux node, so nothing gets queued), optionally padded with
    trailing whitespace to an exact size."""
    document = {
        "apiVersion": api_version,
        "kind": "AdmissionReview",
        "request": {
            "uid": uid,
            "kind": {"group": "", "version": "v1", "kind": "Node"},
            "resource": {"group": "", "version": "v1", "resource": "nodes"},
            "subResource": "status",
            "name": "aks-nodepool1-12345678-vmss000000",
            "operation": "UPDATE",
            "userInfo": {"username": "system:node:aks-nodepool1-12345678-vmss000000", "groups": ["system:nodes"]},
            "object": {"apiVersion": "v1", "kind": "Node",
                       "metadata": {"name": "aks-nodepool1-12345678-vmss000000",
                                    "labels": {"kubernetes.io/os": "linux"}},
                       "status": {"conditions": [{"type": "Ready", "status": "True"}]}},
            "oldObject": None,
            "dryRun": True,
        },
    }
    body = json.dumps(document).encode()
    return body + b" " * padding


def review_of_size(size: int, uid: str = "sized") -> bytes:
    body = review(uid)
    assert len(body) <= size
    return review(uid, padding=size - len(body))


# Bodies that are not an AdmissionReview; each must get 400 with a message.
NOT_ADMISSION_REVIEWS = [
    pytest.param(b"this is not json", id="not-json"),
    pytest.param(b'{"apiVersion":"v1","kind":"Pod","metadata":{"name":"x"}}', id="json-not-a-review"),
    pytest.param(b'{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview"}', id="review-without-request"),
    pytest.param(b'["AdmissionReview"]', id="json-array"),
    pytest.param(b'{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionRev', id="truncated"),
    pytest.param(b"", id="empty"),
]


def expected_answer(api_version: str, uid: str) -> dict:
    return {"apiVersion": api_version, "kind": "AdmissionReview", "response": {"uid": uid, "allowed": True}}


# ---------------------------------------------------------------------------------------------------------------
# Metrics

_SAMPLE = re.compile(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)(\s+\S+)?$")
_LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*,?\s*')


def parse_metrics(text: str) -> list[tuple[str, dict[str, str], float]]:
    samples = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        match = _SAMPLE.match(line.strip())
        assert match, f"unparsable metrics line: {line!r}"
        labels = {m.group(1): m.group(2) for m in _LABEL.finditer(match.group(3) or "")}
        samples.append((match.group(1), labels, float(match.group(4))))
    return samples


def metric(text: str, name: str, **labels: str) -> float | None:
    """The sum of the samples of name whose labels include labels; None when there is none."""
    values = [value for sample, sample_labels, value in parse_metrics(text)
              if sample == name and all(sample_labels.get(k) == v for k, v in labels.items())]
    return sum(values) if values else None


def scrape(server: Vigilante, context: ssl.SSLContext | None = None) -> str:
    response = request(server.metrics_port, "GET", "/metrics", context=context)
    assert response.status == 200, f"GET /metrics answered {response.status}: {response.body[:300]!r}"
    return response.body.decode()


def wait_until(condition: Callable[[], Any], timeout: float, interval: float = 0.1, message: str = "") -> Any:
    """Polls condition until it returns a truthy value (returned) or timeout passes (AssertionError)."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"not true within {timeout} s: {message}")
        time.sleep(interval)
