"""hb.leads: the exact requests of list, get, create and update, and their validation."""

from __future__ import annotations

from typing import Any

import pytest
from _support import LEAD, LINE_ITEM, ok, only_request, sent_json, url
from pytest_httpx import HTTPXMock

from homebase_async import HomebaseClient, NotFoundError, ValidationError
from homebase_async.models import CreatedLead, Lead, LeadStatus

CREATED = {"leadId": "lead789", "customerId": "cust456", "leadNumber": 43}


@pytest.mark.parametrize(
    ("kwargs", "query"),
    [
        ({}, b"limit=25"),
        ({"status": "first_contact"}, b"status=first_contact&limit=25"),
        ({"status": LeadStatus.ON_HOLD, "limit": 100}, b"status=on_hold&limit=100"),
        (
            {"lead_id": "abc123", "customer_id": "c1", "status": "new", "limit": 5},
            b"leadId=abc123&customerId=c1&status=new&limit=5",
        ),
    ],
)
async def test_list_request(
    httpx_mock: HTTPXMock, hb: HomebaseClient, kwargs: dict[str, Any], query: bytes
) -> None:
    httpx_mock.add_response(method="GET", json=ok([LEAD]))
    [lead] = await hb.leads.list(**kwargs)
    request = only_request(httpx_mock)
    assert request.url.path == "/api/v1/leads"
    assert request.url.query == query
    assert isinstance(lead, Lead)
    assert lead.status is LeadStatus.NEW
    assert lead.lead_number == 42


async def test_get(httpx_mock: HTTPXMock, hb: HomebaseClient) -> None:
    httpx_mock.add_response(url=url("/leads", leadId="abc123", limit=1), json=ok([LEAD]))
    assert (await hb.leads.get("abc123")).lead_source == "Online"


async def test_get_not_found(httpx_mock: HTTPXMock, hb: HomebaseClient) -> None:
    httpx_mock.add_response(url=url("/leads", leadId="archived1", limit=1), json=ok([]))
    with pytest.raises(NotFoundError):
        await hb.leads.get("archived1")


# -- create: the three scenarios --------------------------------------------------------------


@pytest.mark.parametrize("status", [200, 201, 202])
async def test_create_for_a_customer_id(
    httpx_mock: HTTPXMock, hb: HomebaseClient, status: int
) -> None:
    httpx_mock.add_response(method="POST", url=url("/leads"), status_code=status, json=ok(CREATED))
    created = await hb.leads.create(
        customer_id="Ekk9AvDeDihAEU8CMT0W",
        line_items=[
            {
                "name": "Window Cleaning",
                "description": "All windows",
                "quantity": 1,
                "unitPrice": "150.00",
            }
        ],
        note="Customer interested in monthly service",
        lead_source="Online",
        status="new",
    )
    assert isinstance(created, CreatedLead)
    assert (created.lead_id, created.customer_id, created.lead_number) == ("lead789", "cust456", 43)
    assert sent_json(httpx_mock) == {
        "customerId": "Ekk9AvDeDihAEU8CMT0W",
        "lineItems": [
            {
                "name": "Window Cleaning",
                "description": "All windows",
                "quantity": 1,
                "unitPrice": "150.00",
            }
        ],
        "note": "Customer interested in monthly service",
        "leadSource": "Online",
        "status": "new",
    }


async def test_create_by_mobile(httpx_mock: HTTPXMock, hb: HomebaseClient) -> None:
    httpx_mock.add_response(method="POST", url=url("/leads"), json=ok(CREATED))
    await hb.leads.create(
        first_name="Ada",
        phone="+13035550100",
        email="ada@example.com",
        tags=["web"],
        assigned_to=["user1", "user2"],
        status=LeadStatus.FIRST_CONTACT,
        lead_source="Spring mailer",
    )
    assert sent_json(httpx_mock) == {
        "firstName": "Ada",
        "phone": {"mobile": "+13035550100"},
        "email": ["ada@example.com"],
        "tags": ["web"],
        "assignedTo": ["user1", "user2"],
        "status": "first_contact",
        "leadSource": "Spring mailer",
    }


async def test_create_by_mobile_alone(httpx_mock: HTTPXMock, hb: HomebaseClient) -> None:
    # The server attaches the lead to the customer with this mobile; no name is needed then.
    httpx_mock.add_response(method="POST", url=url("/leads"), json=ok(CREATED))
    await hb.leads.create(phone="+13035550100", note="called back")
    assert sent_json(httpx_mock) == {
        "phone": {"mobile": "+13035550100"},
        "note": "called back",
        "status": "new",
    }


