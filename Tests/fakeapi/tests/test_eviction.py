"""The Eviction API with PodDisruptionBudgets, proven with the official Python client and kubectl: an eviction
without a budget deletes the pod; a budget that allows a disruption lets one pod go and then blocks the next with
429 TooManyRequests and the API server's message and cause; pods that cannot count as healthy are not protected."""

import shutil
import subprocess

import pytest

kubernetes = pytest.importorskip("kubernetes")
from kubernetes import client, config  # noqa: E402
from kubernetes.client.rest import ApiException  # noqa: E402

KUBECTL = shutil.which("kubectl")


@pytest.fixture
def core(kubeconfig_path):
    configuration = client.Configuration()
    config.load_kube_config(config_file=kubeconfig_path, client_configuration=configuration)
    with client.ApiClient(configuration) as api_client:
        yield client.CoreV1Api(api_client), client.PolicyV1Api(api_client)


def running_pod(name: str, app: str = "shop") -> dict:
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": "default", "labels": {"app": app}},
            "spec": {"nodeName": "n1", "containers": [{"name": "app", "image": "app:1"}]}}


def evict(core_api, name: str):
    return core_api.create_namespaced_pod_eviction(
        name, "default", client.V1Eviction(metadata=client.V1ObjectMeta(name=name, namespace="default")))


def wait_running(api, name: str) -> None:
    import time
    for _ in range(200):
        pod = api.get(f"/api/v1/namespaces/default/pods/{name}").json
        if pod.get("status", {}).get("phase") == "Running":
            return
        time.sleep(0.02)
    raise AssertionError(f"{name} never ran")


def test_discovery_offers_pods_eviction(api):
    resources = api.get("/api/v1").json["resources"]
    eviction = next(r for r in resources if r["name"] == "pods/eviction")
    assert (eviction["group"], eviction["version"], eviction["kind"], eviction["verbs"]) == \
        ("policy", "v1", "Eviction", ["create"])


def test_eviction_honours_the_disruption_budget(core, api, admin):
    core_api, policy = core
    admin.seed([{"kind": "Node", "apiVersion": "v1", "metadata": {"name": "n1", "labels": {"kubernetes.io/os": "linux"}},
                 "status": {"conditions": [{"type": "Ready", "status": "True"}]}}])
    for name in ("shop-0", "shop-1", "lone"):
        api.request("POST", "/api/v1/namespaces/default/pods", running_pod(name, "solo" if name == "lone" else "shop"))
    for name in ("shop-0", "shop-1", "lone"):
        wait_running(api, name)
    policy.create_namespaced_pod_disruption_budget("default", client.V1PodDisruptionBudget(
        metadata=client.V1ObjectMeta(name="shop"),
        spec=client.V1PodDisruptionBudgetSpec(min_available=1,
                                              selector=client.V1LabelSelector(match_labels={"app": "shop"}))))

    evict(core_api, "lone")  # no budget selects it
    evict(core_api, "shop-0")  # 2 healthy, 1 needed: allowed
    with pytest.raises(ApiException) as blocked:
        evict(core_api, "shop-1")  # shop-0 is going: 1 healthy, 1 needed
    assert blocked.value.status == 429
    assert "Cannot evict pod as it would violate the pod's disruption budget." in blocked.value.body
    assert "The disruption budget shop needs 1 healthy pods and has 1 currently" in blocked.value.body
    names = {p.metadata.name for p in core_api.list_namespaced_pod("default").items
             if not p.metadata.deletion_timestamp}
    assert names == {"shop-1"}


@pytest.mark.skipif(KUBECTL is None, reason="kubectl is not installed")
def test_kubectl_creates_and_lists_budgets(kubeconfig_path):
    manifest = ("apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: web\n  namespace: default\n"
                "spec:\n  maxUnavailable: 1\n  selector:\n    matchLabels:\n      app: web\n")
    created = subprocess.run([KUBECTL, "--kubeconfig", kubeconfig_path, "create", "-f", "-"], input=manifest,
                             capture_output=True, text=True, timeout=60)
    assert created.returncode == 0, created.stderr
    shown = subprocess.run([KUBECTL, "--kubeconfig", kubeconfig_path, "get", "pdb"], capture_output=True, text=True,
                           timeout=60)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.splitlines()[1].split()[:3] == ["web", "N/A", "1"]
