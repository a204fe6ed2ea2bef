"""Fixtures of the deploy tests: the chart rendered once per variant, and the vigilante binary's own answers."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Callable

import pytest

from chart_support import REPO_ROOT, VARIANTS, RenderedChart, render, run


@pytest.fixture(scope="session")
def rendered() -> dict[str, RenderedChart]:
    """Every variant of VARIANTS, rendered by Helm once for the whole session."""
    return {name: render(values, name) for name, values in VARIANTS.items()}


@pytest.fixture(scope="session")
def vigilante_bin() -> Path:
    """The built binary, from VIGILANTE_BIN or the debug build; tests that need it fail (not skip) without it,
    because the chart's ports and keys are only checked against the real binary."""
    path = Path(os.environ.get("VIGILANTE_BIN", REPO_ROOT / ".build" / "debug" / "vigilante"))
    if not path.is_absolute():
        path = REPO_ROOT / path
    if not (path.is_file() and os.access(path, os.X_OK)):
        pytest.fail(
            f"the vigilante binary is missing at {path}: run `swift build` in {REPO_ROOT} first, "
            "or set VIGILANTE_BIN to a built binary",
            pytrace=False,
        )
    return path


# The pod name check-config runs as (the chart's Deployment sets POD_NAME from metadata.name).
POD_NAME = "vigilante-cops-vigilante-5f7d9c8b4-x2x9q"


@pytest.fixture(scope="session")
def check_config(vigilante_bin: Path, tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], dict[str, Any]]:
    """Runs `vigilante check-config --format json` on a conf.yaml text; fails the test with the binary's problems."""
    answers: dict[str, dict[str, Any]] = {}

    def check(conf_yaml: str) -> dict[str, Any]:
        if conf_yaml not in answers:
            directory = tmp_path_factory.mktemp("conf")
            conf = directory / "conf.yaml"
            conf.write_text(conf_yaml)
            # Run in an empty directory so that no ./config/conf.yaml is picked up, and as in a pod named by the
            # downward API (POD_NAME), so that leader_election.identity is the same on every run.
            env = {**os.environ, "POD_NAME": POD_NAME}
            result = run([str(vigilante_bin), "check-config", "--config", str(conf), "--format", "json"],
                         cwd=directory, timeout=60, env=env)
            assert result.returncode == 0, (
                f"vigilante check-config refused this conf.yaml (exit {result.returncode}):\n"
                f"{result.stderr}\n--- conf.yaml ---\n{conf_yaml}")
            answers[conf_yaml] = json.loads(result.stdout)
        return answers[conf_yaml]

    return check
