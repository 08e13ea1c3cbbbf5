"""The lookup's bookkeeping, made cheaper for 10,000 identifiers, keeps its meaning.

`identifier_key` takes the common forms first and `_matched` tests a customer's keys one by
one; each key's customer list is the match list handed out. These check that against the
plain definitions and the cases the shortcuts could get wrong.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from homebase_api.models import Customer

from homebase_async import HomebaseClient, ValidationError
from homebase_async._lookup import _matched, identifier_key
from homebase_async._validation import check_phone, check_query, looks_like_phone
from homebase_async.testing import FakeHomebase


def _plain_key(identifier: object) -> str:
    """`identifier_key` as it was written before the shortcuts: the reference."""
    if not isinstance(identifier, str) or not identifier.strip():
        raise ValidationError("identifiers", f"empty identifier: {identifier!r:.80}")
    if "," in identifier:
        raise ValidationError("identifiers", f"contains a comma: {identifier!r:.80}")
    check_query("identifiers", identifier)
    if looks_like_phone(identifier):
        return check_phone("identifiers", identifier)
    return identifier.casefold() if "@" in identifier else identifier


def _outcome(key: Callable[[object], str], identifier: object) -> tuple[str, str]:
    try:
        return "key", key(identifier)
    except ValidationError as exc:
        return "error", str(exc)


@pytest.mark.parametrize(
    "identifier",
    [
        "Ada@Example.COM",
        "+13035550100",
        "+13035550100\n",
        "+1303555010",
        "(303) 555-0100",
        "303-555-0100",
        "+1 303 555 0100",
        "12345",
        "2VXTmiuJarGIa1Wa0JPw",
        " abc ",
        "a,b",
        "",
        "   ",
        "+1 303@555",
        "x" * 254,
        "x" * 255,
        "a@" + "x" * 300,
        "ÉCOLE@ÉTÉ.FR",
        "ß@straße.de",
        None,
        7,
    ],
)
def test_identifier_key_equals_the_plain_definition(identifier: object) -> None:
    assert _outcome(identifier_key, identifier) == _outcome(_plain_key, identifier)


def _customer(**fields: Any) -> Customer:
    return Customer.from_dict({"customerId": "C1", **fields})


def test_matched_finds_each_key_once() -> None:
    customer = _customer(
        phone={"mobile": "+13035550100", "home": "+13035550100", "work": "", "fax": "+13035550111"},
        email=["Ada@Example.com", "ada@example.com"],
    )
    wanted = {"C1", "+13035550100", "+13035550111", "ada@example.com", "+13035550199"}
    assert sorted(_matched(customer, wanted)) == sorted(
        ["C1", "+13035550100", "+13035550111", "ada@example.com"]
    )
    assert _matched(_customer(), {"C2", ""}) == []
    # An empty phone kind never matches, even if "" were asked for.
    assert _matched(_customer(phone={"home": ""}), {""}) == []


async def test_identifiers_of_one_key_get_lists_of_their_own() -> None:
    fake = FakeHomebase()
    cid = fake.add_customer(first_name="Ada", phone="+13035550100", email="ada@example.com")
    async with HomebaseClient(
        fake.api_key, base_url="https://fake.test/api/v1", transport=fake.transport()
    ) as hb:
        result = await hb.customers.lookup(["ada@example.com", "ADA@example.com", cid])
    first, second = result.matches["ada@example.com"], result.matches["ADA@example.com"]
    assert [c.customer_id for c in first] == [cid] == [c.customer_id for c in second]
    assert first is not second
    first.clear()
    assert [c.customer_id for c in second] == [cid]
    assert [c.customer_id for c in result.customers] == [cid]


class _Twice(httpx.AsyncBaseTransport):
    """A server that lists every customer it finds twice (the second copy renamed)."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        asked = request.url.params["identifiers"].split(",")
        data = [
            {"customerId": ident, "firstName": name}
            for ident in asked
            if ident.startswith("C")
            for name in ("first", "second")
        ]
        body = json.dumps({"success": True, "data": data}).encode()
        return httpx.Response(200, content=body, headers={"content-type": "application/json"})


async def test_a_customer_answered_twice_is_listed_once_as_last_answered() -> None:
    async with HomebaseClient("key", base_url="https://t.test/api/v1", transport=_Twice()) as hb:
        result = await hb.customers.lookup(["C1", "C2", "nobody"])
    assert {i: [c.first_name for c in cs] for i, cs in result.matches.items()} == {
        "C1": ["second"],
        "C2": ["second"],
    }
    assert result.missing == ["nobody"]
    assert [c.customer_id for c in result.customers] == ["C1", "C2"]
