"""A server that ignores `limit` cuts every answer at its default (customers 25, jobs 50).

Such an answer looks complete (under the cap of 100) but may leave records out: read as
"missing", it made a lookup miss customers, an upsert create them twice and a settle search
send a landed job again. An answer of exactly the default now proves no more than one of 100.
"""

from __future__ import annotations

import datetime as dt
import warnings
from typing import Any

import httpx
import pytest
from conftest import PATIENT

from homebase_async import HomebaseClient, TruncatedResultWarning, UnexpectedResponseError
from homebase_async.testing import FakeHomebase, Faults

START = dt.datetime(2031, 5, 1, 9, tzinfo=dt.UTC)


class _IgnoresLimit(httpx.AsyncBaseTransport):
    """The fake behind a server that never reads `limit`: the fake applies its default."""

    def __init__(self, fake: FakeHomebase) -> None:
        self.inner = fake.transport()
        self.asked: list[int] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "GET" and "limit" in request.url.params:
            self.asked.append(int(request.url.params["limit"]))
            params = [(k, v) for k, v in request.url.params.multi_items() if k != "limit"]
            request = httpx.Request(
                "GET", request.url.copy_with(params=params), headers=request.headers
            )
        return await self.inner.handle_async_request(request)


def _client(
    fake: FakeHomebase, transport: httpx.AsyncBaseTransport, **kwargs: Any
) -> HomebaseClient:
    return HomebaseClient(
        fake.api_key, base_url=fake.base_url, retry=PATIENT, transport=transport, **kwargs
    )


async def test_a_lookup_finds_every_customer_when_the_server_cuts_answers_at_25() -> None:
    fake = FakeHomebase(seed=3)
    emails = [f"c{n}@example.com" for n in range(120)]
    for n, email in enumerate(emails):
        fake.add_customer(first_name=f"C{n}", email=email)
    transport = _IgnoresLimit(fake)
    async with _client(fake, transport) as hb:
        result = await hb.customers.lookup(emails)
    assert transport.asked, "the lookup never asked for a limit: the test proves nothing"
    assert result.missing == []
    assert result.failed == {}
    assert sorted(result.matches) == sorted(emails)


async def test_an_upsert_creates_no_existing_customer_when_the_server_cuts_answers_at_25() -> None:
    fake = FakeHomebase(seed=4)
    rows = [{"first_name": f"C{n}", "email": f"c{n}@example.com"} for n in range(60)]
    for row in rows:
        fake.add_customer(first_name=row["first_name"], email=row["email"])
    async with _client(fake, _IgnoresLimit(fake)) as hb:
        report = await hb.customers.upsert_many(rows)
    assert len(fake.customers) == 60
    assert not report.created
    assert len(report.unchanged) + len(report.updated) == 60


async def test_a_lost_job_among_60_at_its_start_stays_unknown_when_answers_stop_at_50() -> None:
    # 61 jobs start at that instant: a server honouring `limit=100` answers all of them, one
    # ignoring it answers 50, and the lost job may be among the 11 left out.
    fake = FakeHomebase(seed=2)
    cid = fake.add_customer(first_name="Jo", email="jo@example.com")
    other = fake.add_customer(first_name="Al", email="al@example.com")
    for _ in range(60):
        fake.add_job(other, start=START, end=START + dt.timedelta(hours=2))
    job = {
        "customer_id": cid,
        "start": START,
        "end": START + dt.timedelta(hours=1),
        "line_items": [{"name": "Visit", "quantity": 1, "unit_price": "80.00"}],
    }
    async with _client(fake, _IgnoresLimit(fake)) as hb:
        fake.set_faults(Faults(drop_after=1.0, paths={"/jobs"}, methods={"POST"}))
        report = await hb.jobs.create_many([job], settle_delay=0)
    assert sum(1 for j in fake.jobs.values() if j["customerId"] == cid) == 1
    assert list(report.outcome_unknown) == [0]


async def test_leads_warn_when_the_server_cuts_a_query_at_25() -> None:
    fake = FakeHomebase(seed=5)
    cid = fake.add_customer(first_name="Ada", phone="+13035550100")
    for _ in range(40):
        fake.add_lead(customer_id=cid, status="new")
    async with _client(fake, _IgnoresLimit(fake)) as hb:
        with pytest.warns(TruncatedResultWarning, match="25 leads"):
            leads = [lead async for lead in hb.leads.iterate(statuses=["new"])]
    assert len(leads) == 25


async def test_a_listing_loses_no_job_when_the_server_cuts_answers_at_50() -> None:
    fake = FakeHomebase(seed=6)
    begin = START
    fake.populate(customers=20, jobs=400, start=begin, end=begin + dt.timedelta(days=3))
    transport = _IgnoresLimit(fake)
    async with _client(fake, transport) as hb:
        seen = [job.job_id async for job in hb.jobs.iterate(begin, begin + dt.timedelta(days=3))]
    assert transport.asked, "the listing never asked for a limit: the test proves nothing"
    assert sorted(seen) == sorted(fake.jobs)


async def test_a_pile_cut_at_50_warns_with_the_count_it_was_cut_at() -> None:
    fake = FakeHomebase(seed=7)
    cid = fake.add_customer(first_name="Al", email="al@example.com")
    for _ in range(70):
        fake.add_job(cid, start=START)
    async with _client(fake, _IgnoresLimit(fake)) as hb:
        with pytest.warns(TruncatedResultWarning, match="50 .the default limit. or more jobs"):
            seen = [job.job_id async for job in hb.jobs.iterate(START, START)]
    assert len(seen) == 50


async def test_jobs_iterate_does_not_lose_jobs_silently_when_the_server_cuts_answers_at_50() -> (
    None
):
    # Found in review: lookups, settle searches and lead queries read an answer of exactly
    # the default as possibly capped, but the jobs listing still read 50 as complete, so
    # `jobs.iterate` (and `homebase jobs export`) yielded 50 of 200 jobs, with no warning.
    fake = FakeHomebase(seed=1)
    cid = fake.add_customer(first_name="Jo", email="jo@example.com")
    for n in range(200):
        start = START + dt.timedelta(minutes=10 * n)
        fake.add_job(cid, start=start, end=start + dt.timedelta(hours=1))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        async with _client(fake, _IgnoresLimit(fake)) as hb:
            try:
                jobs = [j async for j in hb.jobs.iterate(START, START + dt.timedelta(days=30))]
            except UnexpectedResponseError:
                return  # refusing the answers is also a correct end: nothing is lost silently
    warned = any(issubclass(w.category, TruncatedResultWarning) for w in caught)
    assert len(jobs) == 200 or warned, f"{len(jobs)} of 200 jobs listed, no warning"
