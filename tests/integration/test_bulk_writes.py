"""Bulk writes against the fake: the SMS reservation race, and a report entry for every item."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest
from conftest import PATIENT

from homebase_async import (
    DailyLimitExceededError,
    HomebaseClient,
    ValidationError,
    WriteOutcomeUnknownError,
)
from homebase_async.testing import FakeHomebase, Faults

# The fault mix of the benchmark's soak, with Retry-After 0 so the suite does not sleep.
FAULTS = Faults(
    error_rates={503: 0.10, 429: 0.05},
    retry_after="seconds",
    retry_after_value=0,
    drop_before=0.02,
    drop_after=0.02,
    slow_after=0.01,
    slow_delay=0.5,
    seed=21,
)


def _client(fake: FakeHomebase, **kwargs: object) -> HomebaseClient:
    return HomebaseClient(
        fake.api_key, base_url=fake.base_url, transport=fake.transport(), **kwargs
    )  # type: ignore[arg-type]


def _sends(fake: FakeHomebase) -> int:
    return sum(1 for r in fake.requests if r.method == "POST" and r.route == "/messages/send")


async def test_three_left_and_ten_concurrent_sends_let_exactly_three_through() -> None:
    fake = FakeHomebase(sms_daily_limit=10, seed=1)
    cid = fake.add_customer(first_name="Ada", phone="+13035550100")
    async with _client(fake) as hb:
        for _ in range(7):  # 7 of 10 used today: 3 remain
            await hb.messages.send(customer_id=cid, message="earlier")
        fake.reset_log()
        outcomes = await asyncio.gather(
            *(hb.messages.send(customer_id=cid, message=f"m{i}") for i in range(10)),
            return_exceptions=True,
        )
    sent = [o for o in outcomes if not isinstance(o, BaseException)]
    refused = [o for o in outcomes if isinstance(o, DailyLimitExceededError)]
    assert (len(sent), len(refused)) == (3, 7)
    assert _sends(fake) == 3  # the 7 refused ones never reached the server
    assert fake.sms_used_today == 10


async def test_send_many_stops_at_the_budget_with_no_request_for_the_rest() -> None:
    fake = FakeHomebase(sms_daily_limit=5, seed=2)
    cid = fake.add_customer(first_name="Ada", phone="+13035550100")
    items = [{"customer_id": cid, "message": f"reminder {i}"} for i in range(12)]
    items.append({"customer_id": cid, "message": "x" * 201})  # invalid: failed, not sent
    async with _client(fake) as hb:
        report = await hb.messages.send_many(items, concurrency=6)
    assert len(report.sent) == 5
    assert len(report.not_sent) == 7
    assert set(report.failed) == {12}
    assert isinstance(report.failed[12], ValidationError)
    assert report.outcome_unknown == {}
    indexes = [*report.sent, *report.not_sent, *report.failed, *report.outcome_unknown]
    assert sorted(indexes) == list(range(len(items)))
    assert _sends(fake) == 5
    assert sorted(m["message"] for m in fake.sms_sent) == sorted(
        items[i]["message"] for i in report.sent
    )


@pytest.mark.parametrize("seed", [21, 22])
async def test_create_many_under_faults_accounts_for_every_item_and_never_duplicates(
    seed: int,
) -> None:
    fake = FakeHomebase(seed=seed, faults=FAULTS)
    items = [
        {"first_name": f"Bulk{i}", "email": f"bulk{i}@example.com", "notes": f"bulk:{i}"}
        for i in range(400)
    ]
    items[7] = {"first_name": "No contact"}  # invalid: failed before any request
    async with _client(fake, retry=PATIENT, timeout=0.25) as hb:
        # Settling off: the lost answers stay unknown (test_bulk_settle.py covers settling).
        report = await hb.customers.create_many(items, concurrency=16, settle=False)

    indexes = [*report.created, *report.failed, *report.outcome_unknown]
    assert sorted(indexes) == list(range(len(items)))  # each index exactly once
    assert isinstance(report.failed.pop(7), ValidationError)
    assert report.failed == {}  # with a patient policy nothing else fails outright
    assert all(isinstance(e, WriteOutcomeUnknownError) for e in report.outcome_unknown.values())

    stored = Counter(c["notes"] for c in fake.customers.values())
    assert max(stored.values()) == 1  # zero duplicates
    for index, customer_id in report.created.items():
        assert fake.customers[customer_id]["notes"] == f"bulk:{index}"
    landed_unknown = [i for i in report.outcome_unknown if stored[f"bulk:{i}"]]
    assert len(stored) == len(report.created) + len(landed_unknown)
    # The faults did happen, and some writes ended unknown rather than being sent twice.
    assert fake.stats.by_fault
    assert report.outcome_unknown


async def test_send_many_under_faults_accounts_for_every_item_within_the_quota() -> None:
    fake = FakeHomebase(seed=23, sms_daily_limit=150, faults=FAULTS)
    cid = fake.add_customer(first_name="Ada", phone="+13035550100")
    items = [{"customer_id": cid, "message": f"campaign {i}"} for i in range(200)]
    async with _client(fake, retry=PATIENT, timeout=0.25) as hb:
        report = await hb.messages.send_many(items, concurrency=16)
    indexes = [*report.sent, *report.not_sent, *report.failed, *report.outcome_unknown]
    assert sorted(indexes) == list(range(len(items)))
    assert report.failed == {}
    texts = Counter(m["message"] for m in fake.sms_sent)
    assert max(texts.values()) == 1  # nothing sent twice
    assert len(fake.sms_sent) <= 150
    for index in report.sent:
        assert texts[f"campaign {index}"] == 1
    for index in report.not_sent:
        assert texts[f"campaign {index}"] == 0