async def test_create_a_new_customer_from_details(
    httpx_mock: HTTPXMock, hb: HomebaseClient
) -> None:
    httpx_mock.add_response(method="POST", url=url("/leads"), json=ok(CREATED))
    await hb.leads.create(last_name="Hopper", email="grace@example.com", line_items=[LINE_ITEM])
    assert sent_json(httpx_mock) == {
        "lastName": "Hopper",
        "email": ["grace@example.com"],
        "lineItems": [LINE_ITEM],
        "status": "new",
    }


# -- update ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "body"),
    [
        ({"status": "first_contact"}, {"status": "first_contact"}),
        (
            {"status": LeadStatus.SECOND_CONTACT, "note": "Called customer"},
            {"status": "second_contact", "note": "Called customer"},
        ),
        ({"line_items": []}, {"lineItems": []}),
        ({"line_items": [LINE_ITEM]}, {"lineItems": [LINE_ITEM]}),
        ({"assigned_to": []}, {"assignedTo": []}),
        ({"lead_source": "Direct"}, {"leadSource": "Direct"}),
        ({"note": ""}, {"note": ""}),
    ],
)
async def test_update_sends_only_the_set_fields(
    httpx_mock: HTTPXMock, hb: HomebaseClient, kwargs: dict[str, Any], body: dict[str, Any]
) -> None:
    httpx_mock.add_response(
        method="PUT", url=url("/leads/abc123"), json=ok({"message": "Lead updated"})
    )
    await hb.leads.update("abc123", **kwargs)
    assert sent_json(httpx_mock) == body


async def test_update_of_an_archived_lead(httpx_mock: HTTPXMock, hb: HomebaseClient) -> None:
    httpx_mock.add_response(
        method="PUT", status_code=404, json={"success": False, "error": "Lead not found"}
    )
    with pytest.raises(NotFoundError):
        await hb.leads.update("archived1", note="x")


# -- validation: nothing is sent -------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"status": "won"}, "status"),
        ({"status": "NEW"}, "status"),
        ({"status": ""}, "status"),
        ({"limit": 0}, "limit"),
        ({"limit": 101}, "limit"),
    ],
)
async def test_invalid_lists_send_nothing(
    httpx_mock: HTTPXMock, hb: HomebaseClient, kwargs: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as info:
        await hb.leads.list(**kwargs)
    assert info.value.field == field
    assert httpx_mock.get_requests() == []


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({}, "first_name"),
        ({"email": "a@x.com"}, "first_name"),
        ({"first_name": "Ada"}, "phone"),
        # Without a mobile to find a customer by, the details must make a new customer.
        ({"phone": {"home": "+13035550100"}}, "first_name"),
        ({"phone": {"mobile": ""}, "email": "a@x.com"}, "first_name"),
        ({"customer_id": "c1", "status": "closed"}, "status"),
        ({"customer_id": "c1", "phone": "555-0100"}, "phone.mobile"),
        ({"customer_id": "c1", "email": ["a", "b", "c"]}, "email"),
        ({"customer_id": ""}, "customer_id"),
        ({"customer_id": "c1", "lead_source": ""}, "lead_source"),
        ({"customer_id": "c1", "assigned_to": "user1"}, "assigned_to"),
        ({"customer_id": "c1", "assigned_to": ["user1", ""]}, "assigned_to"),
        ({"customer_id": "c1", "line_items": [{"name": "x"}]}, "line_items[0]"),
    ],
)
async def test_invalid_creates_send_nothing(
    httpx_mock: HTTPXMock, hb: HomebaseClient, kwargs: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as info:
        await hb.leads.create(**kwargs)
    assert info.value.field == field
    assert httpx_mock.get_requests() == []


@pytest.mark.parametrize(
    ("lead_id", "kwargs", "field"),
    [
        ("abc123", {}, "lead_id"),
        ("", {"note": "x"}, "lead_id"),
        ("..", {"note": "x"}, "lead_id"),
        ("abc123", {"status": "lost"}, "status"),
        ("abc123", {"assigned_to": "me"}, "assigned_to"),
        ("abc123", {"lead_source": ""}, "lead_source"),
        (
            "abc123",
            {"line_items": [{"name": "x", "quantity": 1, "unitPrice": "1,50"}]},
            "line_items[0].unit_price",
        ),
    ],
)
async def test_invalid_updates_send_nothing(
    httpx_mock: HTTPXMock, hb: HomebaseClient, lead_id: str, kwargs: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as info:
        await hb.leads.update(lead_id, **kwargs)
    assert info.value.field == field
    assert httpx_mock.get_requests() == []
