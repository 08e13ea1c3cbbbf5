"""Review of the change since 1f4107f: cases where an answer proves less than it is read to."""

from __future__ import annotations

import datetime as dt
import warnings

from test_limit_ignored import START, _client, _IgnoresLimit

from homebase_async import TruncatedResultWarning, UnexpectedResponseError
from homebase_async.testing import FakeHomebase


async def test_jobs_iterate_does_not_lose_jobs_silently_when_the_server_cuts_answers_at_50() -> (
    None
):
    # The same server as test_limit_ignored.py: it never reads `limit` and answers at most
    # its default of 50 jobs. The lookups, settle searches and lead queries read an answer of
    # exactly 50 as possibly capped; the jobs listing still reads it as complete, so
    # `jobs.iterate` (and `homebase jobs export`) yields 50 of 200 jobs, with no warning.
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
