"""The scheduler stand-in: feasibility by cordon, taints/tolerations and nodeSelector, kube-scheduler's FitError
message and Events, the node lifecycle controller's taints, and pending pods scheduled again when nodes change."""

import json
import re
import shutil

import pytest

from fakeapi import scheduler
from fakeapi.tests.harness import node, pod, windows_node
from fakeapi.tests.test_kubectl import kubectl

PODS = "/api/v1/namespaces/kube-system/pods"
EVENTS = "/api/v1/namespaces/kube-system/events"
WINDOWS = {"kubernetes.io/os": "windows"}
NOT_HELPFUL = "preemption: 0/{n} nodes are available: {n} Preemption is not helpful for scheduling."
needs_kubectl = pytest.mark.skipif(not shutil.which("kubectl"), reason="kubectl is not installed")


def _scheduled(p: dict) -> dict:
    return next(c for c in p["status"]["conditions"] if c["type"] == "PodScheduled")


def _events(api, uid: str, reason: str | None = None) -> list[dict]:
    selector = f"involvedObject.uid={uid}" + (f",reason={reason}" if reason else "")
    return api.get(f"{EVENTS}?fieldSelector={selector}").json["items"]


# --- the rules, without a server ---------------------------------------------------------------------------
@pytest.mark.parametrize("toleration,taint,expected", [
    ({"key": "sku", "operator": "Equal", "value": "gpu", "effect": "NoSchedule"}, {"key": "sku", "value": "gpu", "effect": "NoSchedule"}, True),
    ({"key": "sku", "value": "gpu", "effect": "NoSchedule"}, {"key": "sku", "value": "gpu", "effect": "NoSchedule"}, True),  # "" operator is Equal
    ({"key": "sku", "operator": "Equal", "value": "cpu", "effect": "NoSchedule"}, {"key": "sku", "value": "gpu", "effect": "NoSchedule"}, False),
    ({"key": "sku", "operator": "Equal", "effect": "NoSchedule"}, {"key": "sku", "effect": "NoSchedule"}, True),  # both values empty
    ({"key": "sku", "operator": "Exists", "effect": "NoSchedule"}, {"key": "sku", "value": "anything", "effect": "NoSchedule"}, True),
    ({"key": "sku", "operator": "Exists"}, {"key": "sku", "value": "gpu", "effect": "NoExecute"}, True),  # empty effect: every effect
    ({"key": "sku", "operator": "Exists", "effect": "NoExecute"}, {"key": "sku", "value": "gpu", "effect": "NoSchedule"}, False),
    ({"operator": "Exists"}, {"key": "whatever", "value": "x", "effect": "NoSchedule"}, True),  # empty key + Exists: everything
    ({"operator": "Exists", "effect": "NoSchedule"}, {"key": "whatever", "effect": "NoExecute"}, False),
    ({"key": "other", "operator": "Exists"}, {"key": "sku", "effect": "NoSchedule"}, False),
    ({"key": "sku", "operator": "Gt", "value": "1"}, {"key": "sku", "value": "2", "effect": "NoSchedule"}, False),  # unknown operator
])
def test_toleration_semantics(toleration, taint, expected):
    assert scheduler.tolerates(toleration, taint) is expected


def test_filters_count_a_node_under_the_first_failing_plugin_in_default_order():
    cordoned_tainted_elsewhere = node("a", taints=[{"key": "sku", "value": "gpu", "effect": "NoSchedule"}], unschedulable=True)
    tainted_elsewhere = node("b", taints=[{"key": "sku", "value": "gpu", "effect": "NoSchedule"}])
    spec = {"nodeSelector": WINDOWS, "tolerations": []}
    assert scheduler.filter_node(spec, cordoned_tainted_elsewhere) == "node(s) were unschedulable"
    assert scheduler.filter_node(spec, tainted_elsewhere) == "node(s) had untolerated taint {sku: gpu}"
    assert scheduler.filter_node(spec, node("c")) == "node(s) didn't match Pod's node affinity/selector"
    # PreferNoSchedule never refuses; the first untolerated taint in the node's order is the one named.
    soft = node("d", WINDOWS, taints=[{"key": "soft", "effect": "PreferNoSchedule"}, {"key": "x", "value": "1", "effect": "NoExecute"}, {"key": "y", "effect": "NoSchedule"}])
    assert scheduler.filter_node(spec, soft) == "node(s) had untolerated taint {x: 1}"
    # Tolerating node.kubernetes.io/unschedulable also tolerates a cordoned node.
    assert scheduler.filter_node({"tolerations": [{"key": "node.kubernetes.io/unschedulable", "operator": "Exists"}]}, node("e", unschedulable=True)) is None


