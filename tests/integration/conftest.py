"""Fixtures of the integration tests: a fake server, and a client on it in process."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

import pytest

from homebase_async import HomebaseClient, RetryPolicy
from homebase_async.testing import FakeHomebase

YEAR_START = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
YEAR_END = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
#: Retries enough to ride out the soak's fault mix, without sleeping.
PATIENT = RetryPolicy(max_attempts=8, budget_tokens=1_000, initial_backoff=0, jitter=0)


def expected_keys(fake: FakeHomebase, lo: dt.datetime, hi: dt.datetime) -> list[tuple[str, str]]:
    """(start, jobId) of the stored jobs starting in [lo, hi], in iteration order."""
    rows = []
    for job in fake.jobs.values():
        start = dt.datetime.fromisoformat(job["start"])
        if lo <= start <= hi:
            rows.append((start, job["jobId"]))
    return [(start.isoformat(), job_id) for start, job_id in sorted(rows)]


@pytest.fixture
def fake() -> FakeHomebase:
    return FakeHomebase()


@pytest.fixture
async def client(fake: FakeHomebase) -> AsyncIterator[HomebaseClient]:
    async with HomebaseClient(
        fake.api_key, base_url="http://127.0.0.1/api/v1", transport=fake.transport()
    ) as hb:
        yield hb
