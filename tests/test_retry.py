"""What is retried, how long the client waits, and the client-wide retry budget."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import Awaitable, Callable, Iterator
from email.utils import format_datetime
from typing import Any

import httpx
import pytest
from _support import API_KEY, BASE_URL, CUSTOMER, PING, SENT, expect_sms_budget, fail, ok, url
from pytest_httpx import HTTPXMock

from homebase_async import (
    APIStatusError,
    BadRequestError,
    DailyLimitExceededError,
    HomebaseClient,
    NotFoundError,
    RateLimitError,
    RequestTimeoutError,
    RetryPolicy,
    ServerError,
    TransportError,
    UnexpectedResponseError,
    WriteOutcomeUnknownError,
)
from homebase_async._ratelimit import parse_retry_after
from homebase_async._retry import (
    Kind,
    RetryBudget,
    outcome_unknown,
    replace_retry_sleep,
    retry_wait,
)
from homebase_async._transport import map_transport_error

READ, UPDATE, WRITE = Kind.READ, Kind.UPDATE, Kind.WRITE
REQ = httpx.Request("GET", "https://x.test/")
RETRYABLE_STATUSES = [408, 429, 500, 502, 503, 504]
FINAL_STATUSES = [400, 401, 403, 404, 409, 422, 501, 520]
NOT_SENT = [httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout]
MAYBE_SENT = [
    httpx.ReadError,
    httpx.WriteError,
    httpx.ReadTimeout,
    httpx.WriteTimeout,
    httpx.RemoteProtocolError,
]


def transport_error(cls: type[httpx.TransportError]) -> TransportError:
    error = map_transport_error(cls("boom", request=REQ))
    assert isinstance(error, TransportError)
    return error


def status_error(status: int, retry_after: float | None = None) -> APIStatusError:
    if status == 429:
        return RateLimitError("slow down", retry_after=retry_after)
    cls = ServerError if status >= 500 else APIStatusError
    return cls("error", status_code=status)


# -- the decision table --------------------------------------------------------------------


@pytest.mark.parametrize("status", RETRYABLE_STATUSES)
def test_retryable_statuses(status: int) -> None:
    policy = RetryPolicy()
    error = status_error(status)
    assert retry_wait(error, READ, policy) is True
    assert retry_wait(error, UPDATE, policy) is True
    # A plain 429 rejects the request unprocessed; every other status may hide a done write.
    assert retry_wait(error, WRITE, policy) is (status == 429)


@pytest.mark.parametrize("status", FINAL_STATUSES)
def test_final_statuses(status: int) -> None:
    for kind in Kind:
        assert retry_wait(status_error(status), kind, RetryPolicy()) is False


@pytest.mark.parametrize("cls", NOT_SENT)
def test_errors_before_sending_are_retried_for_every_kind(cls: type[httpx.TransportError]) -> None:
    for kind in Kind:
        assert retry_wait(transport_error(cls), kind, RetryPolicy()) is True


@pytest.mark.parametrize("cls", MAYBE_SENT)
def test_errors_after_sending_are_retried_only_when_idempotent(
    cls: type[httpx.TransportError],
) -> None:
    assert retry_wait(transport_error(cls), READ, RetryPolicy()) is True
    assert retry_wait(transport_error(cls), UPDATE, RetryPolicy()) is True
    assert retry_wait(transport_error(cls), WRITE, RetryPolicy()) is False


def test_retry_after_is_the_wait_up_to_the_maximum() -> None:
    policy = RetryPolicy(max_retry_after=10.0)
    for kind in Kind:
        assert retry_wait(status_error(429, 2.5), kind, policy) == 2.5
        assert retry_wait(status_error(429, 10.0), kind, policy) == 10.0
        assert retry_wait(status_error(429, 10.5), kind, policy) is False


def test_never_retried() -> None:
    quota = DailyLimitExceededError("Daily SMS limit reached", retry_after=1.0)
    for kind in Kind:
        assert retry_wait(quota, kind, RetryPolicy()) is False
        assert retry_wait(UnexpectedResponseError("bad body"), kind, RetryPolicy()) is False
        assert retry_wait(ValueError("not ours"), kind, RetryPolicy()) is False
        assert retry_wait(NotFoundError("x", status_code=404), kind, RetryPolicy()) is False


def test_outcome_unknown_table() -> None:
    for status in (408, 500, 502, 503, 504, 520):
        assert outcome_unknown(status_error(status), WRITE)
        assert not outcome_unknown(status_error(status), READ)
        assert not outcome_unknown(status_error(status), UPDATE)
    for status in (400, 401, 403, 404, 429):
        assert not outcome_unknown(status_error(status), WRITE)
    for cls in MAYBE_SENT:
        assert outcome_unknown(transport_error(cls), WRITE)
    for cls in NOT_SENT:
        assert not outcome_unknown(transport_error(cls), WRITE)
    # Issue 10: a success status whose body cannot be read proves the write happened: the
    # write is "outcome unknown" (performed, id unknown), never a failure to resend.
    assert outcome_unknown(UnexpectedResponseError("x"), WRITE)
    assert not outcome_unknown(UnexpectedResponseError("x"), READ)


# -- the retry budget ------------------------------------------------------------------------


def test_budget_follows_grpc_throttling() -> None:
    budget = RetryBudget.for_policy(RetryPolicy(budget_tokens=10, budget_refill=0.1))
    assert (budget.max_tokens, budget.refill, budget.tokens) == (10.0, 0.1, 10.0)
    for _ in range(4):
        budget.on_failure()
    assert budget.tokens == 6.0
    assert budget.allows_retry
    budget.on_failure()
    assert budget.tokens == 5.0
    assert not budget.allows_retry  # at half: stop
    budget.on_success()
    assert budget.allows_retry  # 5.1 > 5
    for _ in range(20):
        budget.on_failure()
    assert budget.tokens == 0.0
    for _ in range(200):
        budget.on_success()
    assert budget.tokens == 10.0


def test_default_policy() -> None:
    policy = RetryPolicy()
    assert policy.budget_tokens == 50
    assert policy.budget_refill == 0.5
    # Retries keep going while a third of attempts fail, and stop beyond that.
    budget = RetryBudget.for_policy(policy)
    for _ in range(300):
        budget.on_failure()
        budget.on_success()
        budget.on_success()
    assert budget.allows_retry
    for _ in range(300):
        budget.on_failure()
        budget.on_failure()
        budget.on_success()
    assert not budget.allows_retry
    assert policy.max_attempts >= 2


# -- Retry-After parsing ----------------------------------------------------------------------

NOW = dt.datetime(2024, 1, 15, 14, 30, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        (None, None),
        ("", None),
        ("0", 0.0),
        ("2", 2.0),
        (" 7 ", 7.0),
        ("1.5", 1.5),
        ("120", 120.0),
        ("-1", None),
        ("nan", None),
        ("inf", None),
        ("soon", None),
        ("Mon, 99 Foo 2024 12:00:00 GMT", None),
        (format_datetime(NOW + dt.timedelta(seconds=30), usegmt=True), 30.0),
        ("Mon, 15 Jan 2024 14:31:00 GMT", 60.0),
        ("Monday, 15-Jan-24 14:30:10 GMT", 10.0),  # RFC 850 form
        ("Mon Jan 15 14:30:20 2024", 20.0),  # asctime form
        (format_datetime(NOW - dt.timedelta(hours=1), usegmt=True), 0.0),  # in the past
        (format_datetime(NOW, usegmt=True), 0.0),
    ],
)
def test_parse_retry_after(header: str | None, seconds: float | None) -> None:
    assert parse_retry_after(header, now=NOW) == seconds


# -- through the client: the waits actually chosen ---------------------------------------------


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[float]]:
    """Real backoff computation (no_retry_sleeps off), with the sleeps recorded, not slept."""
    recorded: list[float] = []
    real_sleep = asyncio.sleep

    async def fake_sleep(delay: float, *args: Any, **kwargs: Any) -> None:
        recorded.append(delay)
        await real_sleep(0)

    monkeypatch.setattr(asyncio, "sleep", fake_sleep)
    with replace_retry_sleep(fake_sleep):
        yield recorded


def exact_backoff(**kwargs: Any) -> RetryPolicy:
    """A policy whose own backoff is exact (no jitter): 0.5 s, then 1 s, 2 s, ..."""
    return RetryPolicy(initial_backoff=0.5, jitter=0.0, **kwargs)


RETRY_AFTER_TABLE = [
    pytest.param({"retry-after": "2"}, 2.0, id="seconds"),
    pytest.param({"retry-after": "0"}, 0.0, id="zero"),
    pytest.param({"retry-after": "Mon, 01 Jan 2001 00:00:00 GMT"}, 0.0, id="past-date"),
    pytest.param({"retry-after": "later please"}, 0.5, id="garbage-uses-backoff"),
    pytest.param({"retry-after": "-3"}, 0.5, id="negative-uses-backoff"),
    pytest.param({}, 0.5, id="absent-uses-backoff"),
]


@pytest.mark.parametrize(("headers", "wait"), RETRY_AFTER_TABLE)
async def test_retry_after_table(
    httpx_mock: HTTPXMock, sleeps: list[float], headers: dict[str, str], wait: float
) -> None:
    httpx_mock.add_response(url=url("/ping"), status_code=429, json=fail("slow"), headers=headers)
    httpx_mock.add_response(url=url("/ping"), json=ok(PING))
    async with HomebaseClient(API_KEY, base_url=BASE_URL, retry=exact_backoff()) as hb:
        assert (await hb.ping()).email == PING["email"]
    assert sleeps == [wait]


async def test_retry_after_http_date(httpx_mock: HTTPXMock, sleeps: list[float]) -> None:
    when = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=30)
    header = format_datetime(when, usegmt=True)
    httpx_mock.add_response(url=url("/ping"), status_code=429, headers={"retry-after": header})
    httpx_mock.add_response(url=url("/ping"), json=ok(PING))
    async with HomebaseClient(API_KEY, base_url=BASE_URL, retry=exact_backoff()) as hb:
        await hb.ping()
    [slept] = sleeps
    # The date has whole-second resolution and a little time passes before it is read.
    assert 25.0 < slept <= 30.0


async def test_backoff_grows_exponentially(httpx_mock: HTTPXMock, sleeps: list[float]) -> None:
    for _ in range(4):
        httpx_mock.add_response(url=url("/ping"), status_code=503)
    policy = exact_backoff(max_attempts=4, max_backoff=1.5)
    async with HomebaseClient(API_KEY, base_url=BASE_URL, retry=policy) as hb:
        with pytest.raises(ServerError):
            await hb.ping()
    assert sleeps == [0.5, 1.0, 1.5]


@pytest.mark.parametrize(
    "header", ["61", format_datetime(dt.datetime.now(dt.UTC) + dt.timedelta(hours=2), usegmt=True)]
)
async def test_retry_after_beyond_the_maximum_raises_without_sleeping(
    httpx_mock: HTTPXMock, sleeps: list[float], header: str
) -> None:
    httpx_mock.add_response(
        url=url("/ping"), status_code=429, json=fail("Too many"), headers={"retry-after": header}
    )
    async with HomebaseClient(API_KEY, base_url=BASE_URL, retry=exact_backoff()) as hb:
        with pytest.raises(RateLimitError) as info:
            await hb.ping()
    assert type(info.value) is RateLimitError
    assert info.value.retry_after is not None
    assert info.value.retry_after > 60.0
    assert sleeps == []
    assert len(httpx_mock.get_requests()) == 1
    # Bulk work of the client pauses no longer than the policy's maximum, not for hours.
    pause = hb._requester.throttle.paused_until - time.monotonic()
    assert 55.0 < pause <= 60.0


async def test_retry_after_beyond_the_maximum_on_a_create(
    httpx_mock: HTTPXMock, sleeps: list[float]
) -> None:
    httpx_mock.add_response(
        method="POST", status_code=429, json=fail("Too many"), headers={"retry-after": "3600"}
    )
    async with HomebaseClient(API_KEY, base_url=BASE_URL, retry=exact_backoff()) as hb:
        with pytest.raises(RateLimitError) as info:
            await hb.customers.create(first_name="Ada", email="ada@example.com")
    assert info.value.retry_after == 3600.0
    assert sleeps == []


async def test_max_retry_after_is_configurable(httpx_mock: HTTPXMock, sleeps: list[float]) -> None:
    httpx_mock.add_response(url=url("/ping"), status_code=429, headers={"retry-after": "5"})
    httpx_mock.add_response(url=url("/ping"), json=ok(PING))
    httpx_mock.add_response(url=url("/ping"), status_code=429, headers={"retry-after": "5"})
    async with HomebaseClient(API_KEY, base_url=BASE_URL, retry=exact_backoff()) as hb:
        await hb.ping()
        with pytest.raises(RateLimitError) as info:
            await hb.with_options(retry=exact_backoff(max_retry_after=4.0)).ping()
    assert info.value.retry_after == 5.0
    assert sleeps == [5.0]


# -- reads and updates ------------------------------------------------------------------------

Call = Callable[[HomebaseClient], Awaitable[Any]]


async def _search(hb: HomebaseClient) -> Any:
    return await hb.customers.search(customer_id="c1")


async def _update(hb: HomebaseClient) -> Any:
    return await hb.customers.update("c1", notes="x")


IDEMPOTENT: list[tuple[str, str, Call, dict[str, Any]]] = [
    ("GET", "/customers?customerId=c1&limit=25", _search, ok([CUSTOMER])),
    ("PUT", "/customers/c1", _update, ok({"message": "Customer updated"})),
]


@pytest.mark.parametrize(("method", "path", "call", "body"), IDEMPOTENT)
@pytest.mark.parametrize("status", RETRYABLE_STATUSES)
async def test_idempotent_calls_retry_statuses(
    httpx_mock: HTTPXMock,
    hb: HomebaseClient,
    method: str,
    path: str,
    call: Call,
    body: dict[str, Any],
    status: int,
) -> None:
    httpx_mock.add_response(method=method, url=BASE_URL + path, status_code=status)
    httpx_mock.add_response(method=method, url=BASE_URL + path, status_code=status)
    httpx_mock.add_response(method=method, url=BASE_URL + path, json=body)
    await call(hb)
    assert len(httpx_mock.get_requests()) == 3


@pytest.mark.parametrize(("method", "path", "call", "body"), IDEMPOTENT)
@pytest.mark.parametrize("cls", NOT_SENT + MAYBE_SENT)
async def test_idempotent_calls_retry_transport_errors(
    httpx_mock: HTTPXMock,
    hb: HomebaseClient,
    method: str,
    path: str,
    call: Call,
    body: dict[str, Any],
    cls: type[httpx.TransportError],
) -> None:
    httpx_mock.add_exception(cls("boom"), method=method, url=BASE_URL + path)
    httpx_mock.add_response(method=method, url=BASE_URL + path, json=body)
    await call(hb)
    assert len(httpx_mock.get_requests()) == 2


async def test_a_connection_closed_while_idle_is_retried(
    httpx_mock: HTTPXMock, hb: HomebaseClient
) -> None:
    # What httpcore raises when the server closed a kept-alive connection before any response.
    idle_closed = httpx.RemoteProtocolError("Server disconnected without sending a response.")
    httpx_mock.add_exception(idle_closed, url=url("/ping"))
    httpx_mock.add_response(url=url("/ping"), json=ok(PING))
    httpx_mock.add_exception(idle_closed, method="PUT")
    httpx_mock.add_response(method="PUT", json=ok({"message": "Job updated"}))
    await hb.ping()
    await hb.jobs.update("j1", note="later")
    assert len(httpx_mock.get_requests()) == 4


@pytest.mark.parametrize("status", FINAL_STATUSES)
async def test_final_statuses_are_not_retried(
    httpx_mock: HTTPXMock, hb: HomebaseClient, status: int
) -> None:
    httpx_mock.add_response(url=url("/ping"), status_code=status, json=fail("no"))
    with pytest.raises(APIStatusError) as info:
        await hb.ping()
    assert info.value.status_code == status
    assert len(httpx_mock.get_requests()) == 1


async def test_when_retries_run_out_the_last_error_is_raised_unwrapped(
    httpx_mock: HTTPXMock, hb: HomebaseClient
) -> None:
    last = RetryPolicy().max_attempts
    for attempt in range(1, last + 1):
        httpx_mock.add_response(url=url("/ping"), status_code=503, json=fail(f"attempt {attempt}"))
    with pytest.raises(ServerError) as info:
        await hb.ping()
    assert type(info.value) is ServerError
    assert info.value.message == f"attempt {last}"
    assert len(httpx_mock.get_requests()) == RetryPolicy().max_attempts


async def test_transport_errors_run_out_as_transport_errors(
    httpx_mock: HTTPXMock, hb: HomebaseClient
) -> None:
    for _ in range(RetryPolicy().max_attempts):
        httpx_mock.add_exception(httpx.ReadTimeout("slow"), url=url("/ping"))
    with pytest.raises(RequestTimeoutError) as info:
        await hb.ping()
    assert isinstance(info.value.__cause__, httpx.ReadTimeout)


@pytest.mark.parametrize("retry", [None, RetryPolicy(max_attempts=1)])
async def test_retrying_off(httpx_mock: HTTPXMock, retry: RetryPolicy | None) -> None:
    httpx_mock.add_response(url=url("/ping"), status_code=503)
    httpx_mock.add_exception(httpx.ConnectError("refused"), url=url("/ping"))
    async with HomebaseClient(API_KEY, base_url=BASE_URL, retry=retry) as hb:
        with pytest.raises(ServerError):
            await hb.ping()
        with pytest.raises(TransportError) as info:
            await hb.ping()
    assert isinstance(info.value.__cause__, httpx.ConnectError)
    assert len(httpx_mock.get_requests()) == 2


# -- POST: retried only when provably not processed ------------------------------------------


async def _create_customer(hb: HomebaseClient) -> Any:
    return await hb.customers.create(first_name="Ada", phone="+13035550100")


async def _create_job(hb: HomebaseClient) -> Any:
    return await hb.jobs.create(
        "c1",
        dt.datetime(2024, 5, 1, 9, tzinfo=dt.UTC),
        dt.datetime(2024, 5, 1, 11, tzinfo=dt.UTC),
        [{"name": "Gutter", "quantity": 1, "unitPrice": "80.00"}],
    )


async def _create_lead(hb: HomebaseClient) -> Any:
    return await hb.leads.create(customer_id="c1")


async def _send_sms(hb: HomebaseClient) -> Any:
    return await hb.messages.send(mobile_phone="+13031234444", message="Hi")


POSTS: list[tuple[str, Call, dict[str, Any]]] = [
    ("/customers", _create_customer, ok({"customerId": "c1"})),
    ("/jobs", _create_job, ok({"jobId": "j1"})),
    ("/leads", _create_lead, ok({"leadId": "l1", "customerId": "c1", "leadNumber": 1})),
    ("/messages/send", _send_sms, ok(SENT)),
]
POST_IDS = ["customer", "job", "lead", "sms"]


def expect_budget_read(httpx_mock: HTTPXMock, path: str) -> None:
    if path == "/messages/send":
        expect_sms_budget(httpx_mock)


def posts_sent(httpx_mock: HTTPXMock) -> int:
    return len(httpx_mock.get_requests(method="POST"))


@pytest.mark.parametrize(("path", "call", "body"), POSTS, ids=POST_IDS)
@pytest.mark.parametrize("cls", NOT_SENT)
async def test_posts_retry_when_the_request_was_never_sent(
    httpx_mock: HTTPXMock,
    hb: HomebaseClient,
    path: str,
    call: Call,
    body: dict[str, Any],
    cls: type[httpx.TransportError],
) -> None:
    expect_budget_read(httpx_mock, path)
    httpx_mock.add_exception(cls("no connection"), method="POST", url=url(path))
    httpx_mock.add_response(method="POST", url=url(path), status_code=201, json=body)
    await call(hb)
    first, second = httpx_mock.get_requests(method="POST")
    assert first.content == second.content


@pytest.mark.parametrize(("path", "call", "body"), POSTS, ids=POST_IDS)
async def test_posts_retry_a_plain_429(
    httpx_mock: HTTPXMock, hb: HomebaseClient, path: str, call: Call, body: dict[str, Any]
) -> None:
    expect_budget_read(httpx_mock, path)
    httpx_mock.add_response(
        method="POST",
        url=url(path),
        status_code=429,
        json=fail("Too many requests"),
        headers={"retry-after": "1"},
    )
    httpx_mock.add_response(method="POST", url=url(path), json=body)
    await call(hb)
    assert posts_sent(httpx_mock) == 2


@pytest.mark.parametrize(("path", "call", "body"), POSTS, ids=POST_IDS)
@pytest.mark.parametrize("status", [408, 500, 502, 503, 504, 520])
async def test_posts_never_retry_a_server_failure(
    httpx_mock: HTTPXMock,
    hb: HomebaseClient,
    path: str,
    call: Call,
    body: dict[str, Any],
    status: int,
) -> None:
    expect_budget_read(httpx_mock, path)
    httpx_mock.add_response(method="POST", url=url(path), status_code=status, json=fail("oops"))
    with pytest.raises(WriteOutcomeUnknownError) as info:
        await call(hb)
    cause = info.value.cause
    assert isinstance(cause, APIStatusError)
    assert cause.status_code == status
    assert info.value.__cause__ is cause
    assert posts_sent(httpx_mock) == 1


@pytest.mark.parametrize(("path", "call", "body"), POSTS, ids=POST_IDS)
@pytest.mark.parametrize("cls", MAYBE_SENT)
async def test_posts_never_retry_a_failure_after_sending(
    httpx_mock: HTTPXMock,
    hb: HomebaseClient,
    path: str,
    call: Call,
    body: dict[str, Any],
    cls: type[httpx.TransportError],
) -> None:
    expect_budget_read(httpx_mock, path)
    httpx_mock.add_exception(cls("lost"), method="POST", url=url(path))
    with pytest.raises(WriteOutcomeUnknownError) as info:
        await call(hb)
    cause = info.value.cause
    assert isinstance(cause, TransportError)
    assert isinstance(cause.__cause__, cls)
    assert info.value.__cause__ is cause
    if issubclass(cls, httpx.TimeoutException):
        assert isinstance(cause, RequestTimeoutError)
    assert posts_sent(httpx_mock) == 1


@pytest.mark.parametrize(("path", "call", "body"), POSTS, ids=POST_IDS)
async def test_posts_raise_client_errors_unwrapped(
    httpx_mock: HTTPXMock, hb: HomebaseClient, path: str, call: Call, body: dict[str, Any]
) -> None:
    expect_budget_read(httpx_mock, path)
    httpx_mock.add_response(method="POST", url=url(path), status_code=400, json=fail("bad"))
    with pytest.raises(BadRequestError):
        await call(hb)
    assert posts_sent(httpx_mock) == 1


async def test_a_post_that_never_connects_raises_the_transport_error(
    httpx_mock: HTTPXMock, hb: HomebaseClient
) -> None:
    for _ in range(RetryPolicy().max_attempts):
        httpx_mock.add_exception(httpx.ConnectError("refused"), method="POST")
    with pytest.raises(TransportError) as info:
        await _create_customer(hb)
    assert not isinstance(info.value, WriteOutcomeUnknownError)
    assert isinstance(info.value.__cause__, httpx.ConnectError)
    assert len(httpx_mock.get_requests()) == RetryPolicy().max_attempts


async def test_a_post_never_connecting_then_timing_out_is_unknown(
    httpx_mock: HTTPXMock, hb: HomebaseClient
) -> None:
    httpx_mock.add_exception(httpx.ConnectError("refused"), method="POST")
    httpx_mock.add_exception(httpx.ReadTimeout("slow"), method="POST")
    with pytest.raises(WriteOutcomeUnknownError) as info:
        await _create_customer(hb)
    assert isinstance(info.value.cause, RequestTimeoutError)
    assert len(httpx_mock.get_requests()) == 2


# -- the SMS quota ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "headers"),
    [
        ("Daily SMS limit reached", {}),
        ("Daily SMS limit reached", {"retry-after": "3"}),
        ("SMS quota exceeded", {"retry-after": "3"}),
        ("Too many requests", {}),  # no Retry-After: not load shedding
    ],
)
async def test_the_sms_quota_is_never_retried(
    httpx_mock: HTTPXMock, hb: HomebaseClient, message: str, headers: dict[str, str]
) -> None:
    expect_sms_budget(httpx_mock)
    httpx_mock.add_response(
        method="POST",
        url=url("/messages/send"),
        status_code=429,
        json=fail(message),
        headers=headers,
    )
    with pytest.raises(DailyLimitExceededError) as info:
        await _send_sms(hb)
    assert info.value.status_code == 429
    assert info.value.message == message
    assert len(httpx_mock.get_requests(method="POST")) == 1


async def test_a_daily_message_elsewhere_is_an_ordinary_429(
    httpx_mock: HTTPXMock, hb: HomebaseClient
) -> None:
    # Only the send endpoint has the SMS quota.
    httpx_mock.add_response(url=url("/messages/stats"), status_code=429, json=fail("Daily limit"))
    httpx_mock.add_response(
        url=url("/messages/stats"),
        json=ok({"limits": {"perDay": 500}, "usage": {"dailyUsed": 1, "dailyRemaining": 499}}),
    )
    stats = await hb.messages.stats()
    assert stats.usage.daily_remaining == 499


# -- the client-wide retry budget -----------------------------------------------------------


async def test_the_budget_stops_retries(httpx_mock: HTTPXMock) -> None:
    policy = RetryPolicy(max_attempts=50, budget_tokens=10)
    async with HomebaseClient(API_KEY, base_url=BASE_URL, retry=policy) as hb:
        for _ in range(5):
            httpx_mock.add_response(url=url("/ping"), status_code=503)
        with pytest.raises(ServerError):
            await hb.ping()
        # 10 tokens, one spent per failure: the fifth leaves half, and retries stop there.
        assert len(httpx_mock.get_requests()) == 5
        httpx_mock.reset()
        httpx_mock.add_response(url=url("/ping"), status_code=503)
        with pytest.raises(ServerError):
            await hb.ping()
        # A copy shares the budget.
        httpx_mock.add_response(url=url("/ping"), status_code=503)
        with pytest.raises(ServerError):
            await hb.with_options(retry=policy).ping()
        assert len(httpx_mock.get_requests()) == 2


async def test_successes_refill_the_budget(httpx_mock: HTTPXMock) -> None:
    policy = RetryPolicy(max_attempts=50, budget_tokens=4, budget_refill=1.0)
    async with HomebaseClient(API_KEY, base_url=BASE_URL, retry=policy) as hb:
        # 4 tokens: retry while more than 2 are left, so a call fails after 2 attempts.
        httpx_mock.add_response(url=url("/ping"), status_code=500)
        httpx_mock.add_response(url=url("/ping"), status_code=500)
        with pytest.raises(ServerError):
            await hb.ping()
        assert len(httpx_mock.get_requests()) == 2
        httpx_mock.reset()
        httpx_mock.add_response(url=url("/ping"), json=ok(PING))
        httpx_mock.add_response(url=url("/ping"), json=ok(PING))
        await hb.ping()
        await hb.ping()
        # Back to 4 tokens: one failure, one retry that succeeds.
        httpx_mock.add_response(url=url("/ping"), status_code=500)
        httpx_mock.add_response(url=url("/ping"), json=ok(PING))
        await hb.ping()
        assert len(httpx_mock.get_requests()) == 4


async def test_client_errors_do_not_spend_the_budget(httpx_mock: HTTPXMock) -> None:
    policy = RetryPolicy(max_attempts=50, budget_tokens=4, budget_refill=0.0)
    async with HomebaseClient(API_KEY, base_url=BASE_URL, retry=policy) as hb:
        for _ in range(5):
            httpx_mock.add_response(url=url("/ping"), status_code=404)
            with pytest.raises(NotFoundError):
                await hb.ping()
        # Still 4 tokens: the first 503 leaves 3 (retry), the second 2 (half: stop).
        httpx_mock.add_response(url=url("/ping"), status_code=503)
        httpx_mock.add_response(url=url("/ping"), status_code=503)
        with pytest.raises(ServerError):
            await hb.ping()
        assert len(httpx_mock.get_requests()) == 7


# -- bulk reads asked again ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("policy", "error", "calls"),
    [
        (RetryPolicy(), ServerError("down", status_code=503), 3),  # 1 + REQUEUES
        (RetryPolicy(), NotFoundError("gone", status_code=404), 1),  # not transient
        (None, ServerError("down", status_code=503), 1),  # retries off
    ],
)
async def test_read_again_only_for_transient_errors(
    policy: RetryPolicy | None, error: Exception, calls: int
) -> None:
    async with HomebaseClient(API_KEY, base_url=BASE_URL, retry=policy) as hb:
        requester = hb._requester
        made = 0

        async def call() -> None:
            nonlocal made
            made += 1
            raise error

        with pytest.raises(type(error)):
            await requester.read_again(call)
        assert made == calls
        # Every read made again is a retry, counted like one.
        assert hb.stats["retries"] == calls - 1


async def test_read_again_is_governed_by_the_retry_budget() -> None:
    async with HomebaseClient(API_KEY, base_url=BASE_URL) as hb:
        requester = hb._requester
        requester.budget.tokens = requester.budget.max_tokens / 2  # spent: no more retries
        made = 0

        async def call() -> None:
            nonlocal made
            made += 1
            raise ServerError("down", status_code=503)

        with pytest.raises(ServerError):
            await requester.read_again(call)
        assert made == 1


async def test_read_again_spends_the_budget_and_waits_the_backoff(sleeps: list[float]) -> None:
    policy = exact_backoff()
    async with HomebaseClient(API_KEY, base_url=BASE_URL, retry=policy) as hb:
        budget = hb._requester.budget
        before = budget.tokens

        async def call() -> None:
            raise ServerError("down", status_code=503)

        with pytest.raises(ServerError):
            await hb._requester.read_again(call)
    # Each round made again is a retry paid for: a token of the budget and the backoff wait.
    assert budget.tokens == before - 2
    assert sleeps == [0.5, 1.0]


async def test_no_retry_sleeps_keeps_the_attempts_and_the_decisions(
    httpx_mock: HTTPXMock, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The conftest's autouse no_retry_sleeps(): no waits, the same six attempts.
    slept: list[float] = []
    real_sleep = asyncio.sleep

    async def recording_sleep(delay: float, *args: Any, **kwargs: Any) -> None:
        slept.append(delay)
        await real_sleep(0)

    monkeypatch.setattr(asyncio, "sleep", recording_sleep)
    for _ in range(6):
        httpx_mock.add_response(url=url("/ping"), status_code=503, json=fail("down"))
    async with HomebaseClient(API_KEY, base_url=BASE_URL) as hb:
        with pytest.raises(ServerError):
            await hb.ping()
        assert hb.stats["attempts"] == 6
        assert hb.stats["retries"] == 5
    assert slept == [0, 0, 0, 0, 0]
