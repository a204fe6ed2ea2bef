"""A serving certificate as a mounted Kubernetes Secret gives it, and the kubelet's atomic update of such a mount."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from testkit.pki import Issued


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
