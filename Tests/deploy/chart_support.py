"""Rendering the chart with real Helm, the values matrix, and finding the tools the tests run.

Helm is helm-python-sdk: Helm's own Go code (v4) built as a C library inside the wheel, so rendering and linting
need no helm binary and no network.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import helm_python
import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
DEPLOY_DIR = REPO_ROOT / "deploy"
CHART_DIR = DEPLOY_DIR / "helm" / "cops-vigilante"
RELEASE_NAME = "vigilante"
# Not "default": checkov flags objects in the default namespace, and operators install into their own.
NAMESPACE = "cops-vigilante"

# Every install the chart supports, by what an operator would set. The issue's matrix comes first.
VARIANTS: dict[str, dict[str, Any]] = {
    "defaults": {},
    "create_certificates": {"create_certificates": True},
    "create_service_monitor": {"create_service_monitor": True},
    "prometheus_rule": {"create_service_monitor": True, "prometheusRule": {"enabled": True, "labels": {"release": "kps"}},
                        "dashboards": {"enabled": True}},
    "certificates_and_service_monitor": {"create_certificates": True, "create_service_monitor": True},
    "tls_off": {"config": {"tls": False}},
    "webhook_off": {"webhook": {"enabled": False}},
    "custom_tolerations_and_resources": {
        "tolerations": [{"key": "CriticalAddonsOnly", "operator": "Exists", "effect": "NoSchedule"}],
        "resources": {"requests": {"cpu": "50m", "memory": "64Mi"}, "limits": {"cpu": "500m", "memory": "256Mi"}},
        "nodeSelector": {"agentpool": "system"},
        "config": {
            "tasks": {
                "snat": {
                    "healing_pod_tolerations": [
                        {"key": "os", "operator": "Equal", "value": "windows", "effect": "NoSchedule"},
                        {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute",
                         "tolerationSeconds": 30},
                    ]
                }
            }
        },
    },
    # Beyond the issue's matrix: metrics over HTTPS, an own CA, moved ports and probe namespace, and a values file
    # as written for the Go chart (server_use_tls was its config key).
    "metrics_tls": {"create_certificates": True, "create_service_monitor": True, "config": {"metrics": {"tls": True}}},
    "own_ca_bundle": {"tlsSecretName": "vigilante-serving", "webhook": {"caBundle": "Y2EtYnVuZGxl"}},
    "custom_ports_and_namespace": {
        "config": {"webhook": {"port": 9443}, "metrics": {"port": 9090},
                   "tasks": {"snat": {"pod_namespace": "vigilante-probes"}}},
    },
    "single_replica_without_leader_election": {"replicaCount": 1, "config": {"leader_election": {"enabled": False}}},
    "go_chart_values": {
        "image": {"repository": "conplementag/cops-vigilante", "tag": "1.2.1", "pullPolicy": "Always"},
        "create_certificates": True,
        "create_service_monitor": True,
        "resources": {"limits": {"cpu": "100m", "memory": "128Mi"}, "requests": {"cpu": "100m", "memory": "128Mi"}},
        "config": {"server_use_tls": True, "interval": 45,
                   "tasks": {"snat": {"healing_pod_tolerations": [{"key": "os", "operator": "Exists"}]}}},
    },
}

# Current minor versions (AKS supports the newest few); each must be one kubernetes-validate ships schemas for.
KUBERNETES_VERSIONS = ("1.34", "1.35", "1.36", "1.37")

# Kinds defined by CRDs of cert-manager and the Prometheus Operator, which Kubernetes' own schemas do not cover.
CRD_KINDS = {("cert-manager.io/v1", "Issuer"), ("cert-manager.io/v1", "Certificate"),
             ("monitoring.coreos.com/v1", "PrometheusRule"),
             ("monitoring.coreos.com/v1", "ServiceMonitor")}


@dataclass
class RenderedChart:
    """One `helm template`: the manifests as objects, NOTES.txt, and the rendered conf.yaml."""

    variant: str
    values: dict[str, Any]
    manifests: list[dict[str, Any]] = field(default_factory=list)
    notes: str = ""

    def all(self, kind: str) -> list[dict[str, Any]]:
        return [m for m in self.manifests if m["kind"] == kind]

    def one(self, kind: str) -> dict[str, Any]:
        found = self.all(kind)
        assert len(found) == 1, f"{self.variant}: expected one {kind}, found {len(found)}"
        return found[0]

    def named(self, kind: str, name: str) -> dict[str, Any]:
        found = [m for m in self.all(kind) if m["metadata"]["name"] == name]
        assert len(found) == 1, f"{self.variant}: expected one {kind} {name}, found {len(found)}"
        return found[0]

    def has(self, kind: str) -> bool:
        return bool(self.all(kind))

    @property
    def conf_yaml(self) -> str:
        (config,) = [m for m in self.all("ConfigMap") if "conf.yaml" in (m.get("data") or {})]
        return config["data"]["conf.yaml"]

    @property
    def pod_spec(self) -> dict[str, Any]:
        return self.one("Deployment")["spec"]["template"]["spec"]

    @property
    def container(self) -> dict[str, Any]:
        (container,) = self.pod_spec["containers"]
        return container

    def as_yaml(self) -> str:
        return yaml.safe_dump_all(self.manifests, sort_keys=False)


def render(values: dict[str, Any], variant: str = "custom") -> RenderedChart:
    """Renders like `helm template vigilante deploy/helm/cops-vigilante -n cops-vigilante -f values`."""
    rendered = RenderedChart(variant=variant, values=values)
    with helm_python.Chart.load(CHART_DIR) as chart:
        files = chart.render(values=values, name=RELEASE_NAME, namespace=NAMESPACE, is_install=True)
    for path in sorted(files):
        if path.endswith("NOTES.txt"):
            rendered.notes = files[path]
            continue
        rendered.manifests += [doc for doc in yaml.safe_load_all(files[path]) if doc]
    return rendered


def lint(values: dict[str, Any], kube_version: str | None = None) -> list[dict[str, Any]]:
    """`helm lint`'s findings; severity 1 info, 2 warning, 3 error."""
    report = helm_python.lint(CHART_DIR, values, namespace=NAMESPACE, kube_version=kube_version)
    return report["messages"] + [{"severity": 3, "path": "", "error": e} for e in report.get("errors") or []]


