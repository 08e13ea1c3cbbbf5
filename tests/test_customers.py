"""hb.customers: the exact requests of search, get, create and update, and their validation."""

from __future__ import annotations

from typing import Any

import pytest
from _support import CUSTOMER, ok, only_request, sent_json, url
from pytest_httpx import HTTPXMock

from homebase_async import HomebaseClient, NotFoundError, ValidationError
from homebase_async.models import Customer, Phone

# -- search ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "query"),
    [
        ({"phone": "+13038284444"}, b"phone=%2B13038284444&limit=25"),
        ({"customer_id": "Ekk9AvDeDihAEU8CMT0W"}, b"customerId=Ekk9AvDeDihAEU8CMT0W&limit=25"),
        ({"email": "john.smith@example.com"}, b"email=john.smith%40example.com&limit=25"),
        (
            {"identifiers": ["abc123", "+13038284444", "john@example.com"]},
            b"identifiers=abc123%2C%2B13038284444%2Cjohn%40example.com&limit=25",
        ),
        ({"identifiers": "+13038284444"}, b"identifiers=%2B13038284444&limit=25"),
        (
            {"customer_id": "c1", "phone": "+13038284444", "email": "a+b@x.com", "limit": 100},
            b"customerId=c1&phone=%2B13038284444&email=a%2Bb%40x.com&limit=100",
        ),
        ({}, b"limit=25"),
        ({"limit": 1}, b"limit=1"),
    ],
)
async def test_search_request(
    httpx_mock: HTTPXMock, hb: HomebaseClient, kwargs: dict[str, Any], query: bytes
) -> None:
    httpx_mock.add_response(method="GET", json=ok([CUSTOMER]))
    found = await hb.customers.search(**kwargs)
    request = only_request(httpx_mock)
    assert request.method == "GET"
    assert request.url.path == "/api/v1/customers"
    assert request.url.query == query
    assert b"+" not in request.url.query
    assert request.content == b""
    [customer] = found
    assert isinstance(customer, Customer)
    assert customer.customer_id == CUSTOMER["customerId"]
    assert customer.phone
    assert customer.phone.mobile == "+13038284444"
    assert customer.tags == ["VIP", "Referral"]


async def test_search_with_no_match(httpx_mock: HTTPXMock, hb: HomebaseClient) -> None:
    httpx_mock.add_response(
        url=url("/customers", email="nobody@example.com", limit=25), json=ok([])
    )
    assert await hb.customers.search(email="nobody@example.com") == []


async def test_search_keeps_unknown_keys(httpx_mock: HTTPXMock, hb: HomebaseClient) -> None:
    legacy = {**CUSTOMER, "geocodedAddresses": [{"address": "x", "lat": 1.0, "lng": 2.0}]}
    httpx_mock.add_response(json=ok([legacy]))
    [customer] = await hb.customers.search(customer_id="Ekk9AvDeDihAEU8CMT0W")
    assert customer.additional_properties["geocodedAddresses"][0]["lat"] == 1.0


# -- get ---------------------------------------------------------------------------------------


async def test_get(httpx_mock: HTTPXMock, hb: HomebaseClient) -> None:
    httpx_mock.add_response(
        method="GET",
        url=url("/customers", customerId="Ekk9AvDeDihAEU8CMT0W", limit=1),
        json=ok([CUSTOMER]),
    )
    customer = await hb.customers.get("Ekk9AvDeDihAEU8CMT0W")
    assert customer.first_name == "John"


@pytest.mark.parametrize("data", [[], [{**CUSTOMER, "customerId": "someone-else"}]])
async def test_get_not_found(httpx_mock: HTTPXMock, hb: HomebaseClient, data: list[Any]) -> None:
    httpx_mock.add_response(url=url("/customers", customerId="missing", limit=1), json=ok(data))
    with pytest.raises(NotFoundError) as info:
        await hb.customers.get("missing")
    assert info.value.status_code == 404
    assert "missing" in str(info.value)


