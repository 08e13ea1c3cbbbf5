"""Constants and helpers of the fake server's tests."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx

from homebase_async.testing import FakeHomebase

NOW = datetime(2024, 1, 15, 14, 30, tzinfo=UTC)
MOBILE = "+13038284444"
ITEM: dict[str, Any] = {
    "name": "Window Cleaning",
    "description": "Cleaning all windows",
    "quantity": 1,
    "unitPrice": "150.00",
    "taxRate": {"name": "Standard", "rate": "7.00"},
}


def client_for(fake: FakeHomebase, *, timeout: float = 5.0) -> httpx.AsyncClient:
    """An httpx client on the fake's in-process transport, with its API key."""
    return httpx.AsyncClient(
        transport=fake.transport(),
        base_url=fake.base_url,
        headers={"x-api-key": fake.api_key},
        timeout=timeout,
    )


def data(response: httpx.Response) -> Any:
    """The `data` of a success envelope, checking the envelope on the way."""
    body = response.json()
    assert body["success"] is True, body
    return body["data"]


def error(response: httpx.Response, status: int) -> str:
    """The message of an error envelope with `status`."""
    assert response.status_code == status, response.text
    body = response.json()
    assert body["success"] is False
    assert isinstance(body["error"], str)
    return str(body["error"])
