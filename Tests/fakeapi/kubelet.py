"""What a kubelet writes about a pod bound to its node: the status documents of each stage and the words of its
Events (pkg/kubelet: generateAPIPodStatus, kuberuntime SyncPod/startContainer, images/image_manager.go), plus the
per-node profile that decides how the stand-in behaves. The timing lives in lifecycle.py.

Stages of a bound pod:
- creating: the sandbox is being created. Phase Pending, PodReadyToStartContainers False, Initialized True,
  Ready and ContainersReady False (ContainersNotReady, "containers with unready status: [...]"), PodScheduled
  True, every container waiting with reason ContainerCreating, hostIP set, no podIP.
- running: the sandbox has its IP (CNI ADD ran), containers started. Phase Running, every condition True,
  podIP/podIPs, containers running and ready.
- pulling failed: the sandbox and its IP exist (PodReadyToStartContainers True) but an image cannot be pulled:
  containers waiting with ErrImagePull (the runtime's error as message), later ImagePullBackOff
  ("Back-off pulling image ..."); phase Pending, Ready False.
"""

import hashlib
from dataclasses import dataclass, replace

DEFAULT_RETRY_MS = 10_000  # the pod worker retries a failed sync after ~10 s (workerBackOffPeriod)
_PROFILE_FIELDS = {"sandboxDelayMs", "sandbox", "image", "retryMs"}


@dataclass(frozen=True)
class Profile:
    """How one node's kubelet treats the pods bound to it. sandbox_delay_ms None: the server's --sandbox-delay-ms."""

    sandbox_delay_ms: int | None = None
    sandbox: str = "ok"  # "fail": CNI ADD fails, no IP, FailedCreatePodSandBox
    image: str = "ok"  # "fail": the sandbox gets its IP, the images cannot be pulled
    retry_ms: int = DEFAULT_RETRY_MS  # the kubelet's next attempt after a failure; 0: never again

    def describe(self, default_delay_ms: int) -> dict:
        delay = default_delay_ms if self.sandbox_delay_ms is None else self.sandbox_delay_ms
        return {"sandboxDelayMs": delay, "sandbox": self.sandbox, "image": self.image, "retryMs": self.retry_ms}

    def updated(self, body: object) -> "Profile":
        """A copy with the fields of an admin request body; ValueError for anything malformed."""
        if not isinstance(body, dict):
            raise ValueError('send {"sandboxDelayMs": int, "sandbox": "ok"|"fail", "image": "ok"|"fail", "retryMs": int}')
        unknown = sorted(set(body) - _PROFILE_FIELDS)
        if unknown:
            raise ValueError(f"unknown kubelet profile field(s): {', '.join(unknown)}; known: {', '.join(sorted(_PROFILE_FIELDS))}")
        changes = {}
        for name, attr in (("sandboxDelayMs", "sandbox_delay_ms"), ("retryMs", "retry_ms")):
            if name in body:
                value = body[name]
                if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                    raise ValueError(f"{name} must be an integer >= 0")
                changes[attr] = value
        for name in ("sandbox", "image"):
            if name in body:
                if body[name] not in ("ok", "fail"):
                    raise ValueError(f'{name} must be "ok" or "fail"')
                changes[name] = body[name]
        return replace(self, **changes)


def host_ip(node: dict) -> str:
    addresses = (node.get("status") or {}).get("addresses") or []
    return next((a.get("address") for a in addresses if isinstance(a, dict) and a.get("type") == "InternalIP"), "10.240.0.4")


def pod_ip(pod: dict) -> str:
    digest = hashlib.sha256(pod["metadata"].get("uid", "").encode()).digest()
    return f"10.244.{digest[0]}.{digest[1] % 254 + 1}"


def sandbox_id(pod: dict, attempt: int) -> str:
    """The 64-hex id containerd gives a sandbox: a new one per attempt (derived, so runs repeat)."""
    return hashlib.sha256(f"{pod['metadata'].get('uid', '')}/sandbox/{attempt}".encode()).hexdigest()


def qos_class(pod: dict) -> str:
    """BestEffort without requests or limits; Guaranteed when every container limits cpu and memory and requests
    (defaulting to the limits) equal them; Burstable otherwise (pkg/apis/core/helper/qos)."""
    containers = pod.get("spec", {}).get("containers") or []
    resources = [c.get("resources") or {} for c in containers]
    if not any((r.get("requests") or r.get("limits")) for r in resources):
        return "BestEffort"
    for r in resources:
        limits, requests = r.get("limits") or {}, r.get("requests") or {}
        for name in ("cpu", "memory"):
            if name not in limits or str(requests.get(name, limits[name])) != str(limits[name]):
                return "Burstable"
    return "Guaranteed"


def _condition(kind: str, status: str, at: str, reason: str | None = None, message: str | None = None) -> dict:
    c = {"type": kind, "status": status, "lastProbeTime": None, "lastTransitionTime": at}
    if reason:
        c["reason"] = reason
    if message:
        c["message"] = message
    return c


def _names(pod: dict) -> list[str]:
    return [c["name"] for c in pod["spec"]["containers"]]


