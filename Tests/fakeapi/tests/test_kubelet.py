"""The kubelet stand-in: a bound pod's sandbox and IP after --sandbox-delay-ms or a node's profile, sandbox and
image failures with the kubelet's statuses and Events, transitions seen in time by get, list, DELETE and watch."""

import http.client
import json
import re
import shutil
import ssl
import time

import pytest

from fakeapi.tests.conftest import GRACE_SCALE, TOKEN
from fakeapi.tests.harness import Admin, RawClient, client_context, pod, windows_node

PODS = "/api/v1/namespaces/kube-system/pods"
EVENTS = "/api/v1/namespaces/kube-system/events"
IMAGE = "mcr.microsoft.com/oss/kubernetes/pause:3.6"
needs_kubectl = pytest.mark.skipif(not shutil.which("kubectl"), reason="kubectl is not installed")


def wait_for(probe, timeout: float = 10.0, interval: float = 0.02):
    """probe()'s first truthy answer; fails after timeout."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        assert time.monotonic() < deadline, "the condition never came true"
        time.sleep(interval)


def conditions(p: dict) -> dict:
    return {c["type"]: c for c in p["status"]["conditions"]}


def waiting_reason(p: dict) -> str | None:
    return ((p["status"].get("containerStatuses") or [{}])[0].get("state") or {}).get("waiting", {}).get("reason")


def events(api, selector: str) -> list[dict]:
    answer = api.get(f"{EVENTS}?fieldSelector={selector}")
    assert answer.status == 200, answer.body
    return answer.json["items"]


def on(node_name: str, name: str = "probe") -> dict:
    return pod(name, selector={"kubernetes.io/os": "windows", "kubernetes.io/hostname": node_name}, grace=30)


@pytest.fixture
def slow_server(start_server, pki):
    """A dedicated server whose kubelets take 0.5 s to create a sandbox (--sandbox-delay-ms 500)."""
    server = start_server(["--cert", pki.server_cert, "--key", pki.server_key, "--token", TOKEN, "--grace-scale", GRACE_SCALE, "--sandbox-delay-ms", "500"])
    api = RawClient(server.port, client_context(pki.ca_cert), TOKEN)
    admin = Admin(RawClient(server.port, client_context(pki.ca_cert)))
    yield server, api, admin
    api.close()
    admin.raw.close()


def _watch(server, pki, path: str) -> http.client.HTTPResponse:
    connection = http.client.HTTPSConnection("127.0.0.1", server.port, context=ssl.create_default_context(cafile=pki.ca_cert), timeout=10)
    connection.request("GET", path, headers={"Authorization": f"Bearer {TOKEN}"})
    response = connection.getresponse()
    assert response.status == 200
    return response


def test_bound_pod_waits_for_its_sandbox_then_gets_its_ip_in_time(slow_server, pki):
    server, api, admin = slow_server
    admin.seed([windows_node("akswin000001")])
    started = time.monotonic()
    created = api.request("POST", PODS, on("akswin000001")).json
    # What a kubelet reports while it creates the sandbox.
    status = created["status"]
    assert created["spec"]["nodeName"] == "akswin000001"
    assert status["phase"] == "Pending" and status["hostIP"] == "10.240.0.4" and status["hostIPs"] == [{"ip": "10.240.0.4"}]
    assert "podIP" not in status and "podIPs" not in status and status["startTime"]
    assert [(c["type"], c["status"], c.get("reason")) for c in status["conditions"]] == [
        ("PodReadyToStartContainers", "False", None), ("Initialized", "True", None),
        ("Ready", "False", "ContainersNotReady"), ("ContainersReady", "False", "ContainersNotReady"), ("PodScheduled", "True", None)]
    assert conditions(created)["Ready"]["message"] == "containers with unready status: [pause-container]"
    assert status["containerStatuses"] == [{"name": "pause-container", "state": {"waiting": {"reason": "ContainerCreating"}}, "lastState": {}, "ready": False, "restartCount": 0, "image": IMAGE, "imageID": "", "started": False}]
    # A watch from the create's revision sees one MODIFIED with the IP, at the due time, not before.
    watch = _watch(server, pki, f"{PODS}?watch=true&resourceVersion={created['metadata']['resourceVersion']}&timeoutSeconds=2")
    change = json.loads(watch.readline())
    elapsed = time.monotonic() - started
    assert change["type"] == "MODIFIED" and 0.45 <= elapsed < 5, elapsed
    after = change["object"]
    assert after["status"]["phase"] == "Running" and after["status"]["podIP"].startswith("10.244.") and after["status"]["podIPs"] == [{"ip": after["status"]["podIP"]}]
    assert all(c["status"] == "True" for c in after["status"]["conditions"])
    assert conditions(after)["PodScheduled"]["lastTransitionTime"] == conditions(created)["PodScheduled"]["lastTransitionTime"]
    assert conditions(after)["PodReadyToStartContainers"]["lastTransitionTime"] >= conditions(created)["PodReadyToStartContainers"]["lastTransitionTime"]
    assert after["status"]["containerStatuses"][0]["state"]["running"]["startedAt"] and after["status"]["containerStatuses"][0]["ready"] is True
    assert int(after["metadata"]["resourceVersion"]) > int(created["metadata"]["resourceVersion"])
    assert api.get(f"{PODS}/probe").json == {"kind": "Pod", "apiVersion": "v1", **{k: v for k, v in after.items() if k not in ("kind", "apiVersion")}}
    # The stream then stays quiet: one write per transition.
    assert watch.readline() == b""
    uid = created["metadata"]["uid"]
    assert [e["reason"] for e in events(api, f"involvedObject.uid={uid}")] == ["Scheduled", "Pulled", "Created", "Started"]


def test_list_and_delete_answers_see_the_transition_without_a_read_of_the_pod(slow_server):
    _server, api, admin = slow_server
    admin.seed([windows_node("akswin000001")])
    api.request("POST", PODS, on("akswin000001", "one"))
    api.request("POST", PODS, on("akswin000001", "two"))
    time.sleep(0.6)
    assert [(p["metadata"]["name"], p["status"]["phase"], bool(p["status"].get("podIP"))) for p in api.get(PODS).json["items"]] == [("one", "Running", True), ("two", "Running", True)]
    api.request("POST", PODS, on("akswin000001", "three"))
    time.sleep(0.6)
    deleted = api.request("DELETE", f"{PODS}/three").json
    assert deleted["status"]["phase"] == "Running" and deleted["status"]["podIP"] and deleted["metadata"]["deletionTimestamp"]


def test_a_terminating_pod_gets_no_sandbox(admin, api):
    admin.seed([windows_node("akswin000001")])
    admin.kubelet("akswin000001", sandboxDelayMs=1000)
    started = time.monotonic()
    api.request("POST", PODS, pod("probe", "akswin000001", grace=300))  # 300 s of grace: 6 s at --grace-scale 0.02
    deleted = api.request("DELETE", f"{PODS}/probe").json
    assert deleted["metadata"]["deletionTimestamp"] and waiting_reason(deleted) == "ContainerCreating"
    assert time.monotonic() - started < 1, "too slow to delete before the sandbox was due"
    time.sleep(max(0.0, 1.2 - (time.monotonic() - started)))  # past the sandbox's due time, within the grace period
    still = api.get(f"{PODS}/probe").json
    assert still["metadata"]["deletionTimestamp"] and "podIP" not in still["status"] and waiting_reason(still) == "ContainerCreating"
    assert api.request("DELETE", f"{PODS}/probe?gracePeriodSeconds=0").status == 200


def test_kubelet_profile_admin_api(admin, api):
    defaults = {"node": "akswin000001", "sandboxDelayMs": 0, "sandbox": "ok", "image": "ok", "retryMs": 10000}
    assert admin.kubelet("akswin000001") == defaults  # a node that does not exist (yet) may have a profile
    assert admin.kubelet("akswin000001", sandbox="fail") == {**defaults, "sandbox": "fail"}
    assert admin.kubelet("akswin000001", sandboxDelayMs=250, retryMs=50) == {**defaults, "sandbox": "fail", "sandboxDelayMs": 250, "retryMs": 50}
    assert admin.kubelet("akswin000001", image="fail")["sandbox"] == "fail"  # fields left out keep their value
    assert admin.reset_kubelet("akswin000001") == defaults
    for bad in ({"sandbox": "maybe"}, {"image": None}, {"sandboxDelayMs": -1}, {"sandboxDelayMs": True}, {"retryMs": "5"}, {"colour": 1}, ["sandbox"]):
        answer = admin.raw.request("POST", "/_admin/nodes/akswin000001/kubelet", bad)
        assert answer.status == 400 and answer.json["error"], bad
    assert admin.raw.request("PUT", "/_admin/nodes/akswin000001/kubelet").status == 404
    assert admin.raw.request("GET", "/_admin/nodes/akswin000001/other").status == 404
    admin.kubelet("akswin000001", sandbox="fail")
    admin.reset()
    assert admin.kubelet("akswin000001") == defaults


def test_a_slow_node(admin, api):
    admin.seed([windows_node("akswin000001"), windows_node("akswin000002")])
    admin.kubelet("akswin000002", sandboxDelayMs=400)
    fast = api.request("POST", PODS, on("akswin000001", "fast")).json
    slow = api.request("POST", PODS, on("akswin000002", "slow")).json
    assert fast["status"]["phase"] == "Running" and fast["status"]["podIP"]
    assert waiting_reason(slow) == "ContainerCreating" and "podIP" not in slow["status"]
    got = wait_for(lambda: api.get(f"{PODS}/slow").json["status"].get("podIP"))
    assert got == api.get(f"{PODS}/slow").json["status"]["podIP"]


SANDBOX_ERROR = re.compile(
    r'^Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "(?P<id>[0-9a-f]{64})": '
    r'plugin type="azure-vnet" failed \(add\): IPAM Invoker Add failed with error: Failed to get IP address from CNS with error: '
    r'%w: AllocateIPConfig failed: not enough IPs available for [0-9a-f-]{36}, waiting on Azure CNS to allocate more .*'
    r'OrchestratorContext \{"PodName":"probe","PodNamespace":"kube-system"\}\]$')


def test_sandbox_failure(admin, api):
    admin.seed([windows_node("akswin000001")])
    admin.kubelet("akswin000001", sandbox="fail", retryMs=300)
    created = api.request("POST", PODS, on("akswin000001")).json
    uid = created["metadata"]["uid"]
    assert waiting_reason(created) == "ContainerCreating" and "podIP" not in created["status"]
    assert conditions(created)["PodReadyToStartContainers"]["status"] == "False"
    [first] = events(api, f"involvedObject.uid={uid},reason=FailedCreatePodSandBox")
    assert first["type"] == "Warning" and first["count"] == 1 and first["source"] == {"component": "kubelet", "host": "akswin000001"}
    assert first["reportingComponent"] == "kubelet" and first["reportingInstance"] == "akswin000001"
    assert first["involvedObject"]["kind"] == "Pod" and first["involvedObject"]["name"] == "probe" and "fieldPath" not in first["involvedObject"]
    assert first["firstTimestamp"] and first["lastTimestamp"] == first["firstTimestamp"]
    assert SANDBOX_ERROR.match(first["message"]), first["message"]
    # The kubelet tries again with a new sandbox; the pod's status does not change meanwhile.
    both = wait_for(lambda: (lambda found: found if len(found) >= 2 else None)(events(api, f"involvedObject.uid={uid},reason=FailedCreatePodSandBox")))
    assert len({SANDBOX_ERROR.match(e["message"]).group("id") for e in both}) == len(both)
    assert api.get(f"{PODS}/probe").json["metadata"]["resourceVersion"] == created["metadata"]["resourceVersion"]
    # Once the node can give IPs again, the next attempt succeeds.
    admin.kubelet("akswin000001", sandbox="ok")
    running = wait_for(lambda: (lambda p: p if p["status"].get("podIP") else None)(api.get(f"{PODS}/probe").json))
    assert running["status"]["phase"] == "Running" and conditions(running)["PodReadyToStartContainers"]["status"] == "True"


def test_repeated_sandbox_failures_are_combined_like_the_event_correlator(admin, api):
    admin.seed([windows_node("akswin000001")])
    admin.kubelet("akswin000001", sandbox="fail", retryMs=20)
    uid = api.request("POST", PODS, on("akswin000001")).json["metadata"]["uid"]
    combined = wait_for(lambda: [e for e in events(api, f"involvedObject.uid={uid}") if e["message"].startswith("(combined from similar events): ") and e["count"] >= 3])
    admin.kubelet("akswin000001", retryMs=0)  # stop retrying
    found = events(api, f"involvedObject.uid={uid},reason=FailedCreatePodSandBox")
    plain = [e for e in found if not e["message"].startswith("(combined")]
    assert len(plain) == 9 and all(e["count"] == 1 for e in plain) and len(found) == 10
    assert SANDBOX_ERROR.match(combined[0]["message"].removeprefix("(combined from similar events): "))


def test_image_pull_failure(admin, api):
    admin.seed([windows_node("akswin000001")])
    admin.kubelet("akswin000001", image="fail", retryMs=300)
    created = api.request("POST", PODS, on("akswin000001")).json
    uid = created["metadata"]["uid"]
    status = created["status"]
    # CNI ADD ran: the sandbox has its IP, even though the container cannot start.
    assert status["phase"] == "Pending" and status["podIP"].startswith("10.244.")
    assert conditions(created)["PodReadyToStartContainers"]["status"] == "True" and conditions(created)["Ready"]["status"] == "False"
    waiting = status["containerStatuses"][0]["state"]["waiting"]
    assert waiting["reason"] == "ErrImagePull" and f'failed to pull and unpack image "{IMAGE}"' in waiting["message"]
    path = "spec.containers{pause-container}"
    first = events(api, f"involvedObject.uid={uid}")
    assert [(e["type"], e["reason"]) for e in first] == [("Normal", "Scheduled"), ("Normal", "Pulling"), ("Warning", "Failed"), ("Warning", "Failed")]
    assert first[2]["message"].startswith(f'Failed to pull image "{IMAGE}": rpc error: code = NotFound') and first[3]["message"] == "Error: ErrImagePull"
    assert all(e["involvedObject"]["fieldPath"] == path for e in first[1:])
    backing_off = wait_for(lambda: (lambda p: p if waiting_reason(p) == "ImagePullBackOff" else None)(api.get(f"{PODS}/probe").json))
    assert backing_off["status"]["containerStatuses"][0]["state"]["waiting"]["message"] == f'Back-off pulling image "{IMAGE}"'
    assert backing_off["status"]["phase"] == "Pending" and backing_off["status"]["podIP"] == status["podIP"]
    [backoff] = events(api, f"involvedObject.uid={uid},reason=BackOff")
    assert backoff["type"] == "Normal" and backoff["message"] == f'Back-off pulling image "{IMAGE}"'  # Normal, as the kubelet writes it
    assert [e["message"] for e in events(api, f"involvedObject.uid={uid},reason=Failed,type=Warning")][-1] == "Error: ImagePullBackOff"
    # The next attempt fails again: the same Events, counted.
    wait_for(lambda: [e for e in events(api, f"involvedObject.uid={uid},reason=Failed") if e["message"] == "Error: ErrImagePull" and e["count"] >= 2])
    admin.kubelet("akswin000001", image="ok")
    running = wait_for(lambda: (lambda p: p if p["status"]["phase"] == "Running" else None)(api.get(f"{PODS}/probe").json), timeout=10)
    assert running["status"]["podIP"] == status["podIP"] and running["status"]["containerStatuses"][0]["ready"] is True
    assert any(e["message"].startswith(f'Successfully pulled image "{IMAGE}"') for e in events(api, f"involvedObject.uid={uid},reason=Pulled"))


def test_event_field_selectors(admin, api):
    admin.seed([windows_node("akswin000001"), windows_node("akswin000002")])
    admin.kubelet("akswin000002", sandbox="fail", retryMs=0)
    ok = api.request("POST", PODS, on("akswin000001", "ok")).json
    bad = api.request("POST", PODS, on("akswin000002", "bad")).json
    assert {e["involvedObject"]["name"] for e in events(api, "involvedObject.kind=Pod")} == {"ok", "bad"}
    assert [e["reason"] for e in events(api, f"involvedObject.uid={bad['metadata']['uid']}")] == ["Scheduled", "FailedCreatePodSandBox"]
    assert [e["reason"] for e in events(api, "involvedObject.name=ok,involvedObject.kind=Pod,reason=Started")] == ["Started"]
    assert [e["involvedObject"]["name"] for e in events(api, "reason=FailedCreatePodSandBox,involvedObject.kind=Pod")] == ["bad"]
    assert events(api, f"involvedObject.uid={ok['metadata']['uid']},reason=FailedCreatePodSandBox") == []
    assert {e["reason"] for e in events(api, "source=kubelet,involvedObject.name=ok")} == {"Pulled", "Created", "Started"}
    assert {e["reason"] for e in events(api, "source=default-scheduler")} == {"Scheduled"}
    assert [e["reason"] for e in events(api, "type=Warning")] == ["FailedCreatePodSandBox"]
    assert "FailedCreatePodSandBox" not in {e["reason"] for e in events(api, "reason!=FailedCreatePodSandBox")}
    assert events(api, "involvedObject.fieldPath=spec.containers{pause-container},involvedObject.name=ok")[0]["reason"] == "Pulled"
    assert api.get(f"{EVENTS}?fieldSelector=involvedObject.colour=red").status == 400


@needs_kubectl
def test_kubectl_shows_each_fate(kubeconfig_path, admin, api):
    from fakeapi.tests.test_kubectl import kubectl

    nodes = ["akswin000001", "akswin000002", "akswin000003", "akswin000004"]
    admin.seed([windows_node(n) for n in nodes])
    admin.kubelet("akswin000002", sandboxDelayMs=60_000)
    admin.kubelet("akswin000003", sandbox="fail", retryMs=0)
    admin.kubelet("akswin000004", image="fail", retryMs=60_000)
    for i, n in enumerate(nodes, 1):
        api.request("POST", PODS, on(n, f"pod{i}"))
    rows = {line.split()[0]: line.split() for line in kubectl(kubeconfig_path, "get", "pods", "-n", "kube-system", "-o", "wide").stdout.splitlines()[1:]}
    assert rows["pod1"][1:3] == ["1/1", "Running"] and rows["pod1"][5].startswith("10.244.") and rows["pod1"][6] == "akswin000001"
    assert rows["pod2"][1:3] == ["0/1", "ContainerCreating"] and rows["pod2"][5:7] == ["<none>", "akswin000002"]
    assert rows["pod3"][1:3] == ["0/1", "ContainerCreating"] and rows["pod3"][5:7] == ["<none>", "akswin000003"]
    assert rows["pod4"][1:3] == ["0/1", "ErrImagePull"] and rows["pod4"][5].startswith("10.244.") and rows["pod4"][6] == "akswin000004"
    described = kubectl(kubeconfig_path, "describe", "pod", "-n", "kube-system", "pod3").stdout
    assert re.search(r"PodReadyToStartContainers\s+False", described) and re.search(r"Initialized\s+True", described)
    assert re.search(r"State:\s+Waiting\s+Reason:\s+ContainerCreating", described)
    assert re.search(r"Warning\s+FailedCreatePodSandBox\s+\S+\s+kubelet\s+Failed to create pod sandbox: .*azure-vnet", described)
    assert re.search(r"Normal\s+Scheduled\s+\S+\s+default-scheduler\s+Successfully assigned kube-system/pod3 to akswin000003", described)
    described = kubectl(kubeconfig_path, "describe", "pod", "-n", "kube-system", "pod4").stdout
    assert re.search(r"PodReadyToStartContainers\s+True", described) and re.search(r"Reason:\s+ErrImagePull", described)
    assert f'Failed to pull image "{IMAGE}"' in described and "Error: ErrImagePull" in described
    events_out = kubectl(kubeconfig_path, "get", "events", "-n", "kube-system", "--field-selector", "reason=FailedCreatePodSandBox").stdout
    assert "pod/pod3" in events_out and "pod/pod4" not in events_out


def test_python_client_reads_pod_status_and_lists_events_by_field(kubeconfig_path, admin, api):
    pytest.importorskip("kubernetes")
    from kubernetes import client

    from fakeapi.tests.test_python_client import api_client

    admin.seed([windows_node("akswin000001"), windows_node("akswin000002")])
    admin.kubelet("akswin000001", sandbox="fail", retryMs=0)
    admin.kubelet("akswin000002", image="fail", retryMs=60_000)
    with api_client(kubeconfig_path) as c:
        core = client.CoreV1Api(c)
        stuck = core.create_namespaced_pod("kube-system", on("akswin000001", "stuck"))
        pulled = core.create_namespaced_pod("kube-system", on("akswin000002", "pulled"))
        stuck = core.read_namespaced_pod("stuck", "kube-system")
        assert stuck.status.phase == "Pending" and stuck.status.pod_ip is None and stuck.status.host_ip == "10.240.0.4"
        assert stuck.status.container_statuses[0].state.waiting.reason == "ContainerCreating"
        assert {c.type: c.status for c in stuck.status.conditions}["PodReadyToStartContainers"] == "False"
        assert pulled.status.pod_ip and pulled.status.container_statuses[0].state.waiting.reason == "ErrImagePull"
        assert {c.type: c.status for c in pulled.status.conditions} == {"PodReadyToStartContainers": "True", "Initialized": "True", "Ready": "False", "ContainersReady": "False", "PodScheduled": "True"}
        found = core.list_namespaced_event("kube-system", field_selector=f"involvedObject.uid={stuck.metadata.uid},reason=FailedCreatePodSandBox")
        assert [e.reason for e in found.items] == ["FailedCreatePodSandBox"] and found.items[0].source.component == "kubelet"
        assert found.items[0].involved_object.uid == stuck.metadata.uid and found.items[0].count == 1
        by_name = core.list_namespaced_event("kube-system", field_selector="involvedObject.kind=Pod,involvedObject.name=pulled,type=Warning")
        messages = sorted(e.message for e in by_name.items)
        assert len(messages) == 2 and messages[0] == "Error: ErrImagePull" and messages[1].startswith(f'Failed to pull image "{IMAGE}": ')
        scheduled = core.list_namespaced_event("kube-system", field_selector="reason=Scheduled,involvedObject.name=stuck")
        assert scheduled.items[0].reporting_component == "default-scheduler" and scheduled.items[0].event_time is not None
