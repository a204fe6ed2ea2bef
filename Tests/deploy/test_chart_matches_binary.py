"""The chart agrees with the binary it deploys. Ports, schemes, paths, file locations and keys are taken from
`vigilante check-config --format json` on the conf.yaml the chart renders, never copied into this test, so a
change of a default in the binary fails here until the chart follows."""

from __future__ import annotations

import copy
import json
import posixpath
from pathlib import Path
from typing import Any, Callable

import pytest
import yaml

from chart_support import CHART_DIR, NAMESPACE, VARIANTS, RenderedChart, fullname, run

CheckConfig = Callable[[str], dict[str, Any]]


def leaves(document: dict[str, Any], prefix: str = "") -> set[str]:
    """Dotted names of the keys holding values (a list such as the tolerations is a value)."""
    names: set[str] = set()
    for key, value in document.items():
        if isinstance(value, dict):
            names |= leaves(value, f"{prefix}{key}.")
        else:
            names.add(f"{prefix}{key}")
    return names


def schema_leaves(schema: dict[str, Any], prefix: str = "") -> set[str]:
    names: set[str] = set()
    for key, node in schema.get("properties", {}).items():
        names |= schema_leaves(node, f"{prefix}{key}.") if "properties" in node else {f"{prefix}{key}"}
    return names


@pytest.mark.parametrize("variant", VARIANTS)
def test_rendered_conf_yaml_passes_check_config(
    rendered: dict[str, RenderedChart], check_config: CheckConfig, variant: str
) -> None:
    answer = check_config(rendered[variant].conf_yaml)
    assert set(answer) == {"configuration", "endpoints"}


def test_the_chart_default_config_is_the_binary_default(
    rendered: dict[str, RenderedChart], check_config: CheckConfig
) -> None:
    # An empty mapping gives the binary's own defaults; the chart's values.config must mean exactly the same, but for
    # leader election, which the chart turns on, with the Lease in the release namespace.
    # Copies: check_config's answers are shared by the tests.
    chart = copy.deepcopy(check_config(rendered["defaults"].conf_yaml))
    binary = copy.deepcopy(check_config("{}\n"))
    assert chart["configuration"]["leader_election"] == {
        **binary["configuration"]["leader_election"], "enabled": True, "namespace": NAMESPACE}
    for answer in (chart, binary):
        del answer["configuration"]["leader_election"]
    assert chart == binary


def test_values_config_sets_every_binary_key_but_the_unset_ones(check_config: CheckConfig) -> None:
    binary_keys = leaves(check_config("{}\n")["configuration"])
    chart_keys = leaves(yaml.safe_load((CHART_DIR / "values.yaml").read_text())["config"])
    # Left unset on purpose: the webhook port follows tls (8443 or 8000), there is no client CA by default, the
    # Lease's namespace is set when rendering (the release namespace) and the identity comes from POD_NAME.
    assert binary_keys - chart_keys == {"webhook.port", "webhook.client_ca_file", "leader_election.namespace",
                                        "leader_election.identity"}
    assert chart_keys <= binary_keys


def test_values_schema_knows_exactly_the_binary_keys(check_config: CheckConfig) -> None:
    schema = json.loads((CHART_DIR / "values.schema.json").read_text())
    config_schema = schema["definitions"]["config"]
    # server_use_tls is the Go original's name of tls, which the chart renames. The Lease's namespace and the identity
    # are refused: a Lease outside the release namespace is not granted by the chart's Role, and one identity shared
    # by the replicas would make each of them the leader.
    assert schema_leaves(config_schema) - {"server_use_tls"} == \
        leaves(check_config("{}\n")["configuration"]) - {"leader_election.namespace", "leader_election.identity"}


@pytest.mark.parametrize("variant", VARIANTS)
def test_ports_schemes_and_paths_match_the_binary(
    rendered: dict[str, RenderedChart], check_config: CheckConfig, variant: str
) -> None:
    chart = rendered[variant]
    endpoints = check_config(chart.conf_yaml)["endpoints"]
    webhook, metrics = endpoints["webhook"], endpoints["metrics"]
    container_ports = {p["name"]: p["containerPort"] for p in chart.container["ports"]}
    assert container_ports == {"webhook": webhook["port"], "metrics": metrics["port"]}

    for probe in ("livenessProbe", "readinessProbe"):
        get = chart.container[probe]["httpGet"]
        assert get["path"] in metrics["paths"], f"{probe} path {get['path']} is not served by the metrics listener"
        assert get["scheme"] == metrics["scheme"].upper()

    service_ports = {p["name"]: p for p in chart.one("Service")["spec"]["ports"]}
    assert service_ports["webhook"]["appProtocol"] == webhook["scheme"]
    assert service_ports["metrics"]["appProtocol"] == metrics["scheme"]

    if chart.has("ValidatingWebhookConfiguration"):
        (registration,) = chart.one("ValidatingWebhookConfiguration")["webhooks"]
        # The admission path comes first in the binary's list; the rest are health paths.
        assert registration["clientConfig"]["service"]["path"] == webhook["paths"][0]
        assert webhook["scheme"] == "https", "the API server calls webhooks over HTTPS only"

    if chart.has("ServiceMonitor"):
        (scrape,) = chart.one("ServiceMonitor")["spec"]["endpoints"]
        assert scrape["path"] in metrics["paths"] and scrape["path"] != "/healthz"
        assert scrape["scheme"] == metrics["scheme"]


@pytest.mark.parametrize("variant", VARIANTS)
def test_certificate_and_probe_namespace_are_where_the_binary_looks(
    rendered: dict[str, RenderedChart], check_config: CheckConfig, variant: str
) -> None:
    chart = rendered[variant]
    configuration = check_config(chart.conf_yaml)["configuration"]
    assert chart.named("Role", f"{fullname()}-probe-pods")["metadata"]["namespace"] == \
        configuration["tasks"]["snat"]["pod_namespace"]
    volumes = {v["name"]: v for v in chart.pod_spec["volumes"]}
    mounts = {m["name"]: m["mountPath"] for m in chart.container["volumeMounts"]}
    if not (configuration["tls"] or configuration["metrics"]["tls"]):
        assert "tls" not in volumes
        return
    cert_file, key_file = configuration["webhook"]["cert_file"], configuration["webhook"]["key_file"]
    assert mounts["tls"] == posixpath.dirname(cert_file) == posixpath.dirname(key_file)
    items = {i["key"]: i["path"] for i in volumes["tls"]["secret"]["items"]}
    assert items == {"tls.crt": posixpath.basename(cert_file), "tls.key": posixpath.basename(key_file)}


def test_chart_app_version_is_the_binary_version(vigilante_bin: Path) -> None:
    # The default image tag is the appVersion, so it must name the version of the binary the chart was tested with.
    result = run([str(vigilante_bin), "version"], timeout=30)
    assert result.returncode == 0, result.stderr
    product, version = result.stdout.splitlines()[0].split()
    assert product == "cops-vigilante"
    assert yaml.safe_load((CHART_DIR / "Chart.yaml").read_text())["appVersion"] == version