def test_reasons_are_sorted_as_strings_and_counted():
    reasons = ["node(s) didn't match Pod's node affinity/selector"] * 2 + ["node(s) had untolerated taint {sku: gpu}"] * 10
    assert scheduler.fit_error({}, reasons) == (
        "0/12 nodes are available: 10 node(s) had untolerated taint {sku: gpu}, 2 node(s) didn't match Pod's node "
        "affinity/selector. preemption: 0/12 nodes are available: 12 Preemption is not helpful for scheduling.")
    assert scheduler.fit_error({"preemptionPolicy": "Never"}, reasons[:1]).endswith(
        ". preemption: not eligible due to preemptionPolicy=Never.")
    assert scheduler.schedule({}, []).message == "no nodes available to schedule pods"


def test_node_affinity_required_terms():
    spec = {"affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
        {"matchExpressions": [{"key": "kubernetes.io/os", "operator": "In", "values": ["windows"]}, {"key": "spot", "operator": "DoesNotExist"}]},
        {"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["special"]}]},
    ]}}}}
    assert scheduler.filter_node(spec, node("w", WINDOWS)) is None
    assert scheduler.filter_node(spec, node("w", {**WINDOWS, "spot": "1"})) == scheduler.ERR_AFFINITY
    assert scheduler.filter_node(spec, node("special")) is None
    assert scheduler.filter_node(spec, node("l", {"kubernetes.io/os": "linux"})) == scheduler.ERR_AFFINITY


# --- through the API ---------------------------------------------------------------------------------------
def test_unschedulable_pod_gets_the_schedulers_message_condition_and_event(api, admin):
    admin.seed([
        node("aks-gpu-0", {"sku": "gpu"}, taints=[{"key": "sku", "value": "gpu", "effect": "NoSchedule"}]),
        node("aks-linux-0"), node("aks-linux-1"),
    ])
    created = api.request("POST", PODS, pod("probe", selector=WINDOWS))
    assert created.status == 201
    p = created.json
    message = ("0/3 nodes are available: 1 node(s) had untolerated taint {sku: gpu}, 2 node(s) didn't match Pod's node "
               "affinity/selector. " + NOT_HELPFUL.format(n=3))
    assert p["status"]["phase"] == "Pending" and "nodeName" not in p["spec"] and "podIP" not in p["status"]
    assert _scheduled(p) == {"type": "PodScheduled", "status": "False", "lastProbeTime": None, "lastTransitionTime": _scheduled(p)["lastTransitionTime"], "reason": "Unschedulable", "message": message}
    [event] = _events(api, p["metadata"]["uid"])
    assert event["type"] == "Warning" and event["reason"] == "FailedScheduling" and event["message"] == message
    assert event["reportingComponent"] == "default-scheduler" and event["action"] == "Scheduling" and event["eventTime"]
    assert event["source"] == {} and event["firstTimestamp"] is None  # written through events.k8s.io, as kube-scheduler does
    assert event["involvedObject"] == {"kind": "Pod", "namespace": "kube-system", "name": "probe", "uid": p["metadata"]["uid"], "apiVersion": "v1", "resourceVersion": p["metadata"]["resourceVersion"]}
    # The real API server's "source" field falls back to reportingController.
    assert len(api.get(f"{EVENTS}?fieldSelector=source=default-scheduler,type=Warning").json["items"]) == 1
    v1 = api.get(f"/apis/events.k8s.io/v1/namespaces/kube-system/events/{event['metadata']['name']}").json
    assert v1["reportingController"] == "default-scheduler" and v1["note"] == message and v1["regarding"]["uid"] == p["metadata"]["uid"]


