"""Lead creation scenarios, the merge rule, lead numbers, archiving and search."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from _testing_support import ITEM, MOBILE, data, error

from homebase_async.testing import FakeHomebase


async def create(client: httpx.AsyncClient, body: dict[str, Any]) -> dict[str, Any]:
    response = await client.post("/leads", json=body)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = data(response)
    return created


async def test_scenario_1_attaches_to_the_customer_id(
    fake: FakeHomebase, client: httpx.AsyncClient, customer_id: str
) -> None:
    body = {
        "customerId": customer_id,
        "lineItems": [ITEM],
        "note": "monthly",
        "leadSource": "Online",
    }
    created = await create(client, body)
    assert created["customerId"] == customer_id
    lead = fake.leads[created["leadId"]]
    assert lead["customer"] == fake.customers[customer_id]
    assert (lead["status"], lead["note"], lead["leadSource"]) == ("new", "monthly", "Online")
    assert lead["lineItems"] == [{**ITEM, "saveHidden": False}]
    assert len(fake.customers) == 1


async def test_scenario_1_with_an_unknown_customer_is_404(
    fake: FakeHomebase, client: httpx.AsyncClient
) -> None:
    error(await client.post("/leads", json={"customerId": "unknown"}), 404)
    assert fake.leads == {}


async def test_scenario_2_merges_into_the_customer_with_that_mobile(
    fake: FakeHomebase, client: httpx.AsyncClient
) -> None:
    existing = fake.add_customer(
        first_name="John", phone=MOBILE, email="john@example.com", tags=["VIP"], notes=""
    )
    body = {
        "firstName": "Johnny",
        "lastName": "Smith",
        "phone": {"mobile": MOBILE, "home": "+13035551234"},
        "email": ["JOHN@example.com", "js@work.example.com"],
        "tags": ["VIP", "Referral"],
        "notes": "Gate code 1234",
    }
    created = await create(client, body)
    assert created["customerId"] == existing
    customer = fake.customers[existing]
    assert customer["firstName"] == "John"  # never overwritten
    assert customer["lastName"] == "Smith"  # blank, so filled
    assert customer["displayName"] == "John Smith"
    assert customer["phone"]["home"] == "+13035551234"
    assert customer["email"] == ["john@example.com", "js@work.example.com"]
    assert customer["tags"] == ["VIP", "Referral"]
    assert customer["notes"] == "Gate code 1234"
    assert len(fake.customers) == 1


async def test_scenario_2_creates_the_customer_when_no_mobile_matches(
    fake: FakeHomebase, client: httpx.AsyncClient, customer_id: str
) -> None:
    created = await create(client, {"firstName": "Ann", "phone": {"mobile": "+13030000009"}})
    assert created["customerId"] != customer_id
    assert fake.customers[created["customerId"]]["phone"]["mobile"] == "+13030000009"


async def test_scenario_3_creates_a_customer_from_the_details(
    fake: FakeHomebase, client: httpx.AsyncClient, customer_id: str
) -> None:
    created = await create(client, {"lastName": "Doe", "email": ["john.smith@example.com"]})
    assert created["customerId"] != customer_id  # e-mail is no lookup key
    assert fake.customers[created["customerId"]]["displayName"] == "Doe"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": ["a@example.com"]}, "firstName"),
        ({"firstName": "A"}, "contact"),
        ({"firstName": "A", "phone": {"mobile": "+1303"}}, "phone.mobile"),
        ({"customerId": "x", "status": "won"}, "status"),
        ({"customerId": "x", "leadSource": {"online": True}}, "leadSource"),
        ({"customerId": "x", "assignedTo": "emp1"}, "assignedTo"),
        ({"customerId": "x", "lineItems": [{"name": "a"}]}, "lineItems[0].quantity"),
        ({"firstName": "A", "email": "a@example.com"}, "email"),
    ],
)
async def test_create_rejects_with_a_message_naming_the_field(
    fake: FakeHomebase, client: httpx.AsyncClient, body: dict[str, Any], field: str
) -> None:
    assert field in error(await client.post("/leads", json=body), 400)
    assert fake.leads == {}
    assert fake.customers == {}


async def test_lead_numbers_follow_one_sequence_per_business(
    fake: FakeHomebase, client: httpx.AsyncClient, customer_id: str
) -> None:
    fake.add_lead(customer_id, archived=True)
    numbers = [(await create(client, {"customerId": customer_id}))["leadNumber"] for _ in range(3)]
    assert numbers == [2, 3, 4]


async def test_custom_lead_source_is_kept(
    fake: FakeHomebase, client: httpx.AsyncClient, customer_id: str
) -> None:
    created = await create(client, {"customerId": customer_id, "leadSource": "Facebook Ad"})
    assert fake.leads[created["leadId"]]["leadSource"] == "Facebook Ad"


async def test_archived_leads_are_hidden_and_cannot_be_updated(
    fake: FakeHomebase, client: httpx.AsyncClient, customer_id: str
) -> None:
    visible = fake.add_lead(customer_id)
    hidden = fake.add_lead(customer_id, archived=True)
    assert fake.archived_lead_ids == {hidden}
    found = data(await client.get("/leads", params={"customerId": customer_id}))
    assert [lead["leadId"] for lead in found] == [visible]
    assert data(await client.get("/leads", params={"leadId": hidden})) == []
    assert data(await client.get("/leads")) == found
    error(await client.put(f"/leads/{hidden}", json={"status": "on_hold"}), 404)
    assert fake.leads[hidden]["status"] == "new"


async def test_update_replaces_line_items_and_assignees(
    fake: FakeHomebase, client: httpx.AsyncClient, customer_id: str
) -> None:
    lead_id = fake.add_lead(customer_id, line_items=[ITEM], assigned_to=["emp1"], note="n")
    body = {"status": "first_contact", "lineItems": [], "assignedTo": ["emp2", "emp3"]}
    assert data(await client.patch(f"/leads/{lead_id}", json=body)) == {"message": "Lead updated"}
    lead = fake.leads[lead_id]
    assert (lead["status"], lead["lineItems"], lead["assignedTo"], lead["note"]) == (
        "first_contact",
        [],
        ["emp2", "emp3"],
        "n",
    )
    assert "status" in error(await client.put(f"/leads/{lead_id}", json={"status": "x"}), 400)
    error(await client.put("/leads/unknown", json={"note": "x"}), 404)


async def test_search_filters_combine_with_and(
    fake: FakeHomebase, client: httpx.AsyncClient, customer_id: str
) -> None:
    other = fake.add_customer(first_name="B", email="b@example.com")
    mine_new = fake.add_lead(customer_id)
    mine_held = fake.add_lead(customer_id, status="on_hold")
    fake.add_lead(other, status="on_hold")

    async def search(**params: str) -> list[str]:
        return [lead["leadId"] for lead in data(await client.get("/leads", params=params))]

    assert await search(customerId=customer_id, status="on_hold") == [mine_held]
    assert await search(customerId=customer_id) == [mine_new, mine_held]
    assert len(await search(status="on_hold")) == 2
    assert await search(leadId=mine_new, status="on_hold") == []
    assert len(await search(limit="1")) == 1
    assert "status" in error(await client.get("/leads", params={"status": "won"}), 400)
