"""The development certificates of scripts/gen-certs.sh (a CA and an ECDSA P-256 serving certificate for localhost
and 127.0.0.1, as cert-manager issues them), made into a test's temporary directory."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from testkit.paths import GEN_CERTS
from testkit.pki import Issued, load_issued, make_leaf
from testkit.secret_volume import SecretFiles


@dataclass(frozen=True)
class DevCerts(SecretFiles):
    directory: Path

    @property
    def ca_file(self) -> Path:
        return self.directory / "ca.crt"

    def renewed(self, directory: Path, name: str) -> Issued:
        """A new key and certificate from the same CA, as cert-manager renews the webhook's certificate."""
        return make_leaf(directory, name, load_issued(self.ca_file, self.directory / "ca.key"))


def generate(directory: Path) -> DevCerts:
    """Runs scripts/gen-certs.sh DIR: the script the README tells operators to run, not a copy of it."""
    result = subprocess.run(["bash", str(GEN_CERTS), str(directory)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, f"{GEN_CERTS} failed ({result.returncode}):\n{result.stdout}{result.stderr}"
    certs = DevCerts(directory)
    for file in (certs.ca_file, certs.cert_file, certs.key_file):
        assert file.is_file(), f"{GEN_CERTS} did not write {file}:\n{result.stdout}"
    return certs
