"""The SMS budget: one owner (the client), the smallest remaining, counters that lie."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from _support import API_KEY, BASE_URL

from homebase_async import (
    DailyLimitExceededError,
    HomebaseClient,
    UnexpectedResponseError,
    WriteOutcomeUnknownError,
)
from homebase_async._sms_budget import BudgetTracker, LocalReservations, Reading
from homebase_async.testing import FakeHomebase


async def test_the_budget_is_built_once_with_the_clients_max_age_and_shared() -> None:
    fake = FakeHomebase(sms_daily_limit=5, seed=1)
    cid = fake.add_customer(first_name="Ada", phone="+13035550100")
    async with HomebaseClient(
        fake.api_key, base_url=fake.base_url, transport=fake.transport(), budget_max_age=42.0
    ) as hb:
        copy = hb.with_options(timeout=5.0)
        assert copy.messages.tracker is hb.messages.tracker
        assert hb.messages.tracker.max_age == 42.0
        await copy.messages.send(customer_id=cid, message="one")  # loads it through the copy
        assert hb.messages.budget is not None
        assert hb.messages.budget.used == 1
        assert [r.route for r in fake.requests].count("/messages/stats") == 1


# -- the smallest remaining counts; bad counters after a send ----------------------------------


class SmsServer:
    """Answers /messages/stats with the counters given and each send with `rate_limits`
    (None: counters that go on from the stats' `dailyUsed`, one per send)."""

    def __init__(self, stats: dict[str, Any], rate_limits: Any) -> None:
        self.stats = stats
        self.rate_limits = rate_limits
        self.sends = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/messages/stats"):
            return httpx.Response(200, json={"success": True, "data": self.stats})
        self.sends += 1
        sent: dict[str, Any] = {
            "mobilePhone": "+13035550100",
            "timestamp": "2025-01-15T14:30:00.000Z",
            "rateLimits": self.rate_limits
            or {
                "dailyUsed": self.stats["usage"]["dailyUsed"] + self.sends,
                "dailyLimit": self.stats["limits"]["perDay"],
            },
        }
        return httpx.Response(200, json={"success": True, "data": sent})


def client(server: SmsServer) -> HomebaseClient:
    return HomebaseClient(API_KEY, base_url=BASE_URL, transport=httpx.MockTransport(server))


ITEMS = [{"mobile_phone": "+13035550100", "message": f"hi {i}"} for i in range(20)]


async def test_daily_remaining_below_per_day_minus_used_is_what_remains() -> None:
    server = SmsServer(
        {"limits": {"perDay": 1000}, "usage": {"dailyUsed": 500, "dailyRemaining": 3}}, None
    )
    async with client(server) as hb:
        report = await hb.messages.send_many(ITEMS, concurrency=4)
        budget = hb.messages.budget
    assert server.sends == 3
    assert len(report.sent) == 3
    assert len(report.not_sent) == 17
    assert budget is not None
    assert budget.remaining == 0


async def test_stats_says_what_remains_the_smallest_way() -> None:
    server = SmsServer(
        {"limits": {"perDay": 1000}, "usage": {"dailyUsed": 500, "dailyRemaining": 3}}, None
    )
    async with client(server) as hb:
        await hb.messages.stats()
        budget = hb.messages.budget
    assert budget is not None
    assert (budget.limit, budget.used, budget.remaining) == (1000, 500, 3)


@pytest.mark.parametrize(
    "rate_limits",
    [
        {"dailyUsed": "5", "dailyLimit": 500},
        {"dailyUsed": 5, "dailyLimit": None},
        {"dailyUsed": None, "dailyLimit": None},
        {"dailyUsed": 5.5, "dailyLimit": 500},
        {"dailyUsed": True, "dailyLimit": 500},
    ],
)
async def test_a_sent_message_with_bad_counters_is_outcome_unknown_and_counted(
    rate_limits: Any,
) -> None:
    server = SmsServer(
        {"limits": {"perDay": 10}, "usage": {"dailyUsed": 0, "dailyRemaining": 10}}, rate_limits
    )
    async with client(server) as hb:
        with pytest.raises(WriteOutcomeUnknownError) as caught:
            await hb.messages.send(mobile_phone="+13035550100", message="hi")
        assert caught.value.performed is True
        assert isinstance(caught.value.cause, UnexpectedResponseError)
        assert "rateLimits." in str(caught.value)
        tracker = hb.messages.tracker
        assert tracker.in_flight == 0
        assert tracker.known is not None
        assert tracker.known.used == 1
        # A bulk run: a report, every reservation released, every send counted.
        report = await hb.messages.send_many(ITEMS[:5], concurrency=3)
        assert sorted(report.outcome_unknown) == [0, 1, 2, 3, 4]
        assert all(e.performed for e in report.outcome_unknown.values())
        assert tracker.in_flight == 0
        assert tracker.known.used == 6
    assert server.sends == 6


async def test_local_reservations_count_under_one_lock() -> None:
    reservations = LocalReservations()
    tracker = BudgetTracker(max_age=60.0, reservations=reservations)
    loads = 0

    async def load() -> Reading:
        nonlocal loads
        loads += 1
        return Reading(10, 8, 5)  # 2 remain by perDay - used, 5 by dailyRemaining

    await asyncio.gather(tracker.reserve(load), tracker.reserve(load))
    assert reservations.in_flight == 2
    with pytest.raises(DailyLimitExceededError):
        await tracker.reserve(load)
    tracker.settle(counted=True)
    tracker.settle(counted=False)
    assert reservations.in_flight == 0
    assert tracker.known is not None
    assert tracker.known.used == 9
    assert loads == 1
