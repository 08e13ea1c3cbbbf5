"""The one request path: concurrency permit, retry policy, error mapping, logging."""

from __future__ import annotations

import asyncio
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
    DailyLimitExceededError,
    HomebaseError,
    RateLimitError,
    UnexpectedResponseError,
    WriteOutcomeUnknownError,
)
from ._http import map_transport_error
from ._ratelimit import Throttle
from ._retry import Kind, RetryBudget, describe_wait, outcome_unknown, retry_wait

__all__ = ["Operation", "Requester"]

_log = logging.getLogger("homebase_async")
T = TypeVar("T")
Send = Callable[[AuthenticatedClient], Awaitable[Response[Any]]]


@attrs.frozen
class Operation:
    """One API operation, as the retry rules and the logs need to know it."""

    name: str
    method: str
    path: str
    kind: Kind
    sms: bool = False


def _sms_quota(error: RateLimitError) -> bool:
    """Whether a 429 from the send endpoint is the daily quota rather than load shedding.

    The quota is what the contract gives 429 for on send; a 429 that names no quota and asks
    to come back later (`Retry-After`) is taken as ordinary load shedding.
    """
    text = error.message.lower()
    return "daily" in text or "quota" in text or error.retry_after is None


@attrs.define
class Requester:
    """Sends generated-client calls with the client-wide permit, retries and error mapping."""

    raw: AuthenticatedClient
    policy: RetryPolicy | None
    budget: RetryBudget
    permits: asyncio.Semaphore
    max_concurrency: int
    throttle: Throttle = attrs.field(factory=Throttle)
    #: Counters for reports and benchmarks: logical calls, attempts, retries.
    stats: dict[str, int] = attrs.field(factory=lambda: {"calls": 0, "attempts": 0, "retries": 0})

    async def call(self, op: Operation, send: Send) -> Response[Any]:
        """Run `send` under the retry policy; raise the typed error of the last failure."""
        self.stats["calls"] += 1
        try:
            try:
                # The first attempt runs outside stamina: entering a retry context cost about
                # 7 % of a sequential loopback call in `make bench`, and most calls need none.
                return await self._attempt(op, send, 1)
            except HomebaseError as first:
                if self.policy is None:
                    raise
                return await self._retry(op, send, self.policy, first)
        except HomebaseError as exc:
            if outcome_unknown(exc, op.kind):
                raise WriteOutcomeUnknownError(op.name, exc) from exc
            raise

    async def _retry(
        self, op: Operation, send: Send, policy: RetryPolicy, first: HomebaseError
    ) -> Response[Any]:
        number = 1
        started = time.monotonic()
        pending: HomebaseError | None = first

        def decide(exc: Exception) -> bool | float:
            wait = retry_wait(exc, op.kind, policy)
            if wait is False:
                return False
            # stamina stops here anyway; deciding it first keeps the retry count and the
            # log honest (no "sleep" line, no retry counted, for a retry that never runs).
            if number >= policy.max_attempts:
                return False
            if time.monotonic() - started >= policy.total_timeout:
                _log.info("%s: retry time limit reached, not retrying", op.name)
                return False
            if not self.budget.allows_retry:
                _log.info("%s: retry budget spent, not retrying", op.name)
                return False
            self.stats["retries"] += 1
            if _log.isEnabledFor(logging.INFO):
                _log.info(
                    "%s %s: attempt %d failed (%s), sleep %s",
                    op.method,
                    op.path,
                    number,
                    type(exc).__name__,
                    describe_wait(wait, policy, number),
                )
            return wait

        async for attempt in stamina.retry_context(
            on=decide,
            attempts=policy.max_attempts,
            timeout=policy.total_timeout,
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
                number += 1
                return await self._attempt(op, send, number)
        raise AssertionError("unreachable: stamina either returns or raises")  # pragma: no cover

    async def _attempt(self, op: Operation, send: Send, number: int) -> Response[Any]:
        self.stats["attempts"] += 1
        started = time.perf_counter()
        status: int | str = "-"
        try:
            async with self.permits:
                response = await send(self.raw)
            status = response.status_code
        except HomebaseError as exc:
            status = exc.status_code if isinstance(exc, APIStatusError) else type(exc).__name__
            raise self._failed(op, exc) from exc.__cause__
        except httpx.HTTPError as exc:
            status = type(exc).__name__
            raise self._failed(op, map_transport_error(exc)) from exc
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            # The generated parser met a success body of the wrong shape.
            status = "unparsable"
            raise UnexpectedResponseError(
                f"{op.name}: the response body does not have the documented shape ({exc!r})"
            ) from exc
        finally:
            _log.debug(
                "%s %s -> %s attempt=%d duration=%.3fs",
                op.method,
                op.path,
                status,
                number,
                time.perf_counter() - started,
            )
        self.budget.on_success()
        self.throttle.on_success()
        return response

    def _failed(self, op: Operation, error: HomebaseError) -> HomebaseError:
        if op.sms and isinstance(error, RateLimitError) and _sms_quota(error):
            error = DailyLimitExceededError(
                error.message,
                body=error.body,
                response=error.response,
                retry_after=error.retry_after,
            )
        if retry_wait(error, op.kind, self.policy or RetryPolicy()) is not False:
            self.budget.on_failure()
        overloaded = isinstance(error, APIStatusError) and error.status_code in (429, 503)
        if overloaded and not isinstance(error, DailyLimitExceededError):
            retry_after = getattr(error, "retry_after", None)
            if retry_after is not None and self.policy is not None:
                # A wait beyond the policy's maximum was refused for this call (RateLimitError);
                # bulk work pauses no longer than the policy would have slept.
                retry_after = min(retry_after, self.policy.max_retry_after)
            self.throttle.on_overload(retry_after)
        return error
