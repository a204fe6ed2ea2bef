"""coordination.k8s.io/v1 Leases, as leader election uses them (client-go's leaderelection package): get, create,
update with PUT, watch.

Validation is the API server's (pkg/apis/coordination/validation): a DNS-subdomain name, `leaseDurationSeconds` > 0,
`leaseTransitions` >= 0, `preferredHolder` only with `strategy`. The strategy (pkg/registry/coordination/lease)
allows create on update (a PUT to a missing Lease creates it) and not unconditional update (a PUT of an existing
Lease must carry its resourceVersion). `acquireTime` and `renewTime` are MicroTimes: a value that is not a time is
refused as the API server's decoder refuses it (400), and they are stored with six fractional digits.
"""

from fakeapi.clock import parse_rfc3339, rfc3339_micro
from fakeapi.errors import FieldError, bad_request
from fakeapi.kinds import Column, Kind
from fakeapi.nodes import AGE_DESCRIPTION, NAME_DESCRIPTION, age
from fakeapi.validation import validate_metadata

_MICRO_TIMES = ("acquireTime", "renewTime")


def _spec(lease: dict) -> dict:
    spec = lease.get("spec")
    if spec is None:
        return {}
    if not isinstance(spec, dict):
        raise bad_request('Lease in version "v1" cannot be handled as a Lease: spec must be an object')
    return spec


def _integer(spec: dict, name: str) -> None:
    value = spec.get(name)
    if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
        raise bad_request(f'Lease in version "v1" cannot be handled as a Lease: json: cannot unmarshal '
                          f'{type(value).__name__} into Go struct field LeaseSpec.spec.{name} of type int32')


def normalize(lease: dict, *_args) -> None:
    """MicroTimes stored as the server writes them: UTC, six fractional digits."""
    spec = _spec(lease)
    for name in _MICRO_TIMES:
        value = spec.get(name)
        if value is None:
            continue
        at = parse_rfc3339(value) if isinstance(value, str) else None
        if at is None:
            raise bad_request(f'Lease in version "v1" cannot be handled as a Lease: parsing time "{value}" as '
                              f'"2006-01-02T15:04:05.000000Z07:00": cannot parse "{value}" as "2006"')
        spec[name] = rfc3339_micro(at)


def validate(lease: dict) -> list[FieldError]:
    errors = validate_metadata(lease.get("metadata", {}), namespaced=True)
    spec = _spec(lease)
    _integer(spec, "leaseDurationSeconds")
    _integer(spec, "leaseTransitions")
    normalize(lease)
    duration = spec.get("leaseDurationSeconds")
    if duration is not None and duration <= 0:
        errors.append(FieldError("Invalid", "spec.leaseDurationSeconds", duration, "must be greater than 0"))
    transitions = spec.get("leaseTransitions")
    if transitions is not None and transitions < 0:
        errors.append(FieldError("Invalid", "spec.leaseTransitions", transitions,
                                 "must be greater than or equal to 0"))
    if spec.get("preferredHolder") and not spec.get("strategy"):
        errors.append(FieldError("Forbidden", "spec.preferredHolder", detail="may only be specified if `strategy` is defined"))
    return errors


def validate_update(_old: dict, new: dict) -> list[FieldError]:
    return validate(new)


def _row(lease: dict, now: float) -> list:
    return [lease.get("metadata", {}).get("name", ""), _spec(lease).get("holderIdentity") or "", age(lease, now)]


LEASE = Kind(
    plural="leases",
    singular="lease",
    kind="Lease",
    namespaced=True,
    group="coordination.k8s.io",
    verbs=("create", "delete", "get", "list", "patch", "update", "watch"),
    columns=(
        Column("Name", format="name", description=NAME_DESCRIPTION),
        Column("Holder", description="holderIdentity contains the identity of the holder of a current lease."),
        Column("Age", description=AGE_DESCRIPTION),
    ),
    row=_row,
    validate=validate,
    validate_update=validate_update,
    allow_create_on_update=True,
    allow_unconditional_update=False,
)

__all__ = ["LEASE"]
