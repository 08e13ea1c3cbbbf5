"""The SMS budget has one owner: the client builds it once; copies and Messages share it."""

from __future__ import annotations

from homebase_async import HomebaseClient
from homebase_async.testing import FakeHomebase


async def test_the_budget_is_built_once_with_the_clients_max_age_and_shared() -> None:
    fake = FakeHomebase(sms_daily_limit=5, seed=1)
    cid = fake.add_customer(first_name="Ada", phone="+13035550100")
    async with HomebaseClient(
        fake.api_key, base_url=fake.base_url, transport=fake.transport(), budget_max_age=42.0
    ) as hb:
        copy = hb.with_options(timeout=5.0)
        assert copy.messages.tracker is hb.messages.tracker
        assert hb.messages.tracker.max_age == 42.0
        await copy.messages.send(customer_id=cid, message="one")  # loads it through the copy
        assert hb.messages.budget is not None
        assert hb.messages.budget.used == 1
        assert [r.route for r in fake.requests].count("/messages/stats") == 1
