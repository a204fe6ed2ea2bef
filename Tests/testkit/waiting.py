"""Waiting for a signal: a condition polled until it holds, bounded by a deadline."""

from __future__ import annotations

import time
from typing import Any, Callable


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
