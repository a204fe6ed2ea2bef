"""The Node kind: cluster-scoped, a status subresource, `kubectl get nodes` columns."""

from fakeapi.clock import human_duration, parse_rfc3339
from fakeapi.kinds import Column, Kind, meta_field
from fakeapi.validation import validate_metadata

NAME_DESCRIPTION = "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names"
AGE_DESCRIPTION = "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata"


def age(obj: dict, now: float) -> str:
    created = parse_rfc3339(obj.get("metadata", {}).get("creationTimestamp", ""))
    return "<unknown>" if created is None else human_duration(now - created)


def condition(obj: dict, kind: str) -> dict | None:
    for c in obj.get("status", {}).get("conditions") or []:
        if c.get("type") == kind:
            return c
    return None


def ready_status(obj: dict) -> str:
    """What kubectl shows: Ready / NotReady / Unknown, plus SchedulingDisabled for a cordoned node."""
    c = condition(obj, "Ready")
    status = "Unknown" if c is None or c.get("status") == "Unknown" else ("Ready" if c.get("status") == "True" else "NotReady")
    if obj.get("spec", {}).get("unschedulable"):
        status += ",SchedulingDisabled"
    return status


def _roles(obj: dict) -> str:
    roles = set()
    for key, value in (obj.get("metadata", {}).get("labels") or {}).items():
        if key.startswith("node-role.kubernetes.io/"):
            roles.add(key.split("/", 1)[1])
        elif key == "kubernetes.io/role" and value:
            roles.add(value)
    return ",".join(sorted(roles)) or "<none>"


def _address(obj: dict, kind: str) -> str:
    for a in obj.get("status", {}).get("addresses") or []:
        if a.get("type") == kind:
            return a.get("address", "")
    return "<none>"


def _row(obj: dict, now: float) -> list:
    info = obj.get("status", {}).get("nodeInfo") or {}
    return [
        obj["metadata"]["name"],
        ready_status(obj),
        _roles(obj),
        age(obj, now),
        info.get("kubeletVersion", ""),
        _address(obj, "InternalIP"),
        _address(obj, "ExternalIP"),
        info.get("osImage") or "<unknown>",
        info.get("kernelVersion") or "<unknown>",
        info.get("containerRuntimeVersion") or "<unknown>",
    ]


NODE = Kind(
    plural="nodes",
    singular="node",
    kind="Node",
    namespaced=False,
    short_names=("no",),
    verbs=("create", "delete", "get", "list", "patch"),
    fields={
        "metadata.name": meta_field("name"),
        "spec.unschedulable": lambda o: "true" if o.get("spec", {}).get("unschedulable") else "false",
    },
    columns=(
        Column("Name", format="name", description=NAME_DESCRIPTION),
        Column("Status", description="The status of the node"),
        Column("Roles", description="The roles of the node"),
        Column("Age", description=AGE_DESCRIPTION),
        Column("Version", description="Kubelet Version reported by the node."),
        Column("Internal-IP", description="List of addresses reachable to the node. Queried from cloud provider, if available.", priority=1),
        Column("External-IP", description="List of addresses reachable to the node. Queried from cloud provider, if available.", priority=1),
        Column("OS-Image", description="OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).", priority=1),
        Column("Kernel-Version", description="Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", priority=1),
        Column("Container-Runtime", description="ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).", priority=1),
    ),
    row=_row,
    validate=lambda obj: validate_metadata(obj.get("metadata", {}), namespaced=False),
    has_status=True,
)
