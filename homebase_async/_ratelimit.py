"""Rate limits: `Retry-After` parsing, adaptive concurrency for bulk work, the bulk pause."""

from __future__ import annotations

import asyncio
import datetime as dt
import email.utils
import math
import time

__all__ = [
    "AdaptiveLimiter",
    "Throttle",
    "parse_retry_after",
]


def parse_retry_after(value: str | None, *, now: dt.datetime | None = None) -> float | None:
    """Seconds to wait from a `Retry-After` header, in delta-seconds or HTTP-date form.

    None when absent or unreadable; a date in the past gives 0.
    """
    if value is None:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:
        return seconds if math.isfinite(seconds) and seconds >= 0 else None
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    now = now or dt.datetime.now(dt.UTC)
    return max(0.0, (when - now).total_seconds())


class Throttle:
    """Client-wide overload signals for bulk work: AIMD limits and a shared pause.

    The request path reports every 429/503 and every success here; each bulk run registers an
    `AdaptiveLimiter` to hear them. A `Retry-After` pauses every bulk run of the client, since
    the server asked the client, not one task, to slow down.
    """

    def __init__(self) -> None:
        self.limiters: set[AdaptiveLimiter] = set()
        self.paused_until = 0.0

    def on_success(self) -> None:
        for limiter in self.limiters:
            limiter.grow()

    def on_overload(self, retry_after: float | None) -> None:
        now = time.monotonic()
        if retry_after:
            self.paused_until = max(self.paused_until, now + retry_after)
        for limiter in self.limiters:
            limiter.shrink(now)

    async def wait_if_paused(self) -> None:
        # A loop, not an Event: another 429 may push the deadline later while we sleep.
        while (delay := self.paused_until - time.monotonic()) > 0:  # noqa: ASYNC110
            await asyncio.sleep(delay)


class AdaptiveLimiter:
    """An in-flight cap that halves on overload and creeps back up on success (AIMD).

    It never exceeds `maximum`, and halves at most once per `cooldown` seconds, so one burst
    of failures from requests that were in flight together counts as one signal.
    """

    def __init__(self, maximum: int, *, cooldown: float = 0.5) -> None:
        self.maximum = maximum
        self.limit = float(maximum)
        self.in_flight = 0
        self.cooldown = cooldown
        self._last_shrink = -math.inf
        self._changed = asyncio.Condition()

    def grow(self) -> None:
        self.limit = min(float(self.maximum), self.limit + 1.0 / max(self.limit, 1.0))

    def shrink(self, now: float) -> None:
        if now - self._last_shrink >= self.cooldown:
            self._last_shrink = now
            self.limit = max(1.0, self.limit / 2)

    async def __aenter__(self) -> None:
        async with self._changed:
            await self._changed.wait_for(lambda: self.in_flight < int(self.limit))
            self.in_flight += 1

    async def __aexit__(self, *_exc: object) -> None:
        async with self._changed:
            self.in_flight -= 1
            self._changed.notify_all()