def _since(old: dict, kind: str, status: str, now: str) -> str:
    """The condition's lastTransitionTime: kept while its status stays (the kubelet's status manager does so)."""
    for c in old.get("conditions") or []:
        if c.get("type") == kind and c.get("status") == status:
            return c.get("lastTransitionTime") or now
    return now


def _conditions(pod: dict, old: dict, at: str, sandbox: bool, ready: bool) -> list[dict]:
    unready = None if ready else f"containers with unready status: [{' '.join(_names(pod))}]"
    wanted = [
        ("PodReadyToStartContainers", "True" if sandbox else "False", None, None),
        ("Initialized", "True", None, None),
        ("Ready", "True" if ready else "False", None if ready else "ContainersNotReady", unready),
        ("ContainersReady", "True" if ready else "False", None if ready else "ContainersNotReady", unready),
        ("PodScheduled", "True", None, None),
    ]
    return [_condition(kind, status, _since(old, kind, status, at), reason, message) for kind, status, reason, message in wanted]


def _base(pod: dict, node: dict, old: dict, at: str) -> dict:
    ip = host_ip(node)
    return {"hostIP": ip, "hostIPs": [{"ip": ip}], "startTime": old.get("startTime") or at, "qosClass": qos_class(pod)}


def _waiting(pod: dict, reason: str, message: str | None = None) -> list[dict]:
    statuses = []
    for c in pod["spec"]["containers"]:
        waiting = {"reason": reason}
        if message:
            waiting["message"] = message.replace("{image}", str(c["image"]))
        statuses.append({"name": c["name"], "state": {"waiting": waiting}, "lastState": {}, "ready": False, "restartCount": 0, "image": c["image"], "imageID": "", "started": False})
    return statuses


def creating_status(pod: dict, node: dict, at: str) -> dict:
    """Bound, the sandbox not there yet (kubectl: ContainerCreating)."""
    old = pod.get("status") or {}
    return {
        "phase": "Pending",
        "conditions": _conditions(pod, old, at, sandbox=False, ready=False),
        **_base(pod, node, old, at),
        "containerStatuses": _waiting(pod, "ContainerCreating"),
    }


def _with_ip(pod: dict, status: dict) -> dict:
    ip = pod_ip(pod)
    return {**status, "podIP": ip, "podIPs": [{"ip": ip}]}


def running_status(pod: dict, node: dict, at: str) -> dict:
    old = pod.get("status") or {}
    statuses = [
        {
            "name": c["name"],
            "state": {"running": {"startedAt": at}},
            "lastState": {},
            "ready": True,
            "restartCount": 0,
            "image": c["image"],
            "imageID": image_id(str(c["image"])),
            "containerID": "containerd://" + hashlib.sha256((pod["metadata"].get("uid", "") + c["name"]).encode()).hexdigest(),
            "started": True,
        }
        for c in pod["spec"]["containers"]
    ]
    status = {"phase": "Running", "conditions": _conditions(pod, old, at, sandbox=True, ready=True), **_base(pod, node, old, at), "containerStatuses": statuses}
    return _with_ip(pod, status)


def pull_failed_status(pod: dict, node: dict, at: str, backing_off: bool) -> dict:
    """The sandbox has its IP; the containers wait with ErrImagePull, or ImagePullBackOff between attempts."""
    old = pod.get("status") or {}
    if backing_off:
        waiting = _waiting(pod, "ImagePullBackOff", 'Back-off pulling image "{image}"')
    else:
        waiting = _waiting(pod, "ErrImagePull", pull_error("{image}"))
    status = {"phase": "Pending", "conditions": _conditions(pod, old, at, sandbox=True, ready=False), **_base(pod, node, old, at), "containerStatuses": waiting}
    return _with_ip(pod, status)


def image_id(image: str) -> str:
    return image + "@sha256:" + hashlib.sha256(image.encode()).hexdigest()


def pull_error(image: str) -> str:
    """containerd's answer for an image that cannot be resolved, as the kubelet reports it."""
    return (f'rpc error: code = NotFound desc = failed to pull and unpack image "{image}": failed to resolve reference '
            f'"{image}": {image}: not found')


def sandbox_error(pod: dict, sandbox: str) -> str:
    """The FailedCreatePodSandBox message of an Azure CNI (CNS IPAM) node that has no IP to give."""
    meta = pod["metadata"]
    interface = meta.get("uid", "")[:8]
    return (
        f'Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "{sandbox}": '
        f'plugin type="azure-vnet" failed (add): IPAM Invoker Add failed with error: Failed to get IP address from CNS with '
        f'error: %w: AllocateIPConfig failed: not enough IPs available for {meta.get("uid", "")}, waiting on Azure CNS to '
        f'allocate more with NC Status: , IP config request is [IPConfigRequest: DesiredIPAddress , PodInterfaceID '
        f'{interface}-eth0, InfraContainerID {sandbox}, OrchestratorContext '
        f'{{"PodName":"{meta.get("name", "")}","PodNamespace":"{meta.get("namespace", "")}"}}]'
    )
