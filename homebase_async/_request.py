"""The one request path: client state, permit, deadline, retries, error mapping, telemetry.

Each SDK call is one loop of attempts (`Requester.call`). An attempt is two stages:

1. **Send**: under the client-wide permit and the request's deadline, the generated function
   sends the request; the response hook (`_http.response_hook`) reads the body with a size
   bound and raises the typed error of a non-2xx status. Transport failures of any library
   arrive as httpx errors (`_transport.GuardedTransport`) and are mapped here, in one place.
2. **Parse**: the generated code parses the 2xx body. Only there does an error that means "the
   body has the wrong shape" become `UnexpectedResponseError`; the same exception raised
   before a 2xx response arrived is a bug and propagates as it is.

Every retry decision is a pure function of `_retry`, and `Requester._retry` is the one loop
that acts on them: a plain loop whose sleep is `_retry.retry_sleep` (replaceable, so tests run
without sleeping). There is no retry library under it: the decisions (which failure, how long,
`Retry-After`, the budget, the time limit) were already all ours, and the first attempt runs
with no retry machinery at all, which is most calls (see the README's "Retries").

`aclose()` with calls in flight: every task inside `Requester.call` is registered in the
client's `ClientState`; closing cancels them, and the cancellation ends here as
`ClientClosedError` (a write whose request may have gone out: `WriteOutcomeUnknownError`).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import attrs
import httpx
from homebase_api.client import AuthenticatedClient
from homebase_api.types import Response

from ._call_state import (
    SHAPE_ERRORS,
    CallRecord,
    Capture,
    ClientState,
    Operation,
    Shared,
    raw_capture,
)
from ._config import RetryPolicy, Settings
from ._errors import (
    APIStatusError,
    DailyLimitExceededError,
    HomebaseError,
    RateLimitError,
    RequestTimeoutError,
    UnexpectedResponseError,
    WriteOutcomeUnknownError,
    request_id_of,
)
from ._events import SdkEvent
from ._http import Exchange, current_exchange
from ._ratelimit import Throttle
from ._retry import (
    REQUEUES,
    Kind,
    RetryBudget,
    Stop,
    backoff,
    is_sms_quota,
    next_wait,
    outcome_unknown,
    overload_pause,
    retry_sleep,
    retryable,
    server_wait,
)
from ._telemetry import Telemetry
from ._transport import map_transport_error

__all__ = [
    "SHAPE_ERRORS",
    "Capture",
    "ClientState",
    "Operation",
    "Requester",
    "Shared",
    "raw_capture",
]

_log = logging.getLogger("homebase_async")
T = TypeVar("T")
Send = Callable[[AuthenticatedClient], Awaitable[Response[Any]]]


def _status_of(exc: HomebaseError) -> int | str:
    """The status column of the attempt's log line: the HTTP status or the error's name."""
    if isinstance(exc, APIStatusError):
        return exc.status_code
    cause = exc.__cause__
    return type(cause).__name__ if cause is not None else type(exc).__name__


@attrs.define
class Requester:
    """Sends generated-client calls with the client-wide permit, retries and error mapping."""

    raw: AuthenticatedClient
    settings: Settings
    shared: Shared
    #: Counters for reports and benchmarks: logical calls, attempts, retries.
    stats: dict[str, int] = attrs.field(factory=lambda: {"calls": 0, "attempts": 0, "retries": 0})

    @property
    def policy(self) -> RetryPolicy | None:
        return self.settings.retry

    @property
    def max_concurrency(self) -> int:
        return self.settings.max_concurrency

    @property
    def throttle(self) -> Throttle:
        return self.shared.throttle

    @property
    def budget(self) -> RetryBudget:
        return self.shared.budget

    @property
    def permits(self) -> asyncio.Semaphore:
        return self.shared.permits

    async def call(self, op: Operation, send: Send) -> Response[Any]:
        """Run `send` under the retry policy; raise the typed error of the last failure."""
        state = self.shared.state
        state.check()
        self.stats["calls"] += 1
        call = CallRecord(op)
        task = asyncio.current_task()
        assert task is not None  # state.check() found a running loop
        calls = state.calls
        calls[task] = calls.get(task, 0) + 1
        try:
            telemetry = self.shared.telemetry
            if not telemetry.active:
                return await self._call(call, send)
            return await self._traced(telemetry, call, send)
        except asyncio.CancelledError:
            if task not in state.cancelled:
                raise
            # Cancelled by aclose(), not by the caller: the call ends as closed.
            state.cancelled.discard(task)
            task.uncancel()
            closed = state.closed_error()
            if op.kind is Kind.WRITE and call.sending:
                raise WriteOutcomeUnknownError(op.name, closed) from None
            raise closed from None
        finally:
            left = calls[task] - 1
            if left:
                calls[task] = left
            else:
                del calls[task]
                if task in state.cancelled:
                    # aclose()'s cancellation became another error inside a library: take it
                    # back, so the caller's own timeouts and task groups count right.
                    state.cancelled.discard(task)
                    task.uncancel()

    async def _traced(self, telemetry: Telemetry, call: CallRecord, send: Send) -> Response[Any]:
        with telemetry.call(call.op) as outcome:
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

    async def _call(self, call: CallRecord, send: Send) -> Response[Any]:
        op = call.op
        capture = raw_capture.get()
        if capture is not None:
            capture.call = call
        try:
            try:
                # The first attempt needs no retry state at all: most calls end here.
                return await self._attempt(call, send)
            except HomebaseError as first:
                policy = self.settings.retry
                if policy is None:
                    raise
                return await self._retry(call, send, policy, first)
        except HomebaseError as exc:
            if outcome_unknown(exc, op.kind):
                # A success status proves the write, whatever became of its body afterwards.
                answered = call.response is not None and call.response.is_success
                performed = True if answered or isinstance(exc, UnexpectedResponseError) else None
                raise WriteOutcomeUnknownError(op.name, exc, performed=performed) from exc
            raise

    async def _retry(
        self, call: CallRecord, send: Send, policy: RetryPolicy, failure: HomebaseError
    ) -> Response[Any]:
        """The attempts after the first: decide, sleep, try again, until success or a stop."""
        op = call.op
        started = time.monotonic()
        while True:
            wait = next_wait(
                failure,
                op.kind,
                policy,
                attempt=call.attempts,
                elapsed=time.monotonic() - started,
                budget_allows=self.shared.budget.allows_retry,
            )
            if isinstance(wait, Stop):
                self._give_up(call, failure, wait.reason)
                raise failure
            self.stats["retries"] += 1
            self._scheduled(call, failure, wait)
            await retry_sleep(wait)
            try:
                return await self._attempt(call, send)
            except HomebaseError as exc:
                failure = exc

    async def _attempt(self, call: CallRecord, send: Send) -> Response[Any]:
        op = call.op
        call.attempts += 1
        self.stats["attempts"] += 1
        exchange = Exchange()
        token = current_exchange.set(exchange)
        started = time.perf_counter()
        status: int | str = "-"
        shared = self.shared
        try:
            async with shared.permits:
                call.sending = True
                response = await self._send(op, send, exchange)
                # Left True when cancelled: the request may have gone out (see `call`).
                call.sending = False
            status = response.status_code
        except HomebaseError as exc:
            call.sending = False
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
        shared.budget.on_success()
        shared.throttle.on_success()
        return response

    async def _send(self, op: Operation, send: Send, exchange: Exchange) -> Response[Any]:
        """One attempt's two stages; see the module docstring."""
        limit = self.settings.deadline
        try:
            async with asyncio.timeout(limit) as deadline:
                return await send(self.raw)
        except HomebaseError:
            raise
        except httpx.HTTPError as exc:
            raise map_transport_error(exc) from exc
        except TimeoutError as exc:
            if not deadline.expired():
                raise
            raise RequestTimeoutError(
                f"{op.name}: no complete answer within the {limit:g}s timeout"
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
            self.shared.budget.on_failure()
        pause = overload_pause(error, self.settings.retry)
        if pause is not None:
            self.shared.throttle.on_overload(pause)
            if pause:
                self.shared.events.emit(
                    SdkEvent(kind="pause", operation=op.name, attempt=0, wait=pause)
                )
        return error

    def _scheduled(self, call: CallRecord, exc: Exception, wait: float) -> None:
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
        events = self.shared.events
        if events.hooks:
            error = exc if isinstance(exc, HomebaseError) else None
            events.emit(
                SdkEvent(
                    kind="retry", operation=op.name, attempt=call.attempts, error=error, wait=wait
                )
            )

    def _give_up(self, call: CallRecord, exc: Exception, reason: str) -> None:
        if reason != "not retryable":
            _log.info("%s %s: %s, not retrying", call.op.method, call.op.path, reason)
        events = self.shared.events
        if events.hooks:
            error = exc if isinstance(exc, HomebaseError) else None
            events.emit(
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

        With retries off it is made once. A round is paid for like any retry: it needs the
        budget's permission, spends a token of it, and waits the policy's backoff first.
        """
        budget = self.shared.budget
        for round_ in range(rounds + 1):
            try:
                return await read()
            except HomebaseError as exc:
                policy = self.settings.retry
                if (
                    policy is None
                    or round_ >= rounds
                    or not retryable(exc, Kind.READ)
                    or not budget.allows_retry
                ):
                    raise
                budget.on_failure()
                self.stats["retries"] += 1
                wait = backoff(policy, round_ + 1)
                _log.info("bulk read failed (%s), asking again in %.2fs", type(exc).__name__, wait)
                await retry_sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover
