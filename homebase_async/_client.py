"""HomebaseClient: settings, lifecycle, and the resource attributes."""

from __future__ import annotations

import asyncio
import enum
import os
from collections.abc import Callable, Mapping, Sequence
from importlib.metadata import version
from types import TracebackType
from typing import Final, Self

import attrs
import httpx
from homebase_api.client import AuthenticatedClient
from homebase_api.models import PingData

from ._config import (
    DEFAULT_BASE_URL,
    DEFAULT_BUDGET_MAX_AGE,
    DEFAULT_KEEPALIVE_EXPIRY,
    DEFAULT_MAX_CONCURRENCY,
    DEFAULT_MAX_RESPONSE_SIZE,
    DEFAULT_TIMEOUT,
    HttpBackend,
    RetryPolicy,
    Settings,
    proxy_label,
)
from ._errors import ConfigurationError
from ._events import Events
from ._http import build_httpx_client, install_log_redaction
from ._logging import setup_from_env
from ._raw import RawResponseView
from ._request import Requester, Shared
from ._resources import Customers, Jobs, Leads, Messages
from ._resources.auth import ping
from ._retry import RetryBudget
from ._sms_budget import BudgetTracker
from ._telemetry import Telemetry
from ._transport import GuardedTransport, build_transport, resolve_proxy

__all__ = ["NOT_GIVEN", "HomebaseClient", "NotGiven"]

_USER_AGENT = f"homebase-async/{version('homebase-async')}"
EventHooks = Mapping[str, Sequence[Callable[..., object]]]


