"""FakeBusinesses: one server, one API key per business, each with its own data and quota."""

from __future__ import annotations

import httpx
import pytest

from homebase_async import AuthenticationError, DailyLimitExceededError, HomebaseClient
from homebase_async.testing import FakeBusinesses, FakeHomebase


@pytest.mark.parametrize("over", ["transport", "loopback"])
async def test_each_key_reaches_its_own_business(over: str) -> None:
    businesses = FakeBusinesses(["key-a", "key-b"], sms_daily_limit=1)
    businesses["key-a"].add_customer(first_name="Ada", phone="+13035550100")

    async def check(base_url: str, transport: httpx.AsyncBaseTransport | None) -> None:
        async with (
            HomebaseClient("key-a", base_url=base_url, transport=transport) as a,
            HomebaseClient("key-b", base_url=base_url, transport=transport) as b,
        ):
            assert [c.first_name for c in await a.customers.search(phone="+13035550100")] == ["Ada"]
            assert await b.customers.search(phone="+13035550100") == []
            created = await b.customers.create(first_name="Bea", phone="+13035550101")
            await b.messages.send(mobile_phone="+13035550101", customer_id=created, message="hi")
            with pytest.raises(DailyLimitExceededError):  # b's quota, not a's
                await b.messages.send(mobile_phone="+13035550101", message="again")
            await a.messages.send(mobile_phone="+13035550100", message="hi")

    if over == "transport":
        await check(FakeBusinesses.base_url, businesses.transport())
    else:
        async with businesses.serve() as base_url:
            await check(base_url, None)
    assert [c["firstName"] for c in businesses["key-b"].customers.values()] == ["Bea"]
    assert len(businesses["key-a"].customers) == 1
    assert (businesses["key-a"].sms_used_today, businesses["key-b"].sms_used_today) == (1, 1)


async def test_an_unknown_key_is_refused() -> None:
    businesses = FakeBusinesses(["key-a"])
    async with HomebaseClient(
        "key-z", base_url=FakeBusinesses.base_url, transport=businesses.transport()
    ) as client:
        with pytest.raises(AuthenticationError):
            await client.customers.create(first_name="Zed", phone="+13035550102")
    assert len(businesses["key-a"].customers) == 0


def test_it_is_a_mapping_of_fakes() -> None:
    businesses = FakeBusinesses(["k1", "k2", "k3"], sms_daily_limit=7)
    assert list(businesses) == ["k1", "k2", "k3"]
    assert all(isinstance(fake, FakeHomebase) for fake in businesses.values())
    assert businesses["k2"].api_key == "k2"
    assert businesses["k3"].sms_daily_limit == 7
    with pytest.raises(ValueError, match="at least one"):
        FakeBusinesses([])
