"""Helpers of the SDK-against-the-fake tests (their fixtures live in each module)."""

from __future__ import annotations

from typing import Any

import httpx
from _support import API_KEY

from homebase_async import HomebaseClient, RetryPolicy
from homebase_async.testing import FakeHomebase

# The fake answers any host; a loopback one passes the client's https-or-loopback rule.
FAKE_URL = "http://127.0.0.1/api/v1"
# Enough budget that the fault rates of these tests never throttle retries.
GENEROUS = RetryPolicy(max_attempts=8, budget_tokens=1_000)


def new_fake(**kwargs: Any) -> FakeHomebase:
    """A fake for this client's key, in the random list order a client must survive."""
    return FakeHomebase(API_KEY, order="random", seed=11, **kwargs)


def sdk_for(fake: FakeHomebase, **kwargs: Any) -> HomebaseClient:
    """A client on the fake's in-process transport (faults become network failures)."""
    kwargs.setdefault("retry", GENEROUS)
    return HomebaseClient(API_KEY, base_url=FAKE_URL, transport=fake.transport(), **kwargs)


class DownFor(httpx.AsyncBaseTransport):
    """Answers the first `count` requests with `status`, then passes them to `inner`."""

    def __init__(self, inner: httpx.AsyncBaseTransport, count: int, status: int) -> None:
        self.inner, self.count, self.status = inner, count, status

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.count > 0:
            self.count -= 1
            return httpx.Response(self.status, json={"success": False, "error": "down"})
        return await self.inner.handle_async_request(request)