class NotGiven(enum.Enum):
    """The type of `NOT_GIVEN`: "keep this setting" in `with_options` (None means "none")."""

    NOT_GIVEN = "NOT_GIVEN"

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: Final = NotGiven.NOT_GIVEN


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
    `proxy` sends every request through an http(s) proxy; without it, `trust_env=True` (the
    default) takes the proxy from `HTTPS_PROXY`/`ALL_PROXY`/`HTTP_PROXY` and honours
    `NO_PROXY`, on both backends, as httpx and aiohttp do.
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
        max_response_size: int = DEFAULT_MAX_RESPONSE_SIZE,
        event_hooks: EventHooks | None = None,
        headers: Mapping[str, str] | None = None,
        proxy: str | None = None,
        trust_env: bool = True,
    ) -> None:
        setup_from_env()
        settings = Settings(
            api_key=api_key if api_key is not None else os.environ.get("HOMEBASE_API_KEY"),
            base_url=base_url or os.environ.get("HOMEBASE_BASE_URL") or DEFAULT_BASE_URL,
            timeout=timeout,
            retry=retry,
            headers=headers or {},
            max_concurrency=max_concurrency,
            max_response_size=max_response_size,
            keepalive_expiry=keepalive_expiry,
            budget_max_age=budget_max_age,
            # aiohttp's pool by default: httpx 0.28's own pool loses most of its throughput
            # past ~20 requests in flight (encode/httpx#3215; see the README's Performance).
            http_backend=http_backend or os.environ.get("HOMEBASE_HTTP_BACKEND") or "aiohttp",  # type: ignore[arg-type]
            proxy=proxy,
            trust_env=trust_env,
        )
        events, httpx_hooks = Events.split(event_hooks)
        if transport is not None and settings.proxy is not None:
            raise ConfigurationError(
                "proxy= configures the SDK's own connection pool; with transport=, set the "
                "proxy on that transport"
            )
        owns = transport is None
        proxy = None
        if transport is None:
            proxy = resolve_proxy(settings)
            transport = build_transport(settings, proxy)
        install_log_redaction()
        shared = Shared(
            # Every transport, the caller's too, so no library's own errors reach the caller.
            transport=GuardedTransport(transport, proxy=proxy),
            proxy=proxy,
            owns_transport=owns,
            permits=asyncio.Semaphore(settings.max_concurrency),
            budget=RetryBudget.for_policy(settings.retry or RetryPolicy()),
            sms=BudgetTracker(max_age=settings.budget_max_age),
            events=events,
            httpx_hooks=httpx_hooks,
            telemetry=Telemetry(settings.base_url),
        )
        self._setup(settings, shared)

    def _setup(self, settings: Settings, shared: Shared) -> None:
        #: Every setting of this client (or copy), frozen: `with_options` evolves it.
        self.settings = settings
        self._shared = shared
        self._httpx = build_httpx_client(
            settings,
            transport=shared.transport,
            user_agent=_USER_AGENT,
            event_hooks=shared.httpx_hooks,  # type: ignore[arg-type]
        )
        #: The generated AuthenticatedClient on this client's connection pool. Non-2xx
        #: responses raise this SDK's typed errors there too.
        self.raw: AuthenticatedClient = AuthenticatedClient(
            base_url=settings.base_url,
            token=settings.api_key,
            prefix="",
            auth_header_name="x-api-key",
        ).set_async_httpx_client(self._httpx)
        self._requester = Requester(self.raw, settings, shared)
        self.customers = Customers(self._requester)
        self.jobs = Jobs(self._requester)
        self.leads = Leads(self._requester)
        self.messages = Messages(self._requester, shared.sms)

    def with_options(
        self,
        *,
        timeout: float | httpx.Timeout | NotGiven = NOT_GIVEN,
        retry: RetryPolicy | NotGiven | None = NOT_GIVEN,
        headers: Mapping[str, str] | NotGiven = NOT_GIVEN,
    ) -> HomebaseClient:
        """A copy with other settings that shares the connection pool, permits and budget.

        `headers` are added to every request of the copy (the API key and user agent stay the
        SDK's). The retry budget stays the client's: a new `retry` policy changes attempts and
        waits, not the budget's size.
        """
        changes: dict[str, object] = {}
        if timeout is not NOT_GIVEN:
            changes["timeout"] = timeout
        if retry is not NOT_GIVEN:
            changes["retry"] = retry
        if headers is not NOT_GIVEN:
            if not isinstance(headers, Mapping):
                raise ConfigurationError(f"headers must map str to str, got {headers!r}")
            changes["headers"] = {**self.settings.headers, **headers}
        copy = object.__new__(HomebaseClient)
        copy._setup(attrs.evolve(self.settings, **changes), self._shared)  # type: ignore[arg-type]
        return copy

    @property
    def with_raw_response(self) -> RawResponseView:
        """A view whose single-request methods return a `RawResponse` (result, status,
        headers, request id), still through the retries and the concurrency limit."""
        return RawResponseView(self)

    @property
    def base_url(self) -> str:
        """The API's base URL this client talks to."""
        return self.settings.base_url

    @property
    def proxy(self) -> str | None:
        """The proxy requests go through (from `proxy=` or the environment), without its
        credentials; None for a direct connection or a transport passed in."""
        proxy = self._shared.proxy
        return proxy_label(proxy) if proxy else None

    @property
    def max_concurrency(self) -> int:
        """The most requests in flight at once across this client and its copies."""
        return self.settings.max_concurrency

    @property
    def stats(self) -> dict[str, int]:
        """Counters of this client view: logical calls, attempts and retries.

        After bulk iteration a `requests` key also counts the pagination requests made.
        """
        return dict(self._requester.stats)

    async def ping(self) -> PingData:
        """Check the API key: the business it belongs to, or AuthenticationError."""
        return await ping(self._requester)

    @property
    def closed(self) -> bool:
        """Whether `aclose()` was called (on this client or a copy)."""
        return self._shared.state.closed

    async def aclose(self) -> None:
        """Close the connection pool (once, whichever copy closes it).

        Afterwards every call raises `ClientClosedError`. Calls in flight end promptly: with
        `ClientClosedError`, or `WriteOutcomeUnknownError` for a create or send whose request
        may have gone out. A transport passed in by the caller is left open: it is the
        caller's to close.
        """
        state = self._shared.state
        if state.closed:
            return
        state.close()
        if state.calls:
            await asyncio.sleep(0)  # let the cancelled calls unwind before the pool goes
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
        settings = self.settings
        proxy = f", proxy={self.proxy!r}" if self.proxy else ""
        return (
            f"HomebaseClient(base_url={settings.base_url!r}, "
            f"max_concurrency={settings.max_concurrency}, retry={settings.retry!r}{proxy})"
        )