def fullname() -> str:
    return f"{RELEASE_NAME}-cops-vigilante"


def tool(name: str, env_var: str, install_hint: str, candidates: tuple[Path, ...] = ()) -> str:
    """The path of a command-line tool, from an environment variable, known places, or PATH; else a clear failure."""
    explicit = os.environ.get(env_var)
    if explicit:
        if not os.access(explicit, os.X_OK):
            raise AssertionError(f"{env_var}={explicit} is not an executable file")
        return explicit
    for candidate in candidates:
        if os.access(candidate, os.X_OK):
            return str(candidate)
    found = shutil.which(name)
    if found is None:
        raise AssertionError(f"{name} is not installed: {install_hint} (or set {env_var})")
    return found


def run(command: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, timeout=kwargs.pop("timeout", 120), **kwargs)


TOOLS_HINT = "bash scripts/setup.sh"


def tools_venv_program(name: str) -> str:
    """A program of the tools virtual environment (checkov, its python): DEPLOY_TOOLS_VENV, else
    <repo>/.venv-deploy-tools; a clear failure when it was not set up."""
    venv = Path(os.environ.get("DEPLOY_TOOLS_VENV", REPO_ROOT / ".venv-deploy-tools"))
    program = venv / "bin" / name
    if not os.access(program, os.X_OK):
        raise AssertionError(f"{program} is missing; set up the deploy tools with: {TOOLS_HINT} "
                             "(or point DEPLOY_TOOLS_VENV at such an environment)")
    return str(program)
