"""Where things are in the repository."""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
TESTS_DIR = REPO_ROOT / "Tests"
# Kubernetes' test data and real captures (sources in its README).
FIXTURES_DIR = TESTS_DIR / "Fixtures"
GEN_CERTS = REPO_ROOT / "scripts" / "gen-certs.sh"

# `swift build`.
DEBUG_BINARY = REPO_ROOT / ".build" / "debug" / "vigilante"
# What the container image ships: a release build with the Swift runtime linked in (deploy/check-static-build.sh).
RELEASE_BINARY = REPO_ROOT / ".build-static" / "release" / "vigilante"
