"""Pods: create defaults and error shapes, graceful deletion and re-creation while terminating."""

import time

from fakeapi.clock import parse_rfc3339
from fakeapi.tests.harness import node, pod, windows_node

PODS = "/api/v1/namespaces/kube-system/pods"


def test_create_answers_201_with_server_fields_and_defaults(api, admin):
    admin.seed([windows_node("akswin000000")])
    answer = api.request("POST", PODS, pod("healer", selector={"kubernetes.io/os": "windows", "kubernetes.io/hostname": "akswin000000"}, grace=0))
    assert answer.status == 201, answer.body
    created = answer.json
    assert created["kind"] == "Pod" and created["apiVersion"] == "v1"
    meta = created["metadata"]
    assert meta["namespace"] == "kube-system" and len(meta["uid"]) == 36
    assert meta["resourceVersion"].isdigit() and parse_rfc3339(meta["creationTimestamp"]) is not None
    assert created["spec"]["nodeName"] == "akswin000000" and created["spec"]["terminationGracePeriodSeconds"] == 0
    assert created["spec"]["containers"][0]["imagePullPolicy"] == "IfNotPresent"
    assert {t["key"] for t in created["spec"]["tolerations"]} == {"node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"}
    assert created["status"]["phase"] == "Running"
    assert api.get(f"{PODS}/healer").json == created


def test_resource_versions_increase_across_the_cluster(api, admin):
    admin.seed([node("n1")])
    versions = [int(api.request("POST", PODS, pod(f"p{i}")).json["metadata"]["resourceVersion"]) for i in range(3)]
    assert versions == sorted(versions) and len(set(versions)) == 3
    listed = api.get(PODS).json
    assert int(listed["metadata"]["resourceVersion"]) >= versions[-1]
    assert listed["kind"] == "PodList" and all("kind" not in i for i in listed["items"])


def test_error_shapes_404_409_422(api, admin):
    missing_ns = api.request("POST", "/api/v1/namespaces/nope/pods", pod("p"))
    assert missing_ns.status == 404
    assert missing_ns.json == {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure", "message": 'namespaces "nope" not found', "reason": "NotFound", "details": {"name": "nope", "kind": "namespaces"}, "code": 404}
    assert api.request("POST", PODS, pod("p")).status == 201
    exists = api.request("POST", PODS, pod("p"))
    assert exists.status == 409
    assert exists.json == {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure", "message": 'pods "p" already exists', "reason": "AlreadyExists", "details": {"name": "p", "kind": "pods"}, "code": 409}
    no_containers = api.request("POST", PODS, {"metadata": {"name": "q"}, "spec": {}})
    assert no_containers.status == 422
    assert no_containers.json["message"] == 'Pod "q" is invalid: spec.containers: Required value'
    assert no_containers.json["details"] == {"name": "q", "kind": "Pod", "causes": [{"reason": "FieldValueRequired", "message": "Required value", "field": "spec.containers"}]}
    no_name = api.request("POST", PODS, {"spec": {"containers": [{"name": "c", "image": "i"}]}})
    assert no_name.status == 422 and no_name.json["details"]["causes"][0]["field"] == "metadata.name"
    bad_name = api.request("POST", PODS, pod("Bad_Name"))
    assert bad_name.status == 422 and "RFC 1123" in bad_name.json["message"]
    assert api.get(f"{PODS}/nope").json["message"] == 'pods "nope" not found'
    wrong_ns = api.request("POST", PODS, {**pod("r"), "metadata": {"name": "r", "namespace": "default"}})
    assert wrong_ns.status == 400 and wrong_ns.json["reason"] == "BadRequest"
    assert api.request("POST", PODS, b"{not json").status == 400


def test_generate_name(api):
    created = api.request("POST", PODS, {"metadata": {"generateName": "healer-"}, "spec": {"containers": [{"name": "c", "image": "i"}]}}).json
    assert created["metadata"]["name"].startswith("healer-") and len(created["metadata"]["name"]) == len("healer-") + 5


def test_graceful_delete_keeps_the_pod_and_blocks_its_name(api, admin):
    admin.seed([node("n1")])
    assert api.request("POST", PODS, pod("healer", "n1", grace=30)).status == 201
    started = time.monotonic()
    deleted = api.request("DELETE", f"{PODS}/healer")
    assert deleted.status == 200 and deleted.json["kind"] == "Pod"
    meta = deleted.json["metadata"]
    assert meta["deletionGracePeriodSeconds"] == 30 and parse_rfc3339(meta["deletionTimestamp"]) > time.time() + 25
    assert api.get(f"{PODS}/healer").json["metadata"]["deletionTimestamp"] == meta["deletionTimestamp"]
    again = api.request("POST", PODS, pod("healer", "n1"))
    assert again.status == 409 and again.json["reason"] == "AlreadyExists"
    assert [p["metadata"]["name"] for p in admin.state()["pods"]] == ["healer"]
    # 30 s at --grace-scale 0.02 is 0.6 s. Poll the API (not a sleep): 409 until the pod is gone, then 201.
    while api.request("POST", PODS, pod("healer", "n1")).status == 409:
        assert time.monotonic() - started < 10, "the terminating pod never went away"
    assert time.monotonic() - started >= 0.6 * 0.9


def test_delete_grace_from_query_or_body_and_zero_is_immediate(api, admin):
    admin.seed([node("n1")])
    for name in ("a", "b", "c"):
        api.request("POST", PODS, pod(name, "n1", grace=30))
    body_grace = api.request("DELETE", f"{PODS}/a", {"kind": "DeleteOptions", "apiVersion": "v1", "gracePeriodSeconds": 5})
    assert body_grace.json["metadata"]["deletionGracePeriodSeconds"] == 5
    immediate = api.request("DELETE", f"{PODS}/b?gracePeriodSeconds=0")
    assert immediate.status == 200 and "deletionTimestamp" not in immediate.json["metadata"]
    assert api.get(f"{PODS}/b").status == 404
    shortened = api.request("DELETE", f"{PODS}/a?gracePeriodSeconds=0")  # a terminating pod can be deleted at once
    assert shortened.status == 200 and api.get(f"{PODS}/a").status == 404
    assert api.request("DELETE", f"{PODS}/missing").json["reason"] == "NotFound"
    wrong_uid = api.request("DELETE", f"{PODS}/c", {"preconditions": {"uid": "00000000-0000-0000-0000-000000000000"}})
    assert wrong_uid.status == 409 and wrong_uid.json["reason"] == "Conflict"


def test_unscheduled_pods_are_deleted_at_once(api):
    # Real pod strategy: a pod with no node is deleted immediately, whatever grace period was asked.
    created = api.request("POST", PODS, pod("floating", grace=30)).json
    assert created["status"]["phase"] == "Pending" and "nodeName" not in created["spec"]
    assert api.request("DELETE", f"{PODS}/floating?gracePeriodSeconds=30").status == 200
    assert api.get(f"{PODS}/floating").status == 404


def test_dry_run_changes_nothing(api, admin):
    admin.seed([node("n1")])
    assert api.request("POST", f"{PODS}?dryRun=All", pod("dry", "n1")).status == 201
    assert api.get(f"{PODS}/dry").status == 404
    assert api.request("POST", f"{PODS}?dryRun=Maybe", pod("dry", "n1")).status == 400
