"""Every operation of the client against the fake server, without faults."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

import pytest
from _sdk_support import FAKE_URL, new_fake, sdk_for

from homebase_async import (
    AuthenticationError,
    BadRequestError,
    HomebaseClient,
    NotFoundError,
    PermissionDeniedError,
)
from homebase_async.models import LeadStatus
from homebase_async.testing import FakeHomebase


@pytest.fixture
def server() -> FakeHomebase:
    return new_fake()


@pytest.fixture
async def sdk(server: FakeHomebase) -> AsyncIterator[HomebaseClient]:
    async with sdk_for(server) as hb:
        yield hb


ITEM = {
    "name": "Window Cleaning",
    "quantity": 2,
    "unitPrice": "150.00",
    "taxRate": {"name": "Standard", "rate": "7.00"},
}


async def test_ping(sdk: HomebaseClient, server: FakeHomebase) -> None:
    data = await sdk.ping()
    assert data.email == server.business_email


async def test_a_wrong_key(server: FakeHomebase) -> None:
    async with HomebaseClient("wrong-key", base_url=FAKE_URL, transport=server.transport()) as hb:
        with pytest.raises(AuthenticationError) as info:
            await hb.ping()
    assert info.value.message == "Invalid API key"
    assert "wrong-key" not in str(info.value)


async def test_customers(sdk: HomebaseClient, server: FakeHomebase) -> None:
    customer_id = await sdk.customers.create(
        first_name="Ada",
        last_name="Lovelace",
        phone={"mobile": "+13035550100", "home": "+13035550101"},
        email="ada@example.com;ada@work.example.com",
        tags="vip,math",
    )
    stored = server.customers[customer_id]
    assert stored["email"] == ["ada@example.com", "ada@work.example.com"]
    assert stored["notifications"] is True
    # The `+` of a phone survives the query string.
    [by_phone] = await sdk.customers.search(phone="+13035550100")
    assert by_phone.customer_id == customer_id
    found = await sdk.customers.search(
        identifiers=["+13035550101", "nobody@example.com", customer_id]
    )
    assert [c.customer_id for c in found] == [customer_id]
    await sdk.customers.update(customer_id, notes="prefers mornings", tags=["vip"])
    customer = await sdk.customers.get(customer_id)
    assert customer.notes == "prefers mornings"
    assert customer.tags == ["vip"]
    # Fields not given to update are left alone.
    assert customer.email == ["ada@example.com", "ada@work.example.com"]
    assert customer.last_name == "Lovelace"
    with pytest.raises(NotFoundError):
        await sdk.customers.get("0" * 20)
    with pytest.raises(NotFoundError):
        await sdk.customers.update("0" * 20, notes="x")


async def test_jobs(sdk: HomebaseClient, server: FakeHomebase) -> None:
    customer_id = server.add_customer(first_name="Grace", phone="+13035550102")
    denver = dt.timezone(dt.timedelta(hours=-6))
    start = dt.datetime(2031, 3, 4, 9, 0, tzinfo=denver)
    job_id = await sdk.jobs.create(
        customer_id, start, start + dt.timedelta(hours=2), [ITEM], note="gate code 1234"
    )
    stored = server.jobs[job_id]
    assert stored["start"].startswith("2031-03-04T15:00:00")
    assert stored["jobTotal"] == 321.0
    [listed] = await sdk.jobs.list(start=start, end=start + dt.timedelta(minutes=1))
    assert listed.job_id == job_id
    assert listed.start == start
    await sdk.jobs.update(job_id, note="no gate code")
    job = await sdk.jobs.get(job_id)
    assert job.note == "no gate code"
    assert job.start == start
    with pytest.raises(NotFoundError):
        await sdk.jobs.create("0" * 20, start, start + dt.timedelta(hours=1), [ITEM])


async def test_leads(sdk: HomebaseClient, server: FakeHomebase) -> None:
    customer_id = server.add_customer(
        first_name="Linus", phone="+13035550103", email="l@example.com"
    )
    by_id = await sdk.leads.create(customer_id=customer_id, line_items=[ITEM], lead_source="Online")
    assert by_id.customer_id == customer_id
    # A mobile alone finds the existing customer.
    by_mobile = await sdk.leads.create(phone="+13035550103", note="second enquiry")
    assert by_mobile.customer_id == customer_id
    assert by_mobile.lead_number == by_id.lead_number + 1
    # New details make a new customer.
    new = await sdk.leads.create(first_name="Barbara", email="b@example.com", status="on_hold")
    assert new.customer_id != customer_id
    assert server.customers[new.customer_id]["firstName"] == "Barbara"
    await sdk.leads.update(by_id.lead_id, status=LeadStatus.FIRST_CONTACT, assigned_to=["u1"])
    lead = await sdk.leads.get(by_id.lead_id)
    assert lead.status is LeadStatus.FIRST_CONTACT
    assert lead.lead_source == "Online"
    mine = await sdk.leads.list(customer_id=customer_id, limit=100)
    assert {x.lead_id for x in mine} == {by_id.lead_id, by_mobile.lead_id}
    on_hold = await sdk.leads.list(status="on_hold")
    assert [x.lead_id for x in on_hold] == [new.lead_id]
    archived = server.add_lead(customer_id, archived=True)
    with pytest.raises(NotFoundError):
        await sdk.leads.get(archived)
    with pytest.raises(NotFoundError):
        await sdk.leads.update(archived, note="x")
    with pytest.raises(BadRequestError):
        # A mobile the server does not know, and no name to create a customer with.
        await sdk.leads.create(phone="+13035550999")


async def test_messages(sdk: HomebaseClient, server: FakeHomebase) -> None:
    customer_id = server.add_customer(first_name="Alan", phone="+13035550104")
    sent = await sdk.messages.send(mobile_phone="+13035550104", message="See you at 2pm")
    assert sent.customer_id == customer_id
    assert sent.rate_limits
    assert sent.rate_limits.daily_used == 1
    await sdk.messages.send(customer_id=customer_id, media_url="https://example.com/a.jpg")
    stats = await sdk.messages.stats()
    assert stats.usage.daily_used == 2 == server.sms_used_today
    assert [m["message"] for m in server.sms_sent] == ["See you at 2pm", ""]
    with pytest.raises(BadRequestError):
        await sdk.messages.send(customer_id=customer_id, mobile_phone="+13035550199", message="x")


async def test_messages_need_enterprise(server: FakeHomebase) -> None:
    server.enterprise = False
    server.add_customer(first_name="Alan", phone="+13035550104")
    async with HomebaseClient(
        server.api_key, base_url=FAKE_URL, transport=server.transport()
    ) as hb:
        with pytest.raises(PermissionDeniedError):
            await hb.messages.send(mobile_phone="+13035550104", message="Hi")
    assert server.sms_sent == []
