"""hb.jobs: the exact requests of list, get, create and update, and their validation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from _support import JOB, LINE_ITEM, ok, only_request, sent_json, url
from pytest_httpx import HTTPXMock

from homebase_async import HomebaseClient, NotFoundError, ValidationError
from homebase_async.models import Job, LegacyLeadSource, LineItem, TaxRate

UTC = dt.UTC
DENVER = ZoneInfo("America/Denver")
START = dt.datetime(2023, 5, 15, 14, 30, tzinfo=UTC)
END = dt.datetime(2023, 5, 15, 16, 30, tzinfo=UTC)


# -- list and get ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "query"),
    [
        ({}, b"limit=50"),
        ({"limit": 100}, b"limit=100"),
        ({"job_id": "jKv8AvFrRihBTU7CMQ9Z"}, b"jobId=jKv8AvFrRihBTU7CMQ9Z&limit=50"),
        (
            {"start": START, "end": END},
            b"startDate=2023-05-15T14%3A30%3A00Z&endDate=2023-05-15T16%3A30%3A00Z&limit=50",
        ),
        (
            # Any zone is sent as UTC with a Z.
            {"start": dt.datetime(2023, 5, 15, 0, 0, tzinfo=DENVER), "limit": 10},
            b"startDate=2023-05-15T06%3A00%3A00Z&limit=10",
        ),
        ({"end": "2023-05-15T23:59:59-07:00"}, b"endDate=2023-05-16T06%3A59%3A59Z&limit=50"),
        (
            {"start": START, "end": START},
            b"startDate=2023-05-15T14%3A30%3A00Z&endDate=2023-05-15T14%3A30%3A00Z&limit=50",
        ),
    ],
)
async def test_list_request(
    httpx_mock: HTTPXMock, hb: HomebaseClient, kwargs: dict[str, Any], query: bytes
) -> None:
    httpx_mock.add_response(method="GET", json=ok([JOB]))
    [job] = await hb.jobs.list(**kwargs)
    request = only_request(httpx_mock)
    assert request.url.path == "/api/v1/jobs"
    assert request.url.query == query
    assert isinstance(job, Job)
    assert job.job_total == 160.5
    assert job.start == START
    assert job.customer
    assert job.customer.customer_id == JOB["customerId"]
    [item] = job.line_items or []
    assert item.unit_price == "150.00"


async def test_get(httpx_mock: HTTPXMock, hb: HomebaseClient) -> None:
    httpx_mock.add_response(url=url("/jobs", jobId=JOB["jobId"], limit=1), json=ok([JOB]))
    job = await hb.jobs.get(JOB["jobId"])
    assert job.note == "Please call customer before arrival"


async def test_get_not_found(httpx_mock: HTTPXMock, hb: HomebaseClient) -> None:
    httpx_mock.add_response(url=url("/jobs", jobId="nope", limit=1), json=ok([]))
    with pytest.raises(NotFoundError):
        await hb.jobs.get("nope")


# -- create -------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [200, 201, 202])
async def test_create_request(httpx_mock: HTTPXMock, hb: HomebaseClient, status: int) -> None:
    httpx_mock.add_response(
        method="POST", url=url("/jobs"), status_code=status, json=ok({"jobId": "new-job"})
    )
    job_id = await hb.jobs.create(
        "Ekk9AvDeDihAEU8CMT0W",
        start=dt.datetime(2023, 5, 15, 8, 30, tzinfo=DENVER),
        end="2023-05-15T16:30:00Z",
        line_items=[LINE_ITEM],
        note="Please call customer before arrival",
    )
    assert job_id == "new-job"
    assert sent_json(httpx_mock) == {
        "customerId": "Ekk9AvDeDihAEU8CMT0W",
        "start": "2023-05-15T14:30:00Z",
        "end": "2023-05-15T16:30:00Z",
        "lineItems": [LINE_ITEM],
        "note": "Please call customer before arrival",
    }


async def test_create_line_item_forms(httpx_mock: HTTPXMock, hb: HomebaseClient) -> None:
    httpx_mock.add_response(method="POST", json=ok({"jobId": "j"}))
    await hb.jobs.create(
        "c1",
        START,
        END,
        [
            LineItem(name="Model", quantity=2, unit_price="10.00"),
            {"name": "Python names", "quantity": 1.5, "unit_price": Decimal("19.99")},
            {
                "name": "Nested Python names",
                "quantity": 1,
                "unit_price": "7",
                "tax_rate": {"name": "T", "rate": 5},
            },
            {
                "name": "API names",
                "quantity": 1,
                "unitPrice": 5,
                "taxRate": {"name": "T", "rate": "8.25"},
            },
        ],
        lead_source="Online",
    )
    body = sent_json(httpx_mock)
    assert body["lineItems"] == [
        {"name": "Model", "quantity": 2, "unitPrice": "10.00"},
        {"name": "Python names", "quantity": 1.5, "unitPrice": "19.99"},
        {
            "name": "Nested Python names",
            "quantity": 1,
            "unitPrice": "7",
            "taxRate": {"name": "T", "rate": "5"},
        },
        {
            "name": "API names",
            "quantity": 1,
            "unitPrice": "5",
            "taxRate": {"name": "T", "rate": "8.25"},
        },
    ]
    assert body["leadSource"] == "Online"
    assert body["note"] == ""


@pytest.mark.parametrize(
    "source",
    [
        {"online": True, "referral": False, "salesPerson": None},
        LegacyLeadSource(online=False, referral=True),
    ],
)
async def test_create_with_a_legacy_lead_source(
    httpx_mock: HTTPXMock, hb: HomebaseClient, source: Any
) -> None:
    httpx_mock.add_response(method="POST", json=ok({"jobId": "j"}))
    await hb.jobs.create("c1", START, END, [LINE_ITEM], lead_source=source)
    expected = source if isinstance(source, dict) else {"online": False, "referral": True}
    assert sent_json(httpx_mock)["leadSource"] == expected


# -- update ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "body"),
    [
        ({"note": "Customer requested a later time"}, {"note": "Customer requested a later time"}),
        ({"note": ""}, {"note": ""}),
        ({"start": START}, {"start": "2023-05-15T14:30:00Z"}),
        ({"end": dt.datetime(2023, 5, 15, 11, 0, tzinfo=DENVER)}, {"end": "2023-05-15T17:00:00Z"}),
        (
            {"start": "2023-05-15T15:00:00Z", "end": "2023-05-15T17:00:00Z", "note": "x"},
            {"start": "2023-05-15T15:00:00Z", "end": "2023-05-15T17:00:00Z", "note": "x"},
        ),
    ],
)
async def test_update_sends_only_the_set_fields(
    httpx_mock: HTTPXMock, hb: HomebaseClient, kwargs: dict[str, Any], body: dict[str, Any]
) -> None:
    httpx_mock.add_response(method="PUT", url=url("/jobs/j1"), json=ok({"message": "Job updated"}))
    await hb.jobs.update("j1", **kwargs)
    assert sent_json(httpx_mock) == body


# -- validation: nothing is sent -------------------------------------------------------------

NAIVE = dt.datetime(2023, 5, 15, 14, 30)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"start": NAIVE}, "start"),
        ({"end": NAIVE}, "end"),
        ({"start": "2023-05-15T14:30:00"}, "start"),
        ({"start": "not a date"}, "start"),
        ({"start": END, "end": START}, "end"),
        ({"limit": 0}, "limit"),
        ({"limit": 101}, "limit"),
    ],
)
async def test_invalid_lists_send_nothing(
    httpx_mock: HTTPXMock, hb: HomebaseClient, kwargs: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as info:
        await hb.jobs.list(**kwargs)
    assert info.value.field == field
    assert httpx_mock.get_requests() == []


@pytest.mark.parametrize(
    ("args", "kwargs", "field"),
    [
        (("c1", NAIVE, END, [LINE_ITEM]), {}, "start"),
        (("c1", START, NAIVE, [LINE_ITEM]), {}, "end"),
        (("c1", END, START, [LINE_ITEM]), {}, "end"),
        (("c1", START, START, [LINE_ITEM]), {}, "end"),
        (("c1", START, END, []), {}, "line_items"),
        (("c1", START, END, LINE_ITEM), {}, "line_items"),
        (("", START, END, [LINE_ITEM]), {}, "customer_id"),
        (
            ("c1", START, END, [{"name": "", "quantity": 1, "unitPrice": "1"}]),
            {},
            "line_items[0].name",
        ),
        (
            ("c1", START, END, [{"name": "x", "quantity": "1", "unitPrice": "1"}]),
            {},
            "line_items[0].quantity",
        ),
        (
            ("c1", START, END, [{"name": "x", "quantity": True, "unitPrice": "1"}]),
            {},
            "line_items[0].quantity",
        ),
        (
            ("c1", START, END, [{"name": "x", "quantity": 1, "unitPrice": "abc"}]),
            {},
            "line_items[0].unit_price",
        ),
        (("c1", START, END, [LINE_ITEM, {"name": "x"}]), {}, "line_items[1]"),
        (("c1", START, END, [LINE_ITEM, "x"]), {}, "line_items[1]"),
        (
            (
                "c1",
                START,
                END,
                [LineItem(name="x", quantity=1, unit_price="1", tax_rate=TaxRate(rate="x"))],
            ),
            {},
            "line_items[0].tax_rate.rate",
        ),
        (("c1", START, END, [LINE_ITEM]), {"lead_source": ""}, "lead_source"),
        (("c1", START, END, [LINE_ITEM]), {"lead_source": 3}, "lead_source"),
    ],
)
async def test_invalid_creates_send_nothing(
    httpx_mock: HTTPXMock,
    hb: HomebaseClient,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    field: str,
) -> None:
    with pytest.raises(ValidationError) as info:
        await hb.jobs.create(*args, **kwargs)
    assert info.value.field == field
    assert httpx_mock.get_requests() == []


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({}, "job_id"),
        ({"start": NAIVE}, "start"),
        ({"start": END, "end": START}, "end"),
        ({"start": START, "end": START}, "end"),
    ],
)
async def test_invalid_updates_send_nothing(
    httpx_mock: HTTPXMock, hb: HomebaseClient, kwargs: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as info:
        await hb.jobs.update("j1", **kwargs)
    assert info.value.field == field
    assert httpx_mock.get_requests() == []


@pytest.mark.parametrize("job_id", ["", ".", ".."])
async def test_update_needs_a_usable_id(
    httpx_mock: HTTPXMock, hb: HomebaseClient, job_id: str
) -> None:
    with pytest.raises(ValidationError) as info:
        await hb.jobs.update(job_id, note="x")
    assert info.value.field == "job_id"
    assert httpx_mock.get_requests() == []
