"""A private, runnable copy of the vigilante binary under test, so that a rebuild during a session changes
nothing."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from testkit.paths import REPO_ROOT


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
