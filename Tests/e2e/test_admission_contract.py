"""The admission contract as the API server sees it: every review, in v1 and v1beta1, for a node's CREATE, UPDATE
and status UPDATE, and every AdmissionReview of Tests/Fixtures, is allowed with its uid in the version it was
asked in, over one kept-alive HTTPS connection, by the release binary healing a (fake) cluster."""

from __future__ import annotations

import json

import pytest

from fake_cluster import admission_review, windows_node
from integration_support import FIXTURES_DIR as FIXTURES, expected_answer, fixture_reviews, metric, scrape

FIXTURE_REVIEWS = fixture_reviews()

VERSIONS = ["admission.k8s.io/v1", "admission.k8s.io/v1beta1"]
# (operation, subresource): a node registering, a node's spec or labels changing, and the kubelet's status
# report, which is where a node turns Ready.
CHANGES = [("CREATE", None), ("UPDATE", None), ("UPDATE", "status")]


def node_review(api_version: str, operation: str, sub_resource: str | None, uid: str) -> dict:
    # A NotReady Windows node: a real candidate for healing, so the review takes the path into the scheduler.
    node = windows_node("akswin00000c", ready=False)
    review = admission_review(operation, node, old=node if operation == "UPDATE" else None,
                              sub_resource=sub_resource, uid=uid)
    review["apiVersion"] = api_version
    return review


@pytest.mark.parametrize("api_version", VERSIONS)
@pytest.mark.parametrize("operation,sub_resource", CHANGES, ids=["CREATE", "UPDATE", "UPDATE-status"])
def test_a_node_review_is_allowed_with_its_uid_in_the_version_it_was_asked_in(
        healing_webhook, caller_for, api_version, operation, sub_resource) -> None:
    uid = f"{api_version.rsplit('/', 1)[1]}-{operation.lower()}-{sub_resource or 'object'}"
    answer = caller_for(healing_webhook).review(node_review(api_version, operation, sub_resource, uid))
    assert answer == expected_answer(api_version, uid)


@pytest.mark.parametrize("name", FIXTURE_REVIEWS)
def test_every_fixture_review_is_allowed_with_its_uid_and_version(healing_webhook, caller_for, name) -> None:
    # Sent byte for byte as stored: the real captures are the API server's own serialization.
    body = (FIXTURES / name).read_bytes()
    document = json.loads(body)
    answer = caller_for(healing_webhook).review(body)
    assert answer == expected_answer(document["apiVersion"], document["request"]["uid"])


def test_one_kept_alive_connection_carries_every_review_and_each_is_counted(healing_webhook, caller_for) -> None:
    # The API server keeps its connections to a webhook open; a webhook that closed them after each answer would
    # cost a TLS handshake per node change.
    caller = caller_for(healing_webhook)
    before = metric(scrape(healing_webhook), "cops_vigilante_admission_requests_total") or 0
    sent = 0
    for round_ in range(4):
        for api_version in VERSIONS:
            for operation, sub_resource in CHANGES:
                uid = f"keepalive-{round_}-{sent}"
                assert caller.review(node_review(api_version, operation, sub_resource, uid)) == \
                    expected_answer(api_version, uid)
                sent += 1
    assert caller.connections_opened == 1, f"{sent} reviews took {caller.connections_opened} connections"
    assert caller.alpn_protocol == "http/1.1", "offered h2 and http/1.1, the webhook must choose http/1.1"
    after = metric(scrape(healing_webhook), "cops_vigilante_admission_requests_total")
    assert after == before + sent
