"""Every public argument is checked before any request: a ValidationError naming the field.

Each case runs against a transport that records every request it sees; a case passes only
when the call raises ValidationError with the expected `.field` and nothing reached it.
"""

from __future__ import annotations

import datetime as dt
import inspect
import math
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest

from homebase_async import HomebaseClient, ValidationError

Call = Callable[[HomebaseClient], Any]

START = "2025-06-02T14:00:00Z"
END = "2025-06-02T16:00:00Z"
ITEM = {"name": "Window Cleaning", "quantity": 1, "unitPrice": "150.00"}
EAST = dt.timezone(dt.timedelta(hours=5))
WEST = dt.timezone(dt.timedelta(hours=-5))


def _job(**changes: Any) -> Call:
    args: dict[str, Any] = {
        "customer_id": "c1",
        "start": START,
        "end": END,
        "line_items": [ITEM],
        **changes,
    }
    return lambda hb: hb.jobs.create(**args)


def _item(**changes: Any) -> Call:
    return _job(line_items=[{**ITEM, **changes}])


def _customer(**changes: Any) -> Call:
    args = {"first_name": "Ada", "email": "ada@example.com", **changes}
    return lambda hb: hb.customers.create(**args)


def _send(**changes: Any) -> Call:
    args = {"mobile_phone": "+13035550100", "message": "Hello", **changes}
    return lambda hb: hb.messages.send(**args)


