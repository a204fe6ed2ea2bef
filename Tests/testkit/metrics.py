"""The Prometheus text exposition of the metrics listener: scraped, parsed, one metric read."""

from __future__ import annotations

import re
import ssl

from testkit.raw_http import request
from testkit.vigilante import Vigilante

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
