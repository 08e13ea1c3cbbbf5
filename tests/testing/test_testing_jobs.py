"""Job creation, update and date-window search rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from _testing_support import ITEM, NOW, client_for, data, error

from homebase_async.testing import FakeHomebase


def job_body(customer_id: str, **changes: Any) -> dict[str, Any]:
    body = {
        "customerId": customer_id,
        "start": "2023-05-15T14:30:00Z",
        "end": "2023-05-15T16:30:00Z",
        "lineItems": [ITEM],
        "note": "Please call customer before arrival",
    }
    body.update(changes)
    return body


async def test_create_stores_the_job(
    fake: FakeHomebase, client: httpx.AsyncClient, customer_id: str
) -> None:
    response = await client.post("/jobs", json=job_body(customer_id))
    assert response.status_code == 201
    job = fake.jobs[data(response)["jobId"]]
    assert job["customerId"] == customer_id
    assert job["customer"] == fake.customers[customer_id]
    assert job["businessId"] == fake.business_id
    assert (job["start"], job["end"]) == ("2023-05-15T14:30:00.000Z", "2023-05-15T16:30:00.000Z")
    assert job["jobTotal"] == 160.5
    assert job["lineItems"] == [{**ITEM, "saveHidden": False}]
    assert (job["timezone"], job["isRecurring"]) == ("UTC", False)
    assert fake.customers[customer_id]["lastJob"] == job["start"]


async def test_offsets_are_accepted_and_sent_back_in_utc(
    fake: FakeHomebase, client: httpx.AsyncClient, customer_id: str
) -> None:
    body = job_body(customer_id, start="2023-05-15T08:30:00-06:00", end="2023-05-15T16:30:00Z")
    job = fake.jobs[data(await client.post("/jobs", json=body))["jobId"]]
    assert job["start"] == "2023-05-15T14:30:00.000Z"


@pytest.mark.parametrize(
    ("items", "total"),
    [
        ([{"name": "a", "quantity": 1, "unitPrice": "150.00"}], 150.0),
        ([{"name": "a", "quantity": 3, "unitPrice": "0.335", "taxRate": {"rate": "0"}}], 1.01),
        ([{"name": "a", "quantity": 1, "unitPrice": "10.00", "taxRate": {"rate": "8.25"}}], 10.83),
        (
            [
                {"name": "a", "quantity": 2, "unitPrice": "19.99", "taxRate": {"rate": "7.5"}},
                {"name": "b", "quantity": 1.5, "unitPrice": "-5.00"},
            ],
            35.48,
        ),
    ],
)
async def test_job_total_includes_tax_rounded_to_cents(
    fake: FakeHomebase,
    client: httpx.AsyncClient,
    customer_id: str,
    items: list[dict[str, Any]],
    total: float,
) -> None:
    response = await client.post("/jobs", json=job_body(customer_id, lineItems=items))
    assert fake.jobs[data(response)["jobId"]]["jobTotal"] == total


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"customerId": None}, "customerId"),
        ({"start": None}, "start"),
        ({"start": "2023-05-15"}, "start"),
        ({"end": "2023-05-15T16:30:00"}, "end"),
        ({"end": "soon"}, "end"),
        ({"end": "2023-05-15T14:30:00Z"}, "end must be after start"),
        ({"lineItems": []}, "lineItems"),
        ({"lineItems": None}, "lineItems"),
        ({"lineItems": [{"quantity": 1, "unitPrice": "1.00"}]}, "lineItems[0].name"),
        ({"lineItems": [{**ITEM, "quantity": "1"}]}, "lineItems[0].quantity"),
        ({"lineItems": [{**ITEM, "quantity": -1}]}, "lineItems[0].quantity"),
        ({"lineItems": [ITEM, {**ITEM, "unitPrice": 150}]}, "lineItems[1].unitPrice"),
        ({"lineItems": [{**ITEM, "unitPrice": "1,50"}]}, "lineItems[0].unitPrice"),
        ({"lineItems": [{**ITEM, "taxRate": {"rate": 7}}]}, "lineItems[0].taxRate.rate"),
        ({"leadSource": 5}, "leadSource"),
        ({"note": 5}, "note"),
    ],
)
async def test_create_rejects_with_a_message_naming_the_field(
    fake: FakeHomebase,
    client: httpx.AsyncClient,
    customer_id: str,
    changes: dict[str, Any],
    field: str,
) -> None:
    body = job_body(customer_id, **changes)
    for name, value in changes.items():
        if value is None:
            del body[name]
    assert field in error(await client.post("/jobs", json=body), 400)
    assert fake.jobs == {}


async def test_create_for_an_unknown_customer_is_404(client: httpx.AsyncClient) -> None:
    error(await client.post("/jobs", json=job_body("unknown")), 404)


async def test_legacy_lead_source_object_is_accepted(
    fake: FakeHomebase, client: httpx.AsyncClient, customer_id: str
) -> None:
    source = {"online": True, "referral": False, "salesPerson": None}
    response = await client.post("/jobs", json=job_body(customer_id, leadSource=source))
    assert fake.jobs[data(response)["jobId"]]["leadSource"] == source


async def test_update_changes_start_end_and_note(
    fake: FakeHomebase, client: httpx.AsyncClient, customer_id: str
) -> None:
    job_id = fake.add_job(customer_id, start="2023-05-15T14:30:00Z")
    body = {"start": "2023-05-16T15:00:00Z", "end": "2023-05-16T17:00:00Z", "note": "later"}
    assert data(await client.patch(f"/jobs/{job_id}", json=body)) == {"message": "Job updated"}
    job = fake.jobs[job_id]
    assert (job["start"], job["end"], job["note"]) == (
        "2023-05-16T15:00:00.000Z",
        "2023-05-16T17:00:00.000Z",
        "later",
    )
    window = {"startDate": "2023-05-16T00:00:00Z", "endDate": "2023-05-16T23:59:59Z"}
    assert [found["jobId"] for found in data(await client.get("/jobs", params=window))] == [job_id]


async def test_update_must_keep_end_after_start(
    fake: FakeHomebase, client: httpx.AsyncClient, customer_id: str
) -> None:
    job_id = fake.add_job(customer_id, start="2023-05-15T14:30:00Z")
    response = await client.put(f"/jobs/{job_id}", json={"start": "2023-05-15T18:00:00Z"})
    assert "end" in error(response, 400)
    error(await client.put("/jobs/unknown", json={"note": "x"}), 404)


class TestSearch:
    @pytest.fixture
    def ids(self, fake: FakeHomebase, customer_id: str) -> list[str]:
        starts = ["2023-05-14T23:59:59Z", "2023-05-15T00:00:00Z", "2023-05-15T23:59:59Z"]
        starts.append("2023-05-16T00:00:00Z")
        return [fake.add_job(customer_id, start=start) for start in starts]

    async def search(self, client: httpx.AsyncClient, **params: str) -> list[str]:
        return [job["jobId"] for job in data(await client.get("/jobs", params=params))]

    async def test_window_is_inclusive_on_start(
        self, client: httpx.AsyncClient, ids: list[str]
    ) -> None:
        window = {"startDate": "2023-05-15T00:00:00Z", "endDate": "2023-05-15T23:59:59Z"}
        assert await self.search(client, **window) == ids[1:3]

    async def test_open_ended_windows(self, client: httpx.AsyncClient, ids: list[str]) -> None:
        assert await self.search(client, startDate="2023-05-15T23:59:59Z") == ids[2:]
        assert await self.search(client, endDate="2023-05-15T00:00:00+00:00") == ids[:2]

    async def test_window_compares_instants(
        self, client: httpx.AsyncClient, ids: list[str]
    ) -> None:
        window = {"startDate": "2023-05-14T18:00:00-06:00", "endDate": "2023-05-14T18:00:00-06:00"}
        assert await self.search(client, **window) == [ids[1]]

    async def test_job_id(self, client: httpx.AsyncClient, ids: list[str]) -> None:
        assert await self.search(client, jobId=ids[3]) == [ids[3]]
        assert await self.search(client, jobId="unknown") == []

    async def test_bad_dates_are_400(self, client: httpx.AsyncClient) -> None:
        assert "startDate" in error(await client.get("/jobs", params={"startDate": "x"}), 400)
        assert "endDate" in error(await client.get("/jobs", params={"endDate": "2023-05-15"}), 400)

    async def test_limit_defaults_to_50(
        self, fake: FakeHomebase, client: httpx.AsyncClient, customer_id: str
    ) -> None:
        for _ in range(60):
            fake.add_job(customer_id, start="2030-01-01T10:00:00Z")
        assert len(await self.search(client, startDate="2030-01-01T00:00:00Z")) == 50
        assert len(await self.search(client, startDate="2030-01-01T00:00:00Z", limit="100")) == 60


@pytest.mark.parametrize(
    ("timezone", "expected"),
    [("UTC", ["a", "b", "c"]), ("America/Denver", ["c", "d"])],
)
async def test_no_criteria_gives_today_in_the_configured_timezone(
    timezone: str, expected: list[str]
) -> None:
    # NOW is 2024-01-15 14:30 UTC: today is [15th 00:00Z, 16th 00:00Z) in UTC and
    # [15th 07:00Z, 16th 07:00Z) in Denver (UTC-7 in January).
    fake = FakeHomebase(order="stable", now=NOW, timezone=timezone)
    customer = fake.add_customer(first_name="A", email="a@example.com")
    starts = {
        "a": datetime(2024, 1, 15, 6, 59, tzinfo=UTC),
        "b": datetime(2024, 1, 15, 0, 0, tzinfo=UTC),
        "c": datetime(2024, 1, 15, 12, 0, tzinfo=UTC),
        "d": datetime(2024, 1, 16, 6, 59, tzinfo=UTC),
        "e": NOW + timedelta(days=2),
    }
    names = {fake.add_job(customer, start=start): name for name, start in starts.items()}
    async with client_for(fake) as client:
        found = data(await client.get("/jobs"))
    assert sorted(names[job["jobId"]] for job in found) == expected
    assert all(job["timezone"] == timezone for job in found)


async def test_jobs_show_the_customer_as_it_is_now(
    fake: FakeHomebase, client: httpx.AsyncClient, customer_id: str
) -> None:
    job_id = fake.add_job(customer_id, start="2023-05-15T14:30:00Z")
    await client.put(f"/customers/{customer_id}", json={"firstName": "Jack"})
    found = data(await client.get("/jobs", params={"jobId": job_id}))
    assert found[0]["customer"]["displayName"] == "Jack Smith"


async def test_window_search_matches_a_brute_force_scan(
    fake: FakeHomebase, client: httpx.AsyncClient
) -> None:
    start = datetime(2024, 1, 1, tzinfo=UTC)
    made = fake.populate(customers=50, jobs=3000, start=start, end=start + timedelta(days=10))
    jobs = fake.jobs
    low, high = "2024-01-03T12:00:00.000Z", "2024-01-03T15:00:00.000Z"
    expected = [job_id for job_id in made.job_ids if low <= jobs[job_id]["start"] <= high]
    assert 0 < len(expected) <= 100
    window = {"startDate": low, "endDate": high, "limit": "100"}
    found = data(await client.get("/jobs", params=window))
    assert sorted(job["jobId"] for job in found) == sorted(expected)
    starts = [job["start"] for job in found]
    assert starts == sorted(starts)  # the stable order: by start, then insertion