CASES: list[tuple[str, Call, str]] = [
    # customers
    ("create email=123", _customer(email=123), "email"),
    ("create email=[None]", _customer(email=[None]), "email"),
    ("create address=5", _customer(address=5), "address"),
    ("create tags=7", _customer(tags=7), "tags"),
    ("create tags=[1]", _customer(tags=[1]), "tags"),
    ("create notes=123", _customer(notes=123), "notes"),
    ("create notifications='yes'", _customer(notifications="yes"), "notifications"),
    ("create first_name=5", _customer(first_name=5), "first_name"),
    ("create phone=5", _customer(phone=5), "phone"),
    ("create phone='12'", _customer(phone="12"), "phone.mobile"),
    ("create no contact", lambda hb: hb.customers.create(first_name="Ada"), "phone"),
    ("search email=1MB", lambda hb: hb.customers.search(email="a" * 1_000_000), "email"),
    (
        "search customer_id=300",
        lambda hb: hb.customers.search(customer_id="x" * 300),
        "customer_id",
    ),
    ("search phone='abc'", lambda hb: hb.customers.search(phone="abc"), "phone"),
    ("search identifiers=5", lambda hb: hb.customers.search(identifiers=5), "identifiers"),
    (
        "search identifiers=[None]",
        lambda hb: hb.customers.search(identifiers=[None]),
        "identifiers",
    ),
    (
        "search identifiers long",
        lambda hb: hb.customers.search(identifiers=["a" * 255]),
        "identifiers",
    ),
    (
        "search identifiers bad phone",
        lambda hb: hb.customers.search(identifiers=["555-0100"]),
        "identifiers",
    ),
    ("search limit=0", lambda hb: hb.customers.search(email="a@x.com", limit=0), "limit"),
    ("search limit=nan", lambda hb: hb.customers.search(email="a@x.com", limit=math.nan), "limit"),
    ("search limit=True", lambda hb: hb.customers.search(email="a@x.com", limit=True), "limit"),
    ("get None", lambda hb: hb.customers.get(None), "customer_id"),
    ("get 1 KB", lambda hb: hb.customers.get("x" * 1000), "customer_id"),
    ("update notes=123", lambda hb: hb.customers.update("c1", notes=123), "notes"),
    ("update id=..", lambda hb: hb.customers.update("..", notes="x"), "customer_id"),
    ("update long id", lambda hb: hb.customers.update("x" * 300, notes="x"), "customer_id"),
    ("update nothing", lambda hb: hb.customers.update("c1"), "customer_id"),
    ("lookup None", lambda hb: hb.customers.lookup(None), "identifiers"),
    ("lookup 5", lambda hb: hb.customers.lookup(5), "identifiers"),
    ("lookup one string", lambda hb: hb.customers.lookup("ada@example.com"), "identifiers"),
    (
        "lookup concurrency=0",
        lambda hb: hb.customers.lookup(["a@x.com"], concurrency=0),
        "concurrency",
    ),
    ("create_many None", lambda hb: hb.customers.create_many(None), "items"),
    ("create_many 'abc'", lambda hb: hb.customers.create_many("abc"), "items"),
    ("create_many a dict", lambda hb: hb.customers.create_many({"first_name": "A"}), "items"),
    # jobs
    ("job line_items=None", _job(line_items=None), "line_items"),
    ("job line_items=5", _job(line_items=5), "line_items"),
    ("job line_items=[]", _job(line_items=[]), "line_items"),
    ("job one item", _job(line_items=ITEM), "line_items"),
    ("job quantity=-1", _item(quantity=-1), "line_items[0].quantity"),
    ("job quantity=nan", _item(quantity=math.nan), "line_items[0].quantity"),
    ("job quantity=inf", _item(quantity=math.inf), "line_items[0].quantity"),
    ("job quantity='2'", _item(quantity="2"), "line_items[0].quantity"),
    ("job unitPrice='abc'", _item(unitPrice="abc"), "line_items[0].unit_price"),
    ("job unitPrice=nan", _item(unitPrice=math.nan), "line_items[0].unit_price"),
    (
        "job negative tax",
        _item(taxRate={"name": "T", "rate": "-7"}),
        "line_items[0].tax_rate.rate",
    ),
    ("job name=''", _item(name=""), "line_items[0].name"),
    ("job saveHidden='no'", _item(saveHidden="no"), "line_items[0].save_hidden"),
    ("job note=123", _job(note=123), "note"),
    ("job customer_id=None", _job(customer_id=None), "customer_id"),
    ("job start naive", _job(start="2025-06-02T14:00:00"), "start"),
    ("job start a date", _job(start="2025-06-02"), "start"),
    ("job start year 1 east", _job(start=dt.datetime(1, 1, 1, tzinfo=EAST)), "start"),
    ("job end year 9999 west", _job(end=dt.datetime(9999, 12, 31, 23, tzinfo=WEST)), "end"),
    ("job start string year 1", _job(start="0001-01-01T00:00:00+05:00"), "start"),
    ("job start=5", _job(start=5), "start"),
    ("job end before start", _job(end="2025-06-02T13:00:00Z"), "end"),
    ("jobs.list job_id long", lambda hb: hb.jobs.list(job_id="x" * 300), "job_id"),
    ("jobs.list start date", lambda hb: hb.jobs.list(start="2025-01-01"), "start"),
    ("jobs.list limit=101", lambda hb: hb.jobs.list(limit=101), "limit"),
    ("jobs.get 5", lambda hb: hb.jobs.get(5), "job_id"),
    ("jobs.update note=5", lambda hb: hb.jobs.update("j1", note=5), "note"),
    ("jobs.update nothing", lambda hb: hb.jobs.update("j1"), "job_id"),
    (
        "jobs.iterate year 1",
        lambda hb: hb.jobs.iterate(dt.datetime(1, 1, 1, tzinfo=EAST), END),
        "start",
    ),
    ("jobs.iterate date", lambda hb: hb.jobs.iterate("2025-01-01", "2025-12-31"), "start"),
    (
        "jobs.iterate concurrency",
        lambda hb: hb.jobs.iterate(START, END, concurrency=-1),
        "concurrency",
    ),
    # leads
    ("lead note=5", lambda hb: hb.leads.create(customer_id="c1", note=5), "note"),
    ("lead status=5", lambda hb: hb.leads.create(customer_id="c1", status=5), "status"),
    ("lead status bogus", lambda hb: hb.leads.create(customer_id="c1", status="won"), "status"),
    (
        "lead assigned_to=5",
        lambda hb: hb.leads.create(customer_id="c1", assigned_to=5),
        "assigned_to",
    ),
    (
        "lead assigned_to='a'",
        lambda hb: hb.leads.create(customer_id="c1", assigned_to="a"),
        "assigned_to",
    ),
    ("lead line_items=5", lambda hb: hb.leads.create(customer_id="c1", line_items=5), "line_items"),
    ("lead no customer", lambda hb: hb.leads.create(first_name="A"), "phone"),
    ("lead email=[None]", lambda hb: hb.leads.create(first_name="A", email=[None]), "email"),
    ("leads.list status", lambda hb: hb.leads.list(status="won"), "status"),
    ("leads.list lead_id long", lambda hb: hb.leads.list(lead_id="x" * 300), "lead_id"),
    ("leads.get None", lambda hb: hb.leads.get(None), "lead_id"),
    ("leads.update status=3", lambda hb: hb.leads.update("l1", status=3), "status"),
    ("leads.update nothing", lambda hb: hb.leads.update("l1"), "lead_id"),
    ("leads.iterate statuses=5", lambda hb: hb.leads.iterate(statuses=5), "statuses"),
    ("leads.iterate statuses='new'", lambda hb: hb.leads.iterate(statuses="new"), "statuses"),
    ("leads.iterate customer_ids=5", lambda hb: hb.leads.iterate(customer_ids=5), "customer_ids"),
    (
        "leads.iterate customer_ids=[None]",
        lambda hb: hb.leads.iterate(customer_ids=[None]),
        "customer_ids",
    ),
    # messages
    ("send media_url https://[::1", _send(media_url="https://[::1"), "media_url"),
    ("send media_url http://", _send(media_url="http://"), "media_url"),
    ("send media_url bad port", _send(media_url="https://example.com:99999/a.jpg"), "media_url"),
    ("send media_url=5", _send(media_url=5), "media_url"),
    ("send message 201", _send(message="x" * 201), "message"),
    ("send message=5", _send(message=5), "message"),
    ("send mobile_phone bad", _send(mobile_phone="555-0100"), "mobile_phone"),
    ("send customer_id=5", _send(mobile_phone=None, customer_id=5), "customer_id"),
    ("send no recipient", _send(mobile_phone=None), "mobile_phone"),
    ("send_many None", lambda hb: hb.messages.send_many(None), "items"),
    ("send_many 5", lambda hb: hb.messages.send_many(5), "items"),
]


