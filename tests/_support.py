"""Shared constants and payloads of the facade tests (the spec's own examples)."""

from __future__ import annotations

import copy
import json
from typing import Any

import httpx

# Distinctive, so a leak into a log line, a repr or an error message is easy to spot.
API_KEY = "hb-test-key-Zq8vX3tKp9"
BASE_URL = "http://127.0.0.1/api/v1"


def url(path: str, **params: Any) -> httpx.URL:
    """The absolute URL of an API path with query parameters, as the client sends it."""
    return httpx.URL(BASE_URL + path, params=params or None)


def only_request(httpx_mock: Any) -> httpx.Request:
    """The one request a test expected to be sent."""
    [request] = httpx_mock.get_requests()
    return request


def sent_json(httpx_mock: Any) -> Any:
    """The JSON body of the one request sent (declared as JSON)."""
    request = only_request(httpx_mock)
    assert request.headers["content-type"] == "application/json"
    return json.loads(request.content)


def ok(data: Any) -> dict[str, Any]:
    """The success envelope around `data`."""
    return {"success": True, "data": copy.deepcopy(data)}


def fail(message: str) -> dict[str, Any]:
    """The error envelope."""
    return {"success": False, "error": message}


CUSTOMER: dict[str, Any] = {
    "customerId": "Ekk9AvDeDihAEU8CMT0W",
    "businessId": "xsUrbqrcTQSyFjJOtpEZyC0BUUK2",
    "firstName": "John",
    "lastName": "Smith",
    "displayName": "John Smith",
    "phone": {"mobile": "+13038284444", "home": "+13035551234", "work": "", "additional": ""},
    "email": ["john.smith@example.com"],
    "address": ["123 Main St, Denver, CO 80202"],
    "notifications": True,
    "notes": "Prefers afternoon appointments",
    "tags": ["VIP", "Referral"],
    "attachments": [],
    "dateAdded": "2023-04-15T10:30:00Z",
    "lastUpdated": "2023-04-20T15:45:00Z",
    "lastJob": "2023-04-18T09:00:00Z",
}

LINE_ITEM: dict[str, Any] = {
    "name": "Window Cleaning",
    "description": "Cleaning all windows",
    "quantity": 1,
    "unitPrice": "150.00",
    "taxRate": {"name": "Standard", "rate": "7.00"},
}

JOB: dict[str, Any] = {
    "jobId": "jKv8AvFrRihBTU7CMQ9Z",
    "businessId": "xsUrbqrcTQSyFjJOtpEZyC0BUUK2",
    "customerId": "Ekk9AvDeDihAEU8CMT0W",
    "customer": CUSTOMER,
    "lineItems": [LINE_ITEM],
    "start": "2023-05-15T14:30:00Z",
    "end": "2023-05-15T16:30:00Z",
    "jobTotal": 160.5,
    "note": "Please call customer before arrival",
    "timezone": "America/New_York",
    "isRecurring": False,
    "dateAdded": "2023-04-15T10:30:00Z",
    "lastUpdated": "2023-04-20T15:45:00Z",
}

LEAD: dict[str, Any] = {
    "leadId": "abc123",
    "leadNumber": 42,
    "customer": CUSTOMER,
    "status": "new",
    "lineItems": [LINE_ITEM],
    "note": "Customer interested in monthly service",
    "leadSource": "Online",
    "dateAdded": "2023-05-15T14:30:00Z",
    "lastUpdated": "2023-05-15T14:30:00Z",
}

SENT: dict[str, Any] = {
    "mobilePhone": "+13031234444",
    "customerId": "abc123",
    "timestamp": "2024-01-15T14:30:00.000Z",
    "rateLimits": {"dailyUsed": 5, "dailyLimit": 500},
}

STATS: dict[str, Any] = {
    "limits": {"perDay": 500},
    "usage": {"dailyUsed": 50, "dailyRemaining": 450},
}

PING: dict[str, Any] = {
    "message": "API authentication successful",
    "email": "your-business-email@example.com",
    "timestamp": "2023-11-07T19:43:00.000Z",
}

HTML_502 = """<html><head>
<meta http-equiv="content-type" content="text/html;charset=utf-8">
<title>502 Server Error</title>
</head>
<body text=#000000 bgcolor=#ffffff>
<h1>Error: Server Error</h1>
<h2>The server encountered a temporary error and could not complete your request.<p>Please try
again in 30 seconds.</h2>
</body></html>
"""


def expect_sms_budget(httpx_mock: Any, *, used: int = 0, limit: int = 500) -> None:
    """The `/messages/stats` read a client makes before its first send (the SMS budget)."""
    httpx_mock.add_response(
        method="GET",
        url=url("/messages/stats"),
        json=ok(
            {
                "limits": {"perDay": limit},
                "usage": {"dailyUsed": used, "dailyRemaining": limit - used},
            }
        ),
    )
