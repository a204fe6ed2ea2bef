"""The realistic node generator: sizes, shapes and names as on AKS, compared with the real fixture."""

import json

import pytest

from fakeapi.nodegen import generate
from fakeapi.tests.conftest import fixture_path

REAL_LIST = fixture_path("real", "aks-linux-nodelist-ubuntu1804-2021.json")


@pytest.fixture(scope="module")
def nodes():
    return generate(linux=200, windows=6, seed=7)


def test_linux_nodes_are_10_to_15_kb_with_real_parts(nodes):
    linux = [n for n in nodes if n["metadata"]["labels"]["kubernetes.io/os"] == "linux"]
    assert len(linux) == 200
    for n in linux:
        size = len(json.dumps(n, separators=(",", ":")))
        assert 10_000 <= size <= 15_000, size
        assert 10 <= len(n["status"]["conditions"]) <= 18 and len(n["status"]["images"]) == 50
        assert n["metadata"]["managedFields"] and n["spec"]["providerID"].startswith("azure:///subscriptions/")
        assert n["metadata"]["labels"]["kubernetes.io/hostname"] == n["metadata"]["name"]
        assert next(c for c in n["status"]["conditions"] if c["type"] == "Ready")["status"] == "True"
    assert len({n["metadata"]["uid"] for n in nodes}) == len(nodes)


def test_windows_nodes(nodes):
    windows = [n for n in nodes if n["metadata"]["labels"]["kubernetes.io/os"] == "windows"]
    assert [n["metadata"]["name"] for n in windows][:3] == ["akswin000000", "akswin000001", "akswin000002"]
    assert windows[3]["metadata"]["name"].startswith("aks-npwin-") and windows[3]["metadata"]["name"].endswith("-vmss000000")
    for n in windows:
        labels = n["metadata"]["labels"]
        assert labels["node.kubernetes.io/windows-build"].startswith("10.0.") and labels["agentpool"] in ("win", "npwin")
        assert labels["kubernetes.azure.com/agentpool"] == labels["agentpool"] and labels["kubernetes.io/hostname"] == n["metadata"]["name"]
        assert n["status"]["nodeInfo"]["operatingSystem"] == "windows"


def test_deterministic_and_options():
    assert [n["metadata"]["uid"] for n in generate(3, 2, seed=1)] == [n["metadata"]["uid"] for n in generate(3, 2, seed=1)]
    not_ready = generate(0, 2, windows_ready=False, windows_annotations={"cops-vigilante-snat-node-healed": "true"}, windows_names="vmss")
    assert all(n["metadata"]["name"].startswith("aks-npwin-") for n in not_ready)
    assert all(n["metadata"]["annotations"]["cops-vigilante-snat-node-healed"] == "true" for n in not_ready)
    assert all(next(c for c in n["status"]["conditions"] if c["type"] == "Ready")["status"] == "False" for n in not_ready)
    assert generate(1001, 0)[-1]["metadata"]["name"].startswith("aks-nodepool2-")  # AKS pools hold at most 1,000 nodes


def test_same_shape_as_the_real_aks_node(nodes):
    with open(REAL_LIST, encoding="utf-8") as f:
        real = json.load(f)["items"][0]
    ours = nodes[0]
    assert set(ours) == set(real)
    assert set(real["metadata"]) - {"selfLink", "resourceVersion"} <= set(ours["metadata"])  # selfLink is gone since 1.20
    assert set(real["status"]) - {"config"} <= set(ours["status"])
    assert set(real["status"]["nodeInfo"]) == set(ours["status"]["nodeInfo"])
    assert set(real["status"]["conditions"][0]) == set(ours["status"]["conditions"][0])
    assert set(real["metadata"]["managedFields"][0]) <= set(ours["metadata"]["managedFields"][0])
    assert set(real["metadata"]["labels"]) <= set(ours["metadata"]["labels"])
