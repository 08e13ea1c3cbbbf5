"""jobs.iterate against servers the planner was not tuned on (issue 21): lists ordered by end,
by (end, start), by update time, a new order per request, with multi-day jobs; and broken
servers (endDate ignored, times without an offset, limit ignored), which must be stopped
within a few requests with an error naming what was wrong. Never a silent loss."""

from __future__ import annotations

import datetime as dt
import json
import warnings

import httpx
import pytest
from conftest import YEAR_START, expected_keys
from homebase_api.models import Job

from homebase_async import HomebaseClient, TruncatedResultWarning, UnexpectedResponseError
from homebase_async.testing import FakeHomebase

END = YEAR_START + dt.timedelta(days=12)
ORDERS = [
    "end",
    "end_start",
    "updated",
    "switching",
    "start",
    "start_desc",
    "random",
    "id",
    "newest",
]


def _keys(jobs: list[Job]) -> list[tuple[str, str]]:
    return [(job.start.isoformat(), job.job_id) for job in jobs]  # type: ignore[union-attr]


def _populated(order: str, distribution: str = "multiday", jobs: int = 1_500) -> FakeHomebase:
    fake = FakeHomebase(order=order, seed=21)  # type: ignore[arg-type]
    fake.populate(customers=30, jobs=jobs, start=YEAR_START, end=END, distribution=distribution)  # type: ignore[arg-type]
    return fake


def _client(
    fake: FakeHomebase, transport: httpx.AsyncBaseTransport | None = None
) -> HomebaseClient:
    return HomebaseClient(
        fake.api_key, base_url=fake.base_url, transport=transport or fake.transport()
    )


@pytest.mark.parametrize("distribution", ["multiday", "bursty"])
@pytest.mark.parametrize("order", ORDERS)
async def test_every_job_exactly_once_under_a_hold_out_order(order: str, distribution: str) -> None:
    fake = _populated(order, distribution)
    with warnings.catch_warnings():
        warnings.simplefilter("error", TruncatedResultWarning)  # none of these piles reach 100
        async with _client(fake) as hb:
            jobs = [job async for job in hb.jobs.iterate(YEAR_START, END)]
    assert _keys(jobs) == expected_keys(fake, YEAR_START, END)


async def test_an_end_sorted_server_with_multi_day_jobs_loses_none_when_pages_look_sorted() -> None:
    # Short jobs of one length listed by end look sorted by start; the multi-day jobs among
    # them come last by end. Trusting such a page as "the first 100 by start" lost them.
    fake = FakeHomebase(order="end", seed=3)
    fake.populate(customers=20, jobs=0, start=YEAR_START, end=END)
    customer = next(iter(fake.customers))
    moment = YEAR_START + dt.timedelta(hours=8)
    items = [{"name": "Visit", "quantity": 1, "unitPrice": "10.00"}]
    for index in range(3_000):
        start = moment + dt.timedelta(minutes=3 * index)
        # Two among thousands: pages checked now and then hold none, pages between do.
        long = index in (700, 1_400)
        length = dt.timedelta(days=4) if long else dt.timedelta(hours=1)
        fake.add_job(customer, start=start, end=start + length, line_items=items)
    async with _client(fake) as hb:
        jobs = [job async for job in hb.jobs.iterate(YEAR_START, END)]
    assert _keys(jobs) == expected_keys(fake, YEAR_START, END)


class _Rewrite(httpx.AsyncBaseTransport):
    """The fake's transport with each GET /jobs query or answer rewritten."""

    def __init__(
        self, fake: FakeHomebase, *, drop_end: bool = False, naive: bool = False, extra: int = 0
    ) -> None:
        self.fake, self.inner = fake, fake.transport()
        self.drop_end, self.naive, self.extra = drop_end, naive, extra
        self.requests = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/jobs") and request.method == "GET":
            self.requests += 1
            params = dict(request.url.params)
            if self.drop_end:
                params.pop("endDate", None)
            if self.extra:
                params["limit"] = "100"
            request = httpx.Request(
                "GET", request.url.copy_with(params=params), headers=request.headers
            )
        response = await self.inner.handle_async_request(request)
        if not (self.naive or self.extra) or not request.url.path.endswith("/jobs"):
            return response
        body = json.loads(await response.aread())
        data = body["data"]
        if self.extra and len(data) == 100:
            data.extend(dict(job, jobId=job["jobId"][:-1] + "X") for job in data[: self.extra])
        for job in data if self.naive else []:
            job["start"] = job["start"].removesuffix("Z")
        return httpx.Response(
            response.status_code, headers={"content-type": "application/json"}, json=body
        )


async def test_a_server_ignoring_end_date_is_stopped_within_a_few_requests() -> None:
    fake = _populated("random", "uniform", jobs=3_000)
    transport = _Rewrite(fake, drop_end=True)
    lo, hi = YEAR_START, YEAR_START + dt.timedelta(days=6)  # jobs beyond hi exist
    async with _client(fake, transport) as hb:
        with pytest.raises(UnexpectedResponseError, match="outside the requested window"):
            [job async for job in hb.jobs.iterate(lo, hi)]
    assert transport.requests <= 20


@pytest.mark.parametrize("order", ["start", "random"])
async def test_times_without_an_offset_are_an_error_naming_the_field(order: str) -> None:
    fake = _populated(order, "uniform", jobs=500)
    transport = _Rewrite(fake, naive=True)
    async with _client(fake, transport) as hb:
        # The strict parse of the answer names the field first (the listing checks its
        # answers again, for jobs that reach it some other way).
        with pytest.raises(UnexpectedResponseError, match=r"job\.start: .* without one"):
            [job async for job in hb.jobs.iterate(YEAR_START, END)]
    assert transport.requests <= 20


async def test_a_server_ignoring_limit_is_an_error() -> None:
    fake = _populated("random", "uniform", jobs=500)
    transport = _Rewrite(fake, extra=20)
    async with _client(fake, transport) as hb:
        with pytest.raises(UnexpectedResponseError, match="ignores `limit`"):
            [job async for job in hb.jobs.iterate(YEAR_START, END)]
    assert transport.requests <= 20


class _Mover(httpx.AsyncBaseTransport):
    """Moves jobs already answered to the end of the range while the listing runs."""

    def __init__(self, fake: FakeHomebase) -> None:
        self.fake, self.inner = fake, fake.transport()
        self.seen: list[str] = []
        self.moved = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        if request.method == "GET" and request.url.path.endswith("/jobs"):
            body = json.loads(await response.aread())
            self.seen += [job["jobId"] for job in body["data"]]
            for job_id in self.seen[:3]:
                later = END - dt.timedelta(minutes=self.moved + 1)
                finish = later + dt.timedelta(minutes=30)
                self.fake._store.jobs.update(
                    job_id, {"start": later.isoformat(), "end": finish.isoformat()}
                )
                self.moved += 1
            del self.seen[:3]
            return httpx.Response(200, json=body)
        return response


async def test_a_job_moved_during_the_listing_is_yielded_at_most_once() -> None:
    fake = _populated("start", "uniform", jobs=600)
    mover = _Mover(fake)
    async with _client(fake, mover) as hb:
        jobs = [job async for job in hb.jobs.iterate(YEAR_START, END)]
    ids = [job.job_id for job in jobs]
    assert mover.moved > 0
    assert len(ids) == len(set(ids))
