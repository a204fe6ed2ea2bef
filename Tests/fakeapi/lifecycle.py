"""What happens to a pod after the API server stored it: the scheduler binds it (or says why it cannot), and the
kubelet of its node creates the sandbox (the pod's IP), pulls the images and starts the containers, writing
status updates and Events on the way.

Scheduler (scheduler.py has the rules and the words). At create, a pod that names no node and asks for the
default scheduler goes through one scheduling attempt: bound (spec.nodeName set, PodScheduled True, Normal
`Scheduled` "Successfully assigned <ns>/<pod> to <node>") or left Pending (PodScheduled False, reason
Unschedulable, the FitError message, Warning `FailedScheduling`). Both Events come as kube-scheduler's
events.k8s.io recorder writes them: reportingController default-scheduler, action Binding/Scheduling, eventTime,
no source or first/lastTimestamp. A Pending unschedulable pod is tried again whenever a node is added or changes
(a taint removed, uncordoned, turned Ready: the node events the scheduling queue reacts to); if it still cannot be
placed and the message changed, the condition's message is updated and another FailedScheduling is written.

Kubelet (kubelet.py has the documents and the words), per node profile (sandboxDelayMs, sandbox, image, retryMs):
- bind time T: status "creating" (ContainerCreating, hostIP, no IP);
- T + sandboxDelayMs: sandbox "ok": the pod gets its IP; images "ok": Pulled/Created/Started and Running;
  images "fail": Pulling, Failed ("Failed to pull image ..."), Failed ("Error: ErrImagePull"), containers waiting
  ErrImagePull; retryMs later ImagePullBackOff (Normal BackOff "Back-off pulling image ...", Warning Failed
  "Error: ImagePullBackOff"), and so on, a pull attempt every other retryMs (it succeeds once the profile says ok);
- sandbox "fail": no IP, no status change, a Warning FailedCreatePodSandBox with the Azure CNI error, and
  another attempt retryMs + sandboxDelayMs later (each with a new sandbox id), until the profile says ok.
With a delay of 0 the first sandbox attempt is part of the bind, so a created pod answers Running at once.

Each transition is one write (a new resourceVersion) at its due time on the monotonic clock, through the store's
timed actions: any read or write after that time, and any watch, sees it; wall-clock timestamps are those of the
due times. Kubelet Events go through a small copy of client-go's EventCorrelator: an identical Event raises the
count (and lastTimestamp) of the one already written; from the 10th distinct message of one reason about one
object within 10 minutes on, they are combined into one "(combined from similar events): ..." Event.
"""

import time
from dataclasses import dataclass, field

from fakeapi import kubelet, scheduler
from fakeapi.clock import rfc3339, rfc3339_micro
from fakeapi.events import CORE_EVENT
from fakeapi.nodes import NODE
from fakeapi.pods import POD
from fakeapi.store import Change

SCHEDULER = "default-scheduler"
SCHEDULER_INSTANCE = "default-scheduler-fakeapi"  # "<controller>-<hostname>", as the events.k8s.io recorder names it
_AGGREGATE_AFTER = 10  # client-go EventCorrelator: maxEvents similar events in...
_AGGREGATE_WINDOW = 600.0  # ...maxIntervalInSeconds are combined


def wall(due: float) -> float:
    """The wall-clock time of a monotonic instant."""
    return time.time() - (time.monotonic() - due)


@dataclass
class Run:
    """The kubelet's memory of one pod bound to its node."""

    key: str
    uid: str
    node: str
    attempts: int = 0  # sandbox attempts so far
    pulls: int = 0  # failed pull attempts so far


@dataclass
class Outcome:
    """What one kubelet step does: a new status (or none), Events (type, reason, message, fieldPath), what next."""

    status: dict | None = None
    events: list = field(default_factory=list)
    next: tuple[str, float] | None = None  # (step, monotonic due time)


