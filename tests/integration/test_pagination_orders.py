"""jobs.iterate under every list order the fake offers, a server that changes its order, resume
with `after=`, and closing a listing early: exact, once, in order, and tidy."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import heapq
import math
import random
from typing import Any

import httpx
import pytest
from conftest import YEAR_START, expected_keys
from homebase_api.models import Job

from homebase_async import HomebaseClient
from homebase_async._listing import iterate_jobs
from homebase_async._ratelimit import Throttle
from homebase_async.testing import FakeHomebase
from homebase_async.testing._common import Context

ORDERS = ["start", "start_desc", "random", "id", "newest", "stable"]
END = YEAR_START + dt.timedelta(days=30)


def _start(job: Job) -> dt.datetime:
    assert isinstance(job.start, dt.datetime)
    return job.start


def _keys(jobs: list[Job]) -> list[tuple[str, str]]:
    return [(_start(job).isoformat(), job.job_id) for job in jobs]


def _client(
    fake: FakeHomebase, transport: httpx.AsyncBaseTransport | None = None
) -> HomebaseClient:
    return HomebaseClient(
        fake.api_key, base_url=fake.base_url, transport=transport or fake.transport()
    )


def _populated(order: str, distribution: Any, jobs: int = 3_000) -> FakeHomebase:
    fake = FakeHomebase(order=order, seed=5)  # type: ignore[arg-type]
    fake.populate(customers=50, jobs=jobs, start=YEAR_START, end=END, distribution=distribution)
    return fake


@pytest.mark.parametrize("distribution", ["uniform", "bursty"])
@pytest.mark.parametrize("order", ORDERS)
async def test_every_job_once_in_order_under_every_order(order: str, distribution: str) -> None:
    fake = _populated(order, distribution)
    async with _client(fake) as hb:
        jobs = [job async for job in hb.jobs.iterate(YEAR_START, END)]
        requests = hb.stats["requests"]
    assert _keys(jobs) == expected_keys(fake, YEAR_START, END)
    # A loose, deterministic sanity bound (the fake is seeded); the bench tracks the targets.
    assert requests <= 4 * math.ceil(3_000 / 100)


@pytest.mark.parametrize("order", ["start", "start_desc", "stable"])
async def test_order_hints_save_requests_without_being_trusted(order: str) -> None:
    # Issue 21: no full answer is trusted any more (a server ordering by end looks sorted by
    # start too): a page is only a preview for an exact re-ask, and windows cut blind from
    # the pace must prove themselves complete. Reading the order as a hint must still beat
    # ignoring it.
    fake = _populated(order, "uniform")
    counts = []
    for hints in (True, False):
        calls = 0

        async def fetch(lo: dt.datetime, hi: dt.datetime, hb: HomebaseClient) -> list[Job]:
            nonlocal calls
            calls += 1
            return await hb.jobs.list(start=lo, end=hi, limit=100)

        async with _client(fake) as hb:
            jobs = [
                job
                async for job in iterate_jobs(
                    lambda lo, hi, hb=hb: fetch(lo, hi, hb),  # type: ignore[misc]
                    YEAR_START,
                    END,
                    concurrency=8,
                    throttle=Throttle(),
                    hints=hints,
                )
            ]
        assert _keys(jobs) == expected_keys(fake, YEAR_START, END)
        counts.append(calls)
    assert counts[0] <= 2.3 * 30, counts  # seeded: 49 each (cuts from the pace), 128-143 without
    assert counts[0] < counts[1]


class _Switch(httpx.AsyncBaseTransport):
    """The fake's transport, whose list order changes to `then` after `after` requests."""

    def __init__(self, fake: FakeHomebase, after: int, then: str) -> None:
        self.fake, self.inner = fake, fake.transport()
        self.after, self.then, self.count = after, then, 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.count += 1
        if self.count == self.after:
            self.fake.set_order(self.then)  # type: ignore[arg-type]
        return await self.inner.handle_async_request(request)


@pytest.mark.parametrize(
    ("first", "then"),
    [("start", "random"), ("start_desc", "newest"), ("start", "start_desc"), ("random", "start")],
)
@pytest.mark.parametrize("after", [4, 30])
async def test_a_server_that_changes_its_order_costs_requests_never_a_job(
    first: str, then: str, after: int
) -> None:
    fake = _populated(first, "bursty")
    async with _client(fake, _Switch(fake, after, then)) as hb:
        jobs = [job async for job in hb.jobs.iterate(YEAR_START, END)]
    assert _keys(jobs) == expected_keys(fake, YEAR_START, END)


