"""The Pod kind: validation, the defaults the API server and its admission plugins add, graceful deletion and
kubectl's columns. Where a pod goes and what its status says afterwards is lifecycle.py's (the scheduler and
kubelet stand-ins).

Binding matters for deletion, because the real pod strategy (pkg/registry/core/pod/strategy.go,
CheckGracefulDelete) deletes an unscheduled or finished pod at once whatever grace period was asked, and only
keeps a scheduled one around with a deletionTimestamp.
"""

from fakeapi.errors import FieldError
from fakeapi.kinds import Column, Kind, meta_field
from fakeapi.nodes import AGE_DESCRIPTION, NAME_DESCRIPTION, age
from fakeapi.validation import dns_label_problems, validate_metadata

DEFAULT_GRACE_SECONDS = 30
# The DefaultTolerationSeconds admission plugin adds these unless the pod already tolerates the taint.
_DEFAULT_TOLERATIONS = [
    {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300},
    {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300},
]


def validate(pod: dict) -> list[FieldError]:
    errors = validate_metadata(pod.get("metadata", {}), namespaced=True)
    spec = pod.get("spec")
    containers = spec.get("containers") if isinstance(spec, dict) else None
    if not containers:
        errors.append(FieldError("Required", "spec.containers"))
        return errors
    if not isinstance(containers, list):
        errors.append(FieldError("Invalid", "spec.containers", str(containers), "must be a list"))
        return errors
    seen = set()
    for i, c in enumerate(containers):
        path = f"spec.containers[{i}]"
        if not isinstance(c, dict):
            errors.append(FieldError("Invalid", path, str(c), "must be an object"))
            continue
        name = c.get("name")
        if not name:
            errors.append(FieldError("Required", f"{path}.name"))
        else:
            errors += [FieldError("Invalid", f"{path}.name", name, p) for p in dns_label_problems(str(name))]
            if name in seen:
                errors.append(FieldError("Duplicate", f"{path}.name", name))
            seen.add(name)
        if not c.get("image"):
            errors.append(FieldError("Required", f"{path}.image"))
    grace = spec.get("terminationGracePeriodSeconds")
    if grace is not None and (not isinstance(grace, int) or grace < 0):
        errors.append(FieldError("Invalid", "spec.terminationGracePeriodSeconds", grace, "must be greater than or equal to 0"))
    return errors


def validate_update(old: dict, new: dict) -> list[FieldError]:
    """Pod specs are immutable but for container images and a few more (ValidatePodUpdate); images suffice here."""
    def without_images(spec: dict) -> dict:
        spec = dict(spec or {})
        spec["containers"] = [{k: v for k, v in c.items() if k != "image"} for c in spec.get("containers") or []]
        return spec

    if without_images(old.get("spec")) != without_images(new.get("spec")):
        return [FieldError("Forbidden", "spec", detail="pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)")]
    return []


def _pull_policy(image: str) -> str:
    # A missing tag or ":latest" means Always, anything else IfNotPresent (SetDefaults_Container).
    last = image.rsplit("/", 1)[-1]
    if "@" in last:
        return "IfNotPresent"
    return "Always" if ":" not in last or last.endswith(":latest") else "IfNotPresent"


def prepare(pod: dict, _nodes) -> None:
    """Defaults of SetDefaults_PodSpec/Container and admission. Binding and status come from lifecycle.py."""
    spec = pod["spec"]
    spec.setdefault("restartPolicy", "Always")
    spec.setdefault("terminationGracePeriodSeconds", DEFAULT_GRACE_SECONDS)
    spec.setdefault("dnsPolicy", "ClusterFirst")
    spec.setdefault("securityContext", {})
    spec.setdefault("schedulerName", "default-scheduler")
    spec.setdefault("serviceAccountName", "default")
    spec.setdefault("serviceAccount", spec["serviceAccountName"])
    spec.setdefault("enableServiceLinks", True)
    spec.setdefault("priority", 0)
    spec.setdefault("preemptionPolicy", "PreemptLowerPriority")
    containers = []
    for c in spec["containers"]:
        c = dict(c)
        c.setdefault("resources", {})
        c.setdefault("terminationMessagePath", "/dev/termination-log")
        c.setdefault("terminationMessagePolicy", "File")
        c.setdefault("imagePullPolicy", _pull_policy(str(c["image"])))
        containers.append(c)
    spec["containers"] = containers
    tolerations = list(spec.get("tolerations") or [])
    for default in _DEFAULT_TOLERATIONS:
        if not any(t.get("key") == default["key"] and t.get("effect") in (None, "", "NoExecute") for t in tolerations):
            tolerations.append(dict(default))
    spec["tolerations"] = tolerations


