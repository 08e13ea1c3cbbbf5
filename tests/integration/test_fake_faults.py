"""The client against the fake server with faults: reads recover, writes are never doubled."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import httpx
import pytest
from _sdk_support import new_fake, sdk_for
from _support import API_KEY

from homebase_async import (
    DailyLimitExceededError,
    HomebaseClient,
    RateLimitError,
    RequestTimeoutError,
    RetryPolicy,
    ServerError,
    TransportError,
    WriteOutcomeUnknownError,
)
from homebase_async.testing import FakeHomebase, Faults

MOBILE = "+13035550100"


@pytest.fixture
def server() -> FakeHomebase:
    fake = new_fake()
    fake.add_customer(first_name="Ada", phone=MOBILE, email="ada@example.com")
    return fake


@pytest.fixture
async def sdk(server: FakeHomebase) -> AsyncIterator[HomebaseClient]:
    async with sdk_for(server) as hb:
        yield hb


def faults_seen(fake: FakeHomebase) -> set[str]:
    return set(fake.stats.by_fault)


# -- reads and updates recover ----------------------------------------------------------------


async def test_reads_recover_from_every_transient_fault(
    server: FakeHomebase, sdk: HomebaseClient
) -> None:
    server.set_faults(
        Faults(
            error_rates={500: 0.1, 502: 0.1, 503: 0.1, 504: 0.05, 429: 0.1},
            drop_before=0.05,
            drop_after=0.05,
            seed=5,
            methods={"GET"},
        )
    )
    for _ in range(40):
        [customer] = await sdk.customers.search(phone=MOBILE)
        assert customer.first_name == "Ada"
    assert {"error_500", "error_502", "error_503", "error_429", "drop_before", "drop_after"} <= (
        faults_seen(server)
    )
    assert server.stats.total > 40
    assert sdk.stats["retries"] == server.stats.total - 40


async def test_html_error_pages(server: FakeHomebase) -> None:
    server.set_faults(Faults(error_rates={502: 1.0}, html_errors=True))
    async with sdk_for(server, retry=RetryPolicy(max_attempts=2)) as hb:
        with pytest.raises(ServerError) as info:
            await hb.customers.search(phone=MOBILE)
    assert info.value.status_code == 502
    assert isinstance(info.value.body, str)
    assert info.value.body.lstrip().startswith("<html>")
    assert server.stats.total == 2


async def test_updates_are_retried_and_applied(server: FakeHomebase, sdk: HomebaseClient) -> None:
    [customer_id] = list(server.customers)
    server.set_faults(Faults(error_rates={503: 0.4}, drop_after=0.2, seed=3, methods={"PUT"}))
    for n in range(10):
        await sdk.customers.update(customer_id, notes=f"note {n}")
    assert server.customers[customer_id]["notes"] == "note 9"
    assert faults_seen(server) == {"error_503", "drop_after"}


async def test_slow_reads_time_out_and_are_retried(server: FakeHomebase) -> None:
    server.set_faults(Faults(slow_after=1.0, slow_delay=30.0, methods={"GET"}))
    async with sdk_for(server, timeout=0.02, retry=RetryPolicy(max_attempts=3)) as hb:
        with pytest.raises(RequestTimeoutError) as info:
            await hb.customers.search(phone=MOBILE)
    # The read timeout and the whole-request deadline (issue 10) are both 0.02 s here:
    # whichever fires first is the cause, and both mean "no answer in time".
    assert isinstance(info.value.__cause__, httpx.ReadTimeout | TimeoutError)
    assert server.stats.total == 3


async def test_a_retry_after_too_long_is_not_slept(server: FakeHomebase) -> None:
    server.set_faults(Faults(error_rates={429: 1.0}, retry_after="seconds", retry_after_value=600))
    async with sdk_for(server) as hb:
        with pytest.raises(RateLimitError) as info:
            await hb.ping()
    assert info.value.retry_after == 600.0
    assert server.stats.total == 1


async def test_a_retry_after_date_is_honoured(
    server: FakeHomebase, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="homebase_async")
    server.set_faults(
        Faults(error_rates={429: 0.5}, retry_after="http-date", retry_after_value=5, seed=1)
    )
    async with sdk_for(server) as hb:
        for _ in range(6):
            await hb.ping()
    waits = [r.getMessage() for r in caplog.records if "(Retry-After)" in r.getMessage()]
    assert waits
    for line in waits:
        seconds = float(line.rsplit("sleep ", 1)[1].split("s ", 1)[0])
        assert 3.0 <= seconds <= 6.0


# -- writes: retried only when provably not processed, never doubled ------------------------


async def test_a_write_lost_after_processing_is_unknown_not_repeated(
    server: FakeHomebase, sdk: HomebaseClient
) -> None:
    server.set_faults(Faults(drop_after=1.0, methods={"POST"}))
    before = len(server.customers)
    with pytest.raises(WriteOutcomeUnknownError) as info:
        await sdk.customers.create(first_name="Grace", email="grace@example.com")
    assert isinstance(info.value.cause, TransportError)
    assert info.value.__cause__ is info.value.cause
    # The server did create it, exactly once: the client did not try again.
    assert len(server.customers) == before + 1
    assert server.stats.total == 1


async def test_a_write_dropped_before_processing_is_still_unknown(
    server: FakeHomebase, sdk: HomebaseClient
) -> None:
    # A connection closed without a response could have been either: never repeat it.
    server.set_faults(Faults(drop_before=1.0, methods={"POST"}))
    with pytest.raises(WriteOutcomeUnknownError):
        await sdk.customers.create(first_name="Grace", email="grace@example.com")
    assert server.stats.total == 1


@pytest.mark.parametrize("status", [500, 502, 503, 504])
async def test_a_write_answered_with_a_5xx_is_unknown(
    server: FakeHomebase, sdk: HomebaseClient, status: int
) -> None:
    server.set_faults(Faults(error_rates={status: 1.0}, methods={"POST"}))
    with pytest.raises(WriteOutcomeUnknownError) as info:
        await sdk.customers.create(first_name="Grace", email="grace@example.com")
    assert isinstance(info.value.cause, ServerError)
    assert info.value.cause.status_code == status
    assert server.stats.total == 1


async def test_a_slow_write_is_unknown_and_happened(server: FakeHomebase) -> None:
    server.set_faults(Faults(slow_after=1.0, slow_delay=30.0, methods={"POST"}))
    async with sdk_for(server, timeout=0.02) as hb:
        with pytest.raises(WriteOutcomeUnknownError) as info:
            await hb.jobs.create(
                next(iter(server.customers)),
                "2031-01-01T10:00:00Z",
                "2031-01-01T11:00:00Z",
                [{"name": "x", "quantity": 1, "unitPrice": "10.00"}],
            )
    assert isinstance(info.value.cause, RequestTimeoutError)
    assert len(server.jobs) == 1
    assert server.stats.total == 1


async def test_writes_retry_a_plain_429_and_happen_once_each(
    server: FakeHomebase, sdk: HomebaseClient
) -> None:
    server.set_faults(
        Faults(error_rates={429: 0.5}, retry_after="seconds", seed=2, methods={"POST"})
    )
    created = [
        await sdk.customers.create(first_name=f"C{n}", email=f"c{n}@example.com") for n in range(10)
    ]
    assert len(set(created)) == 10
    assert set(created) <= set(server.customers)
    assert len(server.customers) == 11
    rejected = server.stats.by_fault["error_429"]
    assert rejected > 0
    assert server.stats.total == 10 + rejected


async def test_writes_retry_when_the_connection_never_opened(server: FakeHomebase) -> None:
    class Refusing(httpx.AsyncBaseTransport):
        """Refuses the first `n` connections, then hands requests to the fake."""

        def __init__(self, inner: httpx.AsyncBaseTransport, n: int) -> None:
            self.inner = inner
            self.refusals = n

        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            if self.refusals:
                self.refusals -= 1
                raise httpx.ConnectError("connection refused", request=request)
            return await self.inner.handle_async_request(request)

    transport = Refusing(server.transport(), 2)
    async with HomebaseClient(
        API_KEY, base_url="http://127.0.0.1/api/v1", transport=transport
    ) as hb:
        sent = await hb.messages.send(mobile_phone=MOBILE, message="Hello")
    assert sent.rate_limits
    assert len(server.sms_sent) == 1


# -- the SMS quota ----------------------------------------------------------------------------


async def test_the_sms_quota_from_the_server_is_final(server: FakeHomebase) -> None:
    server.sms_daily_limit = 3
    async with sdk_for(server) as ours, sdk_for(server) as other:
        await ours.messages.send(mobile_phone=MOBILE, message="1")
        # Another tool of the business uses up the rest of the day's quota.
        await other.messages.send(mobile_phone=MOBILE, message="2")
        await other.messages.send(mobile_phone=MOBILE, message="3")
        posts_before = server.stats.by_route.get(("POST", "/messages/send"), 0)
        with pytest.raises(DailyLimitExceededError) as info:
            await ours.messages.send(mobile_phone=MOBILE, message="4")
    assert "Daily SMS limit" in info.value.message
    assert server.stats.by_route[("POST", "/messages/send")] == posts_before + 1
    assert len(server.sms_sent) == 3


async def test_sends_stop_at_the_quota(server: FakeHomebase, sdk: HomebaseClient) -> None:
    server.sms_daily_limit = 2
    await sdk.messages.send(mobile_phone=MOBILE, message="1")
    await sdk.messages.send(mobile_phone=MOBILE, message="2")
    with pytest.raises(DailyLimitExceededError):
        await sdk.messages.send(mobile_phone=MOBILE, message="3")
    assert len(server.sms_sent) == 2
