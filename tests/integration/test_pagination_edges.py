"""jobs.iterate on awkward ranges and data, its request count on a short busy range, and its
behaviour when a request fails: exact whatever the distribution, and tidy on the way out."""

from __future__ import annotations

import asyncio
import datetime as dt
import gc
import math
import random
from collections.abc import Sequence
from typing import Any

import pytest
from _sdk_support import DownFor
from conftest import YEAR_END, YEAR_START, expected_keys
from homebase_api.models import Job

from homebase_async import HomebaseClient, TruncatedResultWarning
from homebase_async._listing import iterate_jobs
from homebase_async._ratelimit import Throttle
from homebase_async.testing import FakeHomebase

TICK = dt.timedelta(microseconds=1)


async def _iterate(client: HomebaseClient, lo: dt.datetime, hi: dt.datetime) -> list[Job]:
    return [job async for job in client.jobs.iterate(lo, hi)]


def _keys(jobs: Sequence[Job]) -> list[tuple[str, str]]:
    return [(job.start.isoformat(), job.job_id) for job in jobs]


@pytest.mark.parametrize(("distribution", "ratio"), [("uniform", 1.75), ("bursty", 2.0)])
async def test_request_count_on_sixty_busy_days(
    fake: FakeHomebase, client: HomebaseClient, distribution: str, ratio: float
) -> None:
    # The bench's shape: 20,000 jobs in 60 days, business hours only, so windows are shorter
    # than a day and nights matter. A regression guard: the count is deterministic here and was
    # about 1.5x ideal for both when this was written.
    end = YEAR_START + dt.timedelta(days=60)
    fake.populate(customers=200, jobs=20_000, start=YEAR_START, end=end, distribution=distribution)
    jobs = await _iterate(client, YEAR_START, end)
    assert _keys(jobs) == expected_keys(fake, YEAR_START, end)
    requests, ideal = client.stats["requests"], math.ceil(20_000 / 100)
    print(f"60 days, {distribution}: {requests} requests ({ideal} ideal)")
    assert requests <= ratio * ideal


async def test_all_jobs_in_the_last_hour_of_a_year(
    fake: FakeHomebase, client: HomebaseClient
) -> None:
    cid = fake.add_customer(first_name="Ada", phone="+13035550100")
    for minute in range(60):
        for second in range(0, 60, 6):  # 600 jobs, ten a minute
            fake.add_job(
                cid,
                start=YEAR_END
                - dt.timedelta(hours=1)
                + dt.timedelta(minutes=minute, seconds=second),
            )
    jobs = await _iterate(client, YEAR_START, YEAR_END)
    assert _keys(jobs) == expected_keys(fake, YEAR_START, YEAR_END)
    assert len(jobs) == 600
    assert client.stats["requests"] <= 30  # the empty months cost next to nothing


async def test_jobs_sharing_instants_are_split_around_them(
    fake: FakeHomebase, client: HomebaseClient
) -> None:
    # Up to 99 jobs at one instant can all be fetched, if the windows isolate the instant.
    cid = fake.add_customer(first_name="Ada", phone="+13035550100")
    for day, count in ((3, 99), (4, 60), (9, 80)):
        instant = YEAR_START + dt.timedelta(days=day, hours=10)
        for _ in range(count):
            fake.add_job(cid, start=instant)
    for hour in range(0, 24 * 14, 2):
        fake.add_job(cid, start=YEAR_START + dt.timedelta(hours=hour, minutes=7))
    end = YEAR_START + dt.timedelta(days=14)
    jobs = await _iterate(client, YEAR_START, end)
    assert _keys(jobs) == expected_keys(fake, YEAR_START, end)
    assert len(jobs) == 99 + 60 + 80 + 168


async def test_more_than_100_at_one_instant_among_others(
    fake: FakeHomebase, client: HomebaseClient
) -> None:
    cid = fake.add_customer(first_name="Ada", phone="+13035550100")
    instant = YEAR_START + dt.timedelta(days=40, hours=9)
    for _ in range(250):
        fake.add_job(cid, start=instant)
    for day in range(365):
        fake.add_job(cid, start=YEAR_START + dt.timedelta(days=day, hours=9))  # one at `instant`
    with pytest.warns(TruncatedResultWarning, match="100 or more jobs start at"):
        jobs = await _iterate(client, YEAR_START, YEAR_END)
    others = [
        key for key in expected_keys(fake, YEAR_START, YEAR_END) if key[0] != instant.isoformat()
    ]
    assert [key for key in _keys(jobs) if key[0] != instant.isoformat()] == others
    at_instant = [job.job_id for job in jobs if job.start == instant]
    assert len(at_instant) == len(set(at_instant)) == 100


async def test_a_range_of_one_instant(fake: FakeHomebase, client: HomebaseClient) -> None:
    cid = fake.add_customer(first_name="Ada", phone="+13035550100")
    instant = YEAR_START + dt.timedelta(days=5)
    ids = [fake.add_job(cid, start=instant) for _ in range(3)]
    fake.add_job(cid, start=instant - dt.timedelta(milliseconds=1))
    fake.add_job(cid, start=instant + dt.timedelta(milliseconds=1))
    jobs = await _iterate(client, instant, instant)
    assert sorted(job.job_id for job in jobs) == sorted(ids)
    assert client.stats["requests"] == 1


