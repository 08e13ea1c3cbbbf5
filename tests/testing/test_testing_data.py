"""List order, direct data access, and populate()."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

import httpx
import pytest
from _testing_support import ITEM, MOBILE, NOW, client_for, data

from homebase_async.testing import FakeHomebase, Populated


async def job_ids(fake: FakeHomebase, **params: str) -> list[str]:
    async with client_for(fake) as client:
        found = data(await client.get("/jobs", params=params))
    return [job["jobId"] for job in found]


def fake_with_jobs(order: str, seed: int = 0, count: int = 30) -> tuple[FakeHomebase, list[str]]:
    fake = FakeHomebase(order=order, seed=seed, now=NOW)  # type: ignore[arg-type]
    customer = fake.add_customer(first_name="A", phone=MOBILE)
    ids = [fake.add_job(customer, start=NOW + timedelta(minutes=n)) for n in range(count)]
    return fake, ids


WINDOW = {"startDate": "2024-01-01T00:00:00Z", "endDate": "2024-02-01T00:00:00Z"}


class TestOrder:
    async def test_stable_is_insertion_order(self) -> None:
        fake, ids = fake_with_jobs("stable")
        assert await job_ids(fake, **WINDOW, limit="10") == ids[:10]

    async def test_random_is_shuffled_and_seeded(self) -> None:
        fake, ids = fake_with_jobs("random", seed=7)
        first = await job_ids(fake, **WINDOW)
        assert sorted(first) == sorted(ids)
        assert first != ids
        again, _ = fake_with_jobs("random", seed=7)
        assert await job_ids(again, **WINDOW) == first

    async def test_random_with_a_limit_picks_any_subset(self) -> None:
        fake, ids = fake_with_jobs("random", count=100)
        picks = [await job_ids(fake, **WINDOW, limit="10") for _ in range(5)]
        assert all(len(set(pick)) == 10 and set(pick) <= set(ids) for pick in picks)
        assert {tuple(pick) for pick in picks} != {tuple(ids[:10])}
        assert len({frozenset(pick) for pick in picks}) > 1

    async def test_random_order_applies_to_customers_and_leads(self) -> None:
        fake = FakeHomebase(now=NOW)
        customers = [fake.add_customer(first_name="A", email=f"a{n}@x.com") for n in range(20)]
        leads = [fake.add_lead(customers[0]) for _ in range(20)]
        async with client_for(fake) as client:
            params = {"identifiers": ",".join(customers), "limit": "100"}
            found = [c["customerId"] for c in data(await client.get("/customers", params=params))]
            lead_found = [lead["leadId"] for lead in data(await client.get("/leads"))]
        assert sorted(found) == sorted(customers)
        assert found != customers
        assert sorted(lead_found) == sorted(leads)
        assert lead_found != leads

    def test_unknown_order_is_refused(self) -> None:
        with pytest.raises(ValueError, match="order"):
            FakeHomebase(order="sorted")  # type: ignore[arg-type]


class TestDirectAccess:
    def test_added_records_are_readable_copies(self, fake: FakeHomebase) -> None:
        customer = fake.add_customer(first_name="A", phone={"mobile": MOBILE}, tags=["VIP"])
        fake.customers[customer]["tags"].append("changed")
        assert fake.customers[customer]["tags"] == ["VIP"]
        assert list(fake.customers) == [customer]
        assert len(fake.customers) == 1

    def test_add_job_defaults(self, fake: FakeHomebase) -> None:
        customer = fake.add_customer(first_name="A", phone=MOBILE)
        job = fake.jobs[fake.add_job(customer, start=NOW)]
        assert job["end"] == "2024-01-15T16:30:00.000Z"
        assert job["jobTotal"] == 160.5
        assert job["lineItems"] == [{**ITEM, "saveHidden": False}]

    def test_direct_adds_check_shapes(self, fake: FakeHomebase) -> None:
        with pytest.raises(ValueError, match=r"phone\.mobile"):
            fake.add_customer(first_name="A", phone="12")
        customer = fake.add_customer(first_name="A", phone=MOBILE)
        with pytest.raises(ValueError, match="quantity"):
            fake.add_job(customer, start=NOW, line_items=[{**ITEM, "quantity": "1"}])
        with pytest.raises(ValueError, match="customer"):
            fake.add_job("unknown", start=NOW)
        with pytest.raises(ValueError, match="status"):
            fake.add_lead(customer, status="won")
        with pytest.raises(ValueError, match="timezone"):
            fake.add_job(customer, start=datetime(2024, 1, 1))

    def test_ids_are_deterministic_for_a_seed(self) -> None:
        def ids(seed: int) -> list[str]:
            fake = FakeHomebase(seed=seed)
            customer = fake.add_customer(first_name="A", phone=MOBILE)
            return [customer, fake.add_job(customer, start=NOW), fake.add_lead(customer)]

        assert ids(1) == ids(1)
        assert ids(1) != ids(2)


class TestPopulate:
    @pytest.fixture
    def made(self, fake: FakeHomebase) -> Populated:
        start = datetime(2024, 1, 1, tzinfo=UTC)
        return fake.populate(
            customers=200, jobs=2000, leads=100, start=start, end=start + timedelta(days=28)
        )

    def test_counts_and_ids(self, fake: FakeHomebase, made: Populated) -> None:
        assert (len(made.customer_ids), len(made.job_ids), len(made.lead_ids)) == (200, 2000, 100)
        assert (len(fake.customers), len(fake.jobs), len(fake.leads)) == (200, 2000, 100)

    def test_customers_are_realistic(self, fake: FakeHomebase, made: Populated) -> None:
        mobiles = [fake.customers[c]["phone"]["mobile"] for c in made.customer_ids]
        assert all(re.fullmatch(r"\+1[2-9]\d{2}[2-9]\d{6}", mobile) for mobile in mobiles)
        assert len(set(mobiles)) == len(mobiles)
        for customer_id in made.customer_ids:
            customer = fake.customers[customer_id]
            assert customer["displayName"]
            assert all(re.fullmatch(r"[\w.]+@[\w.]+\.\w+", email) for email in customer["email"])
            assert 1 <= len(customer["email"]) <= 2
            assert len(customer["address"]) == 1

    def test_jobs_are_realistic(self, fake: FakeHomebase, made: Populated) -> None:
        taxed = 0
        for job_id in made.job_ids:
            job = fake.jobs[job_id]
            assert job["customerId"] in fake.customers
            assert "2024-01-01" <= job["start"] < "2024-01-29"
            assert job["start"] < job["end"]
            minute = int(job["start"][14:16])
            assert job["start"].endswith(":00.000Z")
            assert 0 <= minute < 60
            total = sum(
                (
                    Decimal(str(item["quantity"]))
                    * Decimal(item["unitPrice"])
                    * (1 + Decimal(item.get("taxRate", {}).get("rate", "0")) / 100)
                    for item in job["lineItems"]
                ),
                Decimal(0),
            )
            assert job["jobTotal"] == float(total.quantize(Decimal("0.01"), ROUND_HALF_UP))
            taxed += any("taxRate" in item for item in job["lineItems"])
        assert taxed > 1000
        busiest = Counter(fake.jobs[j]["start"] for j in made.job_ids).most_common(1)[0][1]
        assert 1 < busiest < 20  # collisions happen, but not a pile-up

    def test_is_deterministic(self) -> None:
        def snapshot(seed: int) -> list[str]:
            fake = FakeHomebase(now=NOW)
            made = fake.populate(customers=5, jobs=20, leads=5, seed=seed)
            return [fake.jobs[j]["start"] for j in made.job_ids] + list(made.customer_ids)

        assert snapshot(1) == snapshot(1)
        assert snapshot(1) != snapshot(2)

    def test_bursty_concentrates_jobs_in_a_few_weeks(self, fake: FakeHomebase) -> None:
        start = datetime(2024, 1, 1, tzinfo=UTC)
        made = fake.populate(
            customers=10,
            jobs=4000,
            start=start,
            end=start + timedelta(days=84),
            distribution="bursty",
        )
        weeks = Counter(
            (datetime.fromisoformat(fake.jobs[j]["start"]) - start).days // 7 for j in made.job_ids
        )
        top_three = sum(count for _, count in weeks.most_common(3))
        assert top_three > 0.75 * 4000

    def test_default_window_is_around_now(self, fake: FakeHomebase) -> None:
        made = fake.populate(customers=3, jobs=50)
        low = (NOW - timedelta(days=31)).isoformat()
        high = (NOW + timedelta(days=31)).isoformat()
        assert all(low <= fake.jobs[j]["start"] <= high for j in made.job_ids)

    def test_jobs_need_customers(self, fake: FakeHomebase) -> None:
        with pytest.raises(ValueError, match="customers"):
            fake.populate(jobs=1)

    async def test_populated_jobs_are_searchable(self, fake: FakeHomebase, made: Populated) -> None:
        found = await job_ids(
            fake, startDate="2024-01-01T00:00:00Z", endDate="2024-01-29T00:00:00Z", limit="100"
        )
        assert len(found) == 100


async def test_http_client_sees_populated_data(fake: FakeHomebase) -> None:
    fake.populate(customers=3, leads=3)
    async with httpx.AsyncClient(
        transport=fake.transport(), base_url=fake.base_url, headers={"x-api-key": "test-key"}
    ) as client:
        assert len(data(await client.get("/leads"))) == 3
