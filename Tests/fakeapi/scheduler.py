"""A stand-in for kube-scheduler's default profile, reduced to the filters that decide where a probe pod may go,
with the scheduler's own words when it may go nowhere (checked against kubernetes/kubernetes, v1.32):

- Filters run per node in the default plugin order (pkg/scheduler/apis/config/v1/default_plugins.go):
  NodeUnschedulable, NodeName, TaintToleration, NodeAffinity, ... The framework stops at the first filter that
  rejects a node (runtime/framework.go RunFilterPlugins), so a node is counted under that filter's reason only.
  * NodeUnschedulable (plugins/nodeunschedulable): a cordoned node (spec.unschedulable) is refused with
    "node(s) were unschedulable", unless the pod tolerates the taint node.kubernetes.io/unschedulable:NoSchedule.
  * NodeName: only pods that name spec.nodeName, and those never reach the scheduler; nothing to do here.
  * TaintToleration (plugins/tainttoleration): the first of the node's taints (in the node's order) with effect
    NoSchedule or NoExecute that no toleration of the pod tolerates refuses the node with
    "node(s) had untolerated taint {<key>: <value>}" (an empty value prints as "{key: }"). PreferNoSchedule
    taints never refuse; they only make a node less preferred.
  * NodeAffinity (plugins/nodeaffinity): a node whose labels do not carry every nodeSelector pair (or match
    none of the required node affinity terms) is refused with "node(s) didn't match Pod's node affinity/selector".
- Tolerations as core/v1 Toleration.ToleratesTaint: an empty effect matches every effect, else the effects must
  be equal; an empty key matches every key (with Exists), else the keys must be equal; operator Exists matches
  any value, Equal (or empty) needs equal values; any other operator matches nothing.
- All three filters answer UnschedulableAndUnresolvable, so preemption (DefaultPreemption's PostFilter) finds
  that removing pods would not help on any node.
- The message (framework/types.go FitError.Error): "0/<all nodes> nodes are available: " then the reasons as
  "<count> <reason>" sorted as strings (so "10 ..." sorts before "2 ...") and joined with ", ", then ". ",
  then the PostFilter message, which is "preemption: " + the preemption FitError: "0/<N> nodes are available:
  <N> Preemption is not helpful for scheduling." (since v1.30 without the doubled final period), or
  "preemption: not eligible due to preemptionPolicy=Never." for such a pod.
- With no node at all the scheduler gives up before filtering: "no nodes available to schedule pods".

Among feasible nodes the real scheduler scores and then picks at random among the best; the fake takes the node
with the fewest untolerated PreferNoSchedule taints, then the first by name, so tests are deterministic.
"""

from dataclasses import dataclass

ERR_UNSCHEDULABLE = "node(s) were unschedulable"
ERR_AFFINITY = "node(s) didn't match Pod's node affinity/selector"
NO_NODES = "no nodes available to schedule pods"
PREEMPTION_NOT_HELPFUL = "Preemption is not helpful for scheduling"
_UNSCHEDULABLE_TAINT = {"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"}


def tolerates(toleration: dict, taint: dict) -> bool:
    """core/v1 Toleration.ToleratesTaint."""
    effect = toleration.get("effect") or ""
    if effect and effect != (taint.get("effect") or ""):
        return False
    key = toleration.get("key") or ""
    if key and key != (taint.get("key") or ""):
        return False
    operator = toleration.get("operator") or ""
    if operator in ("", "Equal"):
        return (toleration.get("value") or "") == (taint.get("value") or "")
    return operator == "Exists"


def tolerated(tolerations: list, taint: dict) -> bool:
    return any(isinstance(t, dict) and tolerates(t, taint) for t in tolerations or [])


def _taints(node: dict) -> list[dict]:
    return [t for t in (node.get("spec") or {}).get("taints") or [] if isinstance(t, dict)]


def untolerated_taint(node: dict, tolerations: list) -> dict | None:
    """The first NoSchedule/NoExecute taint of the node that the tolerations do not tolerate."""
    for taint in _taints(node):
        if taint.get("effect") in ("NoSchedule", "NoExecute") and not tolerated(tolerations, taint):
            return taint
    return None


