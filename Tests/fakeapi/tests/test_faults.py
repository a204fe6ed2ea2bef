"""Fault injection: every kind, matching by method and path, counts, and whether the request took effect."""

import http.client
import json
import time

import pytest

from fakeapi.tests.conftest import TOKEN
from fakeapi.tests.harness import node, pod


@pytest.fixture
def seeded(admin):
    admin.seed([node("n1"), node("n2")])
    return admin


def test_status_fault_with_status_body(api, seeded):
    seeded.fault(kind="status", status=500, method="GET", path="^/api/v1/nodes$", count=2)
    for _ in range(2):
        answer = api.get("/api/v1/nodes")
        assert answer.status == 500 and answer.json["kind"] == "Status" and answer.json["reason"] == "InternalError" and answer.json["code"] == 500
    assert api.get("/api/v1/nodes").status == 200  # count used up
    assert [r["fault"] for r in seeded.requests()] == ["status", "status", None]


def test_429_with_retry_after(api, seeded):
    seeded.fault(kind="status", status=429, retryAfter=2, path="/nodes")
    answer = api.get("/api/v1/nodes/n1")
    assert answer.status == 429 and answer.headers["retry-after"] == "2"
    assert answer.json["reason"] == "TooManyRequests" and answer.json["details"] == {"retryAfterSeconds": 2}


def test_other_codes_get_their_reasons(api, seeded):
    for code, reason in ((403, "Forbidden"), (503, "ServiceUnavailable"), (504, "Timeout"), (409, "Conflict")):
        seeded.fault(status=code, path="n1$")
        assert api.get("/api/v1/nodes/n1").json["reason"] == reason
    seeded.fault(status=500, message="etcdserver: leader changed", reason="InternalError", path="n1$")
    assert api.get("/api/v1/nodes/n1").json["message"] == "etcdserver: leader changed"


def test_matching_by_method_and_path(api, seeded):
    seeded.fault(status=500, method="PATCH", path="/nodes/n2$")
    assert api.get("/api/v1/nodes/n2").status == 200
    assert api.request("PATCH", "/api/v1/nodes/n1", {"metadata": {}}, content_type="application/merge-patch+json").status == 200
    assert api.request("PATCH", "/api/v1/nodes/n2", {"metadata": {}}, content_type="application/merge-patch+json").status == 500
    seeded.fault(status=500, path="limit=1")  # the regex sees the query too
    assert api.get("/api/v1/nodes?limit=1").status == 500


def test_matching_by_body_singles_out_one_nodes_pods(api, seeded):
    # Every pod creation POSTs to the same path: only the body tells which node a pod is for.
    seeded.fault(status=500, method="POST", path="/pods$", body='"nodeName": ?"n2"', count=100)
    created = api.request("POST", "/api/v1/namespaces/default/pods", pod("p1", node_name="n1"))
    refused = api.request("POST", "/api/v1/namespaces/default/pods", pod("p2", node_name="n2"))
    assert (created.status, refused.status) == (201, 500)
    assert seeded.raw.get("/_admin/faults").json["items"][0]["body"] == '"nodeName": ?"n2"'


def test_matching_by_user_agent_and_token_singles_out_one_client(api, seeded):
    # Replicas of one product share the fake; their User-Agents (or tokens) tell them apart.
    seeded.fault(status=500, method="PUT|GET", path="/nodes/", userAgent=r"\(replica-b\)", count=100)
    replica_a = {"User-Agent": "cops-vigilante/1.0 (replica-a)"}
    replica_b = {"User-Agent": "cops-vigilante/1.0 (replica-b)"}
    assert api.get("/api/v1/nodes/n1", headers=replica_b).status == 500
    assert api.get("/api/v1/nodes/n1", headers=replica_a).status == 200
    assert api.get("/api/v1/nodes", headers=replica_b).status == 200  # another path: not faulted
    assert api.get("/api/v1/nodes/n1").status == 200  # no User-Agent at all
    listed = seeded.raw.get("/_admin/faults").json["items"][0]
    assert listed["userAgent"] == r"\(replica-b\)" and listed["token"] is None and listed["remaining"] == 99
    seeded.raw.request("DELETE", "/_admin/faults")
    seeded.fault(kind="drop", token=TOKEN)
    seeded.fault(status=503, token="someone-else")
    with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
        api.get("/api/v1/nodes/n1")
    assert api.get("/api/v1/nodes/n1").status == 200  # the other token's fault is still pending
    assert seeded.raw.get("/_admin/faults").json["items"][0]["token"] == "***"  # never shown
    logged = seeded.requests()
    assert [(e["userAgent"], e["fault"]) for e in logged[:2]] == [
        ("cops-vigilante/1.0 (replica-b)", "status"), ("cops-vigilante/1.0 (replica-a)", None)]
    assert logged[-2]["fault"] == "drop" and logged[-2]["status"] is None


