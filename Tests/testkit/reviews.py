"""AdmissionReviews as the API server sends them, and the Node objects in them: a small review padded to any size,
bodies that are not reviews, the reviews of Tests/Fixtures, and reviews of a Windows node's changes."""

from __future__ import annotations

import json
import uuid

import pytest

from testkit.paths import FIXTURES_DIR


def fixture_reviews() -> list[str]:
    """The AdmissionReviews of Tests/Fixtures (Kubernetes' test data and real captures), relative to FIXTURES_DIR.
    Raises when they are missing, so that a test parametrised with them cannot silently run zero cases."""
    names = sorted([p.relative_to(FIXTURES_DIR).as_posix() for p in FIXTURES_DIR.glob("k8s-testdata/admission.k8s.io.*.json")]
                   + [p.relative_to(FIXTURES_DIR).as_posix() for p in FIXTURES_DIR.glob("real/admissionreview-*.json")])
    if len(names) < 6:
        raise FileNotFoundError(f"expected the 2 Kubernetes and 4 real AdmissionReviews in {FIXTURES_DIR}, found {names}")
    return names


def review(uid: str = "7f0a3f4e-4c3e-4a3b-9d1e-000000000001", api_version: str = "admission.k8s.io/v1",
           padding: int = 0) -> bytes:
    """A small Node UPDATE AdmissionReview (a Linux node, so nothing gets queued), optionally padded with
    trailing whitespace to an exact size."""
    document = {
        "apiVersion": api_version,
        "kind": "AdmissionReview",
        "request": {
            "uid": uid,
            "kind": {"group": "", "version": "v1", "kind": "Node"},
            "resource": {"group": "", "version": "v1", "resource": "nodes"},
            "subResource": "status",
            "name": "aks-nodepool1-12345678-vmss000000",
            "operation": "UPDATE",
            "userInfo": {"username": "system:node:aks-nodepool1-12345678-vmss000000", "groups": ["system:nodes"]},
            "object": {"apiVersion": "v1", "kind": "Node",
                       "metadata": {"name": "aks-nodepool1-12345678-vmss000000",
                                    "labels": {"kubernetes.io/os": "linux"}},
                       "status": {"conditions": [{"type": "Ready", "status": "True"}]}},
            "oldObject": None,
            "dryRun": True,
        },
    }
    body = json.dumps(document).encode()
    return body + b" " * padding


def review_of_size(size: int, uid: str = "sized") -> bytes:
    body = review(uid)
    assert len(body) <= size
    return review(uid, padding=size - len(body))


# Bodies that are not an AdmissionReview; each must get 400 with a message.
NOT_ADMISSION_REVIEWS = [
    pytest.param(b"this is not json", id="not-json"),
    pytest.param(b'{"apiVersion":"v1","kind":"Pod","metadata":{"name":"x"}}', id="json-not-a-review"),
    pytest.param(b'{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview"}', id="review-without-request"),
    pytest.param(b'["AdmissionReview"]', id="json-array"),
    pytest.param(b'{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionRev', id="truncated"),
    pytest.param(b"", id="empty"),
]


def expected_answer(api_version: str, uid: str) -> dict:
    return {"apiVersion": api_version, "kind": "AdmissionReview", "response": {"uid": uid, "allowed": True}}


def windows_node(name: str, ready: bool) -> dict:
    """A Windows node as the kubelet registers it, with the uid the API server gives it (stable per name, so the
    object in a review and the one stored in the fake are the same node; Events about it carry that uid, which
    `kubectl describe node` selects them by)."""
    return {
        "apiVersion": "v1", "kind": "Node",
        "metadata": {"name": name, "uid": str(uuid.uuid5(uuid.NAMESPACE_DNS, f"{name}.nodes.fake-cluster")),
                     "labels": {"kubernetes.io/os": "windows", "kubernetes.io/hostname": name,
                                "kubernetes.io/arch": "amd64", "agentpool": "win"}},
        "spec": {"providerID": f"azure:///subscriptions/0/resourceGroups/mc/providers/Microsoft.Compute/virtualMachineScaleSets/akswin/virtualMachines/{name[-1]}"},
        "status": {"conditions": [{"type": "Ready", "status": "True" if ready else "False",
                                   "reason": "KubeletReady" if ready else "KubeletNotReady"}],
                   "nodeInfo": {"operatingSystem": "windows", "architecture": "amd64"}},
    }


def admission_review(operation: str, node: dict, old: dict | None = None, sub_resource: str | None = None,
                     uid: str = "b1c4a2f0-0000-4000-8000-000000000001", dry_run: bool = False) -> dict:
    """The AdmissionReview the API server sends for a Node change."""
    request = {
        "uid": uid, "kind": {"group": "", "version": "v1", "kind": "Node"},
        "resource": {"group": "", "version": "v1", "resource": "nodes"},
        "requestKind": {"group": "", "version": "v1", "kind": "Node"},
        "requestResource": {"group": "", "version": "v1", "resource": "nodes"},
        "name": node["metadata"]["name"], "operation": operation,
        "userInfo": {"username": f"system:node:{node['metadata']['name']}", "groups": ["system:nodes"]},
        "object": node if operation != "DELETE" else None, "oldObject": old, "dryRun": dry_run,
        "options": {"kind": f"{operation.capitalize()}Options", "apiVersion": "meta.k8s.io/v1"},
    }
    if sub_resource:
        request["subResource"] = sub_resource
        request["requestSubResource"] = sub_resource
    return {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": request}