class _Flapping(httpx.AsyncBaseTransport):
    """Two backends behind a balancer: a share of the answers in another order than the rest."""

    def __init__(self, fake: FakeHomebase, share: float, other: str, seed: int) -> None:
        self.fake, self.inner = fake, fake.transport()
        self.share, self.other = share, other
        self.rng = random.Random(seed)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        order = self.other if self.rng.random() < self.share else "start"
        self.fake.set_order(order)  # type: ignore[arg-type]
        return await self.inner.handle_async_request(request)


# Seeds for which trusting one out-of-order answer lost jobs before answers had to come sorted
# (6,000 jobs: 392 to 453 came back); start_desc flips the direction instead of the selection.
@pytest.mark.parametrize(
    ("other", "share", "seed"),
    [("random", 0.1, 2), ("random", 0.1, 4), ("random", 0.2, 2), ("start_desc", 0.1, 1)],
)
async def test_a_server_that_answers_some_requests_in_another_order_loses_no_job(
    other: str, share: float, seed: int
) -> None:
    fake = _populated("start", "uniform", jobs=6_000)
    async with _client(fake, _Flapping(fake, share, other, seed)) as hb:
        jobs = [job async for job in hb.jobs.iterate(YEAR_START, END)]
    assert _keys(jobs) == expected_keys(fake, YEAR_START, END)


def _sometimes_latest(share: float, seed: int) -> Any:
    """A list order for the fake: by start, but some answers are the *latest* `limit` jobs of
    the window, still listed ascending: sorted, yet not the earliest."""
    rng = random.Random(seed)
    by_start = Context.pick

    def pick(self: Context, items: Any, limit: int, **keys: Any) -> list[Any]:
        start, ident = keys.get("start"), keys.get("ident")
        if start is None or ident is None or rng.random() >= share:
            return by_start(self, items, limit, **keys)

        def key(item: Any) -> tuple[Any, str]:
            return start(item), ident(item)

        return sorted(heapq.nlargest(limit, items, key=key), key=key)

    return pick


