"""The admin side: seeding, node changes, state, request log, reset; and starting with --seed/--generate."""

import json

from fakeapi.tests.harness import RawClient, client_context, node, pod


def test_seed_change_and_delete_nodes(admin, api):
    assert admin.seed([node("n1"), node("n2")]) == {"created": 2, "updated": 0}
    assert admin.seed({"kind": "NodeList", "apiVersion": "v1", "items": [node("n2", {"x": "y"})]}) == {"created": 0, "updated": 1}
    assert admin.node("n2")["metadata"]["labels"]["x"] == "y"
    patched = admin.raw.request("PATCH", "/_admin/nodes/n1", {"metadata": {"annotations": {"a": "b"}}, "spec": {"unschedulable": True}}).json
    assert patched["metadata"]["annotations"] == {"a": "b"} and patched["spec"]["unschedulable"] is True
    assert api.get("/api/v1/nodes?fieldSelector=spec.unschedulable%3Dtrue").json["items"][0]["metadata"]["name"] == "n1"
    assert admin.raw.request("DELETE", "/_admin/nodes/n1").status == 200
    assert api.get("/api/v1/nodes/n1").status == 404
    assert admin.raw.request("DELETE", "/_admin/nodes/n1").status == 404
    admin.raw.request("DELETE", "/_admin/nodes")
    assert admin.state()["nodes"] == []


def test_ready_changes_condition_and_taints(admin, api):
    admin.seed([node("n1")])
    not_ready = admin.set_ready("n1", False)
    ready = next(c for c in not_ready["status"]["conditions"] if c["type"] == "Ready")
    assert ready["status"] == "False" and ready["reason"] == "KubeletNotReady"
    assert {(t["key"], t["effect"]) for t in not_ready["spec"]["taints"]} == {("node.kubernetes.io/not-ready", "NoSchedule"), ("node.kubernetes.io/not-ready", "NoExecute")}
    back = admin.set_ready("n1", True)
    assert next(c for c in back["status"]["conditions"] if c["type"] == "Ready")["status"] == "True"
    assert "taints" not in back["spec"]
    assert admin.set_ready("n1", "Unknown")["spec"]["taints"][0]["key"] == "node.kubernetes.io/unreachable"
    assert admin.raw.request("POST", "/_admin/nodes/n1/ready", {"ready": "maybe"}).status == 400
    # A NotReady node gets no pod bound to it.
    admin.set_ready("n1", False)
    created = api.request("POST", "/api/v1/namespaces/default/pods", pod("p", selector={"kubernetes.io/hostname": "n1"})).json
    assert created["status"]["phase"] == "Pending"


def test_state_shows_terminating_pods_and_events(admin, api):
    admin.seed([node("n1")])
    api.request("POST", "/api/v1/namespaces/default/pods", pod("p", "n1", grace=3000))
    api.request("DELETE", "/api/v1/namespaces/default/pods/p")
    state = admin.state()
    assert state["pods"][0]["metadata"]["deletionTimestamp"] and int(state["resourceVersion"]) > 0
    assert {n["metadata"]["name"] for n in state["namespaces"]} >= {"default", "kube-system"}
    assert admin.raw.request("DELETE", "/_admin/pods/default/p").status == 200
    assert admin.state()["pods"] == []


def test_request_log(admin, api):
    admin.seed([node("n1")])
    api.get("/api/v1/nodes?limit=1", headers={"User-Agent": "cops-vigilante/0.1.0"})
    api.request("PATCH", "/api/v1/nodes/n1", {"metadata": {"annotations": {"a": None}}}, content_type="application/merge-patch+json")
    first, second = admin.requests()
    assert first["method"] == "GET" and first["path"] == "/api/v1/nodes?limit=1" and first["status"] == 200
    assert first["userAgent"] == "cops-vigilante/0.1.0" and first["authorization"] == "Bearer" and first["authMethod"] == "token"
    assert first["responseBytes"] > 0 and first["seq"] < second["seq"] and first["timeMs"] <= second["timeMs"]
    assert second["contentType"] == "application/merge-patch+json" and json.loads(second["body"]) == {"metadata": {"annotations": {"a": None}}}
    assert admin.requests(since=first["seq"]) == [second]
    admin.clear_requests()
    assert admin.requests() == []


def test_admin_errors_and_objects(admin, api):
    assert admin.raw.get("/_admin/nope").status == 404
    assert admin.raw.request("POST", "/_admin/nodes", b"{").status == 400
    assert admin.raw.request("POST", "/_admin/namespaces", {"name": "team-a"}).status == 200
    assert api.request("POST", "/api/v1/namespaces/team-a/pods", pod("p")).status == 201
    seeded = admin.raw.request("POST", "/_admin/objects", [{"kind": "Pod", "apiVersion": "v1", "metadata": {"name": "raw", "namespace": "team-a"}, "spec": {}, "status": {"phase": "Succeeded"}}])
    assert seeded.json == {"created": 1, "updated": 0}
    assert api.get("/api/v1/namespaces/team-a/pods/raw").json["status"]["phase"] == "Succeeded"
    admin.reset()
    assert api.get("/api/v1/namespaces/team-a").status == 404 and admin.state()["pods"] == []


def test_start_with_seed_file_and_generator(start_server, pki, tmp_path):
    seed = tmp_path / "seed.json"
    seed.write_text(json.dumps({"kind": "NodeList", "apiVersion": "v1", "items": [node("seeded-1")]}))
    server = start_server(["--http", "--seed", str(seed), "--generate-linux", "2", "--generate-windows", "2"], tls=False)
    with open(server.port_file, encoding="utf-8") as f:
        assert f.read() == f"{server.port}\nready\n"
    names = [n["metadata"]["name"] for n in RawClient(server.port).get("/api/v1/nodes").json["items"]]
    assert len(names) == 5 and "seeded-1" in names and "akswin000000" in names
    assert server.stop() == 0  # SIGTERM is a clean exit


def test_tls_server_admin_needs_no_kubernetes_credentials(server, pki):
    assert RawClient(server.port, client_context(pki.ca_cert)).get("/_admin/healthz").body == b"ok"
