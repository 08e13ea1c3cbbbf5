"""The error tree and the one status → error map, alone and through a real call."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from _support import API_KEY, HTML_502, fail, url
from pytest_httpx import HTTPXMock

from homebase_async import (
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    ConfigurationError,
    DailyLimitExceededError,
    HomebaseClient,
    HomebaseError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RequestTimeoutError,
    RetryPolicy,
    ServerError,
    TransportError,
    UnexpectedResponseError,
    ValidationError,
    WriteOutcomeUnknownError,
)
from homebase_async._errors import make_status_error

STATUS_TABLE = [
    (400, BadRequestError),
    (401, AuthenticationError),
    (403, PermissionDeniedError),
    (404, NotFoundError),
    (409, APIStatusError),
    (418, APIStatusError),
    (429, RateLimitError),
    (500, ServerError),
    (502, ServerError),
    (503, ServerError),
    (504, ServerError),
    (520, ServerError),
    (599, ServerError),
]


def response(status: int, **kwargs: Any) -> httpx.Response:
    return httpx.Response(status, request=httpx.Request("GET", "https://x.test/"), **kwargs)


def test_tree() -> None:
    for cls in (
        ConfigurationError,
        ValidationError,
        TransportError,
        APIStatusError,
        WriteOutcomeUnknownError,
        UnexpectedResponseError,
    ):
        assert issubclass(cls, HomebaseError)
    assert issubclass(ValidationError, ValueError)
    assert issubclass(RequestTimeoutError, TransportError)
    assert issubclass(RequestTimeoutError, TimeoutError)
    assert issubclass(DailyLimitExceededError, RateLimitError)
    for cls in (BadRequestError, AuthenticationError, PermissionDeniedError, NotFoundError):
        assert issubclass(cls, APIStatusError)
    assert issubclass(RateLimitError, APIStatusError)
    assert issubclass(ServerError, APIStatusError)


@pytest.mark.parametrize(("status", "cls"), STATUS_TABLE)
def test_status_map_with_envelope(status: int, cls: type[APIStatusError]) -> None:
    error = make_status_error(response(status, json=fail("Customer not found")))
    assert type(error) is cls
    assert error.status_code == status
    assert error.message == "Customer not found"
    assert error.body == {"success": False, "error": "Customer not found"}
    assert error.response is not None
    assert str(error) == f"{status}: Customer not found"


@pytest.mark.parametrize(("status", "cls"), STATUS_TABLE)
def test_status_map_with_html_body(status: int, cls: type[APIStatusError]) -> None:
    error = make_status_error(
        response(status, text=HTML_502, headers={"content-type": "text/html; charset=UTF-8"})
    )
    assert type(error) is cls
    assert error.status_code == status
    assert error.body == HTML_502
    # No envelope: the message is the reason phrase, or a fixed text for non-IANA codes.
    assert error.message == (httpx.Response(status).reason_phrase or "HTTP error")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            {"success": False, "error": "limit must be between 1 and 100"},
            "limit must be between 1 and 100",
        ),
        ({"error": {"message": "nested message"}}, "nested message"),
        ({"message": "top-level message"}, "top-level message"),
        ({"success": False}, "Bad Request"),
        ({"error": 42}, "Bad Request"),
        ([1, 2, 3], "Bad Request"),
    ],
)
def test_message_from_json_bodies(body: Any, message: str) -> None:
    error = make_status_error(response(400, json=body))
    assert error.message == message
    assert error.body == body


def test_plain_text_and_empty_bodies() -> None:
    text = make_status_error(response(503, text="upstream connect error"))
    assert text.body == "upstream connect error"
    assert text.message == "Service Unavailable"
    empty = make_status_error(response(520))
    assert empty.body is None
    assert empty.message == "HTTP error"
    assert isinstance(empty, ServerError)


def test_a_large_text_body_is_truncated() -> None:
    error = make_status_error(response(502, text="x" * 50_000))
    assert isinstance(error.body, str)
    assert 0 < len(error.body) < 50_000


def test_rate_limit_error_keeps_retry_after() -> None:
    error = make_status_error(response(429, json=fail("Too many requests")), retry_after=7.0)
    assert isinstance(error, RateLimitError)
    assert error.retry_after == 7.0
    assert make_status_error(response(429)).retry_after is None  # type: ignore[attr-defined]


def test_write_outcome_unknown_carries_its_cause() -> None:
    cause = ServerError("boom", status_code=503)
    error = WriteOutcomeUnknownError("createCustomer", cause)
    assert error.cause is cause
    assert error.operation == "createCustomer"
    assert "createCustomer" in str(error)
    assert "ServerError" in str(error)


def test_validation_error_names_the_field() -> None:
    error = ValidationError("mobile_phone", "must be E.164")
    assert error.field == "mobile_phone"
    assert str(error) == "mobile_phone: must be E.164"


# -- through the client: every status becomes its error, before the generated parser runs ----


@pytest.mark.parametrize(("status", "cls"), STATUS_TABLE)
async def test_status_errors_of_a_call(
    httpx_mock: HTTPXMock, hb: HomebaseClient, status: int, cls: type[APIStatusError]
) -> None:
    retried = status in (429, 500, 502, 503, 504)
    attempts = RetryPolicy().max_attempts if retried else 1
    for _ in range(attempts):
        httpx_mock.add_response(url=url("/ping"), status_code=status, json=fail("nope"))
    with pytest.raises(cls) as info:
        await hb.ping()
    assert type(info.value) is cls
    assert info.value.status_code == status
    assert info.value.message == "nope"
    assert len(httpx_mock.get_requests()) == attempts


@pytest.mark.parametrize("status", [520, 502, 500, 404])
async def test_html_error_bodies(httpx_mock: HTTPXMock, status: int) -> None:
    async with HomebaseClient(API_KEY, base_url="http://127.0.0.1/api/v1", retry=None) as hb:
        httpx_mock.add_response(
            url=url("/messages/stats"),
            status_code=status,
            text=HTML_502,
            headers={"content-type": "text/html; charset=UTF-8"},
        )
        with pytest.raises(APIStatusError) as info:
            await hb.messages.stats()
    assert info.value.status_code == status
    assert info.value.body == HTML_502
    assert isinstance(info.value.response, httpx.Response)
    assert info.value.response.status_code == status


async def test_a_success_body_of_the_wrong_shape(httpx_mock: HTTPXMock, hb: HomebaseClient) -> None:
    httpx_mock.add_response(url=url("/ping"), text="<html>not json</html>")
    with pytest.raises(UnexpectedResponseError):
        await hb.ping()


async def test_a_success_without_data(httpx_mock: HTTPXMock, hb: HomebaseClient) -> None:
    httpx_mock.add_response(url=url("/messages/stats"), json={"success": True})
    with pytest.raises(UnexpectedResponseError, match="data"):
        await hb.messages.stats()


async def test_a_redirect_is_an_error_not_followed(
    httpx_mock: HTTPXMock, hb: HomebaseClient
) -> None:
    httpx_mock.add_response(
        url=url("/ping"), status_code=302, headers={"location": "https://elsewhere.test/steal"}
    )
    with pytest.raises(APIStatusError) as info:
        await hb.ping()
    assert info.value.status_code == 302
    assert [str(r.url) for r in httpx_mock.get_requests()] == [str(url("/ping"))]


def test_error_body_is_json_when_it_parses() -> None:
    body = {"success": False, "error": "x", "details": {"field": "limit"}}
    error = make_status_error(response(400, content=json.dumps(body).encode()))
    assert error.body == body
