"""The SMS reservations shared by a business's workers in PostgreSQL: never more live than
the server says remains, whoever takes them; a killed worker's reservations do not last."""

from __future__ import annotations

import asyncio
import contextlib
import random
import signal
import subprocess
import sys
import textwrap

import pytest
from _postgres import unique

from homebase_async._bulk._pg_budget import PostgresReservations


async def test_concurrent_workers_never_reserve_past_what_remains(postgres_url: str) -> None:
    scope, limit, used = unique("b"), 10, 3
    workers = [PostgresReservations(postgres_url, scope=scope) for _ in range(5)]
    live = peak = taken = 0
    rng = random.Random(7)
    saturated = asyncio.Event()

    async def worker(budget: PostgresReservations) -> None:
        nonlocal live, peak, taken
        mine = 0
        while mine < 3:  # fifteen tasks that each want three: the budget stays saturated
            token = await budget.reserve(limit=limit, used=used)
            if token is None:
                await asyncio.sleep(rng.random() / 100)
                continue
            live += 1
            mine += 1
            taken += 1
            peak = max(peak, live)
            assert live <= limit - used
            if live == limit - used:
                saturated.set()
            # Held until the budget was once full (however slow the machine), then briefly.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(saturated.wait(), timeout=5)
            await asyncio.sleep(rng.random() / 50)
            live -= 1
            await budget.release(token, used=None)  # not sent: the count stays

    try:  # three tasks per worker: reservations race across sessions and within one
        await asyncio.gather(*(worker(budget) for budget in workers for _ in range(3)))
    finally:
        for budget in workers:
            await budget.close()
    assert peak == limit - used  # reached, never passed (checked at every reservation)
    assert taken == 45


async def test_sends_recorded_by_any_worker_bound_the_others(postgres_url: str) -> None:
    """A fake server's count: all workers together never send past the limit."""
    scope, limit = unique("b"), 7
    workers = [PostgresReservations(postgres_url, scope=scope) for _ in range(4)]
    sent = 0
    seen = [0] * len(workers)  # each worker's last answer from the server: stale on purpose

    async def worker(index: int) -> None:
        nonlocal sent
        for _ in range(10):
            token = await workers[index].reserve(limit=limit, used=seen[index])
            if token is None:
                return
            await asyncio.sleep(0.001)
            sent += 1
            seen[index] = sent
            await workers[index].release(token, used=sent)

    try:
        await asyncio.gather(*(worker(index) for index in range(len(workers))))
    finally:
        for budget in workers:
            await budget.close()
    assert sent == limit


async def test_a_day_already_used_up_reserves_nothing(postgres_url: str) -> None:
    async with PostgresReservations(postgres_url + "?run=ignored", scope=unique("b")) as budget:
        assert await budget.reserve(limit=5, used=5) is None
        assert await budget.reserve(limit=5, used=0) is None  # the highest known count holds
        token = await budget.reserve(limit=6, used=0)
        assert token is not None
        assert await budget.reserve(limit=6, used=0) is None
        await budget.release(token, used=None)
        assert await budget.reserve(limit=6, used=0) is not None


_HOLD = textwrap.dedent(
    """
    import asyncio, sys
    from homebase_async._bulk._pg_budget import PostgresReservations

    async def main() -> None:
        budget = PostgresReservations(sys.argv[1], scope=sys.argv[2])
        assert await budget.reserve(limit=2, used=0) is not None
        assert await budget.reserve(limit=2, used=0) is not None
        print("reserved", flush=True)
        await asyncio.sleep(60)

    asyncio.run(main())
    """
)


async def _reserve_soon(url: str, scope: str) -> str | None:
    async with PostgresReservations(url, scope=scope) as budget:
        for _ in range(200):  # the server ends the killed worker's session within moments
            token = await budget.reserve(limit=2, used=0)
            if token is not None:
                return token
            await asyncio.sleep(0.05)
        return None


