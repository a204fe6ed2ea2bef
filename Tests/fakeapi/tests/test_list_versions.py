"""How a list's resourceVersion, resourceVersionMatch, limit and continue combine (listversions.py), checked
against the API server's rules (Kubernetes' TestListOptions integration test, the watch cache's computeListLimit,
ValidateListOptions), with raw requests, the official client and kubectl."""

import json
import shutil
import subprocess
import time

import pytest

from fakeapi.tests.harness import node, windows_node

WINDOWS = "labelSelector=kubernetes.io%2Fos%3Dwindows"


def names(document: dict) -> list[str]:
    return [item["metadata"]["name"] for item in document["items"]]


@pytest.fixture
def five(admin):
    """Five nodes (three Windows) and the revision they were listed at."""
    admin.seed([windows_node(f"win-{i}") for i in range(3)] + [node(f"lin-{i}") for i in range(2)])
    return admin


def current_revision(api) -> str:
    return api.get("/api/v1/nodes?limit=1").json["metadata"]["resourceVersion"]


def test_resource_version_0_is_served_whole_whatever_the_limit(api, five):
    """"Any" comes from the watch cache, which ignores limit for resourceVersion=0: one whole list, no token."""
    for query in ("resourceVersion=0&limit=2", "resourceVersion=0&resourceVersionMatch=NotOlderThan&limit=2"):
        document = api.get(f"/api/v1/nodes?{query}").json
        assert len(document["items"]) == 5 and "continue" not in document["metadata"], query
        assert document["metadata"]["resourceVersion"] == current_revision(api)
    windows = api.get(f"/api/v1/nodes?{WINDOWS}&resourceVersion=0&limit=1").json
    assert names(windows) == ["win-0", "win-1", "win-2"] and "continue" not in windows["metadata"]


def test_not_older_than_is_paginated_and_its_pages_read_one_snapshot(api, five):
    seen = current_revision(api)
    first = api.get(f"/api/v1/nodes?{WINDOWS}&resourceVersion={seen}&resourceVersionMatch=NotOlderThan&limit=2").json
    assert names(first) == ["win-0", "win-1"] and first["metadata"]["continue"]
    five.seed([windows_node("win-00")])  # after the first page: not in the snapshot the token reads
    token = first["metadata"]["continue"]
    rest = api.get(f"/api/v1/nodes?{WINDOWS}&limit=2&continue={token}").json
    assert names(rest) == ["win-2"] and "continue" not in rest["metadata"]
    assert rest["metadata"]["resourceVersion"] == first["metadata"]["resourceVersion"]
    # resourceVersion=0 beside a token is ignored (the token decides), as the API server does.
    assert names(api.get(f"/api/v1/nodes?{WINDOWS}&limit=2&resourceVersion=0&continue={token}").json) == ["win-2"]


def test_not_older_than_an_older_version_reads_the_current_state(api, five):
    old = current_revision(api)
    assert api.request("DELETE", "/api/v1/nodes/lin-0").status == 200
    for query in (f"resourceVersion={old}&resourceVersionMatch=NotOlderThan", f"resourceVersion={old}"):
        document = api.get(f"/api/v1/nodes?{query}").json
        assert "lin-0" not in names(document) and len(document["items"]) == 4, query
        assert int(document["metadata"]["resourceVersion"]) > int(old)


def test_exact_reads_the_state_at_that_version(api, five):
    """Exact, or the legacy resourceVersion=N with a limit, reads the state as it was at N."""
    old = current_revision(api)
    assert api.request("DELETE", "/api/v1/nodes/lin-0").status == 200
    five.seed([node("lin-9")])
    exact = api.get(f"/api/v1/nodes?resourceVersion={old}&resourceVersionMatch=Exact").json
    assert names(exact) == ["lin-0", "lin-1", "win-0", "win-1", "win-2"]
    assert exact["metadata"]["resourceVersion"] == old
    legacy = api.get(f"/api/v1/nodes?resourceVersion={old}&limit=3").json
    assert names(legacy) == ["lin-0", "lin-1", "win-0"] and legacy["metadata"]["continue"]
    rest = api.get(f"/api/v1/nodes?limit=3&continue={legacy['metadata']['continue']}").json
    assert names(rest) == ["win-1", "win-2"]


def test_an_exact_version_compacted_away_is_410(api, five):
    old = current_revision(api)
    five.seed([node("lin-9")])
    five._call("POST", "compact")
    for query in (f"resourceVersion={old}&resourceVersionMatch=Exact", f"resourceVersion={old}&limit=2"):
        answer = api.get(f"/api/v1/nodes?{query}")
        assert answer.status == 410 and answer.json["reason"] == "Expired", query
        assert answer.json["message"] == "The resourceVersion for the provided list is too old."
    # Not older than an old version is still served: it is the current state.
    assert api.get(f"/api/v1/nodes?resourceVersion={old}&resourceVersionMatch=NotOlderThan").status == 200


def test_a_version_not_reached_is_a_504_too_large_after_the_wait(api, five):
    ahead = int(current_revision(api)) + 1000
    started = time.monotonic()
    answer = api.get(f"/api/v1/nodes?resourceVersion={ahead}&resourceVersionMatch=NotOlderThan&limit=2")
    assert time.monotonic() - started >= 2.9
    assert answer.status == 504 and answer.json["reason"] == "Timeout"
    assert answer.json["message"].startswith(f"Timeout: Too large resource version: {ahead}, current: ")
    assert answer.json["details"]["causes"] == [{"reason": "ResourceVersionTooLarge",
                                                 "message": "Too large resource version"}]
    assert answer.headers["retry-after"] == "1"


