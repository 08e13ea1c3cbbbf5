"""HomebaseClient: settings, lifecycle, and the resource attributes."""

from __future__ import annotations

import asyncio
import os
from types import TracebackType
from typing import Any, Self

import attrs
import httpx
from homebase_api.client import AuthenticatedClient
from homebase_api.models import PingData

from ._config import (
    DEFAULT_BASE_URL,
    DEFAULT_BUDGET_MAX_AGE,
    DEFAULT_KEEPALIVE_EXPIRY,
    DEFAULT_MAX_CONCURRENCY,
    DEFAULT_TIMEOUT,
    RetryPolicy,
    make_timeout,
)
from ._errors import ConfigurationError
from ._http import HttpBackend, build_httpx_client, build_transport, check_base_url
from ._logging import setup_from_env
from ._ratelimit import Throttle
from ._request import Requester
from ._resources import Customers, Jobs, Leads, Messages
from ._resources.auth import ping
from ._retry import RetryBudget
from ._sms_budget import BudgetTracker

__all__ = ["HomebaseClient"]

_USER_AGENT = "homebase-async/0.1"
_KEEP = object()


class _Secret(str):
    """The API key: its value goes on the wire, its repr never shows it."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "'***'"


@attrs.define
class _Shared:
    """What a client and its `with_options` copies share: the pool, permits and budget."""

    api_key: _Secret
    base_url: str
    transport: httpx.AsyncBaseTransport
    owns_transport: bool
    permits: asyncio.Semaphore
    budget: RetryBudget
    max_concurrency: int
    budget_max_age: float
    sms: BudgetTracker
    throttle: Throttle = attrs.field(factory=Throttle)
    closed: bool = False


class HomebaseClient:
    """Async client of the Homebase360 API. Use it as `async with HomebaseClient() as hb:`.

    `api_key` falls back to `HOMEBASE_API_KEY`, `base_url` to `HOMEBASE_BASE_URL` and then the
    production URL. Plain http is refused except to a loopback host. `max_concurrency` caps
    the requests in flight across the client (and sizes the connection pool); `retry=None`
    turns retries off. `transport` replaces the network (tests, the fake server).
    `http_backend` picks the connection pool: `"aiohttp"` (the default, also from
    `HOMEBASE_HTTP_BACKEND`) or httpx's own `"httpx"`, which mocking libraries such as
    pytest-httpx and respx intercept. The SMS budget
    (`hb.messages.budget`) is re-read from the server when older than `budget_max_age` s.
    """

    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str | None = None,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = RetryPolicy(),  # noqa: B008 - frozen, so safe to share
        max_concurrency: int = DEFAULT_MAX_CONCURRENCY,
        transport: httpx.AsyncBaseTransport | None = None,
        http_backend: HttpBackend | None = None,
        keepalive_expiry: float = DEFAULT_KEEPALIVE_EXPIRY,
        budget_max_age: float = DEFAULT_BUDGET_MAX_AGE,
    ) -> None:
        setup_from_env()
        key = api_key if api_key is not None else os.environ.get("HOMEBASE_API_KEY")
        if not key:
            raise ConfigurationError(
                "no API key: pass api_key=... or set the HOMEBASE_API_KEY environment variable"
            )
        url = check_base_url(base_url or os.environ.get("HOMEBASE_BASE_URL") or DEFAULT_BASE_URL)
        if isinstance(max_concurrency, bool) or not isinstance(max_concurrency, int):
            raise ConfigurationError(f"max_concurrency must be an int, got {max_concurrency!r}")
        if max_concurrency < 1:
            raise ConfigurationError(f"max_concurrency must be at least 1, got {max_concurrency}")
        if retry is not None and not isinstance(retry, RetryPolicy):
            raise ConfigurationError(f"retry must be a RetryPolicy or None, got {retry!r}")
        try:
            timeouts = make_timeout(timeout)
        except ValueError as exc:
            raise ConfigurationError(str(exc)) from None
        owns = transport is None
        if transport is None:
            # aiohttp's pool by default: httpx 0.28's own pool loses most of its throughput
            # past ~20 requests in flight (encode/httpx#3215; see the README's Performance).
            backend = http_backend or os.environ.get("HOMEBASE_HTTP_BACKEND") or "aiohttp"
            transport = build_transport(backend, max_concurrency, keepalive_expiry)
        shared = _Shared(
            api_key=_Secret(key),
            base_url=url,
            transport=transport,
            owns_transport=owns,
            permits=asyncio.Semaphore(max_concurrency),
            budget=RetryBudget.for_policy(retry or RetryPolicy()),
            max_concurrency=max_concurrency,
            budget_max_age=budget_max_age,
            sms=BudgetTracker(max_age=budget_max_age),
        )
        self._setup(shared, timeouts, retry)

    def _setup(self, shared: _Shared, timeout: httpx.Timeout, retry: RetryPolicy | None) -> None:
        self._shared = shared
        self._timeout = timeout
        self._retry = retry
        self._httpx = build_httpx_client(
            base_url=shared.base_url,
            api_key=shared.api_key,
            timeout=timeout,
            transport=shared.transport,
            user_agent=_USER_AGENT,
        )
        #: The generated AuthenticatedClient on this client's connection pool. Non-2xx
        #: responses raise this SDK's typed errors there too.
        self.raw: AuthenticatedClient = AuthenticatedClient(
            base_url=shared.base_url,
            token=shared.api_key,
            prefix="",
            auth_header_name="x-api-key",
        ).set_async_httpx_client(self._httpx)
        self._requester = Requester(
            raw=self.raw,
            policy=retry,
            budget=shared.budget,
            permits=shared.permits,
            max_concurrency=shared.max_concurrency,
            throttle=shared.throttle,
        )
        self.customers = Customers(self._requester)
        self.jobs = Jobs(self._requester)
        self.leads = Leads(self._requester)
        self.messages = Messages(self._requester, shared.sms)

    def with_options(self, *, timeout: Any = _KEEP, retry: Any = _KEEP) -> HomebaseClient:
        """A copy with other settings that shares the connection pool, permits and budget.

        The retry budget stays the client's: a new `retry` policy changes attempts and waits,
        not the budget's size.
        """
        copy = object.__new__(HomebaseClient)
        try:
            new_timeout = self._timeout if timeout is _KEEP else make_timeout(timeout)
        except ValueError as exc:
            raise ConfigurationError(str(exc)) from None
        new_retry = self._retry if retry is _KEEP else retry
        if new_retry is not None and not isinstance(new_retry, RetryPolicy):
            raise ConfigurationError(f"retry must be a RetryPolicy or None, got {new_retry!r}")
        copy._setup(self._shared, new_timeout, new_retry)
        return copy

    @property
    def base_url(self) -> str:
        """The API's base URL this client talks to."""
        return self._shared.base_url

    @property
    def max_concurrency(self) -> int:
        """The most requests in flight at once across this client and its copies."""
        return self._shared.max_concurrency

    @property
    def stats(self) -> dict[str, int]:
        """Counters of this client view: logical calls, attempts and retries.

        After bulk iteration a `requests` key also counts the pagination requests made.
        """
        return dict(self._requester.stats)

    async def ping(self) -> PingData:
        """Check the API key: the business it belongs to, or AuthenticationError."""
        return await ping(self._requester)

    async def aclose(self) -> None:
        """Close the connection pool (once, whichever copy closes it)."""
        if self._shared.closed:
            return
        self._shared.closed = True
        if self._shared.owns_transport:
            await self._shared.transport.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return (
            f"HomebaseClient(base_url={self._shared.base_url!r}, "
            f"max_concurrency={self._shared.max_concurrency}, retry={self._retry!r})"
        )