async def test_sorted_answers_holding_other_jobs_are_caught(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Found by the second review (this seed and mix): 606 of 3,000 jobs were lost to such
    # answers taken on trust; a page's edge jobs must now be in the answer that goes on from it.
    monkeypatch.setattr(Context, "pick", _sometimes_latest(0.1, seed=2))
    start = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    end = start + dt.timedelta(days=30)
    fake = FakeHomebase(order="start", seed=2)
    fake.populate(customers=50, jobs=3_000, start=start, end=end, distribution="bursty")
    async with HomebaseClient(
        fake.api_key, base_url=fake.base_url, transport=fake.transport(), max_concurrency=4
    ) as hb:
        jobs = [job async for job in hb.jobs.iterate(start, end, concurrency=4)]
    assert _keys(jobs) == expected_keys(fake, start, end)


@pytest.mark.parametrize("order", ["start", "random"])
async def test_truncation_and_shared_instants_under_an_order(order: str) -> None:
    fake = FakeHomebase(order=order, seed=2)  # type: ignore[arg-type]
    cid = fake.add_customer(first_name="Ada", phone="+13035550100")
    busy = YEAR_START + dt.timedelta(days=3, hours=9)
    for _ in range(130):
        fake.add_job(cid, start=busy)
    shared = YEAR_START + dt.timedelta(days=5, hours=9)
    for _ in range(70):
        fake.add_job(cid, start=shared)
    for hour in range(0, 24 * 20, 3):
        fake.add_job(cid, start=YEAR_START + dt.timedelta(hours=hour, minutes=1))
    from homebase_async import TruncatedResultWarning

    async with _client(fake) as hb:
        with pytest.warns(TruncatedResultWarning):
            jobs = [job async for job in hb.jobs.iterate(YEAR_START, END)]
    others = [k for k in expected_keys(fake, YEAR_START, END) if k[0] != busy.isoformat()]
    assert [k for k in _keys(jobs) if k[0] != busy.isoformat()] == others
    at_busy = [job.job_id for job in jobs if job.start == busy]
    assert len(at_busy) == len(set(at_busy)) == 100


@pytest.mark.parametrize("order", ["start", "random"])
async def test_after_resumes_after_the_last_job_yielded(order: str) -> None:
    fake = _populated(order, "bursty", jobs=1_500)
    expected = expected_keys(fake, YEAR_START, END)
    async with _client(fake) as hb:
        first: list[Job] = []
        async with hb.jobs.iterate(YEAR_START, END) as listing:
            async for job in listing:
                first.append(job)
                if len(first) == 700:
                    break
        last = first[-1]
        rest = [
            job async for job in hb.jobs.iterate(YEAR_START, END, after=(_start(last), last.job_id))
        ]
    assert _keys(first) + _keys(rest) == expected


async def test_after_between_jobs_sharing_an_instant() -> None:
    fake = FakeHomebase(order="start")
    cid = fake.add_customer(first_name="Ada", phone="+13035550100")
    instant = YEAR_START + dt.timedelta(days=2)
    ids = sorted(fake.add_job(cid, start=instant) for _ in range(5))
    async with _client(fake) as hb:
        rest = [j.job_id async for j in hb.jobs.iterate(YEAR_START, END, after=(instant, ids[1]))]
    assert rest == ids[2:]


async def test_after_must_be_a_start_and_an_id() -> None:
    from homebase_async import ValidationError

    fake = FakeHomebase()
    async with _client(fake) as hb:
        for bad in [("2024-01-01T00:00:00Z",), "x", ("not a time", "id"), (YEAR_START, 5)]:
            with pytest.raises(ValidationError, match="after"):
                hb.jobs.iterate(YEAR_START, END, after=bad)  # type: ignore[arg-type]
    assert fake.requests == []


class _Slow(httpx.AsyncBaseTransport):
    """The fake's transport, each request held a while first; counts what reached the fake."""

    def __init__(self, fake: FakeHomebase, delay: float) -> None:
        self.inner, self.delay, self.reached = fake.transport(), delay, 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(self.delay)
        self.reached += 1
        return await self.inner.handle_async_request(request)


async def _close_early(hb: HomebaseClient, form: str) -> None:
    listing: Any = hb.jobs.iterate(YEAR_START, END, concurrency=8)
    if form == "async with":
        async with listing as jobs:
            async for _ in jobs:
                break
    elif form == "aclosing":
        async with contextlib.aclosing(listing) as jobs:
            async for _ in jobs:
                break
    else:
        async for _ in listing:
            break
        await listing.aclose()


@pytest.mark.parametrize("form", ["async with", "aclosing", "aclose"])
@pytest.mark.parametrize("order", ["start", "random"])
async def test_closing_a_listing_frees_every_permit_and_stops_every_request(
    form: str, order: str
) -> None:
    fake = _populated(order, "uniform")
    slow = _Slow(fake, 0.02)
    async with HomebaseClient(
        fake.api_key, base_url=fake.base_url, transport=slow, max_concurrency=16
    ) as hb:
        await _close_early(hb, form)
        reached = slow.reached
        permits = hb._shared.permits
        assert permits._value == 16  # every permit back at once
        await asyncio.sleep(0.1)  # longer than a request takes: nothing was left running
        assert slow.reached == reached
        async with asyncio.timeout(2):  # a new call gets a permit at once
            await hb.jobs.list(start=YEAR_START, end=END, limit=1)


async def test_closing_a_leads_listing_frees_every_permit() -> None:
    fake = FakeHomebase(seed=4)
    fake.populate(customers=40, leads=200)
    slow = _Slow(fake, 0.02)
    async with HomebaseClient(
        fake.api_key, base_url=fake.base_url, transport=slow, max_concurrency=4
    ) as hb:
        ids = list(fake.customers)[:30]
        async with hb.leads.iterate(customer_ids=ids, concurrency=4) as leads:
            async for _ in leads:
                break
        reached = slow.reached
        assert hb._shared.permits._value == 4
        await asyncio.sleep(0.1)
        assert slow.reached == reached


async def test_a_failure_of_the_lead_pool_itself_surfaces_instead_of_hanging(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Found by the second review: the pool's own failure (not a query's) left the listing
    # waiting for answers forever. A bug here must surface.
    fake = FakeHomebase(seed=3)
    ids = [fake.add_customer(first_name=f"C{i}", email=f"c{i}@example.com") for i in range(6)]
    async with _client(fake) as hb:
        throttle = hb._requester.throttle
        calls = 0
        real = throttle.wait_if_paused

        async def broken() -> None:
            nonlocal calls
            calls += 1
            if calls == 3:
                raise RuntimeError("bug in the pool")
            await real()

        monkeypatch.setattr(throttle, "wait_if_paused", broken)

        async def drain() -> None:
            async with asyncio.timeout(5):  # the old code hung here
                async for _ in hb.leads.iterate(customer_ids=ids, concurrency=2):
                    pass

        with pytest.raises(ExceptionGroup) as info:  # the pool's TaskGroup wraps the bug
            await drain()
    assert info.value.subgroup(RuntimeError) is not None
