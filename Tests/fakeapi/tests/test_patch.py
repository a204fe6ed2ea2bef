"""PATCH: the three patch formats on their own, then their semantics through the API."""

import pytest

from fakeapi.patching import PatchError, json_patch, merge_patch, strategic_merge_patch
from fakeapi.tests.harness import node, pod

# RFC 7386 Appendix A.
RFC7386_CASES = [
    ({"a": "b"}, {"a": "c"}, {"a": "c"}),
    ({"a": "b"}, {"b": "c"}, {"a": "b", "b": "c"}),
    ({"a": "b"}, {"a": None}, {}),
    ({"a": "b", "b": "c"}, {"a": None}, {"b": "c"}),
    ({"a": ["b"]}, {"a": "c"}, {"a": "c"}),
    ({"a": "c"}, {"a": ["b"]}, {"a": ["b"]}),
    ({"a": {"b": "c"}}, {"a": {"b": "d", "c": None}}, {"a": {"b": "d"}}),
    ({"a": [{"b": "c"}]}, {"a": [1]}, {"a": [1]}),
    (["a", "b"], ["c", "d"], ["c", "d"]),
    ({"a": "b"}, ["c"], ["c"]),
    ({"a": "foo"}, None, None),
    ({"a": "foo"}, "bar", "bar"),
    ({"e": None}, {"a": 1}, {"e": None, "a": 1}),
    ([1, 2], {"a": "b", "c": None}, {"a": "b"}),
    ({}, {"a": {"bb": {"ccc": None}}}, {"a": {"bb": {}}}),
]


@pytest.mark.parametrize("target, patch, result", RFC7386_CASES)
def test_merge_patch_rfc7386_examples(target, patch, result):
    assert merge_patch(target, patch) == result


def test_patches_do_not_modify_their_input():
    shared = {"status": {"images": [{"names": ["a"]}]}, "metadata": {"annotations": {"a": "1"}}}
    merge_patch(shared, {"metadata": {"annotations": {"a": None, "b": "2"}}})
    strategic_merge_patch(shared, {"metadata": {"annotations": {"a": None}}})
    json_patch(shared, [{"op": "remove", "path": "/metadata/annotations/a"}])
    assert shared == {"status": {"images": [{"names": ["a"]}]}, "metadata": {"annotations": {"a": "1"}}}


def test_strategic_merge_merges_keyed_lists():
    target = {"status": {"conditions": [{"type": "Ready", "status": "True"}, {"type": "DiskPressure", "status": "False"}]}, "metadata": {"finalizers": ["a"]}}
    patch = {"status": {"conditions": [{"type": "Ready", "status": "False"}, {"type": "X", "$patch": "delete"}], "$setElementOrder/conditions": [{"type": "Ready"}]}, "metadata": {"finalizers": ["b"]}}
    result = strategic_merge_patch(target, patch)
    assert result["status"]["conditions"] == [{"type": "Ready", "status": "False"}, {"type": "DiskPressure", "status": "False"}]
    assert result["metadata"]["finalizers"] == ["a", "b"]


def test_json_patch_operations():
    doc = {"metadata": {"annotations": {"a/b": "1"}, "labels": {}}, "list": [1, 2]}
    ops = [
        {"op": "add", "path": "/metadata/labels/x", "value": "y"},
        {"op": "remove", "path": "/metadata/annotations/a~1b"},
        {"op": "replace", "path": "/list/0", "value": 9},
        {"op": "add", "path": "/list/-", "value": 3},
        {"op": "copy", "from": "/list/0", "path": "/copied"},
        {"op": "move", "from": "/copied", "path": "/moved"},
        {"op": "test", "path": "/moved", "value": 9},
    ]
    assert json_patch(doc, ops) == {"metadata": {"annotations": {}, "labels": {"x": "y"}}, "list": [9, 2, 3], "moved": 9}
    with pytest.raises(PatchError):
        json_patch(doc, [{"op": "test", "path": "/list/0", "value": 5}])
    with pytest.raises(PatchError):
        json_patch(doc, [{"op": "remove", "path": "/nope"}])


def _patch(api, name, body, content_type="application/merge-patch+json"):
    return api.request("PATCH", f"/api/v1/nodes/{name}", body, content_type=content_type)


