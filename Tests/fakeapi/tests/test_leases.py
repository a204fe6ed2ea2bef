"""coordination.k8s.io/v1 Leases as leader election uses them, proven with the real kubectl and the official
Python client: create, get, PUT with optimistic concurrency (409 on a stale resourceVersion, 422 without one),
validation, watch; and faults that single out one client by User-Agent or token."""

import datetime
import shutil
import subprocess
import threading

import pytest

kubernetes = pytest.importorskip("kubernetes")
from kubernetes import client, config, watch  # noqa: E402
from kubernetes.client.rest import ApiException  # noqa: E402

from fakeapi.tests.conftest import TOKEN  # noqa: E402

KUBECTL = shutil.which("kubectl")
LEASES = "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases"

LEASE_YAML = """\
apiVersion: coordination.k8s.io/v1
kind: Lease
metadata:
  name: cops-vigilante
  namespace: kube-system
spec:
  holderIdentity: replica-a
  leaseDurationSeconds: 15
  acquireTime: "2026-12-05T09:30:00.123456Z"
  renewTime: "2026-12-05T09:30:02.654321Z"
  leaseTransitions: 3
"""


def lease_body(holder: str = "replica-a", **spec) -> dict:
    return {"apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
            "metadata": {"name": "cops-vigilante", "namespace": "kube-system"},
            "spec": {"holderIdentity": holder, "leaseDurationSeconds": 15, "leaseTransitions": 0,
                     "acquireTime": "2026-12-05T09:30:00.000001Z", "renewTime": "2026-12-05T09:30:00.000001Z",
                     **spec}}


@pytest.fixture
def coordination(kubeconfig_path):
    configuration = client.Configuration()
    config.load_kube_config(config_file=kubeconfig_path, client_configuration=configuration)
    with client.ApiClient(configuration) as api_client:
        yield client.CoordinationV1Api(api_client)