# -- create ------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [200, 201, 202])
async def test_create_request(httpx_mock: HTTPXMock, hb: HomebaseClient, status: int) -> None:
    httpx_mock.add_response(
        method="POST", url=url("/customers"), status_code=status, json=ok({"customerId": "new1"})
    )
    customer_id = await hb.customers.create(
        first_name="John",
        last_name="Smith",
        phone={"mobile": "+13038284444", "home": "+13035551234"},
        email=["john.smith@example.com"],
        address=["123 Main St, Denver, CO 80202"],
        notes="Prefers afternoon appointments",
        tags=["VIP", "Referral"],
        notifications=False,
    )
    assert customer_id == "new1"
    assert sent_json(httpx_mock) == {
        "firstName": "John",
        "lastName": "Smith",
        "phone": {"mobile": "+13038284444", "home": "+13035551234"},
        "email": ["john.smith@example.com"],
        "address": ["123 Main St, Denver, CO 80202"],
        "notes": "Prefers afternoon appointments",
        "tags": ["VIP", "Referral"],
        "notifications": False,
    }


async def test_create_minimal_with_the_documented_defaults(
    httpx_mock: HTTPXMock, hb: HomebaseClient
) -> None:
    httpx_mock.add_response(method="POST", url=url("/customers"), json=ok({"customerId": "new1"}))
    await hb.customers.create(last_name="Lovelace", phone="+13035550100")
    assert sent_json(httpx_mock) == {
        "lastName": "Lovelace",
        "phone": {"mobile": "+13035550100"},
        "notes": "",
        "notifications": True,
    }


async def test_create_splits_lists_as_the_server_does(
    httpx_mock: HTTPXMock, hb: HomebaseClient
) -> None:
    httpx_mock.add_response(method="POST", json=ok({"customerId": "new1"}))
    await hb.customers.create(
        first_name="Ada",
        email="ada@example.com; ada@work.example.com",
        address="1 Main St*2 Side St",
        tags="a,b;c*d",
        phone=Phone(mobile="", work="+13035550100"),
    )
    body = sent_json(httpx_mock)
    assert body["email"] == ["ada@example.com", "ada@work.example.com"]
    assert body["address"] == ["1 Main St", "2 Side St"]
    assert body["tags"] == ["a", "b", "c", "d"]
    assert body["phone"] == {"mobile": "", "work": "+13035550100"}


# -- update ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "body"),
    [
        ({"notes": "Updated notes"}, {"notes": "Updated notes"}),
        ({"notifications": False}, {"notifications": False}),
        ({"last_name": "Smith Updated"}, {"lastName": "Smith Updated"}),
        ({"phone": "+13038284444"}, {"phone": {"mobile": "+13038284444"}}),
        ({"email": []}, {"email": []}),
        ({"tags": "x;y"}, {"tags": ["x", "y"]}),
        (
            {"first_name": "John", "address": ["a", "b"], "notes": ""},
            {"firstName": "John", "address": ["a", "b"], "notes": ""},
        ),
    ],
)
async def test_update_sends_only_the_set_fields(
    httpx_mock: HTTPXMock, hb: HomebaseClient, kwargs: dict[str, Any], body: dict[str, Any]
) -> None:
    httpx_mock.add_response(
        method="PUT", url=url("/customers/c1"), json=ok({"message": "Customer updated"})
    )
    assert await hb.customers.update("c1", **kwargs) is None
    assert sent_json(httpx_mock) == body


async def test_update_quotes_the_id(httpx_mock: HTTPXMock, hb: HomebaseClient) -> None:
    httpx_mock.add_response(method="PUT", json=ok({"message": "Customer updated"}))
    await hb.customers.update("a/b?c", notes="x")
    assert only_request(httpx_mock).url.raw_path == b"/api/v1/customers/a%2Fb%3Fc"