def test_empty_taint_value_prints_with_a_space_and_not_ready_nodes_refuse_through_their_taints(api, admin):
    admin.seed([
        node("cp", taints=[{"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}]),
        windows_node("akswin000001", ready=False),
    ])
    # The node lifecycle controller's taints come with the NotReady node.
    taints = admin.node("akswin000001")["spec"]["taints"]
    assert [(t["key"], t["effect"]) for t in taints] == [("node.kubernetes.io/not-ready", "NoSchedule"), ("node.kubernetes.io/not-ready", "NoExecute")]
    p = api.request("POST", PODS, pod("probe", selector=WINDOWS)).json
    assert _scheduled(p)["message"] == (
        "0/2 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, "
        "1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }. " + NOT_HELPFUL.format(n=2))
    # Refused through the taint only: a pod that tolerates it goes to the NotReady node.
    tolerant = api.request("POST", PODS, pod("tolerant", selector=WINDOWS, tolerations=[{"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoSchedule"}])).json
    assert tolerant["spec"]["nodeName"] == "akswin000001" and tolerant["status"]["phase"] == "Running"


def test_feasible_nodes_and_choice(api, admin):
    admin.seed([
        windows_node("akswin000001", taints=[{"key": "soft", "effect": "PreferNoSchedule"}]),
        windows_node("akswin000002"),
        windows_node("akswin000003", unschedulable=True),
    ])
    # PreferNoSchedule does not refuse, but a node without it is preferred; the cordoned node is never chosen.
    assert api.request("POST", PODS, pod("a", selector=WINDOWS)).json["spec"]["nodeName"] == "akswin000002"
    only_soft = api.request("POST", PODS, pod("b", selector={"kubernetes.io/hostname": "akswin000001"})).json
    assert only_soft["spec"]["nodeName"] == "akswin000001" and only_soft["status"]["phase"] == "Running"
    # Everything tolerated (operator Exists, no key) also tolerates the cordon.
    anywhere = api.request("POST", PODS, pod("c", selector={"kubernetes.io/hostname": "akswin000003"}, tolerations=[{"operator": "Exists"}])).json
    assert anywhere["spec"]["nodeName"] == "akswin000003"
    # A pod that names its node skips the scheduler: no Scheduled event from it.
    named = api.request("POST", PODS, pod("d", node_name="akswin000003")).json
    assert named["status"]["phase"] == "Running" and [e["reason"] for e in _events(api, named["metadata"]["uid"])] == ["Pulled", "Created", "Started"]
    scheduled = _events(api, api.get(f"{PODS}/a").json["metadata"]["uid"], "Scheduled")
    assert [e["message"] for e in scheduled] == ["Successfully assigned kube-system/a to akswin000002"]
    assert scheduled[0]["type"] == "Normal" and scheduled[0]["action"] == "Binding" and scheduled[0]["reportingComponent"] == "default-scheduler"


def test_no_nodes_and_preemption_policy_never(api, admin):
    alone = api.request("POST", PODS, pod("alone")).json
    assert _scheduled(alone)["message"] == "no nodes available to schedule pods"
    admin.seed([node("aks-linux-0")])
    never = pod("never", selector=WINDOWS)
    never["spec"]["preemptionPolicy"] = "Never"
    assert _scheduled(api.request("POST", PODS, never).json)["message"] == (
        "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector. preemption: not eligible due to preemptionPolicy=Never.")


def test_cordon_sets_and_uncordon_clears_the_unschedulable_taint(api, admin):
    admin.seed([windows_node("akswin000001")])
    cordoned = admin.patch_node("akswin000001", {"spec": {"unschedulable": True}})
    assert [(t["key"], t["effect"]) for t in cordoned["spec"]["taints"]] == [("node.kubernetes.io/unschedulable", "NoSchedule")]
    assert "taints" not in admin.patch_node("akswin000001", {"spec": {"unschedulable": None}})["spec"]


def test_pending_pod_is_scheduled_when_its_taint_goes(api, admin):
    admin.seed([windows_node("akswin000001", taints=[{"key": "sku", "value": "gpu", "effect": "NoSchedule"}])])
    p = api.request("POST", PODS, pod("probe", selector=WINDOWS)).json
    assert p["status"]["phase"] == "Pending"
    admin.patch_node("akswin000001", {"metadata": {"labels": {"unrelated": "change"}}})  # same message: nothing new
    assert api.get(f"{PODS}/probe").json["metadata"]["resourceVersion"] == p["metadata"]["resourceVersion"]
    api.request("PATCH", "/api/v1/nodes/akswin000001", {"spec": {"taints": None}}, content_type="application/merge-patch+json")
    bound = api.get(f"{PODS}/probe").json
    assert bound["spec"]["nodeName"] == "akswin000001" and bound["status"]["phase"] == "Running" and bound["status"]["podIP"]
    assert _scheduled(bound)["status"] == "True"
    assert [e["reason"] for e in _events(api, p["metadata"]["uid"])] == ["FailedScheduling", "Scheduled", "Pulled", "Created", "Started"]


def test_pending_pod_is_scheduled_when_its_node_turns_ready_or_is_uncordoned(api, admin):
    admin.seed([windows_node("akswin000001", ready=False), windows_node("akswin000002", unschedulable=True)])
    one = api.request("POST", PODS, pod("one", selector={"kubernetes.io/hostname": "akswin000001"})).json
    two = api.request("POST", PODS, pod("two", selector={"kubernetes.io/hostname": "akswin000002"})).json
    assert "were unschedulable" in _scheduled(two)["message"] and "not-ready" in _scheduled(one)["message"]
    admin.set_ready("akswin000001", True)
    assert api.get(f"{PODS}/one").json["status"]["phase"] == "Running"
    assert api.get(f"{PODS}/two").json["status"]["phase"] == "Pending"
    admin.patch_node("akswin000002", {"spec": {"unschedulable": False}})
    assert api.get(f"{PODS}/two").json["spec"]["nodeName"] == "akswin000002"


def test_a_new_node_schedules_a_pending_pod_or_changes_its_message(api, admin):
    admin.seed([node("aks-linux-0")])
    p = api.request("POST", PODS, pod("probe", selector=WINDOWS)).json
    admin.seed([node("aks-linux-1")])  # still nowhere to go, but the message says 0/2 now
    again = api.get(f"{PODS}/probe").json
    assert _scheduled(again)["message"].startswith("0/2 nodes are available: 2 node(s) didn't match")
    assert _scheduled(again)["lastTransitionTime"] == _scheduled(p)["lastTransitionTime"]
    assert len(_events(api, p["metadata"]["uid"], "FailedScheduling")) == 2
    admin.seed([windows_node("akswin000009")])
    assert api.get(f"{PODS}/probe").json["spec"]["nodeName"] == "akswin000009"


@needs_kubectl
def test_kubectl_shows_pending_then_running_after_kubectl_taint_and_uncordon(kubeconfig_path, admin, api):
    admin.seed([windows_node("akswin000001")])
    kubectl(kubeconfig_path, "taint", "nodes", "akswin000001", "sku=gpu:NoSchedule")
    kubectl(kubeconfig_path, "cordon", "akswin000001")
    api.request("POST", PODS, pod("probe", selector=WINDOWS))
    wide = kubectl(kubeconfig_path, "get", "pods", "-n", "kube-system", "-o", "wide").stdout.splitlines()
    assert wide[0].split()[:7] == ["NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE"]
    assert wide[1].split()[:3] == ["probe", "0/1", "Pending"] and wide[1].split()[5:7] == ["<none>", "<none>"]
    described = kubectl(kubeconfig_path, "describe", "pod", "-n", "kube-system", "probe").stdout
    assert re.search(r"PodScheduled\s+False", described)
    assert "FailedScheduling" in described and "default-scheduler" in described and "1 node(s) were unschedulable" in described
    kubectl(kubeconfig_path, "uncordon", "akswin000001")
    assert "untolerated taint {sku: gpu}" in kubectl(kubeconfig_path, "describe", "pod", "-n", "kube-system", "probe").stdout
    kubectl(kubeconfig_path, "taint", "nodes", "akswin000001", "sku=gpu:NoSchedule-")
    row = kubectl(kubeconfig_path, "get", "pods", "-n", "kube-system", "-o", "wide").stdout.splitlines()[1].split()
    assert row[:3] == ["probe", "1/1", "Running"] and row[5].startswith("10.244.") and row[6] == "akswin000001"
    described = kubectl(kubeconfig_path, "describe", "pod", "-n", "kube-system", "probe").stdout
    assert "Successfully assigned kube-system/probe to akswin000001" in described
    node = json.loads(kubectl(kubeconfig_path, "get", "node", "akswin000001", "-o", "json").stdout)
    assert "taints" not in node["spec"]
