"""Label and field selectors: the parser on its own, then through the API."""

import pytest

from fakeapi.errors import ApiError
from fakeapi.selection import parse_field_selector, parse_label_selector
from fakeapi.tests.harness import node, pod

LABELS = {"kubernetes.io/os": "windows", "agentpool": "win", "tier": "3"}


@pytest.mark.parametrize(
    "selector, matches",
    [
        ("", True),
        ("kubernetes.io/os=windows", True),
        ("kubernetes.io/os==windows", True),
        ("kubernetes.io/os=linux", False),
        ("kubernetes.io/os!=linux", True),
        ("missing!=x", True),  # != matches objects without the key
        ("agentpool", True),
        ("missing", False),
        ("!missing", True),
        ("!agentpool", False),
        ("agentpool in (win, npwin)", True),
        ("agentpool in (npwin)", False),
        ("agentpool notin (npwin)", True),
        ("missing notin (x)", True),
        ("kubernetes.io/os=windows,agentpool in (win,npwin),!missing", True),
        ("kubernetes.io/os=windows,agentpool=other", False),
        ("tier>2", True),
        ("tier<3", False),
    ],
)
def test_label_selector(selector, matches):
    assert parse_label_selector(selector).matches(LABELS) is matches


@pytest.mark.parametrize("selector", ["a b", "a in ()", "x=-bad-", "not a key/ x=y", "a in (b", "tier>x"])
def test_bad_label_selectors_are_400(selector):
    with pytest.raises(ApiError) as err:
        parse_label_selector(selector)
    assert err.value.code == 400 and err.value.reason == "BadRequest"


def test_field_selector_escapes_and_unknown_fields():
    fields = {"metadata.name": lambda o: o["name"]}
    assert parse_field_selector(r"metadata.name=a\,b", fields).matches({"name": "a,b"}, fields)
    assert parse_field_selector("metadata.name!=a", fields).matches({"name": "b"}, fields)
    with pytest.raises(ApiError) as err:
        parse_field_selector("spec.other=x", fields)
    assert err.value.code == 400 and "not a known field selector" in err.value.message


def test_selectors_over_the_api(api, admin):
    admin.seed([node("linux-1", {"kubernetes.io/os": "linux"}), node("win-1", {"kubernetes.io/os": "windows", "agentpool": "win"}), node("win-2", {"kubernetes.io/os": "Windows", "agentpool": "npwin"})])

    def names(path):
        answer = api.get(path)
        assert answer.status == 200, answer.body
        return [i["metadata"]["name"] for i in answer.json["items"]]

    assert names("/api/v1/nodes?labelSelector=kubernetes.io/os%3Dwindows") == ["win-1"]
    assert names("/api/v1/nodes?labelSelector=agentpool%20in%20(win,npwin)") == ["win-1", "win-2"]
    assert names("/api/v1/nodes?labelSelector=!agentpool") == ["linux-1"]
    assert names("/api/v1/nodes?fieldSelector=metadata.name%3Dwin-2") == ["win-2"]
    for name, node_name in (("p1", "win-1"), ("p2", "win-2")):
        assert api.request("POST", "/api/v1/namespaces/kube-system/pods", pod(name, node_name, {"app": "x"})).status == 201
    assert api.request("POST", "/api/v1/namespaces/default/pods", pod("p3", "win-1", {"app": "y"})).status == 201
    assert names("/api/v1/pods?fieldSelector=spec.nodeName%3Dwin-1") == ["p3", "p1"]  # default/ sorts before kube-system/
    assert names("/api/v1/namespaces/kube-system/pods?fieldSelector=spec.nodeName%3Dwin-1") == ["p1"]
    assert names("/api/v1/namespaces/kube-system/pods?labelSelector=app%3Dx&fieldSelector=status.phase%3DRunning") == ["p1", "p2"]
    bad = api.get("/api/v1/pods?fieldSelector=spec.bogus%3Dx")
    assert bad.status == 400 and bad.json["kind"] == "Status"
    assert api.get("/api/v1/nodes?labelSelector=a%20b").status == 400
