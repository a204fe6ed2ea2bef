"""Events through events.k8s.io/v1 and core/v1, one storage seen two ways."""

from fakeapi.tests.harness import windows_node

V1 = "/apis/events.k8s.io/v1/namespaces/default/events"


def _event(uid: str, **overrides) -> dict:
    event = {
        "apiVersion": "events.k8s.io/v1",
        "kind": "Event",
        "metadata": {"name": "akswin000000.1"},
        "eventTime": "2025-03-01T10:00:00.123456+01:00",
        "reportingController": "cops-vigilante",
        "reportingInstance": "vigilante-0",
        "action": "Heal",
        "reason": "SnatHealingStarted",
        "type": "Normal",
        "note": "started",
        "regarding": {"kind": "Node", "name": "akswin000000", "uid": uid, "apiVersion": "v1"},
    }
    event.update(overrides)
    return event


def test_events_v1_create_and_both_views(api, admin):
    admin.seed([windows_node("akswin000000")])
    uid = admin.node("akswin000000")["metadata"]["uid"]
    created = api.request("POST", V1, _event(uid))
    assert created.status == 201, created.body
    assert created.json["apiVersion"] == "events.k8s.io/v1" and created.json["eventTime"] == "2025-03-01T09:00:00.123456Z"
    core = api.get("/api/v1/namespaces/default/events/akswin000000.1").json
    assert core["apiVersion"] == "v1" and core["involvedObject"]["uid"] == uid and core["message"] == "started"
    assert core["reportingComponent"] == "cops-vigilante"
    selected = api.get("/api/v1/events?fieldSelector=involvedObject.kind%3DNode,involvedObject.name%3Dakswin000000").json
    assert selected["kind"] == "EventList" and [e["reason"] for e in selected["items"]] == ["SnatHealingStarted"]
    assert api.get("/apis/events.k8s.io/v1/events?fieldSelector=regarding.name%3Dakswin000000").json["items"][0]["note"] == "started"
    assert api.request("POST", V1, _event(uid)).json["reason"] == "AlreadyExists"


def test_events_v1_validation(api):
    missing = api.request("POST", V1, _event("u", reportingController="", type="Bad"))
    assert missing.status == 422 and missing.json["details"]["group"] == "events.k8s.io"
    fields = {c["field"] for c in missing.json["details"]["causes"]}
    assert fields == {"reportingController", "type"}
    wrong_namespace = api.request("POST", "/apis/events.k8s.io/v1/namespaces/kube-system/events", _event("u"))
    assert wrong_namespace.status == 422 and "does not match event.namespace" in wrong_namespace.json["message"]


def test_core_events_create(api):
    event = {"metadata": {"name": "e1"}, "involvedObject": {"kind": "Pod", "namespace": "kube-system", "name": "p"}, "reason": "Pulled", "message": "pulled", "type": "Normal", "firstTimestamp": "2025-01-01T00:00:00Z", "lastTimestamp": "2025-01-01T00:00:00Z", "count": 1, "source": {"component": "kubelet"}}
    created = api.request("POST", "/api/v1/namespaces/kube-system/events", event)
    assert created.status == 201 and created.json["kind"] == "Event"
    assert api.get("/apis/events.k8s.io/v1/namespaces/kube-system/events/e1").json["deprecatedSource"] == {"component": "kubelet"}
