"""coordination.k8s.io/v1 Leases as leader election uses them, proven with the real kubectl and the official
Python client: create, get, PUT with optimistic concurrency (409 on a stale resourceVersion, 422 without one, 409
on a deleted Lease's uid), decoding (MicroTimes with exactly six digits) and validation, watch; and faults that
single out one client by User-Agent or token."""

import datetime
import http.client
import json
import shutil
import ssl
import subprocess
import threading

import pytest

kubernetes = pytest.importorskip("kubernetes")
import urllib3  # noqa: E402
from kubernetes import client, config, watch  # noqa: E402
from kubernetes.client.rest import ApiException  # noqa: E402

from fakeapi import kubeconfig  # noqa: E402
from fakeapi.tests.conftest import TOKEN  # noqa: E402
from fakeapi.tests.harness import Admin, RawClient, client_context  # noqa: E402

KUBECTL = shutil.which("kubectl")
LEASES = "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases"
LEASE = f"{LEASES}/cops-vigilante"
CONFLICT = "the object has been modified; please apply your changes to the latest version and try again"
AT = datetime.datetime(2026, 12, 5, 9, 30, 0, 123456, tzinfo=datetime.timezone.utc)

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


def coordination_api(kubeconfig_file: str, user_agent: str | None = None) -> client.CoordinationV1Api:
    configuration = client.Configuration()
    config.load_kube_config(config_file=kubeconfig_file, client_configuration=configuration)
    api_client = client.ApiClient(configuration)
    if user_agent:
        api_client.user_agent = user_agent
    return client.CoordinationV1Api(api_client)


@pytest.fixture
def coordination(kubeconfig_path):
    api = coordination_api(kubeconfig_path)
    yield api
    api.api_client.close()


def v1_lease(holder: str = "replica-a", at: datetime.datetime = AT, **spec) -> client.V1Lease:
    return client.V1Lease(
        metadata=client.V1ObjectMeta(name="cops-vigilante", namespace="kube-system"),
        spec=client.V1LeaseSpec(holder_identity=holder, lease_duration_seconds=15, acquire_time=at, renew_time=at,
                                lease_transitions=0, **spec))


