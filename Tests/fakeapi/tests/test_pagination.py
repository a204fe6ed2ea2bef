"""limit/continue over 2,000 realistic nodes, as the product's resync lists them."""

import pytest

from fakeapi.nodegen import generate
from fakeapi.tests.conftest import TOKEN
from fakeapi.tests.harness import FakeApiProcess, RawClient, client_context, node


@pytest.fixture(scope="module")
def big_server(pki, tmp_path_factory):
    """A server seeded at start with --generate-*: the 2,000 nodes are made once for this module."""
    server = FakeApiProcess(str(tmp_path_factory.mktemp("big")), ["--cert", pki.server_cert, "--key", pki.server_key, "--token", TOKEN, "--generate-linux", "1990", "--generate-windows", "10"])
    yield server
    server.stop()


@pytest.fixture
def big_api(big_server, pki):
    client = RawClient(big_server.port, client_context(pki.ca_cert), TOKEN)
    yield client
    client.close()


@pytest.fixture(scope="module")
def nodes_2000():
    names = sorted(n["metadata"]["name"] for n in generate(1990, 10))
    assert len(names) == 2000
    return names


def page_through(api, path: str, limit: int) -> tuple[list[str], list[dict]]:
    names, metas, token = [], [], None
    while True:
        separator = "&" if "?" in path else "?"
        url = f"{path}{separator}limit={limit}" + (f"&continue={token}" if token else "")
        answer = api.get(url)
        assert answer.status == 200, answer.body
        document = answer.json
        assert document["kind"] == "NodeList" and document["apiVersion"] == "v1"
        names += [item["metadata"]["name"] for item in document["items"]]
        assert all("kind" not in item and "apiVersion" not in item for item in document["items"])
        metas.append(document["metadata"])
        token = document["metadata"].get("continue")
        if not token:
            return names, metas


def test_pages_of_500_cover_every_node_once_in_key_order(big_api, nodes_2000):
    names, metas = page_through(big_api, "/api/v1/nodes", 500)
    assert names == nodes_2000
    assert len(metas) == 4
    assert [m.get("remainingItemCount") for m in metas] == [1500, 1000, 500, None]
    assert len({m["resourceVersion"] for m in metas}) == 1  # one list revision across its pages


def test_small_pages_and_a_selector(big_api, nodes_2000):
    windows, metas = page_through(big_api, "/api/v1/nodes?labelSelector=kubernetes.io%2Fos%3Dwindows", 3)
    assert windows == [n for n in nodes_2000 if "win" in n] and len(windows) == 10
    assert all("remainingItemCount" not in m for m in metas)  # unknown when a selector filters


def test_later_pages_read_the_snapshot_of_the_first(api, admin):
    """A continue token reads at the revision of the list's first page, as etcd serves it (Kubernetes'
    TestAPIListChunking): nodes created or deleted after the first page change nothing in the later ones."""
    admin.seed([node(f"node-{i:02d}") for i in range(10)])
    first = api.get("/api/v1/nodes?limit=5").json
    admin.seed([node("node-99"), node("node-00a")])
    assert api.request("DELETE", "/api/v1/nodes/node-07").status == 200
    rest = api.get(f"/api/v1/nodes?limit=100&continue={first['metadata']['continue']}").json
    assert [i["metadata"]["name"] for i in rest["items"]] == [f"node-{i:02d}" for i in range(5, 10)]
    assert rest["metadata"]["resourceVersion"] == first["metadata"]["resourceVersion"]


def test_without_limit_everything_comes_at_once(big_api):
    document = big_api.get("/api/v1/nodes?labelSelector=agentpool%3Dnodepool2").json
    assert len(document["items"]) == 990 and "continue" not in document["metadata"]


def test_bad_and_expired_continue_tokens(api, admin):
    admin.seed([node(f"node-{i}") for i in range(4)])
    bad = api.get("/api/v1/nodes?limit=2&continue=not-a-token")
    assert bad.status == 400 and bad.json["reason"] == "BadRequest" and "continue key is not valid" in bad.json["message"]
    token = api.get("/api/v1/nodes?limit=2").json["metadata"]["continue"]
    admin.raw.request("POST", "/_admin/compact")
    expired = api.get(f"/api/v1/nodes?limit=2&continue={token}")
    assert expired.status == 410 and expired.json["reason"] == "Expired" and expired.json["code"] == 410
    assert expired.json["metadata"]["continue"]  # the inconsistent continuation the real server offers
    assert api.get("/api/v1/nodes?limit=abc").status == 400
