"""checkov passes on the rendered manifests of every variant, run once over all of them (it takes seconds to
start). The checks it skips are listed, each with its reason, in checkov.yaml."""

from __future__ import annotations

import json
from pathlib import Path

from chart_support import RenderedChart, run, tools_venv_program

CONFIG = Path(__file__).with_name("checkov.yaml")


def test_checkov_finds_nothing_in_any_variant(rendered: dict[str, RenderedChart], tmp_path: Path) -> None:
    for name, chart in rendered.items():
        (tmp_path / f"{name}.yaml").write_text(chart.as_yaml())
    result = run([tools_venv_program("checkov"), "--directory", str(tmp_path), "--config-file", str(CONFIG),
                  "--output", "json", "--compact", "--quiet"], cwd=tmp_path, timeout=300)
    assert result.stdout.strip(), f"checkov printed nothing (exit {result.returncode}):\n{result.stderr}"
    report = json.loads(result.stdout)
    summary = report["summary"]
    failures = [f"{c['check_id']} {c['check_name']}: {c['resource']} in {c['file_path']}"
                for c in report["results"]["failed_checks"]]
    assert failures == []
    assert summary["parsing_errors"] == 0
    # Every object was read: checkov counts each manifest, plus the Pod of each Deployment's template.
    objects = sum(len(chart.manifests) for chart in rendered.values())
    assert summary["resource_count"] >= objects
    assert result.returncode == 0, result.stderr
