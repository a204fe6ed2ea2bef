"""deploy/README.md documents every value of the chart, so that a new value cannot ship unexplained."""

from __future__ import annotations

from typing import Any

import yaml

from chart_support import CHART_DIR, DEPLOY_DIR

# Values documented as a whole: their inner keys are Kubernetes' own or the binary's configuration.
WHOLE = {"resources", "config", "webhook.objectSelector"}


def documented_names(values: dict[str, Any], prefix: str = "") -> list[str]:
    names = []
    for key, value in values.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and value and name not in WHOLE:
            names += documented_names(value, f"{name}.")
        else:
            names.append(name)
    return names


def test_every_value_is_in_the_values_table() -> None:
    readme = (DEPLOY_DIR / "README.md").read_text()
    table = readme.split("## Values", 1)[1].split("\n## ", 1)[0]
    values = yaml.safe_load((CHART_DIR / "values.yaml").read_text())
    missing = [name for name in documented_names(values) if f"`{name}`" not in table]
    assert missing == []