@dataclass
class Admission:
    """What create decided, for once the pod is stored."""

    outcome: str  # "scheduled", "named" (spec.nodeName given), "unschedulable", "ignored" (another scheduler)
    due: float
    node: str | None = None
    message: str | None = None
    run: Run | None = None
    pending: Outcome | None = None


def _pending_condition(pod: dict) -> dict | None:
    for c in (pod.get("status") or {}).get("conditions") or []:
        if isinstance(c, dict) and c.get("type") == "PodScheduled":
            return c
    return None


def is_unscheduled(pod: dict) -> bool:
    """A pod the scheduler tried and could not place: what its queue keeps for the next node event."""
    spec = pod.get("spec") or {}
    condition = _pending_condition(pod)
    return (
        not spec.get("nodeName")
        and spec.get("schedulerName", SCHEDULER) == SCHEDULER
        and isinstance(spec.get("containers"), list) and bool(spec["containers"])
        and not pod.get("metadata", {}).get("deletionTimestamp")
        and (pod.get("status") or {}).get("phase") == "Pending"
        and condition is not None and condition.get("status") == "False" and condition.get("reason") == "Unschedulable"
    )


class PodLifecycle:
    def __init__(self, cluster, default_delay_ms: int = 0):
        self.cluster = cluster
        self.store = cluster.store
        self.default_delay_ms = default_delay_ms
        self.profiles: dict[str, kubelet.Profile] = {}
        self._runs: dict[str, Run] = {}  # pod uid -> run
        self._unscheduled: set[str] = set()  # pod keys
        self._observed: dict[tuple, str] = {}  # correlator: event key -> event storage key
        self._similar: dict[tuple, tuple[float, set]] = {}  # correlator: aggregate key -> (window start, messages)
        self._last_nanos = 0
        self.store.observers.append(self._observe)

    # --- profiles --------------------------------------------------------------------------------------------
    def profile(self, node: str) -> kubelet.Profile:
        return self.profiles.get(node) or kubelet.Profile()

    def describe_profile(self, node: str) -> dict:
        return {"node": node, **self.profile(node).describe(self.default_delay_ms)}

    def update_profile(self, node: str, body: object) -> dict:
        with self.store.lock:
            self.profiles[node] = self.profile(node).updated(body)
            return self.describe_profile(node)

    def reset_profile(self, node: str) -> dict:
        with self.store.lock:
            self.profiles.pop(node, None)
            return self.describe_profile(node)

    def reset(self) -> None:
        """Forget profiles and runs (admin reset; the pods are gone already)."""
        with self.store.lock:
            self.profiles.clear()
            self._runs.clear()
            self._unscheduled.clear()
            self._observed.clear()
            self._similar.clear()

    def _delay(self, profile: kubelet.Profile) -> float:
        return (self.default_delay_ms if profile.sandbox_delay_ms is None else profile.sandbox_delay_ms) / 1000

    # --- create ----------------------------------------------------------------------------------------------
    def admit(self, pod: dict) -> Admission:
        """At create, before the pod is stored: bind it or not, and give it the status that goes with that."""
        spec = pod["spec"]
        pod.pop("status", None)  # as the pod strategy's PrepareForCreate: a client does not set the status
        due = time.monotonic()
        if spec.get("nodeName"):
            node = self._node(spec["nodeName"])
            status, run, pending = self._bind(pod, node, due)
            pod["status"] = status
            return Admission("named", due, spec["nodeName"], run=run, pending=pending)
        if spec.get("schedulerName", SCHEDULER) != SCHEDULER:
            pod["status"] = {"phase": "Pending", "qosClass": kubelet.qos_class(pod)}
            return Admission("ignored", due)
        decision = scheduler.schedule(spec, self.cluster.nodes())
        if decision.node is None:
            pod["status"] = self._unschedulable_status(pod, decision.message, due)
            return Admission("unschedulable", due, message=decision.message)
        spec["nodeName"] = decision.node["metadata"]["name"]
        status, run, pending = self._bind(pod, decision.node, due)
        pod["status"] = status
        return Admission("scheduled", due, spec["nodeName"], run=run, pending=pending)

    def created(self, pod: dict, admission: Admission) -> None:
        """Once the pod is stored (not for dry runs): the scheduler's Event, the kubelet's first Events and timers."""
        if admission.outcome == "scheduled":
            self._scheduler_event(pod, "Normal", "Scheduled", "Binding", f"Successfully assigned {pod['metadata']['namespace']}/{pod['metadata']['name']} to {admission.node}", admission.due)
        elif admission.outcome == "unschedulable":
            self._scheduler_event(pod, "Warning", "FailedScheduling", "Scheduling", admission.message, admission.due)
        if admission.run is not None:
            self._runs[admission.run.uid] = admission.run
            self._commit(admission.run, pod, admission.pending, admission.due, write_status=False)

    def _node(self, name: str) -> dict:
        stored = self.store.get(NODE.storage, name)
        return stored.obj if stored is not None else {"metadata": {"name": name}}

    def _bind(self, pod: dict, node: dict, due: float) -> tuple[dict, Run, Outcome]:
        """The status of a freshly bound pod, the kubelet's run, and what the kubelet does next (or did at once)."""
        run = Run(f"{pod['metadata']['namespace']}/{pod['metadata']['name']}", pod["metadata"]["uid"], node["metadata"]["name"])
        status = kubelet.creating_status(pod, node, rfc3339(wall(due)))
        delay = self._delay(self.profile(run.node))
        if delay > 0:
            return status, run, Outcome(next=("sandbox", due + delay))
        first = self._step_sandbox(run, {**pod, "status": status}, due)
        return first.status or status, run, Outcome(events=first.events, next=first.next)

    @staticmethod
    def _unschedulable_status(pod: dict, message: str, due: float) -> dict:
        old = _pending_condition(pod)
        since = old.get("lastTransitionTime") if old and old.get("status") == "False" else None
        condition = {"type": "PodScheduled", "status": "False", "lastProbeTime": None, "lastTransitionTime": since or rfc3339(wall(due)), "reason": "Unschedulable", "message": message}
        return {"phase": "Pending", "conditions": [condition], "qosClass": kubelet.qos_class(pod)}

    # --- the scheduling queue --------------------------------------------------------------------------------
    def _observe(self, change: Change) -> None:
        if change.area == POD.storage:
            if change.type == "DELETED":
                self._unscheduled.discard(change.key)
                self._runs.pop((change.old or {}).get("metadata", {}).get("uid", ""), None)
            elif is_unscheduled(change.new):
                self._unscheduled.add(change.key)
            else:
                self._unscheduled.discard(change.key)
        elif change.area == NODE.storage and change.type in ("ADDED", "MODIFIED") and self._unscheduled:
            for key in sorted(self._unscheduled):  # writes below change the set
                self._retry(key)

    def _retry(self, key: str) -> None:
        stored = self.store.get(POD.storage, key)
        if stored is None or not is_unscheduled(stored.obj):
            self._unscheduled.discard(key)
            return
        pod = stored.obj
        due = time.monotonic()
        decision = scheduler.schedule(pod["spec"], self.cluster.nodes())
        if decision.node is None:
            if (_pending_condition(pod) or {}).get("message") == decision.message:
                return  # nothing new to say
            new = {**pod, "status": {**(pod.get("status") or {}), **self._unschedulable_status(pod, decision.message, due)}}
            stored = self.store.replace(POD.storage, key, new)
            self._scheduler_event(stored.obj, "Warning", "FailedScheduling", "Scheduling", decision.message, due)
            return
        name = decision.node["metadata"]["name"]
        new = {**pod, "spec": {**pod["spec"], "nodeName": name}}
        status, run, pending = self._bind(new, decision.node, due)
        new["status"] = status
        stored = self.store.replace(POD.storage, key, new)
        self._scheduler_event(stored.obj, "Normal", "Scheduled", "Binding", f"Successfully assigned {pod['metadata']['namespace']}/{pod['metadata']['name']} to {name}", due)
        self._runs[run.uid] = run
        self._commit(run, stored.obj, pending, due, write_status=False)

    # --- the kubelet -----------------------------------------------------------------------------------------
    def _fire(self, uid: str, step: str, due: float) -> None:
        run = self._runs.get(uid)
        if run is None:
            return
        stored = self.store.get(POD.storage, run.key)
        pod = stored.obj if stored is not None else {}
        meta, spec = pod.get("metadata", {}), pod.get("spec") or {}
        finished = (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed")
        if stored is None or meta.get("uid") != uid or meta.get("deletionTimestamp") or spec.get("nodeName") != run.node or finished:
            self._runs.pop(uid, None)  # deleted, replaced, terminating, moved or finished (admin patches): no more
            return
        outcome = getattr(self, f"_step_{step}")(run, stored.obj, due)
        self._commit(run, stored.obj, outcome, due)

    def _commit(self, run: Run, pod: dict, outcome: Outcome | None, due: float, write_status: bool = True) -> None:
        if outcome is None:
            return
        if outcome.status is not None and write_status:
            pod = self.store.replace(POD.storage, run.key, {**pod, "status": outcome.status}).obj
        for event_type, reason, message, field_path in outcome.events:
            self._kubelet_event(run, pod, event_type, reason, message, field_path, due)
        if outcome.next is not None:
            step, at = outcome.next
            self.store.call_at(at, lambda fired, uid=run.uid, step=step: self._fire(uid, step, fired))

    def _step_sandbox(self, run: Run, pod: dict, due: float) -> Outcome:
        profile = self.profile(run.node)
        run.attempts += 1
        if profile.sandbox == "fail":
            event = ("Warning", "FailedCreatePodSandBox", kubelet.sandbox_error(pod, kubelet.sandbox_id(pod, run.attempts)), None)
            later = ("sandbox", due + profile.retry_ms / 1000 + self._delay(profile)) if profile.retry_ms > 0 else None
            return Outcome(events=[event], next=later)
        return self._start(run, pod, due, profile)

    def _step_backoff(self, run: Run, pod: dict, due: float) -> Outcome:
        profile = self.profile(run.node)
        events = []
        for c in pod["spec"]["containers"]:
            path = f"spec.containers{{{c['name']}}}"
            events += [("Normal", "BackOff", f'Back-off pulling image "{c["image"]}"', path), ("Warning", "Failed", "Error: ImagePullBackOff", path)]
        status = kubelet.pull_failed_status(pod, self._node(run.node), rfc3339(wall(due)), backing_off=True)
        return Outcome(status, events, ("pull", due + profile.retry_ms / 1000) if profile.retry_ms > 0 else None)

    def _step_pull(self, run: Run, pod: dict, due: float) -> Outcome:
        return self._start(run, pod, due, self.profile(run.node))

    def _start(self, run: Run, pod: dict, due: float, profile: kubelet.Profile) -> Outcome:
        """The sandbox is there: pull the images and start the containers (or fail to pull)."""
        node = self._node(run.node)
        at = rfc3339(wall(due))
        events = []
        if profile.image == "fail":
            run.pulls += 1
            for c in pod["spec"]["containers"]:
                path, image = f"spec.containers{{{c['name']}}}", str(c["image"])
                events += [
                    ("Normal", "Pulling", f'Pulling image "{image}"', path),
                    ("Warning", "Failed", f'Failed to pull image "{image}": {kubelet.pull_error(image)}', path),
                    ("Warning", "Failed", "Error: ErrImagePull", path),
                ]
            later = ("backoff", due + profile.retry_ms / 1000) if profile.retry_ms > 0 else None
            return Outcome(kubelet.pull_failed_status(pod, node, at, backing_off=False), events, later)
        for c in pod["spec"]["containers"]:
            path, image = f"spec.containers{{{c['name']}}}", str(c["image"])
            if c.get("imagePullPolicy") == "Always" or run.pulls:
                events += [("Normal", "Pulling", f'Pulling image "{image}"', path),
                           ("Normal", "Pulled", f'Successfully pulled image "{image}" in 1.204s (1.204s including waiting). Image size: 2097152 bytes.', path)]
            else:
                events.append(("Normal", "Pulled", f'Container image "{image}" already present on machine', path))
            events += [("Normal", "Created", f"Created container: {c['name']}", path), ("Normal", "Started", f"Started container {c['name']}", path)]
        return Outcome(kubelet.running_status(pod, node, at), events)

    # --- Events ----------------------------------------------------------------------------------------------
    def _event_name(self, pod: dict, due: float) -> str:
        nanos = max(int(wall(due) * 1e9), self._last_nanos + 1)
        self._last_nanos = nanos
        return f"{pod['metadata']['name']}.{nanos:x}"

    @staticmethod
    def _reference(pod: dict, field_path: str | None = None) -> dict:
        meta = pod["metadata"]
        ref = {"kind": "Pod", "namespace": meta["namespace"], "name": meta["name"], "uid": meta.get("uid", ""), "apiVersion": "v1", "resourceVersion": meta.get("resourceVersion", "")}
        if field_path:
            ref["fieldPath"] = field_path
        return ref

    def _scheduler_event(self, pod: dict, event_type: str, reason: str, action: str, message: str, due: float) -> None:
        """As kube-scheduler's events.k8s.io recorder writes it, in the core form the fake stores."""
        namespace = pod["metadata"]["namespace"]
        name = self._event_name(pod, due)
        event = {
            "metadata": {"name": name, "namespace": namespace},
            "involvedObject": self._reference(pod),
            "reason": reason,
            "message": message,
            "source": {},
            "firstTimestamp": None,
            "lastTimestamp": None,
            "type": event_type,
            "eventTime": rfc3339_micro(wall(due)),
            "action": action,
            "reportingComponent": SCHEDULER,
            "reportingInstance": SCHEDULER_INSTANCE,
        }
        self.store.create(CORE_EVENT.storage, f"{namespace}/{name}", event)

    def _kubelet_event(self, run: Run, pod: dict, event_type: str, reason: str, message: str, field_path: str | None, due: float) -> None:
        """As the kubelet's core/v1 recorder writes it, through the EventCorrelator's aggregation and dedup."""
        namespace = pod["metadata"]["namespace"]
        now = wall(due)
        similar = (run.uid, field_path, event_type, reason)
        start, messages = self._similar.get(similar, (now, set()))
        if now - start > _AGGREGATE_WINDOW:
            start, messages = now, set()
        messages.add(message)
        self._similar[similar] = (start, messages)
        key = similar + (message,)
        if len(messages) >= _AGGREGATE_AFTER:
            message, key = "(combined from similar events): " + message, similar + (None,)
        stored_key = self._observed.get(key)
        stored = self.store.get(CORE_EVENT.storage, stored_key) if stored_key else None
        at = rfc3339(now)
        if stored is not None:
            old = stored.obj
            self.store.replace(CORE_EVENT.storage, stored_key, {**old, "count": int(old.get("count") or 1) + 1, "lastTimestamp": at, "message": message})
            return
        name = self._event_name(pod, due)
        event = {
            "metadata": {"name": name, "namespace": namespace},
            "involvedObject": self._reference(pod, field_path),
            "reason": reason,
            "message": message,
            "source": {"component": "kubelet", "host": run.node},
            "firstTimestamp": at,
            "lastTimestamp": at,
            "count": 1,
            "type": event_type,
            "eventTime": None,
            "reportingComponent": "kubelet",
            "reportingInstance": run.node,
        }
        self._observed[key] = f"{namespace}/{name}"
        self.store.create(CORE_EVENT.storage, f"{namespace}/{name}", event)
