"""Every error status of the README's "Endpoints" section, through the API-server-like caller: 400 for a body that is not an AdmissionReview,
404 for an unknown path, 405 for a wrong method, 413 over webhook.max_body_bytes, 415 for a wrong content type.
Each comes with a message, and the caller's next review is answered: on the same connection, or on a new one when
the error answer said `Connection: close`."""

from __future__ import annotations

import pytest

from integration_support import MAX_BODY_BYTES, NOT_ADMISSION_REVIEWS, expected_answer, review, review_of_size
from webhook_caller import Answer, WebhookCaller


def assert_still_served(caller: WebhookCaller, error: Answer) -> None:
    """The next review after an error answer is allowed; a server that dropped the connection without saying
    `Connection: close` fails here (http.client would then get no answer on the reused connection)."""
    opened = caller.connections_opened
    assert caller.review(review("after-error")) == expected_answer("admission.k8s.io/v1", "after-error")
    if error.headers.get("connection", "").lower() != "close":
        assert caller.connections_opened == opened, "the connection was closed without `Connection: close`"


@pytest.mark.parametrize("body", NOT_ADMISSION_REVIEWS)
def test_a_body_that_is_not_an_admission_review_gets_400_with_a_message(healing_webhook, caller_for, body) -> None:
    caller = caller_for(healing_webhook)
    answer = caller.call(body)
    assert answer.status == 400, answer
    assert len(answer.body.strip()) > 10, f"400 without a message: {answer.body!r}"
    assert_still_served(caller, answer)


@pytest.mark.parametrize("method,path", [("POST", "/mutate?timeout=10s"), ("GET", "/no/such/path")])
def test_an_unknown_path_gets_404(healing_webhook, caller_for, method, path) -> None:
    caller = caller_for(healing_webhook)
    answer = caller.call(review() if method == "POST" else b"", method=method, path=path,
                         content_type="application/json" if method == "POST" else None)
    assert answer.status == 404, answer
    assert answer.body.strip()
    assert_still_served(caller, answer)


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_a_wrong_method_on_validate_gets_405_naming_post(healing_webhook, caller_for, method) -> None:
    caller = caller_for(healing_webhook)
    answer = caller.call(review() if method == "PUT" else b"", method=method,
                         content_type="application/json" if method == "PUT" else None)
    assert answer.status == 405, answer
    assert "POST" in answer.headers.get("allow", ""), "a 405 names the allowed methods (RFC 9110 15.5.6)"
    assert_still_served(caller, answer)


def test_a_body_one_byte_over_max_body_bytes_gets_413_and_one_at_the_limit_is_answered(
        healing_webhook, caller_for) -> None:
    caller = caller_for(healing_webhook)
    answer = caller.call(review_of_size(MAX_BODY_BYTES + 1, uid="over"))
    assert answer.status == 413, answer
    assert answer.body.strip()
    assert_still_served(caller, answer)
    assert caller.review(review_of_size(MAX_BODY_BYTES, uid="at-limit")) == \
        expected_answer("admission.k8s.io/v1", "at-limit")


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", None],
                         ids=["text-plain", "form", "none"])
def test_a_review_sent_with_a_wrong_content_type_gets_415(healing_webhook, caller_for, content_type) -> None:
    caller = caller_for(healing_webhook)
    answer = caller.call(review("wrong-type"), content_type=content_type)
    assert answer.status == 415, answer
    assert answer.body.strip()
    assert_still_served(caller, answer)


def test_the_webhook_is_alive_after_every_error(healing_webhook) -> None:
    healing_webhook.assert_alive()
