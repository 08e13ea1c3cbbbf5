"""Issue 18's cases against the fake behind servers that mislead: every write decided on proof.

Each test names the case; each failed on 0.2 (a duplicate or a lost write reported as success).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import PATIENT

from homebase_async import HomebaseClient, ItemChangedError, ValidationError
from homebase_async.testing import FakeHomebase, Faults

START = dt.datetime(2031, 5, 1, 9, tzinfo=dt.UTC)


def _client(fake: FakeHomebase, **kwargs: Any) -> HomebaseClient:
    kwargs.setdefault("transport", fake.transport())
    return HomebaseClient(fake.api_key, base_url=fake.base_url, retry=PATIENT, **kwargs)


def _job(customer_id: str, *, note: str = "", quantity: object = 1) -> dict[str, Any]:
    return {
        "customer_id": customer_id,
        "start": START,
        "end": START + dt.timedelta(hours=1),
        "line_items": [{"name": "Visit", "quantity": quantity, "unit_price": "80.00"}],
        "note": note,
    }


async def test_a_lost_job_among_100_at_its_start_stays_unknown_never_resent() -> None:
    # 0.2 read the capped answer (100 jobs) as "found nowhere" and created the job twice.
    fake = FakeHomebase(seed=1)
    cid = fake.add_customer(first_name="Jo", email="jo@example.com")
    other = fake.add_customer(first_name="Al", email="al@example.com")
    for _ in range(100):
        fake.add_job(other, start=START, end=START + dt.timedelta(hours=2))
    async with _client(fake) as hb:
        fake.set_faults(Faults(drop_after=1.0, paths={"/jobs"}, methods={"POST"}))
        report = await hb.jobs.create_many([_job(cid)], settle_delay=0)
    assert list(report.outcome_unknown) == [0]
    assert "capped" in " ".join(report.outcome_unknown[0].__notes__)
    assert sum(1 for j in fake.jobs.values() if j["customerId"] == cid) == 1


class _LoseSecondPost(httpx.AsyncBaseTransport):
    """The fake behind a network that loses the second create on its way: the server never
    sees it, and the client cannot tell (the connection breaks after sending)."""

    def __init__(self, fake: FakeHomebase, path: str) -> None:
        self.inner = fake.transport()
        self.path = path
        self.posts = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "POST" and request.url.path.endswith(self.path):
            self.posts += 1
            if self.posts == 2:
                raise httpx.ReadError("connection reset after the request was sent")
        return await self.inner.handle_async_request(request)


async def test_identical_customers_never_claim_one_record_twice() -> None:
    # 0.2's settle found the first item's record for the lost second one: both "created" with
    # one id, one customer on the server.
    fake = FakeHomebase(seed=2)
    item = {"first_name": "Ada", "email": "ada@example.com"}
    async with _client(fake, transport=_LoseSecondPost(fake, "/customers")) as hb:
        report = await hb.customers.create_many([item, item], concurrency=1, settle_delay=0)
    assert sorted(report.created) == [0, 1]
    assert len(set(report.created.values())) == 2
    assert sorted(fake.customers) == sorted(report.created.values())


async def test_identical_jobs_never_claim_one_record_twice() -> None:
    fake = FakeHomebase(seed=3)
    cid = fake.add_customer(first_name="Jo", email="jo@example.com")
    async with _client(fake, transport=_LoseSecondPost(fake, "/jobs")) as hb:
        report = await hb.jobs.create_many([_job(cid), _job(cid)], concurrency=1, settle_delay=0)
    assert sorted(report.created) == [0, 1]
    assert len(set(report.created.values())) == 2
    assert sorted(fake.jobs) == sorted(report.created.values())


async def test_two_upsert_items_matching_one_customer_are_both_ambiguous() -> None:
    # 0.2 applied both to one record (Bob's name, Alice's phone), flipping it on every run.
    fake = FakeHomebase(seed=4)
    cid = fake.add_customer(first_name="Bob", email="bob@example.com", phone="+13035550100")
    items = [
        {"first_name": "Bob", "email": "bob@example.com", "notes": "from Bob's row"},
        {"first_name": "Alice", "phone": "+13035550100"},
    ]
    async with _client(fake) as hb:
        fake.reset_log()
        report = await hb.customers.upsert_many(items)
    assert report.ambiguous == {0: [cid], 1: [cid]}
    assert [r for r in fake.requests if r.method in ("POST", "PUT")] == []


async def test_one_item_beyond_what_the_api_stores_fails_alone() -> None:
    # 0.2: a raw OverflowError killed the whole batch.
    fake = FakeHomebase(seed=5)
    cid = fake.add_customer(first_name="Jo", email="jo@example.com")
    items = [_job(cid, note="ok"), _job(cid, note="huge", quantity=10**400)]
    async with _client(fake) as hb:
        report = await hb.jobs.create_many(items)
    assert list(report.created) == [0]
    assert isinstance(report.failed[1], ValidationError)
    assert [j["note"] for j in fake.jobs.values()] == ["ok"]


async def test_an_edited_row_is_updated_on_a_rerun_never_created_twice(tmp_path: Path) -> None:
    # 0.2 keyed journal rows by content: an edited row was a new item, created again.
    fake = FakeHomebase(seed=6)
    journal = tmp_path / "sync.journal"
    rows = [{"first_name": "Ada", "phone": f"+1303555{i:04d}"} for i in range(16)]
    async with _client(fake) as hb:
        first = await hb.customers.upsert_many(rows, journal=journal)
        edited = [{**row, "last_name": "Lovelace"} for row in rows]
        again = await hb.customers.upsert_many(edited, journal=journal)
    assert len(first.created) == 16
    assert sorted(again.updated) == list(range(16))
    assert len(fake.customers) == 16
    assert {c["lastName"] for c in fake.customers.values()} == {"Lovelace"}


async def test_create_many_refuses_a_row_edited_since_it_was_created(tmp_path: Path) -> None:
    fake = FakeHomebase(seed=7)
    journal = tmp_path / "create.journal"
    rows = [{"first_name": "Ada", "email": "ada@example.com"}]
    async with _client(fake) as hb:
        await hb.customers.create_many(rows, journal=journal)
        again = await hb.customers.create_many(
            [{"first_name": "Ada B.", "email": "ada@example.com"}], journal=journal
        )
    assert isinstance(again.failed[0], ItemChangedError)
    assert "first_name" in str(again.failed[0])
    assert len(fake.customers) == 1


async def test_a_sent_row_of_the_wrong_shape_is_unknown_never_resent(tmp_path: Path) -> None:
    import sqlite3

    fake = FakeHomebase(seed=8, sms_daily_limit=100)
    cid = fake.add_customer(first_name="Ada", phone="+13035550100")
    journal = tmp_path / "sms.journal"
    items = [{"customer_id": cid, "message": "hello"}]
    async with _client(fake) as hb:
        await hb.messages.send_many(items, journal=journal)
        with sqlite3.connect(journal) as db:
            db.execute("UPDATE items SET result = ?", (json.dumps(["not", "a", "message"]),))
        again = await hb.messages.send_many(items, journal=journal)
    assert list(again.outcome_unknown) == [0]
    assert "damaged" in str(again.outcome_unknown[0])
    assert len(fake.sms_sent) == 1


async def test_a_damaged_update_row_names_the_update_request(tmp_path: Path) -> None:
    # 0.3.0 reported an upsert's damaged update row under createCustomer: a person checking
    # the journal would look for a create that never was.
    import sqlite3

    fake = FakeHomebase(seed=8)
    fake.add_customer(first_name="Old", email="ada@example.com")
    journal = tmp_path / "upsert.journal"
    items = [{"first_name": "Ada", "email": "ada@example.com"}]
    async with _client(fake) as hb:
        first = await hb.customers.upsert_many(items, journal=journal)
        assert list(first.updated) == [0]
        with sqlite3.connect(journal) as db:
            db.execute("UPDATE items SET result = ?", (json.dumps(["not", "an", "id"]),))
        again = await hb.customers.upsert_many(items, journal=journal)
    assert list(again.outcome_unknown) == [0]
    assert again.outcome_unknown[0].operation == "updateCustomer"
    assert "damaged" in str(again.outcome_unknown[0])
    assert len(fake.customers) == 1


async def test_an_upsert_item_is_validated_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # 0.2 checked each item three times (the method, the batch, then `create(**item)`).
    from homebase_async._resources import _customer_fields

    calls: list[object] = []
    check = _customer_fields.customer_fields

    def counted(**fields: Any) -> dict[str, Any]:
        calls.append(fields)
        return check(**fields)

    monkeypatch.setattr(_customer_fields, "customer_fields", counted)
    fake = FakeHomebase(seed=9)
    fake.add_customer(first_name="Old", email="p0@example.com")
    items = [{"first_name": "Pat", "email": f"p{i}@example.com"} for i in range(5)]
    async with _client(fake) as hb:
        report = await hb.customers.upsert_many(items)
    assert (len(report.created), len(report.updated)) == (4, 1)
    assert len(calls) == 5


async def test_a_job_that_differs_only_by_its_note_is_not_this_items() -> None:
    # Found by the overlap bench: another run's job with the same customer, times and line
    # items but another note was claimed as this lost create's: reported created, never made.
    fake = FakeHomebase(seed=10)
    cid = fake.add_customer(first_name="Jo", email="jo@example.com")
    other = fake.add_job(
        cid,
        start=START,
        end=START + dt.timedelta(hours=1),
        line_items=[{"name": "Visit", "quantity": 1, "unitPrice": "80.00"}],
        note="yesterday's run",
    )
    lose_first = _LoseSecondPost(fake, "/jobs")
    lose_first.posts = 1  # the next POST is the one lost before the server sees it
    async with _client(fake, transport=lose_first) as hb:
        report = await hb.jobs.create_many([_job(cid, note="tonight's run")], settle_delay=0)
    assert report.created.get(0) != other
    assert list(report.outcome_unknown) == [0]  # a job of its customer at its start: not resent
    assert [j["note"] for j in fake.jobs.values()] == ["yesterday's run"]


class _IgnoresDates(httpx.AsyncBaseTransport):
    """The fake behind a server that ignores `startDate`/`endDate` (it answers today's jobs)."""

    def __init__(self, fake: FakeHomebase) -> None:
        self.inner = fake.transport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "GET" and request.url.path.endswith("/jobs"):
            params = [(k, v) for k, v in request.url.params.multi_items() if "Date" not in k]
            url = request.url.copy_with(params=params)
            request = httpx.Request("GET", url, headers=request.headers)
        return await self.inner.handle_async_request(request)


async def test_a_settle_search_the_server_did_not_filter_proves_nothing() -> None:
    # A server answering other jobs than the ones starting at that instant (fewer than 100)
    # looked like a conclusive "not there": the landed job was sent again.
    fake = FakeHomebase(seed=11)
    cid = fake.add_customer(first_name="Jo", email="jo@example.com")
    other = fake.add_customer(first_name="Al", email="al@example.com")
    fake.add_job(other, start=fake.now(), end=fake.now() + dt.timedelta(hours=1), note="today")
    async with _client(fake, transport=_IgnoresDates(fake)) as hb:
        fake.set_faults(Faults(drop_after=1.0, paths={"/jobs"}, methods={"POST"}))
        report = await hb.jobs.create_many([_job(cid, note="next month")], settle_delay=0)
    assert list(report.outcome_unknown) == [0]
    assert sorted(j["note"] for j in fake.jobs.values()) == ["next month", "today"]


class _IgnoresIdentifiers(httpx.AsyncBaseTransport):
    """The fake behind a server that ignores `identifiers`: it answers one other customer."""

    def __init__(self, fake: FakeHomebase, answer: str) -> None:
        self.inner = fake.transport()
        self.answer = answer

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "GET" and "identifiers" in request.url.params:
            url = request.url.copy_with(params={"customerId": self.answer})
            request = httpx.Request("GET", url, headers=request.headers)
        return await self.inner.handle_async_request(request)


async def test_a_lookup_answered_with_customers_it_did_not_ask_for_proves_nothing() -> None:
    # A server answering other customers than the identifiers asked looked like "no match":
    # upsert created a customer that existed.
    fake = FakeHomebase(seed=12)
    first = fake.add_customer(first_name="Al", email="al@example.com")
    fake.add_customer(first_name="Ada", email="ada@example.com")
    async with _client(fake, transport=_IgnoresIdentifiers(fake, first)) as hb:
        report = await hb.customers.upsert_many([{"first_name": "Ada", "email": "ada@example.com"}])
    assert list(report.failed) == [0]
    assert "none of the identifiers" in str(report.failed[0])
    assert len(fake.customers) == 2
