"""`helm lint` (Helm's own linter, through helm-python-sdk) finds nothing above info level in any variant."""

from __future__ import annotations

import pytest

from chart_support import KUBERNETES_VERSIONS, VARIANTS, lint


@pytest.mark.parametrize("variant", VARIANTS)
def test_helm_lint_reports_no_error_or_warning(variant: str) -> None:
    findings = [m for m in lint(VARIANTS[variant]) if m["severity"] >= 2]
    assert findings == [], f"helm lint, variant {variant}: {findings}"


@pytest.mark.parametrize("kube_version", KUBERNETES_VERSIONS)
def test_helm_lint_accepts_each_supported_kubernetes_version(kube_version: str) -> None:
    # With a cluster version, lint also checks Chart.yaml's kubeVersion and flags APIs deprecated in that version.
    findings = [m for m in lint(VARIANTS["certificates_and_service_monitor"], f"v{kube_version}.0")
                if m["severity"] >= 2]
    assert findings == [], f"helm lint for Kubernetes {kube_version}: {findings}"


def test_helm_lint_reports_a_broken_values_file_as_error() -> None:
    # The linter is live: a value of the wrong type is an error (values.schema.json), not silently accepted.
    findings = lint({"create_certificates": "yes"})
    assert any(m["severity"] == 3 and "create_certificates" in m["error"] for m in findings), findings