async def test_update_not_found(httpx_mock: HTTPXMock, hb: HomebaseClient) -> None:
    httpx_mock.add_response(
        method="PUT", status_code=404, json={"success": False, "error": "Customer not found"}
    )
    with pytest.raises(NotFoundError, match="Customer not found"):
        await hb.customers.update("nope", notes="x")


# -- validation: nothing is sent ---------------------------------------------------------------

INVALID_SEARCHES: list[tuple[dict[str, Any], str]] = [
    # Common US forms are normalised (test_validation.py); these are not US numbers.
    ({"phone": "303828444"}, "phone"),
    ({"phone": "+44 20 7946 0958"}, "phone"),
    ({"limit": 0}, "limit"),
    ({"limit": 101}, "limit"),
    ({"identifiers": [f"id{i}" for i in range(101)]}, "identifiers"),
    ({"identifiers": ["a,b"]}, "identifiers"),
    ({"identifiers": "a,b"}, "identifiers"),
    ({"identifiers": []}, "identifiers"),
    ({"identifiers": ["ok", ""]}, "identifiers"),
]

INVALID_CREATES: list[tuple[dict[str, Any], str]] = [
    ({"email": "a@x.com"}, "first_name"),
    ({"first_name": "", "last_name": "", "email": "a@x.com"}, "first_name"),
    ({"first_name": "Ada"}, "phone"),
    ({"first_name": "Ada", "email": []}, "phone"),
    ({"first_name": "Ada", "phone": {"mobile": ""}}, "phone"),
    ({"first_name": "Ada", "phone": "303555010"}, "phone.mobile"),
    ({"first_name": "Ada", "phone": {"home": "+1303555010"}}, "phone.home"),
    ({"first_name": "Ada", "email": ["a@x.com", "b@x.com", "c@x.com"]}, "email"),
    ({"first_name": "Ada", "email": "a@x.com;b@x.com,c@x.com"}, "email"),
    ({"first_name": "Ada", "email": "a@x.com", "address": ["1", "2", "3"]}, "address"),
    ({"first_name": "Ada", "email": "a@x.com", "address": "1;2*3"}, "address"),
    ({"first_name": "Ada", "phone": 3035550100}, "phone"),
]


@pytest.mark.parametrize(("kwargs", "field"), INVALID_SEARCHES)
async def test_invalid_searches_send_nothing(
    httpx_mock: HTTPXMock, hb: HomebaseClient, kwargs: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as info:
        await hb.customers.search(**kwargs)
    assert info.value.field == field
    assert httpx_mock.get_requests() == []


@pytest.mark.parametrize(("kwargs", "field"), INVALID_CREATES)
async def test_invalid_creates_send_nothing(
    httpx_mock: HTTPXMock, hb: HomebaseClient, kwargs: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as info:
        await hb.customers.create(**kwargs)
    assert info.value.field == field
    assert httpx_mock.get_requests() == []


@pytest.mark.parametrize(
    ("customer_id", "kwargs", "field"),
    [
        ("c1", {}, "customer_id"),
        ("", {"notes": "x"}, "customer_id"),
        ("..", {"notes": "x"}, "customer_id"),  # would address /api/v1 itself
        (".", {"notes": "x"}, "customer_id"),
        ("c1", {"phone": "555"}, "phone.mobile"),
        ("c1", {"email": ["a", "b", "c"]}, "email"),
    ],
)
async def test_invalid_updates_send_nothing(
    httpx_mock: HTTPXMock,
    hb: HomebaseClient,
    customer_id: str,
    kwargs: dict[str, Any],
    field: str,
) -> None:
    with pytest.raises(ValidationError) as info:
        await hb.customers.update(customer_id, **kwargs)
    assert info.value.field == field
    assert httpx_mock.get_requests() == []


async def test_get_needs_an_id(httpx_mock: HTTPXMock, hb: HomebaseClient) -> None:
    with pytest.raises(ValidationError, match="customer_id"):
        await hb.customers.get("")
    assert httpx_mock.get_requests() == []