def test_merge_patch_adds_and_null_removes_annotations(api, admin):
    admin.seed([node("n1", annotations={"keep": "1", "cops-vigilante-snat-healing-started-at": "2025-01-01T00:00:00Z"})])
    before = api.get("/api/v1/nodes/n1").json
    added = _patch(api, "n1", {"metadata": {"annotations": {"cops-vigilante-snat-node-healed": "true", "cops-vigilante-snat-healing-started-at": None}}})
    assert added.status == 200, added.body
    assert added.json["kind"] == "Node" and added.json["metadata"]["annotations"] == {"keep": "1", "cops-vigilante-snat-node-healed": "true"}
    assert int(added.json["metadata"]["resourceVersion"]) > int(before["metadata"]["resourceVersion"])
    assert added.json["metadata"]["uid"] == before["metadata"]["uid"]
    assert added.json["metadata"]["creationTimestamp"] == before["metadata"]["creationTimestamp"]
    assert admin.node("n1")["metadata"]["annotations"] == added.json["metadata"]["annotations"]


def test_no_op_patch_keeps_resource_version(api, admin):
    admin.seed([node("n1", annotations={"a": "1"})])
    rv = api.get("/api/v1/nodes/n1").json["metadata"]["resourceVersion"]
    assert _patch(api, "n1", {"metadata": {"annotations": {"a": "1"}}}).json["metadata"]["resourceVersion"] == rv


def test_strategic_and_json_patch_over_the_api(api, admin):
    admin.seed([node("n1")])
    assert _patch(api, "n1", {"metadata": {"annotations": {"s": "1"}}}, "application/strategic-merge-patch+json").json["metadata"]["annotations"] == {"s": "1"}
    ops = [{"op": "add", "path": "/metadata/annotations/j", "value": "2"}, {"op": "remove", "path": "/metadata/annotations/s"}]
    assert _patch(api, "n1", ops, "application/json-patch+json").json["metadata"]["annotations"] == {"j": "2"}
    failed = _patch(api, "n1", [{"op": "test", "path": "/metadata/name", "value": "other"}], "application/json-patch+json")
    assert failed.status == 422 and failed.json["kind"] == "Status"


def test_patch_errors(api, admin):
    admin.seed([node("n1")])
    assert _patch(api, "missing", {"metadata": {}}).json["reason"] == "NotFound"
    unsupported = _patch(api, "n1", {"metadata": {}}, "application/apply-patch+yaml")
    assert unsupported.status == 415 and unsupported.json["reason"] == "UnsupportedMediaType"
    assert _patch(api, "n1", b"{not json").status == 400
    stale = _patch(api, "n1", {"metadata": {"resourceVersion": "1", "annotations": {"a": "b"}}})
    assert stale.status == 409 and stale.json["reason"] == "Conflict" and "the object has been modified" in stale.json["message"]
    invalid = _patch(api, "n1", {"metadata": {"labels": {"bad key!": "x"}}})
    assert invalid.status == 422 and invalid.json["reason"] == "Invalid"
    assert invalid.json["details"]["causes"][0]["field"] == "metadata.labels"
    renamed = _patch(api, "n1", {"metadata": {"name": "n2"}})
    assert renamed.status == 400


def test_status_changes_only_through_the_status_subresource(api, admin):
    admin.seed([node("n1")])
    ignored = _patch(api, "n1", {"status": {"conditions": [{"type": "Ready", "status": "False"}]}, "metadata": {"labels": {"x": "y"}}})
    assert ignored.json["status"]["conditions"][0]["status"] == "True" and ignored.json["metadata"]["labels"]["x"] == "y"
    changed = api.request("PATCH", "/api/v1/nodes/n1/status", {"status": {"conditions": [{"type": "Ready", "status": "False"}]}}, content_type="application/merge-patch+json")
    assert changed.json["status"]["conditions"] == [{"type": "Ready", "status": "False"}]


def test_pod_spec_is_immutable_but_labels_are_not(api, admin):
    admin.seed([node("n1")])
    api.request("POST", "/api/v1/namespaces/default/pods", pod("p", "n1"))
    path = "/api/v1/namespaces/default/pods/p"
    assert api.request("PATCH", path, {"metadata": {"labels": {"a": "b"}}}, content_type="application/merge-patch+json").status == 200
    forbidden = api.request("PATCH", path, {"spec": {"nodeName": "n2"}}, content_type="application/merge-patch+json")
    assert forbidden.status == 422 and forbidden.json["details"]["causes"][0]["reason"] == "FieldValueForbidden"
