"""The pure parts of bulk sync: field diffs, the bulk pool's progress and cancellation (the
engine's own tests are in test_bulk_engine.py)."""

from __future__ import annotations

import asyncio

import pytest
from homebase_api.models import Customer, Phone

from homebase_async import ValidationError
from homebase_async._bulk import pool, run_bulk
from homebase_async._ratelimit import Throttle
from homebase_async._resources._customer_fields import differing, identifiers

# -- field diffs -----------------------------------------------------------------------------


def _customer(**fields: object) -> Customer:
    base = {
        "customerId": "C1",
        "firstName": "Ada",
        "lastName": "",
        "phone": {"mobile": "+13035550100", "home": ""},
        "email": ["Ada@Example.com"],
        "tags": ["vip"],
        "notes": "",
    }
    return Customer.from_dict({**base, **fields})


def test_differing_compares_only_the_given_fields_emails_without_case() -> None:
    stored = _customer()
    same = {"first_name": "Ada", "email": ["ada@example.com"]}
    assert differing(same, stored) == {}
    phone_kind = {"phone": Phone.from_dict({"mobile": "+13035550100", "work": ""})}
    assert differing(phone_kind, stored) == {}  # an empty kind is not a change
    changed = {"first_name": "Ada", "tags": ["vip", "new"], "notes": "x"}
    assert set(differing(changed, stored)) == {"tags", "notes"}
    assert set(differing({"phone": Phone.from_dict({"home": "+13035550199"})}, stored)) == {"phone"}


def test_identifiers_follow_match_on() -> None:
    fields = {"email": ["a@example.com"], "phone": Phone.from_dict({"mobile": "+13035550100"})}
    assert identifiers(fields) == ["a@example.com", "+13035550100"]
    assert identifiers(fields, ("phone",)) == ["+13035550100"]
    assert identifiers(fields, ("email",)) == ["a@example.com"]


# -- the pool ----------------------------------------------------------------------------------


async def test_run_bulk_reports_progress_once_per_item_and_keeps_order() -> None:
    seen: list[tuple[int, int | None]] = []

    async def work(value: int) -> int:
        await asyncio.sleep(0.001 * (5 - value))
        if value == 3:
            raise ValidationError("v", "three")
        return value * 10

    outcomes = await run_bulk(
        [0, 1, 2, 3, 4],
        work,
        concurrency=3,
        throttle=Throttle(),
        on_progress=lambda d, t: seen.append((d, t)),
    )
    assert [o.value for o in outcomes] == [0, 10, 20, None, 40]
    assert isinstance(outcomes[3].error, ValidationError)
    assert seen == [(n, 5) for n in range(1, 6)]


async def test_pool_keeps_to_its_width_and_cancels_with_its_caller() -> None:
    running = 0
    widest = 0
    started = asyncio.Event()
    units = iter(range(100))

    async def work(_: int) -> None:
        nonlocal running, widest
        running += 1
        widest = max(widest, running)
        started.set()
        try:
            await asyncio.sleep(10)
        finally:
            running -= 1

    task = asyncio.create_task(
        pool(lambda: next(units, None), work, concurrency=4, throttle=Throttle())
    )
    await started.wait()
    await asyncio.sleep(0.01)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert widest == 4
    assert running == 0