@pytest.mark.parametrize("query, code, text", [
    ("resourceVersionMatch=NotOlderThan", 422,
     "resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided"),
    ("resourceVersion=0&resourceVersionMatch=Exact", 422,
     'resourceVersionMatch: Forbidden: resourceVersionMatch "exact" is forbidden for resourceVersion "0"'),
    ("resourceVersion=5&resourceVersionMatch=Newest", 422,
     'resourceVersionMatch: Unsupported value: "Newest": supported values: "Exact", "NotOlderThan", ""'),
    ("resourceVersion=5&resourceVersionMatch=NotOlderThan&continue=TOKEN", 422,
     "resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden when continue is provided"),
    ("resourceVersion=5&continue=TOKEN", 400, "specifying resource version is not allowed when using continue"),
    ("resourceVersion=abc", 400, 'Invalid value: "abc"'),
])
def test_combinations_the_api_server_refuses(api, five, query, code, text):
    token = api.get("/api/v1/nodes?limit=2").json["metadata"]["continue"]
    answer = api.get("/api/v1/nodes?" + query.replace("TOKEN", token))
    assert answer.status == code and text in answer.json["message"], answer.json
    if code == 422:
        assert answer.json["message"].startswith('ListOptions.meta.k8s.io "" is invalid: ')
        assert answer.json["details"]["kind"] == "ListOptions" and answer.json["details"]["group"] == "meta.k8s.io"


def test_the_request_log_counts_each_answers_bytes(api, five):
    five.clear_requests()
    body = api.get("/api/v1/nodes?resourceVersion=0").body
    [entry] = [e for e in five.requests() if e["path"].startswith("/api/v1/nodes")]
    assert entry["responseBytes"] == len(body)


# --- the official client and kubectl ------------------------------------------------------------------


def test_the_official_client_pages_a_not_older_than_list(kubeconfig_path, five):
    kubernetes = pytest.importorskip("kubernetes")
    configuration = kubernetes.client.Configuration()
    kubernetes.config.load_kube_config(config_file=kubeconfig_path, client_configuration=configuration)
    core = kubernetes.client.CoreV1Api(kubernetes.client.ApiClient(configuration))
    whole = core.list_node(resource_version="0", limit=2)
    assert len(whole.items) == 5 and whole.metadata._continue is None
    seen = whole.metadata.resource_version
    page = core.list_node(label_selector="kubernetes.io/os=windows", resource_version=seen,
                          resource_version_match="NotOlderThan", limit=2)
    listed = [n.metadata.name for n in page.items]
    while page.metadata._continue:
        page = core.list_node(label_selector="kubernetes.io/os=windows", limit=2, _continue=page.metadata._continue)
        listed += [n.metadata.name for n in page.items]
    assert listed == ["win-0", "win-1", "win-2"]
    with pytest.raises(kubernetes.client.rest.ApiException) as refused:
        core.list_node(resource_version_match="NotOlderThan")
    assert refused.value.status == 422
    five.seed([node("lin-9")])
    five._call("POST", "compact")
    with pytest.raises(kubernetes.client.rest.ApiException) as expired:
        core.list_node(resource_version=seen, resource_version_match="Exact")
    assert expired.value.status == 410


@pytest.mark.skipif(not shutil.which("kubectl"), reason="kubectl is not installed")
def test_kubectl_reads_the_cache_and_pages(kubeconfig_path, five):
    def kubectl(*args: str) -> str:
        result = subprocess.run(["kubectl", "--kubeconfig", kubeconfig_path, *args], capture_output=True, text=True,
                                timeout=60)
        assert result.returncode == 0, result.stderr
        return result.stdout

    whole = json.loads(kubectl("get", "--raw", "/api/v1/nodes?resourceVersion=0&limit=1"))
    assert len(whole["items"]) == 5 and "continue" not in whole["metadata"]
    seen = whole["metadata"]["resourceVersion"]
    page = json.loads(kubectl("get", "--raw",
                              f"/api/v1/nodes?resourceVersion={seen}&resourceVersionMatch=NotOlderThan&limit=2"))
    assert len(page["items"]) == 2 and page["metadata"]["continue"]
    # kubectl's own pager (a continue token per chunk, no resourceVersion) gets every node once.
    assert kubectl("get", "nodes", "-o", "name", "--chunk-size=2").split() == [
        f"node/{n}" for n in ("lin-0", "lin-1", "win-0", "win-1", "win-2")]


def test_a_lagging_watch_cache_serves_its_old_state_to_cached_reads_only(api, five):
    """/_admin/watch-cache {"lag": true} holds the cache at the current revision: "any" and "not older than" read that
    state; quorum and exact reads do not; a version past the cache's is a 504 after the wait."""
    held = current_revision(api)
    five._call("POST", "watch-cache", {"lag": True})
    assert api.request("DELETE", "/api/v1/nodes/lin-0").status == 200
    for query in ("resourceVersion=0", f"resourceVersion={held}&resourceVersionMatch=NotOlderThan&limit=10"):
        stale = api.get(f"/api/v1/nodes?{query}").json
        assert "lin-0" in names(stale) and stale["metadata"]["resourceVersion"] == held, query
    assert "lin-0" not in names(api.get("/api/v1/nodes").json), "a quorum read is current"
    newer = int(held) + 1
    answer = api.get(f"/api/v1/nodes?resourceVersion={newer}&resourceVersionMatch=NotOlderThan")
    assert answer.status == 504 and answer.json["details"]["causes"][0]["reason"] == "ResourceVersionTooLarge"
    five._call("POST", "watch-cache", {"lag": False})
    assert "lin-0" not in names(api.get("/api/v1/nodes?resourceVersion=0").json)
