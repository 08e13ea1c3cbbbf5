"""hb.messages: the exact requests of send and stats, the SMS rules and their validation."""

from __future__ import annotations

import json
from typing import Any

import pytest
from _support import SENT, STATS, expect_sms_budget, fail, ok, url
from pytest_httpx import HTTPXMock

from homebase_async import (
    DailyLimitExceededError,
    HomebaseClient,
    NotFoundError,
    PermissionDeniedError,
    UnexpectedResponseError,
    ValidationError,
)
from homebase_async.models import MessageStats, SentMessage


def sent_bodies(httpx_mock: HTTPXMock) -> list[Any]:
    return [json.loads(r.content) for r in httpx_mock.get_requests(method="POST")]


@pytest.mark.parametrize(
    ("kwargs", "body"),
    [
        (
            {
                "mobile_phone": "+13031234444",
                "message": "Your appointment is confirmed for tomorrow at 2pm",
            },
            {
                "mobilePhone": "+13031234444",
                "message": "Your appointment is confirmed for tomorrow at 2pm",
            },
        ),
        ({"customer_id": "abc123", "message": "Hi"}, {"customerId": "abc123", "message": "Hi"}),
        (
            {"mobile_phone": "+13031234444", "customer_id": "abc123", "message": "x" * 200},
            {"mobilePhone": "+13031234444", "customerId": "abc123", "message": "x" * 200},
        ),
        (
            {"customer_id": "abc123", "media_url": "https://example.com/photo.jpg"},
            {"customerId": "abc123", "mediaUrl": "https://example.com/photo.jpg"},
        ),
        (
            {
                "customer_id": "abc123",
                "message": "Before",
                "media_url": "https://example.com/a.png",
            },
            {"customerId": "abc123", "message": "Before", "mediaUrl": "https://example.com/a.png"},
        ),
    ],
)
@pytest.mark.parametrize("status", [200, 201, 202])
async def test_send_request(
    httpx_mock: HTTPXMock,
    hb: HomebaseClient,
    kwargs: dict[str, Any],
    body: dict[str, Any],
    status: int,
) -> None:
    expect_sms_budget(httpx_mock)
    httpx_mock.add_response(
        method="POST", url=url("/messages/send"), status_code=status, json=ok(SENT)
    )
    sent = await hb.messages.send(**kwargs)
    assert sent_bodies(httpx_mock) == [body]
    assert isinstance(sent, SentMessage)
    assert sent.rate_limits
    assert (sent.rate_limits.daily_used, sent.rate_limits.daily_limit) == (5, 500)
    assert sent.timestamp
    assert sent.timestamp.year == 2024


async def test_stats_request(httpx_mock: HTTPXMock, hb: HomebaseClient) -> None:
    httpx_mock.add_response(method="GET", url=url("/messages/stats"), json=ok(STATS))
    stats = await hb.messages.stats()
    assert isinstance(stats, MessageStats)
    assert stats.limits.per_day == 500
    assert (stats.usage.daily_used, stats.usage.daily_remaining) == (50, 450)
    # The reading also becomes the budget, so a send right after needs no second read.
    budget = hb.messages.budget
    assert budget is not None
    assert (budget.limit, budget.used, budget.remaining) == (500, 50, 450)
    [request] = httpx_mock.get_requests()
    assert request.url.query == b""


async def test_sms_needs_enterprise(httpx_mock: HTTPXMock, hb: HomebaseClient) -> None:
    expect_sms_budget(httpx_mock)
    httpx_mock.add_response(
        method="POST",
        status_code=403,
        json=fail("SMS requires an active Enterprise subscription"),
    )
    with pytest.raises(PermissionDeniedError, match="Enterprise"):
        await hb.messages.send(mobile_phone="+13031234444", message="Hi")


async def test_unknown_customer(httpx_mock: HTTPXMock, hb: HomebaseClient) -> None:
    expect_sms_budget(httpx_mock)
    httpx_mock.add_response(method="POST", status_code=404, json=fail("Customer not found"))
    with pytest.raises(NotFoundError):
        await hb.messages.send(customer_id="nope", message="Hi")


async def test_the_daily_quota_is_final(httpx_mock: HTTPXMock, hb: HomebaseClient) -> None:
    expect_sms_budget(httpx_mock, used=499)
    httpx_mock.add_response(
        method="POST",
        url=url("/messages/send"),
        status_code=429,
        json=fail("Daily SMS limit reached"),
    )
    with pytest.raises(DailyLimitExceededError):
        await hb.messages.send(mobile_phone="+13031234444", message="Hi")
    # Not retried, and the next send is not even attempted.
    with pytest.raises(DailyLimitExceededError):
        await hb.messages.send(mobile_phone="+13031234444", message="Hi again")
    assert len(httpx_mock.get_requests(method="POST")) == 1


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"message": "Hi"}, "mobile_phone"),
        ({"mobile_phone": "+13031234444"}, "message"),
        ({"mobile_phone": "+13031234444", "message": ""}, "message"),
        ({"mobile_phone": "+13031234444", "message": "x" * 201}, "message"),
        ({"mobile_phone": "303123444", "message": "Hi"}, "mobile_phone"),  # 9 digits
        ({"mobile_phone": "+44 20 7946 0958", "message": "Hi"}, "mobile_phone"),
        ({"customer_id": "", "message": "Hi"}, "customer_id"),
        ({"customer_id": "c1", "media_url": "http://example.com/a.jpg"}, "media_url"),
        ({"customer_id": "c1", "media_url": "ftp://example.com/a.jpg"}, "media_url"),
        ({"customer_id": "c1", "media_url": "https://"}, "media_url"),
        ({"customer_id": "c1", "media_url": "example.com/a.jpg"}, "media_url"),
        ({"customer_id": "c1", "media_url": ""}, "media_url"),
        (
            {"customer_id": "c1", "message": "x" * 201, "media_url": "https://e.com/a.jpg"},
            "message",
        ),
    ],
)
async def test_invalid_sends_send_nothing(
    httpx_mock: HTTPXMock, hb: HomebaseClient, kwargs: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as info:
        await hb.messages.send(**kwargs)
    assert info.value.field == field
    assert httpx_mock.get_requests() == []


async def test_negative_sms_counters_are_refused(httpx_mock: HTTPXMock, hb: HomebaseClient) -> None:
    # A schema-driven mock once answered perDay: -46156494 (issue 13); the spec says minimum 0.
    stats = {"limits": {"perDay": -46156494}, "usage": {"dailyUsed": 0, "dailyRemaining": 0}}
    httpx_mock.add_response(url=url("/messages/stats"), json=ok(stats))
    with pytest.raises(UnexpectedResponseError, match="below zero"):
        await hb.messages.stats()
    assert hb.messages.budget is None
