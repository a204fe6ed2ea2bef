"""`scripts/run-local.sh --plots DIR`: a real Prometheus scrapes the demo's vigilante every second, and at the end
each panel of the chart's Grafana dashboard is drawn from Prometheus' answers to the panel's own queries (query_range
over the run), one PNG per panel and one overview, so an operator without Grafana sees the shape of a healing run."""
import json
import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only, no display
import matplotlib.pyplot as plt  # noqa: E402

from testkit.prometheus import Prometheus  # noqa: E402
from testkit.waiting import wait_until  # noqa: E402

DASHBOARD = Path(__file__).resolve().parents[2] / "deploy" / "helm" / "cops-vigilante" / "files" / "grafana-dashboard.json"
# Grafana's $__rate_interval for a 1 s scrape interval is 4 × 1 s; a little more smooths the demo's short run.
RATE_INTERVAL = "10s"


def start_prometheus(workdir: Path, target_port: int) -> Prometheus:
    """A Prometheus scraping vigilante every second, once it answers."""
    prometheus = Prometheus(workdir, target_port)
    wait_until(prometheus.ready, timeout=30, interval=0.2, message="prometheus ready")
    return prometheus


def legend(template: str, labels: dict) -> str:
    return re.sub(r"\{\{\s*(\w+)\s*\}\}", lambda m: labels.get(m.group(1), ""), template) or template


def draw_panel(axes, prometheus: Prometheus, panel: dict, start: float, end: float) -> int:
    """Draws one panel's series; returns how many there were."""
    drawn = 0
    for target in panel["targets"]:
        expression = target["expr"].replace("$__rate_interval", RATE_INTERVAL)
        for series in prometheus.query_range(expression, start, end):
            points = [(float(t) - start, float(v)) for t, v in series["values"] if v not in ("NaN", "+Inf", "-Inf")]
            if not points:
                continue
            xs, ys = zip(*points)
            axes.plot(xs, ys, label=legend(target.get("legendFormat", ""), series["metric"]))
            drawn += 1
    axes.set_title(panel["title"], fontsize=9)
    axes.set_xlabel("seconds into the run", fontsize=7)
    axes.set_ylabel(panel.get("fieldConfig", {}).get("defaults", {}).get("unit", ""), fontsize=7)
    axes.tick_params(labelsize=7)
    if drawn:
        axes.legend(fontsize=6, loc="best")
    else:
        axes.text(0.5, 0.5, "no data in this run", ha="center", va="center", transform=axes.transAxes, fontsize=8)
    return drawn


def render(prometheus: Prometheus, start: float, end: float, directory: Path) -> list[Path]:
    """One PNG per panel and `dashboard.png` with all of them; returns the paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    panels = json.loads(DASHBOARD.read_text())["panels"]
    written = []
    for panel in panels:
        figure, axes = plt.subplots(figsize=(7, 3.5))
        draw_panel(axes, prometheus, panel, start, end)
        figure.tight_layout()
        path = directory / (re.sub(r"[^a-z0-9]+", "-", panel["title"].lower()).strip("-") + ".png")
        figure.savefig(path, dpi=110)
        plt.close(figure)
        written.append(path)
    columns = 2
    rows = (len(panels) + columns - 1) // columns
    figure, grid = plt.subplots(rows, columns, figsize=(14, 3.2 * rows))
    for axes, panel in zip(grid.flat, panels):
        draw_panel(axes, prometheus, panel, start, end)
    for axes in list(grid.flat)[len(panels):]:
        axes.axis("off")
    figure.suptitle("cops-vigilante: the dashboard's panels over the demo run", fontsize=12)
    figure.tight_layout(rect=(0, 0, 1, 0.98))  # room for the title
    overview = directory / "dashboard.png"
    figure.savefig(overview, dpi=90)
    plt.close(figure)
    return [overview] + written
