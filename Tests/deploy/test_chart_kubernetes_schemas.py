"""Every rendered object is valid for the Kubernetes versions operators run: built-in kinds against the
OpenAPI schemas kubernetes-validate ships (strict: unknown fields are errors), and the cert-manager and Prometheus
Operator kinds against models generated from those projects' CRDs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest

from chart_support import CRD_KINDS, KUBERNETES_VERSIONS, VARIANTS, RenderedChart, run, tools_venv_program

BROKEN_CERTIFICATE = "broken/Certificate"


def built_in_manifests(rendered: dict[str, RenderedChart]) -> dict[str, dict[str, Any]]:
    """Distinct objects of all variants, so that each is validated once; keyed by where it first appears."""
    distinct: dict[str, dict[str, Any]] = {}
    seen: set[str] = set()
    for name, chart in rendered.items():
        for manifest in chart.manifests:
            text = json.dumps(manifest, sort_keys=True)
            if (manifest["apiVersion"], manifest["kind"]) in CRD_KINDS or text in seen:
                continue
            seen.add(text)
            distinct[f"{name}/{manifest['kind']}/{manifest['metadata']['name']}"] = manifest
    return distinct


def test_kubernetes_validate_ships_each_version() -> None:
    shipped = {kubernetes_validate.utils.major_minor(v) for v in kubernetes_validate.utils.all_versions()}
    missing = [v for v in KUBERNETES_VERSIONS if v not in shipped]
    assert not missing, f"kubernetes-validate {kubernetes_validate.__version__} has no schemas for {missing}"


@pytest.mark.parametrize("kube_version", KUBERNETES_VERSIONS)
def test_every_built_in_object_matches_the_kubernetes_schema(
    rendered: dict[str, RenderedChart], kube_version: str
) -> None:
    problems = []
    for where, manifest in built_in_manifests(rendered).items():
        try:
            validated = kubernetes_validate.validate(manifest, kube_version, strict=True)
        except kubernetes_validate.ValidationError as error:
            problems.append(f"{where}: {'.'.join(map(str, error.path))}: {error.message}")
            continue
        except kubernetes_validate.SchemaNotFoundError as error:
            problems.append(f"{where}: {error.message}")
            continue
        # validate() falls back to an older schema set when the exact one is missing; ours must be the exact one.
        assert validated == kube_version
    assert problems == []


@pytest.fixture(scope="module")
def crd_problems(rendered: dict[str, RenderedChart]) -> dict[str, list[str]]:
    """Problems of every custom resource of every variant, from one run of validate_crds.py (loading the CRD
    models takes seconds), plus one Certificate with a misspelt field that must be caught."""
    objects = {f"{name}/{m['kind']}/{m['metadata']['name']}": m
               for name, chart in rendered.items() for m in chart.manifests if (m["apiVersion"], m["kind"]) in CRD_KINDS}
    broken = json.loads(json.dumps(rendered["create_certificates"].all("Certificate")[-1]))
    broken["spec"]["privateKey"]["algorithem"] = "ECDSA"
    objects[BROKEN_CERTIFICATE] = broken
    script = Path(__file__).with_name("validate_crds.py")
    result = run([tools_venv_program("python"), str(script)], input=json.dumps(objects))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("variant", VARIANTS)
def test_every_custom_resource_matches_its_crd(crd_problems: dict[str, list[str]], variant: str) -> None:
    problems = {name: found for name, found in crd_problems.items() if name.startswith(f"{variant}/") and found}
    assert problems == {}


def test_the_validators_catch_a_misspelt_field(
    rendered: dict[str, RenderedChart], crd_problems: dict[str, list[str]]
) -> None:
    # Guards the guards: strict mode and the CRD check both reject a field Kubernetes would drop silently.
    deployment = json.loads(json.dumps(rendered["defaults"].one("Deployment")))
    deployment["spec"]["template"]["spec"]["nodeSelectr"] = {}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, KUBERNETES_VERSIONS[-1], strict=True)
    assert crd_problems[BROKEN_CERTIFICATE] == ["unknown field spec.privateKey.algorithem"]
