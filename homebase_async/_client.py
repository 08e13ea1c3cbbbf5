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
    RetryPolicy,
    deadline_of,
    make_timeout,
)
from ._errors import ConfigurationError
from ._events import Events
from ._http import (
    GuardedTransport,
    HttpBackend,
    build_httpx_client,
    build_transport,
    check_base_url,
)
from ._logging import setup_from_env
from ._ratelimit import Throttle
from ._raw import RawResponseView
from ._request import ClientState, Requester
from ._resources import Customers, Jobs, Leads, Messages
from ._resources.auth import ping
from ._retry import RetryBudget
from ._sms_budget import BudgetTracker
from ._telemetry import Telemetry, inject_traceparent

__all__ = ["NOT_GIVEN", "HomebaseClient", "NotGiven"]

_USER_AGENT = f"homebase-async/{version('homebase-async')}"
EventHooks = Mapping[str, Sequence[Callable[..., object]]]


class NotGiven(enum.Enum):
    """The type of `NOT_GIVEN`: "keep this setting" in `with_options` (None means "none")."""

    NOT_GIVEN = "NOT_GIVEN"

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: Final = NotGiven.NOT_GIVEN


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
    max_response_size: int
    events: Events
    httpx_hooks: dict[str, list[Callable[..., object]]]
    telemetry: Telemetry
    throttle: Throttle = attrs.field(factory=Throttle)
    state: ClientState = attrs.field(factory=ClientState)


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
        max_response_size: int = DEFAULT_MAX_RESPONSE_SIZE,
        event_hooks: EventHooks | None = None,
        headers: Mapping[str, str] | None = None,
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
        if (
            isinstance(max_response_size, bool)
            or not isinstance(max_response_size, int)
            or max_response_size < 1024
        ):
            raise ConfigurationError(
                "max_response_size must be an int of at least 1024 bytes, "
                f"got {max_response_size!r}"
            )
        events, httpx_hooks = Events.split(event_hooks)
        owns = transport is None
        if transport is None:
            # aiohttp's pool by default: httpx 0.28's own pool loses most of its throughput
            # past ~20 requests in flight (encode/httpx#3215; see the README's Performance).
            backend = http_backend or os.environ.get("HOMEBASE_HTTP_BACKEND") or "aiohttp"
            transport = build_transport(backend, max_concurrency, keepalive_expiry)
        shared = _Shared(
            api_key=_Secret(key),
            base_url=url,
            # Every transport, the caller's too, so no library's own errors reach the caller.
            transport=GuardedTransport(transport),
            owns_transport=owns,
            permits=asyncio.Semaphore(max_concurrency),
            budget=RetryBudget.for_policy(retry or RetryPolicy()),
            max_concurrency=max_concurrency,
            budget_max_age=budget_max_age,
            sms=BudgetTracker(max_age=budget_max_age),
            max_response_size=max_response_size,
            events=events,
            httpx_hooks=httpx_hooks,
            telemetry=Telemetry(url),
        )
        self._setup(shared, timeouts, retry, dict(headers or {}))

    def _setup(
        self,
        shared: _Shared,
        timeout: httpx.Timeout,
        retry: RetryPolicy | None,
        headers: dict[str, str],
    ) -> None:
        self._shared = shared
        self._timeout = timeout
        self._retry = retry
        self._headers = headers
        hooks = {key: list(value) for key, value in shared.httpx_hooks.items()}
        hooks["request"] = [inject_traceparent, *hooks.get("request", [])]
        self._httpx = build_httpx_client(
            base_url=shared.base_url,
            api_key=shared.api_key,
            timeout=timeout,
            transport=shared.transport,
            user_agent=_USER_AGENT,
            max_response_size=shared.max_response_size,
            headers=headers,
            event_hooks=hooks,  # type: ignore[arg-type]
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
            state=shared.state,
            deadline=deadline_of(timeout),
            events=shared.events,
            telemetry=shared.telemetry,
        )
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
        copy = object.__new__(HomebaseClient)
        try:
            new_timeout = self._timeout if timeout is NOT_GIVEN else make_timeout(timeout)
        except ValueError as exc:
            raise ConfigurationError(str(exc)) from None
        new_retry = self._retry if retry is NOT_GIVEN else retry
        if new_retry is not None and not isinstance(new_retry, RetryPolicy):
            raise ConfigurationError(f"retry must be a RetryPolicy or None, got {new_retry!r}")
        if headers is NOT_GIVEN:
            new_headers = self._headers
        elif isinstance(headers, Mapping) and all(
            isinstance(k, str) and isinstance(v, str) for k, v in headers.items()
        ):
            new_headers = {**self._headers, **headers}
        else:
            raise ConfigurationError(f"headers must map str to str, got {headers!r}")
        copy._setup(self._shared, new_timeout, new_retry, new_headers)
        return copy

    @property
    def with_raw_response(self) -> RawResponseView:
        """A view whose single-request methods return a `RawResponse` (result, status,
        headers, request id), still through the retries and the concurrency limit."""
        return RawResponseView(self)

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

    @property
    def closed(self) -> bool:
        """Whether `aclose()` was called (on this client or a copy)."""
        return self._shared.state.closed

    async def aclose(self) -> None:
        """Close the connection pool (once, whichever copy closes it).

        Afterwards every call raises `ClientClosedError`. A transport passed in by the caller
        is left open: it is the caller's to close.
        """
        if self._shared.state.closed:
            return
        self._shared.state.closed = True
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
