"""The official `kubernetes` Python client against the fake, through generated kubeconfigs."""

import datetime

import pytest

kubernetes = pytest.importorskip("kubernetes")
from kubernetes import client, config  # noqa: E402

from fakeapi import kubeconfig  # noqa: E402
from fakeapi.tests.conftest import TOKEN  # noqa: E402
from fakeapi.tests.harness import pod, windows_node  # noqa: E402


def api_client(path: str) -> client.ApiClient:
    configuration = client.Configuration()
    config.load_kube_config(config_file=path, client_configuration=configuration)
    return client.ApiClient(configuration)


@pytest.fixture
def core(kubeconfig_path):
    with api_client(kubeconfig_path) as c:
        yield client.CoreV1Api(c)


def test_list_nodes_with_limit_and_continue(core, admin):
    admin.generate(linux=7, windows=3)
    names, token, pages = [], None, 0
    while True:
        page = core.list_node(limit=4, _continue=token)
        names += [n.metadata.name for n in page.items]
        pages += 1
        token = page.metadata._continue
        if not token:
            break
    assert pages == 3 and len(names) == 10 and names == sorted(names)
    windows = core.list_node(label_selector="kubernetes.io/os=windows")
    assert sorted(n.metadata.name for n in windows.items) == sorted(n for n in names if "win" in n)


def test_read_and_patch_node_annotations(core, admin):
    admin.seed([windows_node("akswin000003")])
    node = core.read_node("akswin000003")
    assert node.metadata.labels["kubernetes.io/os"] == "windows"
    patched = core.patch_node("akswin000003", {"metadata": {"annotations": {"cops-vigilante-snat-node-healed": "true"}}})
    assert patched.metadata.annotations["cops-vigilante-snat-node-healed"] == "true"
    assert int(patched.metadata.resource_version) > int(node.metadata.resource_version)
    removed = core.patch_node("akswin000003", {"metadata": {"annotations": {"cops-vigilante-snat-node-healed": None}}})
    assert "cops-vigilante-snat-node-healed" not in (removed.metadata.annotations or {})


def test_create_list_delete_pods(core, admin):
    admin.seed([windows_node("akswin000003")])
    created = core.create_namespaced_pod("kube-system", pod("healer", "akswin000003", {"app": "healer"}, grace=0))
    assert created.metadata.uid and created.status.phase == "Running"
    with pytest.raises(client.ApiException) as conflict:
        core.create_namespaced_pod("kube-system", pod("healer", "akswin000003"))
    assert conflict.value.status == 409 and '"reason":"AlreadyExists"' in conflict.value.body
    assert [p.metadata.name for p in core.list_namespaced_pod("kube-system", label_selector="app=healer").items] == ["healer"]
    assert core.list_namespaced_pod("kube-system", label_selector="app=other").items == []
    assert [p.metadata.name for p in core.list_pod_for_all_namespaces(field_selector="spec.nodeName=akswin000003").items] == ["healer"]
    core.delete_namespaced_pod("healer", "kube-system", grace_period_seconds=0)
    with pytest.raises(client.ApiException) as gone:
        core.read_namespaced_pod("healer", "kube-system")
    assert gone.value.status == 404


def test_create_event_about_a_node(kubeconfig_path, admin):
    admin.seed([windows_node("akswin000003")])
    with api_client(kubeconfig_path) as c:
        node = client.CoreV1Api(c).read_node("akswin000003")
        event = client.EventsV1Event(
            metadata=client.V1ObjectMeta(generate_name="akswin000003."),
            event_time=datetime.datetime.now(datetime.timezone.utc),
            reporting_controller="cops-vigilante",
            reporting_instance="vigilante-0",
            action="Heal",
            reason="SnatNodeHealed",
            type="Normal",
            note="node healed",
            regarding=client.V1ObjectReference(kind="Node", name="akswin000003", uid=node.metadata.uid, api_version="v1"),
        )
        created = client.EventsV1Api(c).create_namespaced_event("default", event)
        assert created.metadata.name.startswith("akswin000003.") and created.regarding.name == "akswin000003"
        core_events = client.CoreV1Api(c).list_namespaced_event("default", field_selector="involvedObject.name=akswin000003")
        assert [e.reason for e in core_events.items] == ["SnatNodeHealed"] and core_events.items[0].message == "node healed"


def test_token_file_and_client_certificate_configs(server, pki, tmp_path, admin, start_server):
    admin.seed([windows_node("akswin000003")])
    cert_config = kubeconfig.write(str(tmp_path / "cert"), server.url, ca_file=pki.ca_cert, client_cert=pki.client_cert, client_key=pki.client_key)
    with api_client(cert_config) as c:
        assert [n.metadata.name for n in client.CoreV1Api(c).list_node().items] == ["akswin000003"]
    token_file = tmp_path / "token"
    token_file.write_text("rotating-1")  # the Python client, unlike client-go, does not trim a newline
    rotating = start_server(["--cert", pki.server_cert, "--key", pki.server_key, "--token-file", str(token_file)])
    file_config = kubeconfig.write(str(tmp_path / "file"), rotating.url, ca_file=pki.ca_cert, ca_inline=True, token_file=str(token_file))
    with api_client(file_config) as c:
        assert client.CoreV1Api(c).list_node().items == []


def test_wrong_token_is_401(server, pki, tmp_path):
    wrong = kubeconfig.write(str(tmp_path / "kc"), server.url, ca_file=pki.ca_cert, token=TOKEN + "x")
    with api_client(wrong) as c, pytest.raises(client.ApiException) as failure:
        client.CoreV1Api(c).list_node()
    assert failure.value.status == 401 and '"reason":"Unauthorized"' in failure.value.body


def test_json_patch_removes_a_taint_only_while_its_test_holds(core, admin):
    """The startup-taint removal: test the entry, then remove it; a list changed in between is a 422, unchanged."""
    node = windows_node("akswin000009", ready=True)
    node["spec"]["taints"] = [{"key": "cops-vigilante/snat-unhealed", "value": "true", "effect": "NoSchedule"}]
    admin.seed([node])
    startup = {"key": "cops-vigilante/snat-unhealed", "value": "true", "effect": "NoSchedule"}
    # Another controller puts its taint first: index 0 is no longer the startup taint.
    admin.patch_node("akswin000009", {"spec": {"taints": [{"key": "other", "effect": "NoSchedule"}, startup]}})
    with pytest.raises(kubernetes.client.rest.ApiException) as failed:
        core.patch_node("akswin000009", [{"op": "test", "path": "/spec/taints/0", "value": startup},
                                         {"op": "remove", "path": "/spec/taints/0"}])
    assert failed.value.status == 422
    assert len(core.read_node("akswin000009").spec.taints) == 2
    patched = core.patch_node("akswin000009", [{"op": "test", "path": "/spec/taints/1", "value": startup},
                                               {"op": "remove", "path": "/spec/taints/1"}])
    assert [t.key for t in patched.spec.taints] == ["other"]
