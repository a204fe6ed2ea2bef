"""Every query of the chart's Grafana dashboard and of its alerts, run by a real Prometheus that scrapes a vigilante
while it heals a node: each must parse, and each panel whose data the scenario makes (a node healed, a webhook
callback, API calls, a TLS certificate, one replica leading) must return series. Then the demo's plotter
(`scripts/run-local.sh --plots DIR`) draws every panel from the same Prometheus to PNG files."""

from __future__ import annotations

import importlib.util
import json
import sys
import time
from pathlib import Path

import yaml

from testkit.prometheus import Prometheus
from testkit.cluster_effects import HEALED
from testkit.paths import REPO_ROOT
from testkit.reviews import admission_review, windows_node
from testkit.waiting import wait_until

NODE = "akswin000091"
CHART_FILES = REPO_ROOT / "deploy" / "helm" / "cops-vigilante" / "files"
# Panels with no data in this scenario: nothing is refused by the webhook.
QUIET_PANELS = {"Webhook errors"}


def dashboard_queries() -> list[tuple[str, str]]:
    dashboard = json.loads((CHART_FILES / "grafana-dashboard.json").read_text())
    return [(panel["title"], target["expr"]) for panel in dashboard["panels"] for target in panel["targets"]]


def alert_queries() -> list[tuple[str, str]]:
    rules = yaml.safe_load((CHART_FILES / "prometheus-rules.yaml").read_text())
    return [(rule["alert"], rule["expr"]) for group in rules["groups"] for rule in group["rules"]]


def test_every_dashboard_and_alert_query_runs_on_prometheus(launch, cluster, caller_for, tmp_path: Path) -> None:
    cluster.admin("POST", "nodes", windows_node(NODE, ready=True))
    server = launch(cluster, {"tasks": {"snat": {"healing_duration": "4s", "min_sandboxes": 2}}})
    prometheus = Prometheus(tmp_path / "prometheus", server.metrics_port)
    try:
        wait_until(prometheus.ready, timeout=30, interval=0.2, message="prometheus ready")
        caller_for(server).review(admission_review("UPDATE", windows_node(NODE, ready=True), sub_resource="status"))
        wait_until(lambda: cluster.annotations(NODE).get(HEALED) == "true", timeout=30, message="the node healed")
        # Rates need two samples in their range: wait for two scrapes that saw the node healed.
        wait_until(lambda: prometheus.query("count_over_time((cops_vigilante_snat_nodes_healed_total > 0)[1m:1s]) >= 2"),
                   timeout=30, interval=0.5, message="Prometheus scraped the healed node twice")
        empty = []
        for title, expression in dashboard_queries():
            # Grafana's interval variable, as Grafana would set it for a 1 s scrape interval.
            result = prometheus.query(expression.replace("$__rate_interval", "1m"))
            if not result and title not in QUIET_PANELS:
                empty.append(f"{title}: {expression}")
        assert empty == [], "panels without data:\n" + "\n".join(empty)
        for alert, expression in alert_queries():
            prometheus.query(expression)  # parses and runs (a parse error fails the API call)
    finally:
        prometheus.stop()


def load_plots():
    """scripts/demo/plots.py, as run-local.sh --plots runs it."""
    path = REPO_ROOT / "scripts" / "demo" / "plots.py"
    spec = importlib.util.spec_from_file_location("plots", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["plots"] = module
    spec.loader.exec_module(module)
    return module


def test_the_demo_draws_every_panel_to_png_from_prometheus(launch, cluster, caller_for, tmp_path: Path) -> None:
    plots = load_plots()
    cluster.admin("POST", "nodes", windows_node(NODE, ready=True))
    server = launch(cluster, {"tasks": {"snat": {"healing_duration": "4s", "min_sandboxes": 2}}})
    prometheus = plots.start_prometheus(tmp_path / "prometheus", server.metrics_port)
    try:
        start = time.time()
        caller_for(server).review(admission_review("UPDATE", windows_node(NODE, ready=True), sub_resource="status"))
        wait_until(lambda: cluster.annotations(NODE).get(HEALED) == "true", timeout=30, message="the node healed")
        # Two scrapes that saw the node healed, so its last rates are drawn.
        wait_until(lambda: sum(1 for series in prometheus.query_range("cops_vigilante_snat_nodes_healed_total > 0",
                                                                      start, time.time())
                               for _ in series["values"]) >= 2,
                   timeout=30, interval=0.5, message="Prometheus scraped the healed node twice")
        written = plots.render(prometheus, start, time.time(), tmp_path / "plots")
    finally:
        prometheus.stop()
    panels = json.loads((CHART_FILES / "grafana-dashboard.json").read_text())["panels"]
    assert written[0].name == "dashboard.png" and len(written) == len(panels) + 1
    for path in written:
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", path
