"""The chart's alerts: the rule file passes `promtool check rules` and its unit tests (`promtool test rules`: series
in, alerts out, including the cases that must not fire), every alert has a summary, a description and a runbook
link to a README section that exists, and the PrometheusRule the chart renders carries exactly that file."""

from __future__ import annotations

import json
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


# --- the dashboard ----------------------------------------------------------------------------------------------

DASHBOARD = CHART_DIR / "files" / "grafana-dashboard.json"


def test_the_dashboard_configmap_is_labelled_for_the_grafana_sidecar(rendered: dict[str, RenderedChart]) -> None:
    assert not any(m["kind"] == "ConfigMap" and m["metadata"]["name"].endswith("-dashboard")
                   for m in rendered["defaults"].manifests)
    chart = rendered["prometheus_rule"]
    (configmap,) = [m for m in chart.all("ConfigMap") if m["metadata"]["name"].endswith("-dashboard")]
    assert configmap["metadata"]["labels"]["grafana_dashboard"] == "1"
    assert json.loads(configmap["data"]["cops-vigilante.json"]) == json.loads(DASHBOARD.read_text())


def test_the_dashboard_has_a_datasource_variable_and_no_hard_coded_uid() -> None:
    dashboard = json.loads(DASHBOARD.read_text())
    assert [v["name"] for v in dashboard["templating"]["list"] if v["type"] == "datasource"] == ["datasource"]
    assert "uid" not in dashboard
    for panel in dashboard["panels"]:
        assert panel["datasource"] == {"type": "prometheus", "uid": "${datasource}"}, panel["title"]
        assert all(t["datasource"]["uid"] == "${datasource}" for t in panel["targets"]), panel["title"]
    titles = " ".join(p["title"] for p in dashboard["panels"]).lower()
    for topic in ("nodes by healing state", "time to healed", "probe pods", "webhook requests", "webhook latency",
                  "webhook errors", "kubernetes api", "certificate", "cpu", "memory", "leader"):
        assert topic in titles, topic


def test_the_plain_json_in_deploy_is_the_charts_dashboard() -> None:
    assert (REPO_ROOT / "deploy" / "grafana-dashboard.json").read_text() == DASHBOARD.read_text()