def kubectl(config_path: str, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([KUBECTL, "--kubeconfig", config_path, *args], input=stdin, capture_output=True, text=True,
                          timeout=60)


# --- discovery ---------------------------------------------------------------------------------------------------
def test_discovery_lists_leases_with_update_and_watch(api):
    resources = api.get("/apis/coordination.k8s.io/v1").json["resources"]
    lease = next(r for r in resources if r["name"] == "leases")
    assert lease["namespaced"] and lease["kind"] == "Lease" and lease["singularName"] == "lease"
    assert set(lease["verbs"]) == {"create", "delete", "get", "list", "patch", "update", "watch"}
    assert "shortNames" not in lease
    groups = [g["name"] for g in api.get("/apis").json["groups"]]
    assert "coordination.k8s.io" in groups
    assert api.get("/apis/coordination.k8s.io").json["preferredVersion"]["groupVersion"] == "coordination.k8s.io/v1"
    assert "/apis/coordination.k8s.io/v1" in api.get("/").json["paths"]
    assert "apis/coordination.k8s.io/v1" in api.get("/openapi/v3").json["paths"]


# --- kubectl -----------------------------------------------------------------------------------------------------
@pytest.mark.skipif(KUBECTL is None, reason="kubectl is not installed")
def test_kubectl_creates_gets_and_replaces_a_lease(kubeconfig_path):
    created = kubectl(kubeconfig_path, "create", "-f", "-", stdin=LEASE_YAML)
    assert created.returncode == 0, created.stderr
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
    assert f'Operation cannot be fulfilled on leases.coordination.k8s.io "cops-vigilante": {CONFLICT}' in replaced.stderr
    # Without one, kubectl reads the current resourceVersion first: the PUT goes through.
    replaced = kubectl(kubeconfig_path, "replace", "-f", "-", stdin=LEASE_YAML.replace("replica-a", "replica-b"))
    assert replaced.returncode == 0, replaced.stderr
    table = kubectl(kubeconfig_path, "get", "lease", "-n", "kube-system", "cops-vigilante").stdout.splitlines()
    assert table[1].split()[:2] == ["cops-vigilante", "replica-b"]


@pytest.mark.skipif(KUBECTL is None, reason="kubectl is not installed")
def test_kubectl_create_of_a_lease_without_microseconds_fails_as_on_a_real_server(kubeconfig_path):
    whole_seconds = LEASE_YAML.replace("09:30:00.123456Z", "09:30:00Z")
    created = kubectl(kubeconfig_path, "create", "-f", "-", stdin=whole_seconds)
    assert created.returncode != 0
    assert ('parsing time "2026-12-05T09:30:00Z" as "2006-01-02T15:04:05.000000Z07:00": cannot parse "Z" as '
            '".000000"') in created.stderr


# --- the official Python client ----------------------------------------------------------------------------------
def test_python_client_round_trips_a_lease_and_updates_it_with_optimistic_concurrency(coordination):
    created = coordination.create_namespaced_lease("kube-system", v1_lease())
    assert created.spec.acquire_time == AT and created.spec.renew_time == AT
    assert (created.spec.holder_identity, created.spec.lease_duration_seconds, created.spec.lease_transitions) == \
        ("replica-a", 15, 0)
    read = coordination.read_namespaced_lease("cops-vigilante", "kube-system")
    assert read.metadata.resource_version == created.metadata.resource_version and read.spec == created.spec

    read.spec.renew_time = AT + datetime.timedelta(seconds=2)
    renewed = coordination.replace_namespaced_lease("cops-vigilante", "kube-system", read)
    assert renewed.spec.renew_time == AT + datetime.timedelta(seconds=2)
    assert renewed.metadata.resource_version != read.metadata.resource_version
    assert renewed.metadata.uid == created.metadata.uid

    # The same write again carries the old resourceVersion: 409, the Lease is left as it is.
    read.spec.holder_identity = "replica-b"
    with pytest.raises(ApiException) as conflict:
        coordination.replace_namespaced_lease("cops-vigilante", "kube-system", read)
    assert conflict.value.status == 409 and json.loads(conflict.value.body)["reason"] == "Conflict"
    assert CONFLICT in json.loads(conflict.value.body)["message"]
    assert coordination.read_namespaced_lease("cops-vigilante", "kube-system").spec.holder_identity == "replica-a"

    # Without a resourceVersion: 422, leases do not allow unconditional updates.
    read.metadata.resource_version = None
    with pytest.raises(ApiException) as invalid:
        coordination.replace_namespaced_lease("cops-vigilante", "kube-system", read)
    assert invalid.value.status == 422
    assert json.loads(invalid.value.body)["message"] == ('leases.coordination.k8s.io "cops-vigilante" is invalid: '
                                                         'metadata.resourceVersion: Invalid value: 0: must be '
                                                         'specified for an update')


def test_python_client_validation_and_microtime_errors(coordination):
    with pytest.raises(ApiException) as invalid:
        coordination.create_namespaced_lease("kube-system", client.V1Lease(
            metadata=client.V1ObjectMeta(name="cops-vigilante"), spec=client.V1LeaseSpec(lease_duration_seconds=0)))
    status = json.loads(invalid.value.body)
    assert invalid.value.status == 422 and status["reason"] == "Invalid"
    assert status["message"] == ('Lease.coordination.k8s.io "cops-vigilante" is invalid: spec.leaseDurationSeconds: '
                                 'Invalid value: 0: must be greater than 0')
    assert status["details"]["causes"] == [{"reason": "FieldValueInvalid", "field": "spec.leaseDurationSeconds",
                                            "message": "Invalid value: 0: must be greater than 0"}]
    # The client writes a datetime without microseconds as "...T09:30:00+00:00": the API server's MicroTime wants
    # exactly six fractional digits and refuses it, and so does the fake.
    with pytest.raises(ApiException) as refused:
        coordination.create_namespaced_lease("kube-system", v1_lease(at=AT.replace(microsecond=0)))
    assert refused.value.status == 400
    assert json.loads(refused.value.body)["message"] == (
        'Lease in version "v1" cannot be handled as a Lease: parsing time "2026-12-05T09:30:00+00:00" as '
        '"2006-01-02T15:04:05.000000Z07:00": cannot parse "+00:00" as ".000000"')


def test_python_client_watch_sees_the_renewal(coordination, api):
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
    assert api.request("PUT", LEASE, renewed).status == 200
    assert done.wait(20)
    assert seen == [("MODIFIED", "replica-b")]


def test_a_renewal_of_a_deleted_lease_is_a_conflict_not_a_new_lease(coordination):
    created = coordination.create_namespaced_lease("kube-system", v1_lease())
    coordination.delete_namespaced_lease("cops-vigilante", "kube-system")
    # client-go writes back the object it read: its uid is a precondition the missing Lease cannot meet.
    with pytest.raises(ApiException) as gone:
        coordination.replace_namespaced_lease("cops-vigilante", "kube-system", created)
    assert gone.value.status == 409
    assert json.loads(gone.value.body)["message"] == (
        'Operation cannot be fulfilled on leases.coordination.k8s.io "cops-vigilante": StorageError: invalid object, '
        'Code: 4, Key: /registry/leases/kube-system/cops-vigilante, ResourceVersion: 0, AdditionalErrorMsg: '
        f'Precondition failed: UID in precondition: {created.metadata.uid}, UID in object meta: ')
    with pytest.raises(ApiException) as missing:
        coordination.read_namespaced_lease("cops-vigilante", "kube-system")
    assert missing.value.status == 404


# --- PUT, decoding and validation, raw ---------------------------------------------------------------------------
def test_put_to_a_missing_lease_creates_it_and_a_no_op_put_keeps_the_version(api):
    # Create on update: a resourceVersion in the body is ignored (the storage clears it), a uid is not.
    created = api.request("PUT", LEASE, {**lease_body(), "metadata": {"name": "cops-vigilante", "resourceVersion": "7"}})
    assert created.status == 201 and created.json["metadata"]["uid"]
    version = created.json["metadata"]["resourceVersion"]
    assert version != "7"
    again = api.request("PUT", LEASE, created.json)
    assert again.status == 200 and again.json == created.json
    mismatch = api.request("PUT", f"{LEASES}/other", created.json)
    assert mismatch.status == 400
    assert mismatch.json["message"] == "the name of the object (cops-vigilante) does not match the name on the URL (other)"
    elsewhere = api.request("PUT", LEASE, {**created.json, "metadata": {**created.json["metadata"], "namespace": "default"}})
    assert elsewhere.status == 400
    assert elsewhere.json["message"] == ("the namespace of the object (default) does not match the namespace on the "
                                         "request (kube-system)")
    # PUT stays refused on kinds that do not allow update here.
    assert api.request("PUT", "/api/v1/nodes/n1", {"kind": "Node", "apiVersion": "v1",
                                                  "metadata": {"name": "n1"}}).status == 405


def test_put_keeps_the_servers_metadata_and_checks_the_uid(api):
    created = api.request("POST", LEASES, lease_body()).json
    meta = created["metadata"]
    renewed = api.request("PUT", LEASE, {**created, "metadata": {**meta, "creationTimestamp": "2001-01-01T00:00:00Z"},
                                         "spec": {**created["spec"], "holderIdentity": "replica-b"}})
    assert renewed.status == 200 and renewed.json["spec"]["holderIdentity"] == "replica-b"
    assert renewed.json["metadata"]["creationTimestamp"] == meta["creationTimestamp"]
    assert renewed.json["metadata"]["uid"] == meta["uid"]
    assert int(renewed.json["metadata"]["resourceVersion"]) > int(meta["resourceVersion"])
    other_uid = api.request("PUT", LEASE, {**renewed.json, "metadata": {**renewed.json["metadata"], "uid": "0000"}})
    assert other_uid.status == 409 and other_uid.json["reason"] == "Conflict"
    assert other_uid.json["message"].endswith(f"Precondition failed: UID in precondition: 0000, UID in object meta: "
                                              f"{meta['uid']}")


def test_put_with_dry_run_changes_nothing(api):
    created = api.request("POST", LEASES, lease_body()).json
    renewed = {**created, "spec": {**created["spec"], "holderIdentity": "replica-b"}}
    answer = api.request("PUT", f"{LEASE}?dryRun=All", renewed)
    assert answer.status == 200 and answer.json["spec"]["holderIdentity"] == "replica-b"
    assert api.get(LEASE).json == created
    other = {**lease_body(), "metadata": {"name": "other"}}
    assert api.request("PUT", f"{LEASES}/other?dryRun=All", other).status == 201
    assert api.get(f"{LEASES}/other").status == 404


@pytest.mark.parametrize("spec, message", [
    ({"renewTime": "2026-12-05T09:30:00Z"},
     'parsing time "2026-12-05T09:30:00Z" as "2006-01-02T15:04:05.000000Z07:00": cannot parse "Z" as ".000000"'),
    ({"renewTime": "2026-12-05T09:30:00.1234567Z"},
     'parsing time "2026-12-05T09:30:00.1234567Z" as "2006-01-02T15:04:05.000000Z07:00": cannot parse "7Z" as '
     '"Z07:00"'),
    ({"renewTime": "yesterday"},
     'parsing time "yesterday" as "2006-01-02T15:04:05.000000Z07:00": cannot parse "yesterday" as "2006"'),
    ({"acquireTime": "2026-02-29T09:30:00.000000Z"}, 'parsing time "2026-02-29T09:30:00.000000Z": day out of range'),
    ({"acquireTime": "2026-13-01T09:30:00.000000Z"}, 'parsing time "2026-13-01T09:30:00.000000Z": month out of range'),
    ({"renewTime": 1765000000}, "json: cannot unmarshal number into Go value of type string"),
    ({"leaseDurationSeconds": "15"},
     "json: cannot unmarshal string into Go struct field LeaseSpec.spec.leaseDurationSeconds of type int32"),
    ({"leaseTransitions": 1.5},
     "json: cannot unmarshal number 1.5 into Go struct field LeaseSpec.spec.leaseTransitions of type int32"),
    ({"holderIdentity": True}, "json: cannot unmarshal bool into Go struct field LeaseSpec.spec.holderIdentity of type string"),
], ids=["whole-seconds", "seven-digits", "not-a-time", "february-29", "month-13", "time-as-number", "int-as-string",
        "int-as-float", "string-as-bool"])
def test_bodies_that_do_not_decode_are_400_in_the_decoders_words(api, spec, message):
    answer = api.request("POST", LEASES, lease_body(**spec))
    assert answer.status == 400 and answer.json["reason"] == "BadRequest"
    assert answer.json["message"] == f'Lease in version "v1" cannot be handled as a Lease: {message}'
    assert api.request("PUT", LEASE, lease_body(**spec)).json["message"] == answer.json["message"]


def test_microtimes_are_stored_in_utc_with_six_digits_and_nulls_are_dropped(api):
    created = api.request("POST", LEASES, lease_body(acquireTime="2026-12-05T11:30:00.000001+02:00", renewTime=None,
                                                     leaseTransitions=None)).json
    assert created["spec"] == {"holderIdentity": "replica-a", "leaseDurationSeconds": 15,
                               "acquireTime": "2026-12-05T09:30:00.000001Z"}
    bare = api.request("POST", LEASES, {"apiVersion": "coordination.k8s.io/v1", "kind": "Lease", "metadata": {"name": "bare"}})
    assert bare.status == 201 and bare.json["spec"] == {}
    # A patch whose result does not decode: the patcher's Invalid of the field "patch".
    patched = api.request("PATCH", LEASE, {"spec": {"renewTime": "soon"}}, content_type="application/merge-patch+json")
    assert patched.status == 422 and patched.json["details"]["causes"][0]["field"] == "patch"
    assert patched.json["message"].endswith('": parsing time "soon" as "2006-01-02T15:04:05.000000Z07:00": cannot parse '
                                            '"soon" as "2006"')


def test_validation_is_the_api_servers(api):
    answer = api.request("POST", LEASES, lease_body(leaseDurationSeconds=0))
    assert answer.status == 422
    assert "spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0" in answer.json["message"]
    answer = api.request("POST", LEASES, lease_body(leaseTransitions=-1))
    assert answer.status == 422 and answer.json["message"].endswith(
        "spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0")
    answer = api.request("POST", LEASES, {**lease_body(), "metadata": {"name": "Bad_Name", "namespace": "kube-system"}})
    assert answer.status == 422 and answer.json["details"]["causes"][0]["field"] == "metadata.name"
    created = api.request("POST", LEASES, lease_body()).json
    answer = api.request("PUT", LEASE, {**created, "spec": {**created["spec"], "leaseDurationSeconds": -5}})
    assert answer.status == 422 and "must be greater than 0" in answer.json["message"]


def test_coordinated_leader_election_fields_follow_the_feature_gate_that_is_off(api, admin):
    # A v1.32 server with its default gates drops strategy and preferredHolder on create ...
    created = api.request("POST", LEASES, lease_body(strategy="OldestEmulationVersion", preferredHolder="replica-b"))
    assert created.status == 201 and "strategy" not in created.json["spec"] and "preferredHolder" not in created.json["spec"]
    # ... and keeps them on update only when the stored Lease has them: then ValidateLeaseSpec judges them.
    admin.raw.request("POST", "/_admin/objects", {**lease_body(strategy="OldestEmulationVersion", preferredHolder="b"),
                                                  "metadata": {"name": "gated", "namespace": "kube-system"}})
    gated = api.get(f"{LEASES}/gated").json
    assert gated["spec"]["strategy"] == "OldestEmulationVersion"
    without_strategy = {**gated, "spec": {k: v for k, v in gated["spec"].items() if k != "strategy"}}
    answer = api.request("PUT", f"{LEASES}/gated", without_strategy)
    assert answer.status == 422 and answer.json["message"] == (
        'Lease.coordination.k8s.io "gated" is invalid: spec.preferredHolder: Forbidden: may only be specified if '
        '`strategy` is defined')
    answer = api.request("PUT", f"{LEASES}/gated", {**gated, "spec": {**gated["spec"], "strategy": "Newest"}})
    assert answer.status == 422 and answer.json["message"].endswith(
        'spec.strategy.strategy: Unsupported value: "Newest": supported values: "OldestEmulationVersion"')


def test_a_watch_sees_added_modified_and_deleted(api, server, pki):
    revision = api.get(LEASES).json["metadata"]["resourceVersion"]
    connection = http.client.HTTPSConnection("127.0.0.1", server.port, timeout=10,
                                             context=ssl.create_default_context(cafile=pki.ca_cert))
    connection.request("GET", f"{LEASES}?watch=true&resourceVersion={revision}&timeoutSeconds=10",
                       headers={"Authorization": f"Bearer {TOKEN}"})
    response = connection.getresponse()
    assert response.status == 200
    created = api.request("PUT", LEASE, lease_body()).json  # create on update
    api.request("PUT", LEASE, {**created, "spec": {**created["spec"], "holderIdentity": "replica-b"}})
    api.request("DELETE", LEASE)
    events = [json.loads(response.readline()) for _ in range(3)]
    connection.close()
    assert [(e["type"], e["object"]["kind"], e["object"]["spec"]["holderIdentity"]) for e in events] == [
        ("ADDED", "Lease", "replica-a"), ("MODIFIED", "Lease", "replica-b"), ("DELETED", "Lease", "replica-b")]


# --- faults for one client among several ---------------------------------------------------------------------------
def test_faults_single_out_one_replica_by_user_agent(kubeconfig_path, admin):
    replica_a = coordination_api(kubeconfig_path, "cops-vigilante/1.0 (replica-a)")
    replica_b = coordination_api(kubeconfig_path, "cops-vigilante/1.0 (replica-b)")
    created = replica_a.create_namespaced_lease("kube-system", v1_lease())
    # replica-b's Lease PUTs are dropped without an answer; its reads and replica-a's writes go through.
    admin.fault(kind="drop", method="PUT", path="/leases/", userAgent=r"\(replica-b\)", count=100)
    taken = replica_a.read_namespaced_lease("cops-vigilante", "kube-system")
    taken.spec.holder_identity = "replica-b"
    with pytest.raises(urllib3.exceptions.HTTPError):
        replica_b.replace_namespaced_lease("cops-vigilante", "kube-system", taken)
    assert replica_b.read_namespaced_lease("cops-vigilante", "kube-system").spec.holder_identity == "replica-a"
    created.spec.renew_time = AT + datetime.timedelta(seconds=2)
    assert replica_a.replace_namespaced_lease("cops-vigilante", "kube-system", created).spec.holder_identity == "replica-a"
    puts = [(e["userAgent"], e["fault"], e["status"]) for e in admin.requests() if e["method"] == "PUT"]
    assert puts[-1] == ("cops-vigilante/1.0 (replica-a)", None, 200)
    assert set(puts[:-1]) == {("cops-vigilante/1.0 (replica-b)", "drop", None)}
    for api in (replica_a, replica_b):
        api.api_client.close()


def test_faults_single_out_one_client_by_token(pki, tmp_path, start_server):
    server = start_server(["--cert", pki.server_cert, "--key", pki.server_key, "--token", "token-a", "--token", "token-b"])
    config_a = kubeconfig.write(str(tmp_path / "a"), server.url, ca_file=pki.ca_cert, token="token-a")
    config_b = kubeconfig.write(str(tmp_path / "b"), server.url, ca_file=pki.ca_cert, token="token-b")
    replica_a, replica_b = coordination_api(config_a), coordination_api(config_b)
    replica_a.create_namespaced_lease("kube-system", v1_lease())
    admin = Admin(RawClient(server.port, client_context(pki.ca_cert)))
    admin.fault(status=500, method="PUT|GET", path="leases", token="token-b", count=100)
    with pytest.raises(ApiException) as failed:
        replica_b.read_namespaced_lease("cops-vigilante", "kube-system")
    assert failed.value.status == 500
    assert client.CoreV1Api(replica_b.api_client).read_namespace("kube-system").metadata.name == "kube-system"
    read = replica_a.read_namespaced_lease("cops-vigilante", "kube-system")
    read.spec.holder_identity = "replica-a2"
    assert replica_a.replace_namespaced_lease("cops-vigilante", "kube-system", read).spec.holder_identity == "replica-a2"
    for api in (replica_a, replica_b):
        api.api_client.close()
    # Faulted calls are refused before authentication; token-b's user (token-user-1) made only the namespace read.
    logged = admin.requests()
    assert [(e["method"], e["path"], e["status"]) for e in logged if e["fault"]] == [("GET", LEASE, 500)]
    assert [e["path"] for e in logged if e["user"] == "token-user-1"] == ["/api/v1/namespaces/kube-system"]
    admin.raw.close()
