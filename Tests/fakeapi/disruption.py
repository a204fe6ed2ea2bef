"""policy/v1 PodDisruptionBudgets and the pods/eviction subresource, as the API server and the disruption
controller handle them (pkg/registry/core/pod/storage/eviction.go, pkg/controller/disruption).

An eviction (`POST /api/v1/namespaces/{ns}/pods/{name}/eviction`, a policy/v1 Eviction) deletes the pod like a
DELETE when no budget selects it, or when the pod cannot count as healthy anyway (not Running, terminal, or already
terminating). With one budget selecting it, the pod goes only when the budget allows a disruption: healthy pods
(Running and Ready, not terminating) above `minAvailable`, or fewer missing than `maxUnavailable` (integers or
percentages of the pods the budget selects: minAvailable rounds up, maxUnavailable down, as the controller scales
them); otherwise 429 TooManyRequests "Cannot evict pod as it would violate the pod's disruption
budget." with a DisruptionBudget cause, and nothing changes. Two budgets selecting the pod are a 500, as the API
server refuses to choose. The budget is judged on the pods as they are at the eviction (what the disruption
controller would have computed); the fake writes no `status` into the stored budget.
"""

import math

from fakeapi.errors import ApiError, FieldError, bad_request
from fakeapi.kinds import Column, Kind
from fakeapi.nodes import AGE_DESCRIPTION, NAME_DESCRIPTION, age
from fakeapi.selection import parse_label_selector
from fakeapi.validation import validate_metadata


def _selector_text(selector: dict) -> str:
    """A LabelSelector object as selector text (matchLabels and matchExpressions)."""
    terms = [f"{k}={v}" for k, v in (selector.get("matchLabels") or {}).items()]
    for expression in selector.get("matchExpressions") or []:
        op = expression.get("operator")
        key = expression.get("key")
        values = ",".join(expression.get("values") or [])
        terms.append({"In": f"{key} in ({values})", "NotIn": f"{key} notin ({values})", "Exists": key,
                      "DoesNotExist": f"!{key}"}[op])
    return ",".join(terms)


def _scaled(value, total: int, round_up: bool) -> int:
    if isinstance(value, int):
        return value
    percent = int(str(value).rstrip("%"))
    exact = percent * total / 100
    return math.ceil(exact) if round_up else math.floor(exact)


def _healthy(pod: dict) -> bool:
    status = pod.get("status") or {}
    ready = any(c.get("type") == "Ready" and c.get("status") == "True" for c in status.get("conditions") or [])
    return status.get("phase") == "Running" and ready and not pod["metadata"].get("deletionTimestamp")


def budget_status(budget: dict, pods: list[dict]) -> dict:
    """What the disruption controller would write into the budget's status for these pods."""
    spec = budget.get("spec") or {}
    selector = parse_label_selector(_selector_text(spec.get("selector") or {}))
    namespace = budget["metadata"]["namespace"]
    selected = [p for p in pods if p["metadata"].get("namespace") == namespace
                and selector.matches(p["metadata"].get("labels"))]
    expected = len(selected)
    healthy = sum(1 for p in selected if _healthy(p))
    if "minAvailable" in spec:
        desired = _scaled(spec["minAvailable"], expected, round_up=True)
    else:
        desired = max(0, expected - _scaled(spec.get("maxUnavailable", 0), expected, round_up=False))
    return {"currentHealthy": healthy, "desiredHealthy": desired, "expectedPods": expected,
            "disruptionsAllowed": max(0, healthy - desired),
            "observedGeneration": budget["metadata"].get("generation", 1)}


def selects(budget: dict, pod: dict) -> bool:
    selector = parse_label_selector(_selector_text((budget.get("spec") or {}).get("selector") or {}))
    return (budget["metadata"]["namespace"] == pod["metadata"].get("namespace")
            and not selector.is_empty and selector.matches(pod["metadata"].get("labels")))


def blocked(budget: dict, status: dict) -> ApiError:
    return ApiError(429, "TooManyRequests", "Cannot evict pod as it would violate the pod's disruption budget.",
                    details={"causes": [{"reason": "DisruptionBudget",
                                         "message": f"The disruption budget {budget['metadata']['name']} needs "
                                                    f"{status['desiredHealthy']} healthy pods and has "
                                                    f"{status['currentHealthy']} currently"}]})


def validate(budget: dict) -> list[FieldError]:
    errors = validate_metadata(budget.get("metadata", {}), namespaced=True)
    spec = budget.get("spec") or {}
    if "minAvailable" in spec and "maxUnavailable" in spec:
        errors.append(FieldError("Invalid", "spec", spec, "minAvailable and maxUnavailable cannot be both set"))
    for name in ("minAvailable", "maxUnavailable"):
        value = spec.get(name)
        if value is None:
            continue
        if isinstance(value, bool) or not (isinstance(value, int) and value >= 0 or
                                           isinstance(value, str) and value.endswith("%") and value[:-1].isdigit()):
            errors.append(FieldError("Invalid", f"spec.{name}", value, "must be a non-negative integer or a percentage"))
    if not isinstance(spec.get("selector"), dict):
        errors.append(FieldError("Required", "spec.selector"))
    return errors


def eviction_body(body: object, namespace: str, name: str) -> dict:
    """The Eviction sent: a policy/v1 Eviction (kind and apiVersion may be left out, as clients do: the
    subresource knows its type) naming the pod of the URL; its deleteOptions, if any."""
    if not isinstance(body, dict) or body.get("kind") not in (None, "Eviction") or \
            body.get("apiVersion") not in (None, "policy/v1", "policy/v1beta1"):
        raise bad_request("the body of an eviction must be a policy/v1 Eviction")
    meta = body.get("metadata") or {}
    if meta.get("name") not in (None, "", name):
        raise bad_request(f"name in URL does not match name in Eviction object")
    if meta.get("namespace") not in (None, "", namespace):
        raise bad_request("namespace in URL does not match namespace in Eviction object")
    return body.get("deleteOptions") or {}


def _row(budget: dict, now: float) -> list:
    spec = budget.get("spec") or {}
    return [budget["metadata"].get("name", ""), str(spec.get("minAvailable", "N/A")),
            str(spec.get("maxUnavailable", "N/A")), age(budget, now)]


PDB = Kind(
    plural="poddisruptionbudgets",
    singular="poddisruptionbudget",
    kind="PodDisruptionBudget",
    namespaced=True,
    group="policy",
    short_names=("pdb",),
    verbs=("create", "delete", "get", "list", "watch"),
    columns=(
        Column("Name", format="name", description=NAME_DESCRIPTION),
        Column("Min Available", description="The minimum number of pods that must be available simultaneously."),
        Column("Max Unavailable", description="The maximum number of pods that may be unavailable simultaneously."),
        Column("Age", description=AGE_DESCRIPTION),
    ),
    row=_row,
    validate=validate,
)

__all__ = ["PDB", "budget_status", "selects", "blocked", "eviction_body"]
