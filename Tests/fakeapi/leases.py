"""coordination.k8s.io/v1 Leases, as leader election uses them (client-go's leaderelection package): get, create,
update with PUT, watch.

Decoding is the API server's JSON decoder's into the Go type: a spec field of the wrong JSON type is a 400 with
sigs.k8s.io/json's words ("json: cannot unmarshal string into Go struct field LeaseSpec.spec.leaseDurationSeconds
of type int32"), and `acquireTime`/`renewTime` are metav1.MicroTime, read by time.Parse with the layout
"2006-01-02T15:04:05.000000Z07:00": exactly six fractional digits, so "2026-12-05T09:30:00Z" is refused as the API
server refuses it; they are stored as the server writes them (UTC, six digits). Nulls are dropped, and a Lease
always has a `spec` ({} when none was sent).

The strategy (pkg/registry/coordination/lease/strategy.go) allows create on update (a PUT to a missing Lease
creates it) and not unconditional update (a PUT of an existing Lease must carry its resourceVersion). As a v1.32
API server with its default feature gates (CoordinatedLeaderElection is alpha, off), it drops `strategy` and
`preferredHolder` on create, and on update unless the stored Lease has them.

Validation is ValidateLease / ValidateLeaseUpdate (pkg/apis/coordination/validation): a DNS-subdomain name,
`leaseDurationSeconds` > 0, `leaseTransitions` >= 0, a known `strategy`, `preferredHolder` only with `strategy`.
"""

import json

from fakeapi.clock import parse_micro_time
from fakeapi.errors import DecodeError, FieldError
from fakeapi.kinds import Column, Kind
from fakeapi.nodes import AGE_DESCRIPTION, NAME_DESCRIPTION, age
from fakeapi.validation import qualified_name_problems, validate_metadata

# LeaseSpec's fields in the Go struct's order (the order the server writes them), with their Go types.
_SPEC_FIELDS = {
    "holderIdentity": "string",
    "leaseDurationSeconds": "int32",
    "acquireTime": "MicroTime",
    "renewTime": "MicroTime",
    "leaseTransitions": "int32",
    "strategy": "string",
    "preferredHolder": "string",
}
_GATED_FIELDS = ("strategy", "preferredHolder")  # CoordinatedLeaderElection, off by default in v1.32
_STRATEGIES = ("OldestEmulationVersion",)
_INT32 = range(-(2**31), 2**31)
HOLDER_DESCRIPTION = ("holderIdentity contains the identity of the holder of a current lease. If Coordinated Leader "
                      "Election is used, the holder identity must be equal to the elected LeaseCandidate.metadata.name "
                      "field.")


