"""The admission contract as the API server sees it: every review, in v1 and v1beta1, for a node's CREATE, UPDATE
and status UPDATE, and every AdmissionReview of Tests/Fixtures, is allowed with its uid in the version it was asked
in, as JSON, over one kept-alive HTTPS connection, by a vigilante healing a (fake) cluster; and curl, verifying the
server against the test CA, gets the same answer."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from testkit.metrics import metric, scrape
from testkit.paths import FIXTURES_DIR
from testkit.pki import PKI
from testkit.reviews import admission_review, expected_answer, fixture_reviews, windows_node
from testkit.vigilante import Vigilante
from testkit.webhook_caller import VALIDATE_PATH

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
    # WebhookCaller.review also requires a 200 with a JSON content type.
    answer = caller_for(healing_webhook).review(node_review(api_version, operation, sub_resource, uid))
    assert answer == expected_answer(api_version, uid)


@pytest.mark.parametrize("name", FIXTURE_REVIEWS)
def test_every_fixture_review_is_allowed_with_its_uid_and_version(healing_webhook, caller_for, name) -> None:
    # Sent byte for byte as stored: the real captures are the API server's own serialization.
    body = (FIXTURES_DIR / name).read_bytes()
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


@pytest.mark.parametrize("api_version", VERSIONS)
def test_curl_posts_a_review_over_https_verified_against_the_ca_and_gets_exactly_the_allowed_answer(
        healing_webhook: Vigilante, pki: PKI, tmp_path: Path, api_version: str) -> None:
    uid = "705ab4f5-6393-11e8-b7cc-42010a800002"
    body = tmp_path / "review.json"
    body.write_text(json.dumps(node_review(api_version, "CREATE", None, uid)))
    port = healing_webhook.webhook_port
    result = subprocess.run(
        ["curl", "--silent", "--show-error", "--fail-with-body", "--max-time", "10",
         "--cacert", str(pki.ca.cert_file), "--resolve", f"localhost:{port}:127.0.0.1",
         "--header", "Content-Type: application/json", "--header", "Accept: application/json",
         "--data-binary", f"@{body}", "--write-out", "\n%{http_version} %{ssl_verify_result} %{content_type}",
         f"https://localhost:{port}{VALIDATE_PATH}"],
        capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, f"curl failed ({result.returncode}): {result.stderr}"
    answer, _, trailer = result.stdout.rpartition("\n")
    assert json.loads(answer) == expected_answer(api_version, uid)
    http_version, verify_result, content_type = trailer.split(" ", 2)
    assert (http_version, verify_result) == ("1.1", "0"), f"HTTP version and certificate verification: {trailer}"
    assert content_type.startswith("application/json"), content_type