def grace_seconds(pod: dict, options: dict) -> int:
    """CheckGracefulDelete: the asked period, else the pod's own; 0 for unscheduled or finished pods."""
    asked = options.get("gracePeriodSeconds")
    period = asked if asked is not None else pod.get("spec", {}).get("terminationGracePeriodSeconds", DEFAULT_GRACE_SECONDS)
    if not pod.get("spec", {}).get("nodeName"):
        return 0
    if pod.get("status", {}).get("phase") in ("Failed", "Succeeded"):
        return 0
    return max(int(period), 0)


def _row(pod: dict, now: float) -> list:
    status = pod.get("status", {})
    containers = pod.get("spec", {}).get("containers") or []
    statuses = status.get("containerStatuses") or []
    ready = sum(1 for s in statuses if s.get("ready") and (s.get("state") or {}).get("running") is not None)
    restarts = sum(int(s.get("restartCount", 0)) for s in statuses)
    shown = _shown_status(pod)
    return [
        pod["metadata"]["name"],
        f"{ready}/{len(containers)}",
        shown,
        str(restarts),
        age(pod, now),
        status.get("podIP") or "<none>",
        pod.get("spec", {}).get("nodeName") or "<none>",
        status.get("nominatedNodeName") or "<none>",
        "<none>",
    ]


def _shown_status(pod: dict) -> str:
    """kubectl's STATUS column (printPod): the phase or status reason, overridden by the last container that waits
    (its reason: ContainerCreating, ErrImagePull, ...) or has terminated; Terminating while deleted."""
    status = pod.get("status") or {}
    shown = status.get("reason") or status.get("phase") or "Unknown"
    for c in status.get("conditions") or []:
        if c.get("type") == "PodScheduled" and c.get("reason") == "SchedulingGated":
            shown = "SchedulingGated"
    has_running = False
    for s in reversed(status.get("containerStatuses") or []):
        state = s.get("state") or {}
        waiting, terminated = state.get("waiting") or {}, state.get("terminated")
        if waiting.get("reason"):
            shown = waiting["reason"]
        elif terminated is not None and terminated.get("reason"):
            shown = terminated["reason"]
        elif terminated is not None:
            shown = f"Signal:{terminated['signal']}" if terminated.get("signal") else f"ExitCode:{terminated.get('exitCode', 0)}"
        elif s.get("ready") and state.get("running") is not None:
            has_running = True
    if shown == "Completed" and has_running:
        ready = any(c.get("type") == "Ready" and c.get("status") == "True" for c in status.get("conditions") or [])
        shown = "Running" if ready else "NotReady"
    if pod.get("metadata", {}).get("deletionTimestamp") and status.get("phase") not in ("Failed", "Succeeded"):
        shown = "Terminating"
    return shown


def _status_field(name: str):
    return lambda pod: str(pod.get("status", {}).get(name) or "")


def _spec_field(name: str):
    return lambda pod: str(pod.get("spec", {}).get(name) or "")


POD = Kind(
    plural="pods",
    singular="pod",
    kind="Pod",
    namespaced=True,
    short_names=("po",),
    categories=("all",),
    verbs=("create", "delete", "get", "list", "patch"),
    fields={
        "metadata.name": meta_field("name"),
        "metadata.namespace": meta_field("namespace"),
        "spec.nodeName": _spec_field("nodeName"),
        "spec.restartPolicy": _spec_field("restartPolicy"),
        "spec.schedulerName": _spec_field("schedulerName"),
        "spec.serviceAccountName": _spec_field("serviceAccountName"),
        "spec.hostNetwork": lambda p: "true" if p.get("spec", {}).get("hostNetwork") else "false",
        "status.phase": _status_field("phase"),
        "status.podIP": _status_field("podIP"),
        "status.nominatedNodeName": _status_field("nominatedNodeName"),
    },
    columns=(
        Column("Name", format="name", description=NAME_DESCRIPTION),
        Column("Ready", description="The aggregate readiness state of this pod for accepting traffic."),
        Column("Status", description="The aggregate status of the containers in this pod."),
        Column("Restarts", type="string", description="The number of times the containers in this pod have been restarted and when the last container in this pod has restarted."),
        Column("Age", description=AGE_DESCRIPTION),
        Column("IP", description="IP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.", priority=1),
        Column("Node", description="NodeName is a request to schedule this pod onto a specific node.", priority=1),
        Column("Nominated Node", description="nominatedNodeName is set only when this pod preempts other pods on the node.", priority=1),
        Column("Readiness Gates", description="If specified, all readiness gates will be evaluated for pod readiness.", priority=1),
    ),
    row=_row,
    validate=validate,
    validate_update=validate_update,
    prepare=prepare,
    grace_seconds=grace_seconds,
    returns_deleted_object=True,
    has_status=True,
)
