"""conf.yaml of the vigilante processes under test."""

from __future__ import annotations

import json
from typing import Any

# webhook.max_body_bytes of the servers that answer the admission tests: small, so that 413 is cheap to reach.
MAX_BODY_BYTES = 65536

# The healing task needs a Kubernetes API: it is off unless a test gives it one (healing_config).
BASE_CONFIG: dict = {"tasks": {"snat": {"enabled": False}}}


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


def healing_config(window: str = "6s", interval: str = "1s", resync: str = "30s", **snat) -> dict:
    """conf.yaml of a vigilante that heals with demo durations (unsafe_allow_short_intervals); `snat` adds keys of
    tasks.snat."""
    return {"interval": interval, "unsafe_allow_short_intervals": True,
            "tasks": {"snat": {"enabled": True, "healing_duration": window, "resync_interval": resync, **snat}}}