def _requirement_matches(expression: dict, labels: dict) -> bool:
    key, operator, values = expression.get("key"), expression.get("operator"), expression.get("values") or []
    present = key in labels
    if operator == "In":
        return present and labels[key] in values
    if operator == "NotIn":
        return not present or labels[key] not in values
    if operator == "Exists":
        return present
    if operator == "DoesNotExist":
        return not present
    if operator in ("Gt", "Lt") and present and len(values) == 1:
        try:
            have, want = int(labels[key]), int(values[0])
        except ValueError:
            return False
        return have > want if operator == "Gt" else have < want
    return False


def _term_matches(term: dict, node: dict) -> bool:
    expressions = term.get("matchExpressions") or []
    fields = term.get("matchFields") or []
    if not expressions and not fields:
        return False  # an empty term matches no node
    labels = node.get("metadata", {}).get("labels") or {}
    node_fields = {"metadata.name": node.get("metadata", {}).get("name", "")}
    return all(_requirement_matches(e, labels) for e in expressions) and all(_requirement_matches(f, node_fields) for f in fields)


def matches_node_affinity(spec: dict, node: dict) -> bool:
    """nodeSelector (every pair) and the required node affinity (any of its terms)."""
    labels = node.get("metadata", {}).get("labels") or {}
    if any(labels.get(k) != v for k, v in (spec.get("nodeSelector") or {}).items()):
        return False
    required = (((spec.get("affinity") or {}).get("nodeAffinity") or {}).get("requiredDuringSchedulingIgnoredDuringExecution")) or None
    if required is None:
        return True
    return any(_term_matches(t, node) for t in required.get("nodeSelectorTerms") or [] if isinstance(t, dict))


def filter_node(spec: dict, node: dict) -> str | None:
    """Why the node is refused (the first rejecting filter's reason), or None when the pod fits."""
    tolerations = spec.get("tolerations") or []
    if (node.get("spec") or {}).get("unschedulable") and not tolerated(tolerations, _UNSCHEDULABLE_TAINT):
        return ERR_UNSCHEDULABLE
    taint = untolerated_taint(node, tolerations)
    if taint is not None:
        return f"node(s) had untolerated taint {{{taint.get('key') or ''}: {taint.get('value') or ''}}}"
    if not matches_node_affinity(spec, node):
        return ERR_AFFINITY
    return None


def _prefer_no_schedule_misses(spec: dict, node: dict) -> int:
    tolerations = [t for t in spec.get("tolerations") or [] if isinstance(t, dict) and (t.get("effect") or "PreferNoSchedule") == "PreferNoSchedule"]
    return sum(1 for t in _taints(node) if t.get("effect") == "PreferNoSchedule" and not tolerated(tolerations, t))


def _histogram(reasons: list[str]) -> str:
    counts: dict[str, int] = {}
    for reason in reasons:
        counts[reason] = counts.get(reason, 0) + 1
    return ", ".join(sorted(f"{count} {reason}" for reason, count in counts.items()))


def fit_error(spec: dict, reasons: list[str]) -> str:
    """FitError.Error() for a pod refused by every node, `reasons` one per node."""
    total = len(reasons)
    message = f"0/{total} nodes are available: {_histogram(reasons)}."
    if spec.get("preemptionPolicy") == "Never":
        return message + " preemption: not eligible due to preemptionPolicy=Never."
    return message + f" preemption: 0/{total} nodes are available: {total} {PREEMPTION_NOT_HELPFUL}."


@dataclass(frozen=True)
class Decision:
    node: dict | None  # where the pod goes, or None
    message: str | None = None  # why it goes nowhere (the PodScheduled condition's and the event's message)


def schedule(spec: dict, nodes: list[dict]) -> Decision:
    """One scheduling attempt of a pod over the nodes (sorted by name, as the store keeps them)."""
    if not nodes:
        return Decision(None, NO_NODES)
    feasible, reasons = [], []
    for node in nodes:
        reason = filter_node(spec, node)
        if reason is None:
            feasible.append(node)
        else:
            reasons.append(reason)
    if feasible:
        return Decision(min(feasible, key=lambda n: _prefer_no_schedule_misses(spec, n)))
    return Decision(None, fit_error(spec, reasons))
