"""The one request path: client state, permit, deadline, retries, error mapping, telemetry.

Each SDK call is one loop of attempts (`Requester.call`). An attempt is two stages:

1. **Send**: under the client-wide permit and the request's deadline, the generated function
   sends the request; the response hook (`_http.response_hook`) reads the body with a size
   bound and raises the typed error of a non-2xx status. Transport failures of any library
   arrive as httpx errors (`_http.GuardedTransport`) and are mapped here, in one place.
2. **Parse**: the generated code parses the 2xx body. Only there does an error that means "the
   body has the wrong shape" become `UnexpectedResponseError`; the same exception raised
   before a 2xx response arrived is a bug and propagates as it is.

Every retry decision is a pure function of `_retry`; stamina does the sleeping.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import attrs
import httpx
import stamina
from homebase_api.client import AuthenticatedClient
from homebase_api.types import Response

from ._config import RetryPolicy
from ._errors import (
    APIStatusError,
    ClientClosedError,
    DailyLimitExceededError,
    HomebaseError,
    RateLimitError,
    RequestTimeoutError,
    UnexpectedResponseError,
    WriteOutcomeUnknownError,
    request_id_of,
)
from ._events import Events, SdkEvent
from ._http import Exchange, current_exchange, map_transport_error
from ._ratelimit import Throttle
from ._retry import (
    REQUEUES,
    Kind,
    RetryBudget,
    Stop,
    is_sms_quota,
    next_wait,
    outcome_unknown,
    overload_pause,
    retryable,
    server_wait,
)
from ._telemetry import Telemetry

__all__ = ["SHAPE_ERRORS", "Capture", "ClientState", "Operation", "Requester", "raw_capture"]

_log = logging.getLogger("homebase_async")
T = TypeVar("T")
Send = Callable[[AuthenticatedClient], Awaitable[Response[Any]]]
# What a body parser raises on a body of the wrong shape (RecursionError: deep nesting).
SHAPE_ERRORS = (ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError)


@attrs.frozen
class Operation:
    """One API operation, as the retry rules, the logs and the spans need to know it."""

    name: str  # the spec's operationId
    method: str
    path: str  # the URL template, e.g. /customers/{customerId}
    kind: Kind
    sms: bool = False


@attrs.define
class ClientState:
    """Whether a client may still be used, and the event loop it belongs to."""

    closed: bool = False
    loop: asyncio.AbstractEventLoop | None = None

    def check(self) -> None:
        if self.closed:
            raise ClientClosedError(
                "this HomebaseClient is closed (aclose() was called); make a new one"
            )
        loop = asyncio.get_running_loop()
        if self.loop is None:
            self.loop = loop
        elif self.loop is not loop:
            which = "a closed" if self.loop.is_closed() else "another"
            raise ClientClosedError(
                f"this HomebaseClient belongs to {which} event loop; "
                "make one client per event loop (its connections are bound to one)"
            )


@attrs.define
class _Call:
    """One SDK call across its attempts."""

    op: Operation
    attempts: int = 0
    response: httpx.Response | None = None


def _status_of(exc: HomebaseError) -> int | str:
    """The status column of the attempt's log line: the HTTP status or the error's name."""
    if isinstance(exc, APIStatusError):
        return exc.status_code
    cause = exc.__cause__
    return type(cause).__name__ if cause is not None else type(exc).__name__


@attrs.define
class Capture:
    """Set by a raw-response view around one method: the call the method made."""

    call: _Call | None = None


raw_capture: contextvars.ContextVar[Capture | None] = contextvars.ContextVar(
    "homebase_raw_capture", default=None
)


@attrs.define
class Requester:
    """Sends generated-client calls with the client-wide permit, retries and error mapping."""

    raw: AuthenticatedClient
    policy: RetryPolicy | None
    budget: RetryBudget
    permits: asyncio.Semaphore
    max_concurrency: int
    throttle: Throttle = attrs.field(factory=Throttle)
    state: ClientState = attrs.field(factory=ClientState)
    #: The whole request's deadline (connect, send, headers and body), in seconds.
    deadline: float | None = None
    events: Events = attrs.field(factory=Events)
    telemetry: Telemetry | None = None
    #: Counters for reports and benchmarks: logical calls, attempts, retries.
    stats: dict[str, int] = attrs.field(factory=lambda: {"calls": 0, "attempts": 0, "retries": 0})

    async def call(self, op: Operation, send: Send) -> Response[Any]:
        """Run `send` under the retry policy; raise the typed error of the last failure."""
        self.state.check()
        self.stats["calls"] += 1
        call = _Call(op)
        telemetry = self.telemetry
        if telemetry is None or not telemetry.active:
            return await self._call(call, send)
        with telemetry.call(op) as outcome:
            try:
                response = await self._call(call, send)
            except HomebaseError as exc:
                outcome["error"] = exc
                raise
            finally:
                outcome["attempts"] = call.attempts
                if call.response is not None:
                    outcome["status"] = call.response.status_code
            return response

    async def _call(self, call: _Call, send: Send) -> Response[Any]:
        op = call.op
        capture = raw_capture.get()
        if capture is not None:
            capture.call = call
        try:
            try:
                # The first attempt runs outside stamina: entering a retry context cost about
                # 7 % of a sequential loopback call in `make bench`, and most calls need none.
                return await self._attempt(call, send)
            except HomebaseError as first:
                if self.policy is None:
                    raise
                return await self._retry(call, send, self.policy, first)
        except HomebaseError as exc:
            if outcome_unknown(exc, op.kind):
                # A success status proves the write, whatever became of its body afterwards.
                answered = call.response is not None and call.response.is_success
                performed = True if answered or isinstance(exc, UnexpectedResponseError) else None
                raise WriteOutcomeUnknownError(op.name, exc, performed=performed) from exc
            raise

    async def _retry(
        self, call: _Call, send: Send, policy: RetryPolicy, first: HomebaseError
    ) -> Response[Any]:
        op = call.op
        started = time.monotonic()
        pending: HomebaseError | None = first

        def decide(exc: Exception) -> bool | float:
            wait = next_wait(
                exc,
                op.kind,
                policy,
                attempt=call.attempts,
                elapsed=time.monotonic() - started,
                budget_allows=self.budget.allows_retry,
            )
            if isinstance(wait, Stop):
                self._give_up(call, exc, wait.reason)
                return False
            self.stats["retries"] += 1
            self._scheduled(call, exc, wait)
            return wait

        async for attempt in stamina.retry_context(
            on=decide,
            # The caps are decided in `next_wait`; stamina's own are only a backstop.
            attempts=policy.max_attempts,
            timeout=None,
            wait_initial=policy.initial_backoff,
            wait_max=policy.max_backoff,
            wait_jitter=policy.jitter,
        ):
            with attempt:
                if pending is not None:
                    # stamina's first attempt is the one already made: it decides on that
                    # failure, sleeps, and counts it against the attempt cap.
                    failure, pending = pending, None
                    raise failure
                return await self._attempt(call, send)
        raise AssertionError("unreachable: stamina either returns or raises")  # pragma: no cover

    async def _attempt(self, call: _Call, send: Send) -> Response[Any]:
        op = call.op
        call.attempts += 1
        self.stats["attempts"] += 1
        exchange = Exchange()
        token = current_exchange.set(exchange)
        started = time.perf_counter()
        status: int | str = "-"
        try:
            async with self.permits:
                response = await self._send(op, send, exchange)
            status = response.status_code
        except HomebaseError as exc:
            status = _status_of(exc)
            raise self._failed(op, exc) from exc.__cause__
        finally:
            current_exchange.reset(token)
            call.response = exchange.response or call.response
            if _log.isEnabledFor(logging.DEBUG):
                received = exchange.response
                request_id = request_id_of(received.headers) if received is not None else None
                _log.debug(
                    "%s %s -> %s attempt=%d duration=%.3fs%s",
                    op.method,
                    op.path,
                    status,
                    call.attempts,
                    time.perf_counter() - started,
                    f" request_id={request_id}" if request_id else "",
                )
        self.budget.on_success()
        self.throttle.on_success()
        return response

    async def _send(self, op: Operation, send: Send, exchange: Exchange) -> Response[Any]:
        """One attempt's two stages; see the module docstring."""
        try:
            async with asyncio.timeout(self.deadline) as deadline:
                return await send(self.raw)
        except HomebaseError:
            raise
        except httpx.HTTPError as exc:
            raise map_transport_error(exc) from exc
        except TimeoutError as exc:
            if not deadline.expired():
                raise
            raise RequestTimeoutError(
                f"{op.name}: no complete answer within the {self.deadline:g}s timeout"
            ) from exc
        except SHAPE_ERRORS as exc:
            received = exchange.response
            if received is None or not received.is_success:
                raise  # not from parsing a success body: a bug, not a bad server answer
            raise UnexpectedResponseError(
                f"{op.name}: the response body does not have the documented shape "
                f"({type(exc).__name__}: {str(exc)[:200]})"
            ) from None

    def _failed(self, op: Operation, error: HomebaseError) -> HomebaseError:
        if op.sms and isinstance(error, RateLimitError) and is_sms_quota(error):
            quota = DailyLimitExceededError(
                error.message,
                body=error.body,
                response=error.response,
                retry_after=error.retry_after,
            )
            quota.__cause__ = error.__cause__
            error = quota
        if retryable(error, op.kind):
            self.budget.on_failure()
        pause = overload_pause(error, self.policy)
        if pause is not None:
            self.throttle.on_overload(pause)
            if pause:
                self.events.emit(SdkEvent(kind="pause", operation=op.name, attempt=0, wait=pause))
        return error

    def _scheduled(self, call: _Call, exc: Exception, wait: float) -> None:
        op = call.op
        if _log.isEnabledFor(logging.INFO):
            _log.info(
                "%s %s: attempt %d failed (%s), sleep %.2fs%s",
                op.method,
                op.path,
                call.attempts,
                type(exc).__name__,
                wait,
                " (Retry-After)" if server_wait(exc) is not None else "",
            )
        if self.events.hooks:
            error = exc if isinstance(exc, HomebaseError) else None
            self.events.emit(
                SdkEvent(
                    kind="retry", operation=op.name, attempt=call.attempts, error=error, wait=wait
                )
            )

    def _give_up(self, call: _Call, exc: Exception, reason: str) -> None:
        if reason != "not retryable":
            _log.info("%s %s: %s, not retrying", call.op.method, call.op.path, reason)
        if self.events.hooks:
            error = exc if isinstance(exc, HomebaseError) else None
            self.events.emit(
                SdkEvent(
                    kind="give_up",
                    operation=call.op.name,
                    attempt=call.attempts,
                    error=error,
                    reason=reason,
                )
            )

    async def read_again(self, read: Callable[[], Awaitable[T]], *, rounds: int = REQUEUES) -> T:
        """`read` (a bulk read that already had its retries), made up to `rounds` more times
        while it fails transiently and the retry budget allows: each round counts as a retry.

        With retries off it is made once.
        """
        for round_ in range(rounds + 1):
            try:
                return await read()
            except HomebaseError as exc:
                if (
                    self.policy is None
                    or round_ >= rounds
                    or not retryable(exc, Kind.READ)
                    or not self.budget.allows_retry
                ):
                    raise
                self.stats["retries"] += 1
                _log.info("bulk read failed (%s), asking again", type(exc).__name__)
        raise AssertionError("unreachable")  # pragma: no cover
