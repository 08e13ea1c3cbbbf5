"""Customer creation, update and search rules."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from _testing_support import MOBILE, data, error

from homebase_async.testing import FakeHomebase


async def create(client: httpx.AsyncClient, body: dict[str, Any]) -> httpx.Response:
    return await client.post("/customers", json=body)


async def test_create_stores_the_customer_in_api_shape(
    fake: FakeHomebase, client: httpx.AsyncClient
) -> None:
    response = await create(
        client, {"firstName": "John", "lastName": "Smith", "phone": {"mobile": MOBILE}}
    )
    assert response.status_code == 201
    customer_id = data(response)["customerId"]
    assert len(customer_id) == 20
    assert customer_id.isalnum()
    assert fake.customers[customer_id] == {
        "customerId": customer_id,
        "businessId": fake.business_id,
        "firstName": "John",
        "lastName": "Smith",
        "displayName": "John Smith",
        "phone": {"mobile": MOBILE, "home": "", "work": "", "additional": ""},
        "email": [],
        "address": [],
        "notifications": True,
        "notes": "",
        "tags": [],
        "attachments": [],
        "dateAdded": "2024-01-15T14:30:00.000Z",
        "lastUpdated": "2024-01-15T14:30:00.000Z",
    }


async def test_create_splits_string_forms(fake: FakeHomebase, client: httpx.AsyncClient) -> None:
    body = {
        "lastName": "Smith",
        "email": "a@example.com; b@example.com",
        "address": "1 Main St, Denver*2 Oak St, Boulder",
        "tags": "VIP,Referral;Repeat*Commercial",
    }
    customer = fake.customers[data(await create(client, body))["customerId"]]
    assert customer["email"] == ["a@example.com", "b@example.com"]
    assert customer["address"] == ["1 Main St, Denver", "2 Oak St, Boulder"]
    assert customer["tags"] == ["VIP", "Referral", "Repeat", "Commercial"]
    assert customer["displayName"] == "Smith"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"phone": {"mobile": MOBILE}}, "firstName"),
        ({"firstName": " ", "email": ["a@example.com"]}, "firstName"),
        ({"firstName": "A"}, "contact"),
        ({"firstName": "A", "phone": {"mobile": ""}}, "contact"),
        ({"firstName": "A", "phone": {"mobile": "3038284444"}}, "phone.mobile"),
        ({"firstName": "A", "phone": {"home": "+44207946000"}}, "phone.home"),
        ({"firstName": "A", "phone": {"mobile": 3038284444}}, "phone.mobile"),
        ({"firstName": "A", "phone": "+13038284444"}, "phone"),
        ({"firstName": "A", "email": "a@x.com,b@x.com,c@x.com"}, "email"),
        ({"firstName": "A", "email": ["a@x.com"], "address": ["1", "2", "3"]}, "address"),
        ({"firstName": 5, "email": ["a@x.com"]}, "firstName"),
        ({"firstName": "A", "email": ["a@x.com"], "notifications": "yes"}, "notifications"),
        ({"firstName": "A", "email": ["a@x.com"], "tags": [1]}, "tags"),
    ],
)
async def test_create_rejects_with_a_message_naming_the_field(
    fake: FakeHomebase, client: httpx.AsyncClient, body: dict[str, Any], field: str
) -> None:
    assert field in error(await create(client, body), 400)
    assert fake.customers == {}


async def test_extra_phone_keys_are_kept(fake: FakeHomebase, client: httpx.AsyncClient) -> None:
    body = {"firstName": "A", "phone": {"mobile": MOBILE, "office": "ext. 12"}}
    customer = fake.customers[data(await create(client, body))["customerId"]]
    assert customer["phone"]["office"] == "ext. 12"


async def test_update_changes_only_the_fields_sent(
    fake: FakeHomebase, client: httpx.AsyncClient, customer_id: str
) -> None:
    body = {"lastName": "Smith Updated", "phone": {"home": "+13035551234"}, "tags": ["VIP"]}
    response = await client.put(f"/customers/{customer_id}", json=body)
    assert data(response) == {"message": "Customer updated"}
    customer = fake.customers[customer_id]
    assert customer["displayName"] == "John Smith Updated"
    assert customer["phone"]["mobile"] == MOBILE
    assert customer["phone"]["home"] == "+13035551234"
    assert customer["email"] == ["john.smith@example.com"]
    assert customer["tags"] == ["VIP"]


async def test_update_arrays_replace_and_accept_no_string_forms(
    fake: FakeHomebase, client: httpx.AsyncClient, customer_id: str
) -> None:
    url = f"/customers/{customer_id}"
    await client.put(url, json={"email": ["new@example.com"]})
    assert fake.customers[customer_id]["email"] == ["new@example.com"]
    assert "email" in error(await client.put(url, json={"email": "x@example.com"}), 400)


async def test_update_of_an_unknown_customer_is_404(client: httpx.AsyncClient) -> None:
    error(await client.put("/customers/unknown", json={"notes": "x"}), 404)


async def test_update_reindexes_the_customer(client: httpx.AsyncClient, customer_id: str) -> None:
    await client.put(f"/customers/{customer_id}", json={"phone": {"mobile": "+13030000000"}})
    assert data(await client.get("/customers", params={"phone": MOBILE})) == []
    found = data(await client.get("/customers", params={"phone": "+13030000000"}))
    assert [customer["customerId"] for customer in found] == [customer_id]


class TestSearch:
    @pytest.fixture
    def ids(self, fake: FakeHomebase) -> list[str]:
        return [
            fake.add_customer(first_name="A", phone="+13030000001", email="a@example.com"),
            fake.add_customer(
                first_name="B", phone={"mobile": "", "work": "+13030000002"}, email="B@Example.com"
            ),
            fake.add_customer(first_name="C", phone="+13030000003", email="c@example.com"),
        ]

    async def search(self, client: httpx.AsyncClient, **params: str) -> list[str]:
        found = data(await client.get("/customers", params=params))
        return [customer["customerId"] for customer in found]

    async def test_no_criteria_finds_nothing(
        self, client: httpx.AsyncClient, ids: list[str]
    ) -> None:
        assert await self.search(client) == []
        assert await self.search(client, limit="100") == []

    async def test_criteria_combine_with_or(
        self, client: httpx.AsyncClient, ids: list[str]
    ) -> None:
        found = await self.search(client, customerId=ids[0], phone="+13030000003", email="nope")
        assert sorted(found) == sorted([ids[0], ids[2]])

    async def test_phone_matches_any_phone_key(
        self, client: httpx.AsyncClient, ids: list[str]
    ) -> None:
        assert await self.search(client, phone="+13030000002") == [ids[1]]

    async def test_email_is_case_insensitive(
        self, client: httpx.AsyncClient, ids: list[str]
    ) -> None:
        assert await self.search(client, email="b@EXAMPLE.com") == [ids[1]]

    async def test_identifiers_mix_ids_phones_and_emails(
        self, client: httpx.AsyncClient, ids: list[str]
    ) -> None:
        found = await self.search(client, identifiers=f"{ids[0]},+13030000002, C@example.com,x")
        assert found == ids

    async def test_a_raw_plus_decoded_as_a_space_still_matches(
        self, client: httpx.AsyncClient, ids: list[str]
    ) -> None:
        # A client that forgets to encode `+` as %2B sends it raw; it decodes to a space.
        response = await client.get("/customers?phone=+13030000001")
        assert [customer["customerId"] for customer in data(response)] == [ids[0]]
        response = await client.get(f"/customers?identifiers={ids[2]},+13030000002")
        assert sorted(c["customerId"] for c in data(response)) == sorted([ids[1], ids[2]])

    async def test_at_most_100_identifiers(self, client: httpx.AsyncClient, ids: list[str]) -> None:
        assert len(await self.search(client, identifiers=",".join(["x"] * 100))) == 0
        response = await client.get("/customers", params={"identifiers": ",".join(["x"] * 101)})
        assert "identifiers" in error(response, 400)

    async def test_limit_caps_the_result(self, client: httpx.AsyncClient, ids: list[str]) -> None:
        found = await self.search(client, identifiers=",".join(ids), limit="2")
        assert found == ids[:2]

    async def test_default_limit_is_25(self, fake: FakeHomebase, client: httpx.AsyncClient) -> None:
        added = [fake.add_customer(first_name="X", email=f"x{n}@example.com") for n in range(30)]
        assert len(await self.search(client, identifiers=",".join(added))) == 25


async def test_search_scales_with_indexes(fake: FakeHomebase, client: httpx.AsyncClient) -> None:
    made = fake.populate(customers=10_000)
    mobiles = [fake.customers[found]["phone"]["mobile"] for found in made.customer_ids[-100:]]
    response = await client.get(
        "/customers", params={"identifiers": ",".join(mobiles), "limit": 100}
    )
    assert sorted(c["customerId"] for c in data(response)) == sorted(made.customer_ids[-100:])


async def test_update_bumps_last_updated_only(
    fake: FakeHomebase, client: httpx.AsyncClient, customer_id: str
) -> None:
    fake.set_now(datetime(2024, 2, 1, 9, 0, tzinfo=UTC))
    await client.patch(f"/customers/{customer_id}", json={"notes": "later"})
    customer = fake.customers[customer_id]
    assert customer["dateAdded"] == "2024-01-15T14:30:00.000Z"
    assert customer["lastUpdated"] == "2024-02-01T09:00:00.000Z"
