"""The client over a real loopback socket to the fake served by uvicorn."""

from __future__ import annotations

import asyncio

import pytest
from _sdk_support import GENEROUS, new_fake
from _support import API_KEY

from homebase_async import HomebaseClient, WriteOutcomeUnknownError
from homebase_async.testing import Faults

MOBILE = "+13035550100"


async def test_operations_over_loopback() -> None:
    fake = new_fake()
    async with (
        fake.serve() as base_url,
        HomebaseClient(API_KEY, base_url=base_url, retry=GENEROUS, max_concurrency=4) as hb,
    ):
        customer_id = await hb.customers.create(first_name="Ada", phone=MOBILE)
        results = await asyncio.gather(*(hb.customers.search(phone=MOBILE) for _ in range(20)))
    assert all([c.customer_id for c in found] == [customer_id] for found in results)


async def test_a_connection_the_server_closed_while_idle() -> None:
    fake = new_fake()
    fake.add_customer(first_name="Ada", phone=MOBILE)
    # The server drops idle connections long before the client would.
    async with (
        fake.serve(keep_alive_timeout=0.05) as base_url,
        HomebaseClient(API_KEY, base_url=base_url, retry=GENEROUS, keepalive_expiry=60.0) as hb,
    ):
        for _ in range(3):
            [customer] = await hb.customers.search(phone=MOBILE)
            assert customer.first_name == "Ada"
            await asyncio.sleep(0.15)
        await hb.customers.update(customer.customer_id, notes="still here")
    assert fake.customers[customer.customer_id]["notes"] == "still here"


async def test_dropped_connections_over_loopback() -> None:
    fake = new_fake()
    fake.add_customer(first_name="Ada", phone=MOBILE)
    fake.set_faults(Faults(drop_before=0.3, seed=4))
    async with (
        fake.serve() as base_url,
        HomebaseClient(API_KEY, base_url=base_url, retry=GENEROUS) as hb,
    ):
        for _ in range(10):
            assert await hb.customers.search(phone=MOBILE)
        assert fake.stats.by_fault.get("drop_before", 0) > 0
        fake.set_faults(Faults(drop_after=1.0, methods={"POST"}))
        with pytest.raises(WriteOutcomeUnknownError):
            await hb.customers.create(first_name="Grace", email="grace@example.com")
    assert len(fake.customers) == 2