def _json_kind(value: object) -> str:
    """What encoding/json calls a JSON value in an UnmarshalTypeError."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _type_error(value: object, struct: str, field: str, go_type: str) -> str:
    return f"json: cannot unmarshal {value} into Go struct field {struct}.{field} of type {go_type}"


def decode(lease: dict) -> None:
    """The body as the API server's decoder reads it into a v1.Lease (raising DecodeError with its words), and then
    writes it: spec fields in struct order, nulls dropped, MicroTimes normalized. Unknown fields are kept."""
    spec = lease.get("spec")
    if spec is None:
        lease["spec"] = {}
        return
    if not isinstance(spec, dict):
        raise DecodeError(_type_error(_json_kind(spec), "Lease", "spec", "v1.LeaseSpec"))
    saved = None  # a type mismatch is remembered and decoding goes on; the first one is the answer
    decoded: dict = {}
    for name, value in spec.items():
        go_type = _SPEC_FIELDS.get(name)
        if value is None or go_type is None:
            continue
        problem = None
        if go_type == "MicroTime":
            if not isinstance(value, str):
                # MicroTime.UnmarshalJSON's own json.Unmarshal into a string: the error comes without context.
                raise DecodeError(f"json: cannot unmarshal {_json_kind(value)} into Go value of type string")
            try:
                value = parse_micro_time(value)
            except ValueError as err:
                raise DecodeError(str(err)) from None
        elif go_type == "int32":
            if isinstance(value, float) or (isinstance(value, int) and not isinstance(value, bool) and value not in _INT32):
                problem = f"number {json.dumps(value)}"
            elif not isinstance(value, int) or isinstance(value, bool):
                problem = _json_kind(value)
        elif not isinstance(value, str):
            problem = _json_kind(value)
        if problem is not None:
            saved = saved or _type_error(problem, "LeaseSpec", f"spec.{name}", go_type)
            continue
        decoded[name] = value
    if saved:
        raise DecodeError(saved)
    ordered = {name: decoded[name] for name in _SPEC_FIELDS if name in decoded}
    ordered.update((name, value) for name, value in spec.items() if name not in _SPEC_FIELDS)
    lease["spec"] = ordered


def prepare_for_write(lease: dict, old: dict | None) -> None:
    """PrepareForCreate (old None) and PrepareForUpdate with the CoordinatedLeaderElection gate off: the gated
    fields go, unless the stored Lease already has them."""
    spec = lease.setdefault("spec", {})
    old_spec = (old or {}).get("spec") or {}
    for name in _GATED_FIELDS:
        if old_spec.get(name) is None:
            spec.pop(name, None)


def _validate_spec(spec: dict) -> list[FieldError]:
    errors = []
    duration = spec.get("leaseDurationSeconds")
    if duration is not None and duration <= 0:
        errors.append(FieldError("Invalid", "spec.leaseDurationSeconds", duration, "must be greater than 0"))
    transitions = spec.get("leaseTransitions")
    if transitions is not None and transitions < 0:
        errors.append(FieldError("Invalid", "spec.leaseTransitions", transitions, "must be greater than or equal to 0"))
    strategy = spec.get("strategy")
    if strategy is not None:
        # ValidateCoordinatedLeaseStrategy, called with the path spec.strategy, adds "strategy" once more.
        if "/" not in strategy:
            if strategy not in _STRATEGIES:
                errors.append(FieldError("NotSupported", "spec.strategy.strategy", strategy,
                                         "supported values: " + ", ".join(f'"{s}"' for s in _STRATEGIES)))
        else:
            errors += [FieldError("Invalid", "spec.strategy.strategy", strategy, problem)
                       for problem in qualified_name_problems(strategy)]
    if spec.get("preferredHolder") and not strategy:
        errors.append(FieldError("Forbidden", "spec.preferredHolder", detail="may only be specified if `strategy` is defined"))
    return errors


def validate(lease: dict) -> list[FieldError]:
    return validate_metadata(lease.get("metadata", {}), namespaced=True) + _validate_spec(lease.get("spec") or {})


def validate_update(_old: dict, new: dict) -> list[FieldError]:
    # ValidateObjectMetaUpdate (labels and annotations: the verbs check them) and the spec.
    return _validate_spec(new.get("spec") or {})


def _row(lease: dict, now: float) -> list:
    return [lease.get("metadata", {}).get("name", ""), (lease.get("spec") or {}).get("holderIdentity") or "",
            age(lease, now)]


LEASE = Kind(
    plural="leases",
    singular="lease",
    kind="Lease",
    namespaced=True,
    group="coordination.k8s.io",
    # The real server lists deletecollection too; the fake has no DELETE of a collection.
    verbs=("create", "delete", "get", "list", "patch", "update", "watch"),
    columns=(
        Column("Name", format="name", description=NAME_DESCRIPTION),
        Column("Holder", description=HOLDER_DESCRIPTION),
        Column("Age", description=AGE_DESCRIPTION),
    ),
    row=_row,
    decode=decode,
    prepare_for_write=prepare_for_write,
    validate=validate,
    validate_update=validate_update,
    allow_create_on_update=True,
    allow_unconditional_update=False,
)

__all__ = ["LEASE"]
