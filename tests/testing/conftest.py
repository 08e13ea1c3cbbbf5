"""Fixtures of the fake server's tests: a fake on a fixed clock, and a client on it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from _testing_support import MOBILE, NOW, client_for

from homebase_async.testing import FakeHomebase


@pytest.fixture
def fake() -> FakeHomebase:
    """Stable order, so tests can compare lists; the random order has tests of its own."""
    return FakeHomebase(order="stable", now=NOW)


@pytest.fixture
async def client(fake: FakeHomebase) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(fake) as client:
        yield client


@pytest.fixture
def customer_id(fake: FakeHomebase) -> str:
    return fake.add_customer(
        first_name="John", last_name="Smith", phone=MOBILE, email="john.smith@example.com"
    )
