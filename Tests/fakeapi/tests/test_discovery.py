"""Discovery documents, Table and PartialObjectMetadata answers, Accept negotiation, and watches."""

import http.client
import json
import ssl
import threading

from fakeapi.tests.harness import node, pod

TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json"


def test_discovery_documents(api):
    assert api.get("/api").json["kind"] == "APIVersions" and api.get("/api").json["versions"] == ["v1"]
    groups = api.get("/apis").json
    assert groups["kind"] == "APIGroupList" and groups["groups"][0]["name"] == "events.k8s.io"
    resources = {r["name"]: r for r in api.get("/api/v1").json["resources"]}
    assert resources["nodes"]["namespaced"] is False and resources["pods"]["namespaced"] is True
    assert "list" in resources["nodes"]["verbs"] and "patch" in resources["nodes"]["verbs"] and "nodes/status" in resources
    assert api.get("/apis/events.k8s.io/v1").json["resources"][0]["kind"] == "Event"
    assert api.get("/version").json["gitVersion"].startswith("v1.")
    assert api.get("/apis/nope.k8s.io/v1").status == 404 and api.get("/api/v1/widgets").json["reason"] == "NotFound"
    assert "api/v1" in api.get("/openapi/v3").json["paths"]


def test_table_and_partial_metadata(api, admin):
    admin.seed([node("n1", {"node-role.kubernetes.io/agent": ""}), node("n2", ready=False)])
    answer = api.get("/api/v1/nodes?limit=1", headers={"Accept": TABLE})
    assert answer.headers["content-type"] == "application/json;as=Table;v=v1;g=meta.k8s.io"
    table = answer.json
    assert table["kind"] == "Table" and [c["name"] for c in table["columnDefinitions"]][:5] == ["Name", "Status", "Roles", "Age", "Version"]
    assert table["rows"][0]["cells"][:3] == ["n1", "Ready", "agent"] and table["metadata"]["continue"]
    assert table["rows"][0]["object"]["kind"] == "PartialObjectMetadata"
    second = api.get(f"/api/v1/nodes?limit=1&continue={table['metadata']['continue']}&includeObject=None", headers={"Accept": TABLE}).json
    assert second["rows"][0]["cells"][1] == "NotReady" and "object" not in second["rows"][0]
    single = api.get("/api/v1/nodes/n2", headers={"Accept": TABLE}).json
    assert single["kind"] == "Table" and len(single["rows"]) == 1
    partial = api.get("/api/v1/nodes", headers={"Accept": "application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io"}).json
    assert partial["kind"] == "PartialObjectMetadataList" and partial["items"][0]["metadata"]["name"] == "n1"
    refused = api.get("/api/v1/nodes", headers={"Accept": "application/vnd.kubernetes.protobuf"})
    assert refused.status == 406 and refused.json["reason"] == "NotAcceptable"


def test_watch_streams_changes(api, admin, server, pki):
    admin.seed([node("n1")])
    created = api.request("POST", "/api/v1/namespaces/default/pods", pod("w", "n1", grace=30)).json
    revision = created["metadata"]["resourceVersion"]
    connection = http.client.HTTPSConnection("127.0.0.1", server.port, context=ssl.create_default_context(cafile=pki.ca_cert), timeout=10)
    path = f"/api/v1/namespaces/default/pods?watch=true&resourceVersion={revision}&fieldSelector=metadata.name%3Dw&timeoutSeconds=10"
    connection.request("GET", path, headers={"Authorization": f"Bearer {api.token}"})
    response = connection.getresponse()
    assert response.status == 200 and response.getheader("Transfer-Encoding") == "chunked"
    threading.Thread(target=lambda: api.request("DELETE", "/api/v1/namespaces/default/pods/w")).start()
    events = [json.loads(response.readline()), json.loads(response.readline())]
    connection.close()
    assert [e["type"] for e in events] == ["MODIFIED", "DELETED"]  # deletionTimestamp set, then gone after the grace
    assert events[0]["object"]["metadata"]["deletionTimestamp"] and events[1]["object"]["kind"] == "Pod"


def test_watch_from_a_compacted_revision_is_expired(api, admin, server, pki):
    admin.raw.request("POST", "/_admin/compact")
    answer = api.get("/api/v1/nodes?watch=1&resourceVersion=1&timeoutSeconds=1")
    event = json.loads(answer.body.splitlines()[0])
    assert event["type"] == "ERROR" and event["object"]["code"] == 410
