"""Events, served as core/v1 `events` and as `events.k8s.io/v1` over one storage, as in Kubernetes.

Both APIs are views of the same objects (an Event created through events.k8s.io shows up in
`kubectl describe node`, which reads core/v1). They are stored in the core form and converted field by field:
regarding<->involvedObject, note<->message, reportingController<->reportingComponent, and the deprecated*
fields<->their core names.
"""

from fakeapi.errors import FieldError
from fakeapi.kinds import Column, Kind, meta_field
from fakeapi.nodes import AGE_DESCRIPTION, NAME_DESCRIPTION
from fakeapi.clock import human_duration, parse_rfc3339, rfc3339, rfc3339_micro
from fakeapi.validation import validate_metadata

# events.k8s.io/v1 name -> core/v1 name; fields not listed are named alike in both.
_RENAMES = {
    "regarding": "involvedObject",
    "note": "message",
    "reportingController": "reportingComponent",
    "deprecatedSource": "source",
    "deprecatedFirstTimestamp": "firstTimestamp",
    "deprecatedLastTimestamp": "lastTimestamp",
    "deprecatedCount": "count",
}
_BACK = {core: v1 for v1, core in _RENAMES.items()}


def v1_to_core(event: dict) -> dict:
    return {_RENAMES.get(k, k): v for k, v in event.items()}


def core_to_v1(event: dict) -> dict:
    return {_BACK.get(k, k): v for k, v in event.items() if v not in (None, "", {}) or k == "metadata"}


def _namespace_errors(event: dict) -> list[FieldError]:
    # An event about a cluster-scoped object (a Node) must live in "default" (ValidateEventCreate).
    regarding = event.get("involvedObject") or {}
    namespace = event.get("metadata", {}).get("namespace", "")
    expected = regarding.get("namespace") or ""
    if (expected == "" and namespace not in ("", "default")) or (expected and expected != namespace):
        return [FieldError("Invalid", "involvedObject.namespace", expected, "does not match event.namespace")]
    return []


# Times as the server re-serializes them: metav1.MicroTime with 6 digits, metav1.Time in whole seconds, UTC "Z".
_MICRO_TIMES = ("eventTime",)
_SECOND_TIMES = ("firstTimestamp", "lastTimestamp")


def _time_errors(event: dict) -> list[FieldError]:
    errors = []
    for name in _MICRO_TIMES + _SECOND_TIMES:
        value = event.get(name)
        if value not in (None, "") and (not isinstance(value, str) or parse_rfc3339(value) is None):
            errors.append(FieldError("Invalid", _BACK.get(name, name), str(value), "must be an RFC 3339 time"))
    return errors


def prepare(event: dict, _nodes) -> None:
    for name in _MICRO_TIMES:
        if event.get(name):
            event[name] = rfc3339_micro(parse_rfc3339(event[name]))
    for name in _SECOND_TIMES:
        if event.get(name):
            event[name] = rfc3339(parse_rfc3339(event[name]))
    series = event.get("series")
    if isinstance(series, dict) and parse_rfc3339(str(series.get("lastObservedTime") or "")) is not None:
        event["series"] = {**series, "lastObservedTime": rfc3339_micro(parse_rfc3339(series["lastObservedTime"]))}


def validate_core(event: dict) -> list[FieldError]:
    return validate_metadata(event.get("metadata", {}), namespaced=True) + _namespace_errors(event) + _time_errors(event)


def validate_v1(event: dict) -> list[FieldError]:
    """events.k8s.io/v1 is strict: eventTime, reportingController/Instance, action, reason, a known type."""
    errors = validate_core(event)
    if not event.get("eventTime"):
        errors.append(FieldError("Required", "eventTime"))
    if event.get("type") not in ("Normal", "Warning"):
        errors.append(FieldError("NotSupported", "type", event.get("type") or "", 'supported values: "Normal", "Warning"'))
    for name, path in (("reportingComponent", "reportingController"), ("reportingInstance", "reportingInstance"), ("action", "action"), ("reason", "reason")):
        value = event.get(name)
        if not value:
            errors.append(FieldError("Required", path))
        elif len(str(value)) > 128:
            errors.append(FieldError("TooLong", path, detail="may not be more than 128 characters"))
    if len(str(event.get("message") or "")) > 1024:
        errors.append(FieldError("TooLong", "note", detail="may not be more than 1024 characters"))
    return errors


def _involved(name: str):
    return lambda e: str((e.get("involvedObject") or {}).get(name) or "")


_FIELDS = {
    "metadata.name": meta_field("name"),
    "metadata.namespace": meta_field("namespace"),
    "involvedObject.kind": _involved("kind"),
    "involvedObject.namespace": _involved("namespace"),
    "involvedObject.name": _involved("name"),
    "involvedObject.uid": _involved("uid"),
    "involvedObject.apiVersion": _involved("apiVersion"),
    "involvedObject.resourceVersion": _involved("resourceVersion"),
    "involvedObject.fieldPath": _involved("fieldPath"),
    "reason": lambda e: str(e.get("reason") or ""),
    "reportingComponent": lambda e: str(e.get("reportingComponent") or ""),
    # As pkg/registry/core/event/strategy.go ToSelectableFields: the source component, else reportingController
    # (events written through events.k8s.io, such as kube-scheduler's, have no source).
    "source": lambda e: str((e.get("source") or {}).get("component") or e.get("reportingComponent") or ""),
    "type": lambda e: str(e.get("type") or ""),
}
# events.k8s.io accepts its own field names for the same fields.
_V1_FIELDS = dict(_FIELDS)
_V1_FIELDS.update({f"regarding.{k.split('.', 1)[1]}": v for k, v in _FIELDS.items() if k.startswith("involvedObject.")})
_V1_FIELDS.update({"reportingController": _FIELDS["reportingComponent"], "deprecatedSource": _FIELDS["source"]})


def _last_seen(event: dict, now: float) -> str:
    for name in ("lastTimestamp", "eventTime", "firstTimestamp"):
        at = parse_rfc3339(event.get(name) or "")
        if at is not None:
            return human_duration(now - at)
    return "<unknown>"


def _row(event: dict, now: float) -> list:
    regarding = event.get("involvedObject") or {}
    return [
        _last_seen(event, now),
        event.get("type", ""),
        event.get("reason", ""),
        f"{str(regarding.get('kind', '')).lower()}/{regarding.get('name', '')}",
        event.get("message", ""),
        event.get("metadata", {}).get("name", ""),
    ]


_COLUMNS = (
    Column("Last Seen", description="Time when this Event was last observed."),
    Column("Type", description="Type of this event (Normal, Warning), new types could be added in the future"),
    Column("Reason", description="This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
    Column("Object", description="The object this Event is about."),
    Column("Message", description="A human-readable description of the status of this operation."),
    Column("Name", format="name", description=NAME_DESCRIPTION, priority=1),
)

CORE_EVENT = Kind(
    plural="events",
    singular="event",
    kind="Event",
    namespaced=True,
    area="events",
    short_names=("ev",),
    fields=_FIELDS,
    columns=_COLUMNS,
    row=_row,
    validate=validate_core,
    prepare=prepare,
)

EVENT_V1 = Kind(
    plural="events",
    singular="event",
    kind="Event",
    namespaced=True,
    group="events.k8s.io",
    area="events",
    short_names=("ev",),
    fields=_V1_FIELDS,
    columns=_COLUMNS,
    row=_row,
    validate=validate_v1,
    prepare=prepare,
    to_view=core_to_v1,
    from_view=v1_to_core,
)

__all__ = ["CORE_EVENT", "EVENT_V1", "AGE_DESCRIPTION"]