def kubectl(config_path: str, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([KUBECTL, "--kubeconfig", config_path, *args], input=stdin, capture_output=True, text=True,
                          timeout=60)


def test_discovery_lists_leases_with_update_and_watch(api):
    resources = api.get("/apis/coordination.k8s.io/v1").json["resources"]
    lease = next(r for r in resources if r["name"] == "leases")
    assert lease["namespaced"] and lease["kind"] == "Lease"
    assert {"get", "create", "update", "watch", "list"} <= set(lease["verbs"])
    groups = [g["name"] for g in api.get("/apis").json["groups"]]
    assert "coordination.k8s.io" in groups


@pytest.mark.skipif(KUBECTL is None, reason="kubectl is not installed")
def test_kubectl_creates_gets_and_replaces_a_lease(kubeconfig_path):
    assert kubectl(kubeconfig_path, "create", "-f", "-", stdin=LEASE_YAML).returncode == 0
    shown = kubectl(kubeconfig_path, "get", "lease", "-n", "kube-system", "cops-vigilante", "-o", "yaml")
    assert shown.returncode == 0, shown.stderr
    for line in ("holderIdentity: replica-a", "leaseDurationSeconds: 15", "acquireTime: \"2026-12-05T09:30:00.123456Z\"",
                 "renewTime: \"2026-12-05T09:30:02.654321Z\"", "leaseTransitions: 3"):
        assert line in shown.stdout, shown.stdout
    table = kubectl(kubeconfig_path, "get", "lease", "-n", "kube-system").stdout.splitlines()
    assert table[0].split() == ["NAME", "HOLDER", "AGE"]
    assert table[1].split()[:2] == ["cops-vigilante", "replica-a"]
    # A replace carrying an old resourceVersion is refused, as the API server refuses it.
    stale = LEASE_YAML.replace("  namespace: kube-system\n", "  namespace: kube-system\n  resourceVersion: \"1\"\n")
    replaced = kubectl(kubeconfig_path, "replace", "-f", "-", stdin=stale.replace("replica-a", "replica-b"))
    assert replaced.returncode != 0
    assert "the object has been modified; please apply your changes to the latest version and try again" in \
        replaced.stderr


def test_python_client_round_trips_a_lease_and_updates_it_with_optimistic_concurrency(coordination):
    acquired = datetime.datetime(2026, 12, 5, 9, 30, 0, 123456, tzinfo=datetime.timezone.utc)
    body = client.V1Lease(
        metadata=client.V1ObjectMeta(name="cops-vigilante", namespace="kube-system"),
        spec=client.V1LeaseSpec(holder_identity="replica-a", lease_duration_seconds=15, acquire_time=acquired,
                                renew_time=acquired, lease_transitions=0))
    created = coordination.create_namespaced_lease("kube-system", body)
    assert created.spec.acquire_time == acquired and created.spec.holder_identity == "replica-a"
    read = coordination.read_namespaced_lease("cops-vigilante", "kube-system")
    assert read.metadata.resource_version == created.metadata.resource_version

    read.spec.renew_time = acquired + datetime.timedelta(seconds=2)
    renewed = coordination.replace_namespaced_lease("cops-vigilante", "kube-system", read)
    assert renewed.spec.renew_time == acquired + datetime.timedelta(seconds=2)
    assert renewed.metadata.resource_version != read.metadata.resource_version

    # The same write again carries the old resourceVersion: 409, the Lease is left as it is.
    read.spec.holder_identity = "replica-b"
    with pytest.raises(ApiException) as conflict:
        coordination.replace_namespaced_lease("cops-vigilante", "kube-system", read)
    assert conflict.value.status == 409 and "Conflict" in conflict.value.body
    assert coordination.read_namespaced_lease("cops-vigilante", "kube-system").spec.holder_identity == "replica-a"

    # Without a resourceVersion: 422, leases do not allow unconditional updates.
    read.metadata.resource_version = None
    with pytest.raises(ApiException) as invalid:
        coordination.replace_namespaced_lease("cops-vigilante", "kube-system", read)
    assert invalid.value.status == 422 and "must be specified for an update" in invalid.value.body


def test_validation_is_the_api_servers(api):
    answer = api.request("POST", LEASES, lease_body(leaseDurationSeconds=0))
    assert answer.status == 422
    assert "spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0" in answer.json["message"]
    answer = api.request("POST", LEASES, lease_body(leaseTransitions=-1))
    assert answer.status == 422 and "must be greater than or equal to 0" in answer.json["message"]
    answer = api.request("POST", LEASES, lease_body(renewTime="yesterday"))
    assert answer.status == 400 and 'parsing time "yesterday"' in answer.json["message"]
    answer = api.request("POST", LEASES, {**lease_body(), "metadata": {"name": "Bad_Name", "namespace": "kube-system"}})
    assert answer.status == 422


def test_put_to_a_missing_lease_creates_it_and_a_no_op_put_keeps_the_version(api):
    created = api.request("PUT", f"{LEASES}/cops-vigilante", lease_body())
    assert created.status == 201
    version = created.json["metadata"]["resourceVersion"]
    again = api.request("PUT", f"{LEASES}/cops-vigilante",
                        {**created.json, "metadata": {**created.json["metadata"]}})
    assert again.status == 200 and again.json["metadata"]["resourceVersion"] == version
    mismatch = api.request("PUT", f"{LEASES}/other", {**created.json})
    assert mismatch.status == 400 and "does not match the name on the URL" in mismatch.json["message"]
    # PUT stays refused on kinds that do not allow update here.
    assert api.request("PUT", "/api/v1/nodes/n1", {"kind": "Node", "apiVersion": "v1",
                                                  "metadata": {"name": "n1"}}).status == 405


def test_a_watch_of_leases_sees_the_renewal(coordination, api):
    created = api.request("POST", LEASES, lease_body()).json
    seen = []
    done = threading.Event()

    def follow():
        stream = watch.Watch()
        for event in stream.stream(coordination.list_namespaced_lease, "kube-system", timeout_seconds=20,
                                   resource_version=created["metadata"]["resourceVersion"]):
            seen.append((event["type"], event["object"].spec.holder_identity))
            stream.stop()
        done.set()

    thread = threading.Thread(target=follow, daemon=True)
    thread.start()
    renewed = {**created, "spec": {**created["spec"], "holderIdentity": "replica-b"}}
    assert api.request("PUT", f"{LEASES}/cops-vigilante", renewed).status == 200
    assert done.wait(20)
    assert seen == [("MODIFIED", "replica-b")]


def test_faults_single_out_one_client_by_user_agent_or_token(api, admin):
    api.request("POST", LEASES, lease_body())
    admin.fault(kind="status", status=500, method="PUT|GET", path="leases", userAgent=r"\(replica-a\)", count=100)
    cut_off = api.get(f"{LEASES}/cops-vigilante", headers={"User-Agent": "cops-vigilante/1.0 (replica-a)"})
    other = api.get(f"{LEASES}/cops-vigilante", headers={"User-Agent": "cops-vigilante/1.0 (replica-b)"})
    nodes = api.get("/api/v1/nodes", headers={"User-Agent": "cops-vigilante/1.0 (replica-a)"})
    assert (cut_off.status, other.status, nodes.status) == (500, 200, 200)
    admin.raw.request("DELETE", "/_admin/faults")
    admin.fault(kind="status", status=503, token=TOKEN, count=1)
    assert api.get(f"{LEASES}/cops-vigilante").status == 503
    admin.fault(kind="status", status=503, token="another-token", count=1)
    assert api.get(f"{LEASES}/cops-vigilante").status == 200
    logged = admin.requests()
    assert logged[1]["userAgent"] == "cops-vigilante/1.0 (replica-a)"