@pytest.fixture
async def client() -> AsyncIterator[tuple[HomebaseClient, list[httpx.Request]]]:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(500, json={"success": False, "error": "should not be reached"})

    transport = httpx.MockTransport(handler)
    base_url = "http://127.0.0.1:9/api/v1"
    async with HomebaseClient("k", base_url=base_url, transport=transport, retry=None) as hb:
        yield hb, seen


async def _drive(result: Any) -> None:
    if inspect.isawaitable(result):
        await result
    elif hasattr(result, "__anext__"):
        await result.__anext__()


@pytest.mark.parametrize(
    ("call", "field"), [(c, f) for _, c, f in CASES], ids=[n for n, _, _ in CASES]
)
async def test_bad_input_is_refused_before_any_request(
    client: tuple[HomebaseClient, list[httpx.Request]], call: Call, field: str
) -> None:
    hb, seen = client
    with pytest.raises(ValidationError) as info:
        await _drive(call(hb))
    assert info.value.field == field, str(info.value)
    assert len(str(info.value)) < 300, "a message is one readable line, never the whole value"
    assert seen == []


BULK_ITEMS: list[tuple[str, dict[str, Any], str]] = [
    ("email=[None]", {"first_name": "A", "email": [None]}, "email"),
    (
        "notifications='yes'",
        {"first_name": "A", "email": "a@x.com", "notifications": "yes"},
        "notifications",
    ),
    ("unknown keyword", {"first_name": "A", "email": "a@x.com", "colour": "red"}, "items"),
    ("not a mapping", 5, "items"),  # type: ignore[dict-item]
]


@pytest.mark.parametrize(
    ("item", "field"), [(i, f) for _, i, f in BULK_ITEMS], ids=[n for n, _, _ in BULK_ITEMS]
)
async def test_bulk_items_fail_alone_without_a_request(
    client: tuple[HomebaseClient, list[httpx.Request]], item: Any, field: str
) -> None:
    hb, seen = client
    report = await hb.customers.create_many([item])
    assert list(report.failed) == [0]
    error = report.failed[0]
    assert isinstance(error, ValidationError)
    assert error.field == field
    assert seen == []


async def test_bad_phones_in_a_lookup_fail_not_go_missing(
    client: tuple[HomebaseClient, list[httpx.Request]],
) -> None:
    hb, seen = client
    result = await hb.customers.lookup(["555-0100", "12", "(303) 555-01", "x" * 300])
    assert set(result.failed) == {"555-0100", "12", "(303) 555-01", "x" * 300}
    assert all(isinstance(e, ValidationError) for e in result.failed.values())
    assert result.missing == []
    assert seen == []


async def test_send_many_refuses_each_bad_item_without_a_request(
    client: tuple[HomebaseClient, list[httpx.Request]],
) -> None:
    hb, seen = client
    items = [
        {"mobile_phone": "+13035550100", "message": "x" * 201},
        {"mobile_phone": "+13035550100", "media_url": "http://example.com/a.jpg"},
        {"mobile_phone": "303-555", "message": "Hi"},
    ]
    report = await hb.messages.send_many(items)
    assert sorted(report.failed) == [0, 1, 2]
    fields = [report.failed[i].field for i in range(3)]  # type: ignore[attr-defined]
    assert fields == ["message", "media_url", "mobile_phone"]
    assert seen == []