async def _reserve_once(url: str, scope: str) -> str | None:
    async with PostgresReservations(url, scope=scope) as budget:
        return await budget.reserve(limit=2, used=0)


def test_a_killed_workers_reservations_are_dropped(postgres_url: str) -> None:
    scope = unique("b")
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD, postgres_url, scope], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "reserved"
        assert asyncio.run(_reserve_once(postgres_url, scope)) is None  # alive: it holds both
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=10)
    finally:
        holder.kill()
        holder.wait(timeout=10)
        if holder.stdout is not None:
            holder.stdout.close()
    assert asyncio.run(_reserve_soon(postgres_url, scope)) is not None


@pytest.mark.parametrize("used", [0, 4])
async def test_a_live_worker_keeps_its_reservations(postgres_url: str, used: int) -> None:
    scope = unique("b")
    async with (
        PostgresReservations(postgres_url, scope=scope) as first,
        PostgresReservations(postgres_url, scope=scope) as second,
    ):
        assert await first.reserve(limit=used + 1, used=used) is not None
        assert await second.reserve(limit=used + 1, used=used) is None
    async with PostgresReservations(postgres_url, scope=scope) as third:
        assert await third.reserve(limit=used + 1, used=used) is not None  # closed: released


async def test_a_postgres_campaign_reserves_in_the_shared_store(postgres_url: str) -> None:
    # This worker read /messages/stats (0 of 5 used) before another worker of the business
    # sent 4 and recorded them in the shared store: the store, not the stale reading, bounds
    # the campaign, and no request is made for what it holds back.
    from homebase_async import HomebaseClient
    from homebase_async._bulk._options import scope_of
    from homebase_async.testing import FakeHomebase

    fake = FakeHomebase(unique("key"), sms_daily_limit=5, seed=3)
    cid = fake.add_customer(first_name="Ada", phone="+13035550100")
    scope = scope_of(fake.api_key)
    journal = f"{postgres_url}?run={unique('campaign')}"
    items = [{"customer_id": cid, "message": f"m{i}"} for i in range(3)]
    async with (
        HomebaseClient(fake.api_key, base_url=fake.base_url, transport=fake.transport()) as hb,
        HomebaseClient(
            fake.api_key, base_url=fake.base_url, transport=fake.transport()
        ) as elsewhere,
    ):
        assert (await hb.messages.stats()).usage.daily_used == 0
        other = PostgresReservations(postgres_url, scope=scope)
        for n in range(4):
            token = await other.reserve(limit=5, used=n)
            assert token is not None
            sent = await elsewhere.messages.send(customer_id=cid, message=f"other {n}")
            await other.release(token, used=sent.rate_limits.daily_used)
        await other.close()
        fake.reset_log()
        report = await hb.messages.send_many(items, journal=journal, concurrency=1)
    assert (len(report.sent), len(report.not_sent)) == (1, 2)
    assert len(fake.sms_sent) == 5
    assert [r.route for r in fake.requests if r.method == "POST"] == ["/messages/send"]
    check = PostgresReservations(postgres_url, scope=scope)
    try:  # every reservation was given back: 5 used, none live
        assert await check.reserve(limit=6, used=0) is not None
        assert await check.reserve(limit=6, used=0) is None
    finally:
        await check.close()


async def test_a_failed_statement_is_a_journal_error_and_the_session_goes_on(
    postgres_url: str,
) -> None:
    from homebase_async import JournalError

    budget = PostgresReservations(postgres_url, scope=unique("b"))
    try:
        # Counts past the INTEGER columns: the database refuses the statement.
        with pytest.raises(JournalError, match="cannot reserve an SMS"):
            await budget.reserve(limit=2**41, used=2**40)
        token = await budget.reserve(limit=10, used=0)
        assert token is not None
        with pytest.raises(JournalError, match="cannot release an SMS reservation"):
            await budget.release(token, used=2**40)
        await budget.release(token, used=1)  # rolled back above: the token is still there
        assert await budget.reserve(limit=2, used=0) is not None
    finally:
        await budget.close()
