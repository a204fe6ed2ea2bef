"""Checks cert-manager and Prometheus Operator objects against models generated from those projects' CRDs
(the cloudcoil-models packages), which kubernetes-validate does not know.

Runs in the tools virtual environment (requirements-tools.txt), not inside pytest: cloudcoil brings a pytest
plugin of its own. Reads {"name": manifest, ...} as JSON on stdin and writes {"name": [problem, ...], ...}.

The models check types, enums and required fields but ignore unknown keys, so unknown_fields() walks each object
beside its model to report keys the CRD does not define, as the API server's strict field validation would.
"""

from __future__ import annotations

import json
import sys
import typing
from typing import Any, Iterator

import pydantic
from cloudcoil.models.cert_manager import v1 as cert_manager
from cloudcoil.models.prometheus_operator import v1 as prometheus_operator

MODELS: dict[tuple[str, str], type[pydantic.BaseModel]] = {
    ("cert-manager.io/v1", "Issuer"): cert_manager.Issuer,
    ("cert-manager.io/v1", "Certificate"): cert_manager.Certificate,
    ("monitoring.coreos.com/v1", "ServiceMonitor"): prometheus_operator.ServiceMonitor,
    ("monitoring.coreos.com/v1", "PrometheusRule"): prometheus_operator.PrometheusRule,
}


def problems(manifest: dict[str, Any]) -> list[str]:
    model = MODELS.get((manifest.get("apiVersion"), manifest.get("kind")))
    if model is None:
        return [f"no CRD model for {manifest.get('apiVersion')} {manifest.get('kind')}"]
    found = [f"unknown field {path}" for path in unknown_fields(model, manifest, "")]
    try:
        model.model_validate(manifest)
    except pydantic.ValidationError as error:
        found += [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors()]
    return found


def unknown_fields(model: type[pydantic.BaseModel], data: dict[str, Any], path: str) -> Iterator[str]:
    by_key = {(info.alias or name): info for name, info in model.model_fields.items()}
    for key, value in data.items():
        info = by_key.get(key)
        if info is None:
            yield f"{path}{key}"
            continue
        nested = model_in(info.annotation)
        if nested is None:
            continue
        if isinstance(value, dict):
            yield from unknown_fields(nested, value, f"{path}{key}.")
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, dict):
                    yield from unknown_fields(nested, item, f"{path}{key}[{index}].")


def model_in(annotation: Any) -> type[pydantic.BaseModel] | None:
    """The model class inside Optional[...], List[...] or Annotated[...]; None for maps and plain values."""
    if isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel):
        return annotation
    if typing.get_origin(annotation) is dict:
        return None
    for argument in typing.get_args(annotation):
        found = model_in(argument)
        if found is not None:
            return found
    return None


if __name__ == "__main__":
    manifests: dict[str, dict[str, Any]] = json.load(sys.stdin)
    json.dump({name: problems(manifest) for name, manifest in manifests.items()}, sys.stdout, indent=1)
