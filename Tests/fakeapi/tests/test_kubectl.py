"""The real kubectl, with a generated kubeconfig, against the fake: proof that it speaks Kubernetes."""

import json
import shutil
import subprocess

import pytest

from fakeapi import kubeconfig
from fakeapi.tests.conftest import TOKEN
from fakeapi.tests.harness import windows_node

KUBECTL = shutil.which("kubectl") or "/usr/bin/kubectl"
pytestmark = pytest.mark.skipif(not shutil.which("kubectl"), reason="kubectl is not installed")

POD_MANIFEST = """\
apiVersion: v1
kind: Pod
metadata:
  name: cops-vigilante-snat-healer-akswin000000
  namespace: kube-system
  labels:
    app.kubernetes.io/managed-by: cops-vigilante
    app.kubernetes.io/component: snat-healer
spec:
  nodeSelector:
    kubernetes.io/os: windows
    kubernetes.io/hostname: akswin000000
  terminationGracePeriodSeconds: 30
  containers:
  - name: pause-container
    image: mcr.microsoft.com/oss/kubernetes/pause:3.6
"""


def kubectl(config: str, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run([KUBECTL, "--kubeconfig", config, *args], capture_output=True, text=True, timeout=60)
    if check:
        assert result.returncode == 0, result.stderr
    return result


def test_get_nodes_in_chunks(kubeconfig_path, admin):
    admin.generate(linux=3, windows=2)
    admin.clear_requests()
    out = kubectl(kubeconfig_path, "get", "nodes", "--chunk-size=2").stdout.splitlines()
    assert out[0].split()[:5] == ["NAME", "STATUS", "ROLES", "AGE", "VERSION"]
    assert len(out) == 6 and all(line.split()[1] == "Ready" for line in out[1:])
    lists = [r["path"] for r in admin.requests() if r["path"].startswith("/api/v1/nodes")]
    assert len(lists) == 3 and "limit=2" in lists[0] and all("continue=" in p for p in lists[1:])


def test_get_one_node_as_json_and_wide(kubeconfig_path, admin):
    admin.seed([windows_node("akswin000000")])
    node = json.loads(kubectl(kubeconfig_path, "get", "node", "akswin000000", "-o", "json").stdout)
    assert node["kind"] == "Node" and node["metadata"]["name"] == "akswin000000"
    assert node["metadata"]["uid"] and node["metadata"]["resourceVersion"].isdigit()
    wide = kubectl(kubeconfig_path, "get", "nodes", "-o", "wide").stdout
    assert "INTERNAL-IP" in wide and "10.240.0.4" in wide
    missing = kubectl(kubeconfig_path, "get", "node", "nope", check=False)
    assert missing.returncode != 0 and 'nodes "nope" not found' in missing.stderr


def test_annotate_and_remove_annotation(kubeconfig_path, admin):
    admin.seed([windows_node("akswin000000")])
    assert "annotated" in kubectl(kubeconfig_path, "annotate", "node", "akswin000000", "cops-vigilante-snat-node-healed=true").stdout
    assert admin.node("akswin000000")["metadata"]["annotations"]["cops-vigilante-snat-node-healed"] == "true"
    kubectl(kubeconfig_path, "annotate", "node", "akswin000000", "cops-vigilante-snat-node-healed-")
    assert "cops-vigilante-snat-node-healed" not in admin.node("akswin000000")["metadata"].get("annotations", {})
    patches = [r for r in admin.requests() if r["method"] == "PATCH"]
    assert [p["contentType"] for p in patches] == ["application/merge-patch+json"] * 2


def test_create_list_and_delete_pod(kubeconfig_path, admin, tmp_path):
    admin.seed([windows_node("akswin000000")])
    manifest = tmp_path / "pod.yaml"
    manifest.write_text(POD_MANIFEST)
    assert "created" in kubectl(kubeconfig_path, "create", "-f", str(manifest)).stdout
    listed = kubectl(kubeconfig_path, "get", "pods", "-n", "kube-system", "-l", "app.kubernetes.io/managed-by=cops-vigilante").stdout
    assert "cops-vigilante-snat-healer-akswin000000" in listed and "Running" in listed
    none = kubectl(kubeconfig_path, "get", "pods", "-n", "kube-system", "-l", "app.kubernetes.io/managed-by=someone-else")
    assert "No resources found" in none.stdout + none.stderr
    again = kubectl(kubeconfig_path, "create", "-f", str(manifest), check=False)
    assert again.returncode != 0 and "AlreadyExists" in again.stderr
    # The pod is scheduled, so it terminates over its 30 s grace (0.6 s here); kubectl waits with a watch.
    assert "deleted" in kubectl(kubeconfig_path, "delete", "pod", "-n", "kube-system", "cops-vigilante-snat-healer-akswin000000").stdout
    assert admin.state()["pods"] == []
    assert any("watch=true" in r["path"] for r in admin.requests())


def test_get_pods_in_kube_system(kubeconfig_path, admin, api):
    api.request("POST", "/api/v1/namespaces/kube-system/pods", {"metadata": {"name": "one"}, "spec": {"containers": [{"name": "c", "image": "busybox"}]}})
    out = kubectl(kubeconfig_path, "get", "pods", "-n", "kube-system").stdout
    assert out.splitlines()[0].split() == ["NAME", "READY", "STATUS", "RESTARTS", "AGE"]
    assert out.splitlines()[1].split()[:3] == ["one", "0/1", "Pending"]


def test_describe_node_shows_events(kubeconfig_path, admin, api):
    admin.seed([windows_node("akswin000000")])
    uid = admin.node("akswin000000")["metadata"]["uid"]
    event = {"metadata": {"generateName": "akswin000000."}, "eventTime": "2025-01-01T00:00:00.000000Z", "reportingController": "cops-vigilante", "reportingInstance": "vigilante-0", "action": "Heal", "reason": "SnatHealingStarted", "type": "Normal", "note": "probe pods start", "regarding": {"kind": "Node", "name": "akswin000000", "uid": uid, "apiVersion": "v1"}}
    assert api.request("POST", "/apis/events.k8s.io/v1/namespaces/default/events", event).status == 201
    described = kubectl(kubeconfig_path, "describe", "node", "akswin000000").stdout
    assert "SnatHealingStarted" in described and "probe pods start" in described


def test_client_certificate_kubeconfig_with_inline_data(server, pki, tmp_path, admin):
    admin.seed([windows_node("akswin000000")])
    config = kubeconfig.write(str(tmp_path / "kc"), server.url, ca_file=pki.ca_cert, ca_inline=True, client_cert=pki.client_cert, client_key=pki.client_key, cert_inline=True)
    assert "akswin000000" in kubectl(config, "get", "nodes", "-o", "name").stdout
    assert admin.requests()[-1]["authMethod"] == "x509"


def test_wrong_token_is_unauthorized(server, pki, tmp_path):
    config = kubeconfig.write(str(tmp_path / "kc"), server.url, ca_file=pki.ca_cert, token=TOKEN + "-wrong")
    result = kubectl(config, "get", "nodes", check=False)
    assert result.returncode != 0 and "Unauthorized" in result.stderr
