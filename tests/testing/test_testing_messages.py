"""SMS sending rules, the daily quota and the stats that report it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from _testing_support import MOBILE, NOW, client_for, data, error

from homebase_async.testing import FakeHomebase


async def send(client: httpx.AsyncClient, **body: Any) -> httpx.Response:
    return await client.post("/messages/send", json=body)


async def test_send_by_mobile_reports_the_counter(
    fake: FakeHomebase, client: httpx.AsyncClient, customer_id: str
) -> None:
    response = await send(client, mobilePhone=MOBILE, message="Confirmed for 2pm")
    assert response.status_code == 200
    assert data(response) == {
        "mobilePhone": MOBILE,
        "customerId": customer_id,
        "timestamp": "2024-01-15T14:30:00.000Z",
        "rateLimits": {"dailyUsed": 1, "dailyLimit": 500},
    }
    assert fake.sms_sent == [
        {
            "mobilePhone": MOBILE,
            "customerId": customer_id,
            "timestamp": "2024-01-15T14:30:00.000Z",
            "message": "Confirmed for 2pm",
            "mediaUrl": None,
        }
    ]


async def test_send_by_customer_id_or_both(
    fake: FakeHomebase, client: httpx.AsyncClient, customer_id: str
) -> None:
    assert data(await send(client, customerId=customer_id, message="a"))["mobilePhone"] == MOBILE
    response = await send(client, customerId=customer_id, mobilePhone=MOBILE, message="b")
    assert data(response)["rateLimits"]["dailyUsed"] == 2
    assert fake.sms_used_today == 2


async def test_mms_needs_no_text(
    fake: FakeHomebase, client: httpx.AsyncClient, customer_id: str
) -> None:
    response = await send(client, customerId=customer_id, mediaUrl="https://example.com/a.jpg")
    assert response.status_code == 200
    assert fake.sms_sent[0]["mediaUrl"] == "https://example.com/a.jpg"


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"message": "hi"}, 400, "mobilePhone or customerId"),
        ({"mobilePhone": "3038284444", "message": "hi"}, 400, "mobilePhone"),
        ({"mobilePhone": MOBILE}, 400, "message"),
        ({"mobilePhone": MOBILE, "message": "x" * 201}, 400, "200"),
        ({"mobilePhone": MOBILE, "mediaUrl": "http://example.com/a.jpg"}, 400, "mediaUrl"),
        ({"mobilePhone": MOBILE, "mediaUrl": "not a url"}, 400, "mediaUrl"),
        ({"mobilePhone": "+13030000000", "message": "hi"}, 404, "+13030000000"),
        ({"customerId": "unknown", "message": "hi"}, 404, "unknown"),
        ({"mobilePhone": "+13030000000", "customerId": "CID", "message": "hi"}, 400, "match"),
        ({"customerId": "NOMOBILE", "message": "hi"}, 400, "mobile"),
    ],
)
async def test_send_rules(
    fake: FakeHomebase,
    client: httpx.AsyncClient,
    customer_id: str,
    body: dict[str, Any],
    status: int,
    field: str,
) -> None:
    no_mobile = fake.add_customer(first_name="E", email="e@example.com")
    ids = {"CID": customer_id, "NOMOBILE": no_mobile}
    body = {key: ids.get(value, value) for key, value in body.items()}
    assert field in error(await send(client, **body), status)
    assert fake.sms_sent == []
    assert fake.sms_used_today == 0


async def test_a_200_character_message_is_accepted(
    client: httpx.AsyncClient, customer_id: str
) -> None:
    assert (await send(client, customerId=customer_id, message="x" * 200)).status_code == 200


async def test_sms_needs_enterprise(customer_id: str, fake: FakeHomebase) -> None:
    fake.enterprise = False
    async with client_for(fake) as client:
        assert "Enterprise" in error(await send(client, customerId=customer_id, message="a"), 403)
        error(await client.get("/messages/stats"), 403)
    assert FakeHomebase(enterprise=False).enterprise is False


async def test_daily_cap_is_a_429_without_retry_after() -> None:
    fake = FakeHomebase(sms_daily_limit=2, now=NOW)
    customer = fake.add_customer(first_name="A", phone=MOBILE)
    async with client_for(fake) as client:
        for _ in range(2):
            assert (await send(client, customerId=customer, message="a")).status_code == 200
        response = await send(client, customerId=customer, message="a")
        assert error(response, 429).startswith("Daily SMS limit reached")
        assert "retry-after" not in response.headers
        assert data(await client.get("/messages/stats")) == {
            "limits": {"perDay": 2},
            "usage": {"dailyUsed": 2, "dailyRemaining": 0},
        }
    assert len(fake.sms_sent) == 2


async def test_counter_is_shared_with_stats_and_resets_at_utc_midnight() -> None:
    clock = [datetime(2024, 1, 15, 23, 59, tzinfo=UTC)]
    fake = FakeHomebase(now=lambda: clock[0], timezone="America/Denver")
    customer = fake.add_customer(first_name="A", phone=MOBILE)
    async with client_for(fake) as client:
        for _ in range(3):
            await send(client, customerId=customer, message="a")
        stats = data(await client.get("/messages/stats"))
        assert stats["usage"] == {"dailyUsed": 3, "dailyRemaining": 497}
        clock[0] += timedelta(minutes=1)  # UTC midnight, still the 15th in Denver
        assert data(await client.get("/messages/stats"))["usage"]["dailyUsed"] == 0
        assert fake.sms_used_today == 0
        response = await send(client, customerId=customer, message="a")
        assert data(response)["rateLimits"] == {"dailyUsed": 1, "dailyLimit": 500}