async def test_a_range_of_one_microsecond(fake: FakeHomebase, client: HomebaseClient) -> None:
    cid = fake.add_customer(first_name="Ada", phone="+13035550100")
    lo = YEAR_START + dt.timedelta(days=5, milliseconds=3)
    inside = [fake.add_job(cid, start=lo)]
    fake.add_job(cid, start=lo - dt.timedelta(milliseconds=1))
    fake.add_job(cid, start=lo + dt.timedelta(milliseconds=1))
    jobs = await _iterate(client, lo, lo + TICK)
    assert [job.job_id for job in jobs] == inside


async def test_an_empty_range(fake: FakeHomebase, client: HomebaseClient) -> None:
    fake.populate(customers=20, jobs=500, start=YEAR_START, end=YEAR_START + dt.timedelta(days=30))
    lo = YEAR_START + dt.timedelta(days=100)
    assert await _iterate(client, lo, lo + dt.timedelta(days=30)) == []
    assert client.stats["requests"] == 1


async def test_exact_with_a_server_that_answers_in_stable_order(client: HomebaseClient) -> None:
    # Not a random sample then: the first 100 in insertion order. Planning suffers, never
    # correctness.
    fake = FakeHomebase(order="stable")
    fake.populate(customers=50, jobs=5_000, start=YEAR_START, end=YEAR_END, distribution="bursty")
    async with HomebaseClient(
        fake.api_key, base_url="http://127.0.0.1/api/v1", transport=fake.transport()
    ) as hb:
        jobs = await _iterate(hb, YEAR_START, YEAR_END)
    assert _keys(jobs) == expected_keys(fake, YEAR_START, YEAR_END)


async def test_exact_one_window_at_a_time(fake: FakeHomebase, client: HomebaseClient) -> None:
    fake.populate(customers=50, jobs=3_000, start=YEAR_START, end=YEAR_END, distribution="bursty")
    jobs = [job async for job in client.jobs.iterate(YEAR_START, YEAR_END, concurrency=1)]
    assert _keys(jobs) == expected_keys(fake, YEAR_START, YEAR_END)


class _Flaky:
    """A fetch answering from a list of start times, failing from its `fail_from`-th call on."""

    def __init__(self, starts: Sequence[dt.datetime], fail_from: int) -> None:
        self.starts = sorted(starts)
        self.fail_from = fail_from
        self.calls = 0

    async def __call__(self, lo: dt.datetime, hi: dt.datetime) -> list[Job]:
        self.calls += 1
        call = self.calls
        await asyncio.sleep(0.001)  # all alike, so that several fail together
        if call >= self.fail_from:
            raise ConnectionError(f"request {call} failed")
        chosen = [t for t in self.starts if lo <= t <= hi][:100]
        # Listed shuffled: no order to learn, so the listing surveys with many requests at once.
        random.Random(call).shuffle(chosen)
        return [Job.from_dict(_job(i, t)) for i, t in enumerate(chosen)]


def _job(index: int, start: dt.datetime) -> dict[str, Any]:
    stamp = start.isoformat().replace("+00:00", "Z")
    return {"jobId": f"job-{stamp}-{index}", "start": stamp}


async def test_a_failed_request_ends_the_iteration_and_leaves_no_unread_error() -> None:
    starts = [YEAR_START + dt.timedelta(minutes=37 * i) for i in range(5_000)]
    fetch = _Flaky(starts, fail_from=5)  # within the first survey: many fail at once
    unread: list[dict[str, Any]] = []
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(lambda _loop, context: unread.append(context))
    try:
        iterator = iterate_jobs(fetch, YEAR_START, YEAR_END, concurrency=8, throttle=Throttle())
        with pytest.raises(ConnectionError, match="failed"):
            async for _ in iterator:
                pass
        await iterator.aclose()
        gc.collect()
        await asyncio.sleep(0)
    finally:
        loop.set_exception_handler(None)
    assert fetch.calls > 5
    assert unread == []  # no "Task exception was never retrieved"


@pytest.mark.parametrize(("down", "complete"), [(4, True), (6, False)])
async def test_a_window_failing_after_retries_is_asked_again_twice(
    down: int, complete: bool
) -> None:
    from homebase_async import RetryPolicy, ServerError

    fake = FakeHomebase(seed=3)
    cid = fake.add_customer(first_name="Ada", phone="+13035550100")
    job = fake.add_job(cid, start=dt.datetime(2025, 3, 1, 9, tzinfo=dt.UTC))
    lo, hi = dt.datetime(2025, 1, 1, tzinfo=dt.UTC), dt.datetime(2025, 12, 31, tzinfo=dt.UTC)
    async with HomebaseClient(
        fake.api_key,
        base_url=fake.base_url,
        transport=DownFor(fake.transport(), count=down, status=503),
        retry=RetryPolicy(max_attempts=2),
    ) as hb:
        if complete:  # 2 attempts, twice more: the third round gets through
            assert [j.job_id async for j in hb.jobs.iterate(lo, hi)] == [job]
        else:  # three rounds of two attempts all failed
            with pytest.raises(ServerError):
                [j async for j in hb.jobs.iterate(lo, hi)]
        assert hb.stats["attempts"] == min(down + 1, 6)