def test_delay(api, seeded):
    seeded.fault(kind="delay", delayMs=300, path="/nodes")
    started = time.monotonic()
    assert api.get("/api/v1/nodes").status == 200
    assert time.monotonic() - started >= 0.3
    entry = seeded.requests()[-1]
    assert entry["durationMs"] >= 300 and entry["fault"] == "delay"


def test_drop_closes_without_an_answer(api, seeded):
    seeded.fault(kind="drop", method="POST", path="/pods")
    with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
        api.request("POST", "/api/v1/namespaces/default/pods", pod("p", "n1"))
    assert seeded.state()["pods"] == []  # refused before it reached the cluster
    assert seeded.requests()[-1]["status"] is None


def test_drop_after_applying_models_a_lost_answer(api, seeded):
    seeded.fault(kind="drop", method="POST", path="/pods", apply=True)
    with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
        api.request("POST", "/api/v1/namespaces/default/pods", pod("p", "n1"))
    retried = api.request("POST", "/api/v1/namespaces/default/pods", pod("p", "n1"))
    assert retried.status == 409 and retried.json["reason"] == "AlreadyExists"


def test_drop_mid_response(api, seeded):
    seeded.fault(kind="drop_mid_response", path="/nodes")
    with pytest.raises(http.client.IncompleteRead):
        api.get("/api/v1/nodes")
    assert api.get("/api/v1/nodes").status == 200  # the client reconnects; the server is fine


def test_malformed_json(api, seeded):
    seeded.fault(kind="malformed_json", path="/nodes")
    answer = api.get("/api/v1/nodes")
    assert answer.status == 200 and answer.headers["content-type"] == "application/json"
    with pytest.raises(json.JSONDecodeError):
        json.loads(answer.body)


def test_truncated_body(api, seeded):
    full = api.get("/api/v1/nodes").body
    seeded.fault(kind="truncated_body", path="/nodes", keepBytes=100)
    answer = api.get("/api/v1/nodes")
    assert answer.status == 200 and answer.body == full[:100] and int(answer.headers["content-length"]) == 100
    with pytest.raises(json.JSONDecodeError):
        json.loads(answer.body)


@pytest.mark.parametrize("repeat", [True, False])
def test_endless_list_answers_the_first_page_with_a_continue_token_every_time(api, seeded, repeat):
    first = json.loads(api.get("/api/v1/nodes?limit=2").body)
    seeded.fault(kind="endless_list", path="/api/v1/nodes", count=3, repeatToken=repeat)
    tokens = []
    target = "/api/v1/nodes?limit=2"
    for _ in range(3):
        answer = json.loads(api.get(target).body)
        assert [n["metadata"]["name"] for n in answer["items"]] == [n["metadata"]["name"] for n in first["items"]]
        tokens.append(answer["metadata"]["continue"])
        target = f"/api/v1/nodes?limit=2&continue={tokens[-1]}"
    assert (len(set(tokens)) == 1) == repeat


def test_bad_fault_specs_are_400_and_faults_can_be_listed_and_cleared(seeded):
    raw = seeded.raw
    assert raw.request("POST", "/_admin/faults", {"kind": "explode"}).status == 400
    assert raw.request("POST", "/_admin/faults", {"path": "("}).status == 400
    assert raw.request("POST", "/_admin/faults", {"body": "("}).status == 400
    assert raw.request("POST", "/_admin/faults", {"userAgent": "("}).status == 400
    assert raw.request("POST", "/_admin/faults", {"token": 5}).status == 400
    assert raw.request("POST", "/_admin/faults", {"count": 0}).status == 400
    seeded.fault(status=500, count=3)
    assert raw.get("/_admin/faults").json["items"][0]["remaining"] == 3
    raw.request("DELETE", "/_admin/faults")
    assert raw.get("/_admin/faults").json["items"] == []
