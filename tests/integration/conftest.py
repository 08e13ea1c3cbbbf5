"""Fixtures of the integration tests: a fake server, and a client on it in process."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

import pytest

from homebase_async import HomebaseClient
from homebase_async.testing import FakeHomebase

YEAR_START = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
YEAR_END = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)


@pytest.fixture
def fake() -> FakeHomebase:
    return FakeHomebase()


@pytest.fixture
async def client(fake: FakeHomebase) -> AsyncIterator[HomebaseClient]:
    async with HomebaseClient(
        fake.api_key, base_url="http://127.0.0.1/api/v1", transport=fake.transport()
    ) as hb:
        yield hb
