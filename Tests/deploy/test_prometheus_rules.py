"""The chart's alerts: the rule file passes `promtool check rules` and its unit tests (`promtool test rules`: series
in, alerts out, including the cases that must not fire), every alert has a summary, a description and a runbook
link to a README section that exists, and the PrometheusRule the chart renders carries exactly that file."""

from __future__ import annotations

import re
import shutil

import pytest
import yaml

from chart_support import CHART_DIR, REPO_ROOT, RenderedChart, render, run

RULES = CHART_DIR / "files" / "prometheus-rules.yaml"
RULE_TESTS = REPO_ROOT / "Tests" / "deploy" / "alerts" / "rules-test.yaml"
README_URL = "https://github.com/conplementAG/cops-vigilante/blob/main/README.md"


def promtool() -> str:
    path = shutil.which("promtool")
    if path is None:
        pytest.fail("promtool is not installed (Debian package prometheus; scripts/setup.sh installs it)", pytrace=False)
    return path


def alerts() -> list[dict]:
    return [rule for group in yaml.safe_load(RULES.read_text())["groups"] for rule in group["rules"] if "alert" in rule]


def test_promtool_checks_the_rules() -> None:
    result = run([promtool(), "check", "rules", str(RULES)])
    assert result.returncode == 0, result.stdout + result.stderr


def test_promtool_unit_tests_of_every_alert_pass() -> None:
    result = run([promtool(), "test", "rules", str(RULE_TESTS)], cwd=RULE_TESTS.parent)
    assert result.returncode == 0, result.stdout + result.stderr
    tested = set(re.findall(r"alertname: (\w+)", RULE_TESTS.read_text()))
    assert tested == {a["alert"] for a in alerts()}, "every alert has unit tests"


def test_every_alert_says_what_and_links_to_a_readme_section_that_exists() -> None:
    readme = (REPO_ROOT / "README.md").read_text()
    anchors = {re.sub(r"[^a-z0-9 -]", "", h.strip().lower()).replace(" ", "-")
               for h in re.findall(r"^#+ (.+)$", readme, flags=re.MULTILINE)}
    for alert in alerts():
        notes = alert["annotations"]
        assert notes["summary"] and notes["description"], alert["alert"]
        assert notes["runbook_url"].startswith(README_URL + "#"), alert["alert"]
        assert notes["runbook_url"].split("#")[1] in anchors, f"{alert['alert']}: no README section {notes['runbook_url']}"
        assert alert["labels"]["severity"] in ("warning", "critical")


def test_the_prometheus_rule_renders_the_rule_file_with_the_operators_labels(rendered: dict[str, RenderedChart]) -> None:
    assert not rendered["defaults"].has("PrometheusRule")
    rule = rendered["prometheus_rule"].one("PrometheusRule")
    assert rule["metadata"]["labels"]["release"] == "kps"
    assert rule["spec"] == yaml.safe_load(RULES.read_text())


def test_runbook_links_can_point_elsewhere() -> None:
    chart = render({"prometheusRule": {"enabled": True, "runbookBaseUrl": "https://docs.example.com/vigilante"}})
    urls = [r["annotations"]["runbook_url"] for g in chart.one("PrometheusRule")["spec"]["groups"] for r in g["rules"]]
    assert all(url.startswith("https://docs.example.com/vigilante#alert-") for url in urls)
