"""One error, one answer: the API and the pages take status and sentence from the error itself."""

from __future__ import annotations

import datetime as dt

import pytest

from buffer_integration.budget import Priority
from buffer_integration.exceptions import (
    BufferAuthError,
    BufferBudgetExhausted,
    BufferError,
    BufferNotFound,
    BufferOutcomeUnknown,
    BufferRateLimited,
    BufferRejected,
    BufferUnavailable,
    BufferUnsupported,
)
from kernel.api.exceptions import api_exception_handler
from kernel.errors import Conflict, InvalidInput, TooManyAttempts, first_error_detail
from web.common import error_message, status_for

SOON = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=30)
ERRORS = [
    (BufferError("odd"), 503, "Buffer error: odd"),
    (BufferUnavailable("timeout", retry_after=2.2), 503, "Buffer is unavailable: timeout"),
    (BufferRateLimited("slow down"), 503, "Buffer is unavailable: slow down"),
    (BufferOutcomeUnknown("no answer"), 503, "Buffer is unavailable: no answer"),
    (BufferAuthError("bad key"), 400, "Buffer rejected the access token: bad key"),
    (BufferNotFound("no such update"), 404, "Buffer does not know this object: no such update"),
    (BufferRejected("too long"), 400, "Buffer refused the request: too long"),
    (BufferUnsupported("No comments on this API."), 501, "No comments on this API."),
    (
        BufferBudgetExhausted("Out of room.", retry_at=SOON, window="24h", priority=Priority.PUBLISH),
        503,
        "Buffer cannot be asked right now: Out of room. Try again in ",
    ),
    (Conflict("Post 3 is published."), 409, "Post 3 is published."),
    (TooManyAttempts("Wait.", retry_after=4.5), 429, "Wait."),
]


@pytest.mark.parametrize(("exc", "status", "detail"), ERRORS, ids=lambda value: type(value).__name__)
def test_api_and_pages_answer_an_error_alike(exc, status, detail):
    response = api_exception_handler(exc, {"view": None})
    assert response.status_code == status == status_for(exc)
    assert response.data["detail"].startswith(detail)
    assert error_message(exc) == response.data["detail"]


def test_buffer_not_found_is_404_for_the_pages_json_callers_too():
    assert status_for(BufferNotFound("gone")) == 404  # the pages' own map said 400


@pytest.mark.parametrize(
    ("exc", "header"),
    [
        (BufferUnavailable("x", retry_after=2.2), "3"),
        (TooManyAttempts("x", retry_after=4.5), "5"),
        (BufferUnavailable("x"), None),
        (BufferBudgetExhausted("x", retry_at=SOON, window="24h", priority=Priority.PUBLISH), "30"),
    ],
)
def test_retry_after_comes_from_the_error(exc, header):
    response = api_exception_handler(exc, {"view": None})
    if header == "30":  # a few seconds may pass while the test runs: never more than the budget's wait
        assert 1 <= int(response["Retry-After"]) <= 30
    else:
        assert response.get("Retry-After") == header


@pytest.mark.parametrize(
    ("errors", "detail"),
    [
        ({"content": ["Too long."]}, "content: Too long."),
        ({"non_field_errors": ["Pick one."]}, "Pick one."),
        ({"posts": {"3": {"content": ["Empty."]}}}, "posts.3.content: Empty."),
        ({"network_options": {"board_id": ["Unknown board."]}}, "network_options.board_id: Unknown board."),
        ({"posts": [{}, {}, {"content": ["Empty."]}]}, "posts.2.content: Empty."),
        ({"tags": ["", "Too many."]}, "tags: Too many."),
        ({}, ""),
    ],
)
def test_first_error_detail_names_the_path_to_the_first_problem(errors, detail):
    assert first_error_detail(errors) == detail
    if errors:
        assert InvalidInput.from_errors(errors).detail == detail
