"""Several businesses behind one fake server: one API key each, each its own FakeHomebase.

A platform syncing many Homebase360 businesses talks to one API host with a key per
business; each business has its own customers, jobs and SMS quota. `FakeBusinesses` routes
each request by its `x-api-key` header to that business's fake, so every business keeps all
of FakeHomebase's behaviour (faults, orders, the SMS day), and a test inspects each one as
usual (`businesses["key-3"].customers`). One server, not one per business: a platform
configures one base URL, and twenty uvicorn servers would cost a test more than the routing.

```python
businesses = FakeBusinesses([f"key-{n}" for n in range(20)], sms_daily_limit=50)
async with businesses.serve() as base_url:
    ...  # HomebaseClient("key-3", base_url=base_url) sees business 3 only
```
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, ClassVar

import httpx
from starlette.types import ASGIApp, Receive, Scope, Send

from ._fake import FakeHomebase
from ._server import serve

__all__ = ["FakeBusinesses"]


class FakeBusinesses(Mapping[str, FakeHomebase]):
    """One fake per API key, served together; `**options` go to every FakeHomebase."""

    base_url: ClassVar[str] = FakeHomebase.base_url

    def __init__(self, api_keys: Iterable[str], **options: Any) -> None:
        self._fakes = {key: FakeHomebase(key, **options) for key in api_keys}
        if not self._fakes:
            raise ValueError("FakeBusinesses needs at least one API key")
        # A request with no key, or another key, reaches the first fake, which answers 401.
        self._fallback = next(iter(self._fakes.values()))

    def __getitem__(self, api_key: str) -> FakeHomebase:
        return self._fakes[api_key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._fakes)

    def __len__(self) -> int:
        return len(self._fakes)

    def _pick(self, headers: Iterable[tuple[bytes, bytes]]) -> FakeHomebase:
        for name, value in headers:
            if name.lower() == b"x-api-key":
                return self._fakes.get(value.decode("latin-1"), self._fallback)
        return self._fallback

    @property
    def app(self) -> ASGIApp:
        """The ASGI app: each request to its business's fake, faults included."""
        return _Router(self)

    async def route(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Hand one ASGI request to the fake of its `x-api-key` (the first fake otherwise)."""
        if scope["type"] != "http":
            await self._fallback.app(scope, receive, send)
            return
        await self._pick(scope.get("headers", [])).app(scope, receive, send)

    def transport(self) -> httpx.AsyncBaseTransport:
        """An in-process httpx transport routing by key (each fake's faults apply)."""
        return _Routing({key: fake.transport() for key, fake in self._fakes.items()})

    def serve(
        self, *, host: str = "127.0.0.1", port: int = 0, keep_alive_timeout: float = 5.0
    ) -> contextlib.AbstractAsyncContextManager[str]:
        """Serve every business over HTTP with uvicorn in the running loop; yields the base
        URL."""
        return serve(self.app, host=host, port=port, keep_alive_timeout=keep_alive_timeout)


class _Router:
    # An object with an async __call__: how uvicorn recognises an ASGI 3 app.
    def __init__(self, businesses: FakeBusinesses) -> None:
        self._businesses = businesses

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self._businesses.route(scope, receive, send)


class _Routing(httpx.AsyncBaseTransport):
    def __init__(self, transports: Mapping[str, httpx.AsyncBaseTransport]) -> None:
        self._transports = transports
        self._fallback = next(iter(transports.values()))

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        key = request.headers.get("x-api-key", "")
        return await self._transports.get(key, self._fallback).handle_async_request(request)

    async def aclose(self) -> None:
        for transport in self._transports.values():
            await transport.aclose()
