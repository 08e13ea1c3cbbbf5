"""The daily SMS budget: what is known of the quota, and reservations against it.

One `BudgetTracker` per client, built with the client's settings and shared by every
`with_options` copy; `Messages` only uses it. The reservations themselves (a count and the
lock that makes "check, then take one" atomic) sit behind `LocalReservations`, a small class
of their own, so a store shared by several processes can take their place.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from collections.abc import AsyncIterator, Awaitable, Callable

import attrs

from ._errors import DailyLimitExceededError, UnexpectedResponseError

__all__ = ["BudgetTracker", "Load", "LocalReservations", "Reading", "SmsBudget"]


@attrs.frozen
class Reading:
    """One reading of `/messages/stats`: `perDay`, `dailyUsed`, `dailyRemaining`."""

    limit: int
    used: int
    remaining: int | None = None


#: Reads today's quota from the server (a `Reading`, or `(limit, used)` as before 0.3).
Load = Callable[[], Awaitable[Reading | tuple[int, int]]]


@attrs.frozen(kw_only=True)
class SmsBudget:
    """What is known of today's SMS quota: `limit`, `used`, `remaining`, when it was checked.

    `cap` is the limit the server's own `dailyRemaining` implies (`used + dailyRemaining` at
    the last reading), when it says less than `limit - used`: the smaller one counts.
    """

    limit: int
    used: int
    checked_at: dt.datetime
    cap: int | None = None

    @property
    def remaining(self) -> int:
        ceiling = self.limit if self.cap is None else min(self.limit, self.cap)
        return max(0, ceiling - self.used)


class LocalReservations:
    """Messages reserved and not yet settled, in this process: a count under one lock.

    `exclusive()` holds the lock around "read the budget, compare, take one"; `take` and
    `release` change the count. A shared store (several workers of one business) implements
    the same four members.
    """

    def __init__(self) -> None:
        self._count = 0
        self._lock = asyncio.Lock()

    @property
    def in_flight(self) -> int:
        return self._count

    def exclusive(self) -> contextlib.AbstractAsyncContextManager[None]:
        return _locked(self._lock)

    def take(self) -> None:
        self._count += 1

    def release(self) -> None:
        self._count = max(0, self._count - 1)


@contextlib.asynccontextmanager
async def _locked(lock: asyncio.Lock) -> AsyncIterator[None]:
    async with lock:
        yield


def _counter(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class BudgetTracker:
    """The SMS budget, with atomic reservations so concurrent sends never overshoot it.

    Loaded from `/messages/stats` on first use and again when stale (older than `max_age`,
    or from a previous UTC day: the quota is taken to reset at UTC midnight), kept current
    from each send's `rateLimits`.
    """

    def __init__(self, *, max_age: float, reservations: LocalReservations | None = None) -> None:
        self.max_age = max_age
        self.known: SmsBudget | None = None
        self.reservations = reservations or LocalReservations()

    @property
    def in_flight(self) -> int:
        """Messages reserved and not yet settled (sending now)."""
        return self.reservations.in_flight

    def _stale(self, now: dt.datetime) -> bool:
        known = self.known
        return (
            known is None
            or known.checked_at.date() != now.date()
            or (now - known.checked_at).total_seconds() > self.max_age
        )

    async def reserve(self, load: Load) -> None:
        """Take one message of budget, or raise DailyLimitExceededError without sending.

        `load` reads the quota from the server when what is known is stale.
        """
        reservations = self.reservations
        async with reservations.exclusive():
            now = dt.datetime.now(dt.UTC)
            if self._stale(now) and reservations.in_flight == 0:
                read = await load()
                reading = read if isinstance(read, Reading) else Reading(*read)
                self.known = _budget(reading, now)
            known = self.known
            assert known is not None
            if known.remaining - reservations.in_flight <= 0:
                raise DailyLimitExceededError(
                    f"daily SMS budget used up ({known.used} of {known.limit}, "
                    f"{known.remaining} remaining); not sent",
                    body=None,
                )
            reservations.take()

    def settle(self, *, used: int | None = None, limit: int | None = None, counted: bool) -> None:
        """Release a reservation; `used`/`limit` from the server, or count it if unknown."""
        self.reservations.release()
        known = self.known
        if known is None:
            return
        new_used = known.used + (1 if counted else 0) if used is None else max(known.used, used)
        self.known = attrs.evolve(known, used=new_used, limit=limit or known.limit)

    def settle_sent(self, limits: object) -> None:
        """Release the reservation of a send the server accepted (2xx), from its `rateLimits`.

        The send counts whatever its counters say. Counters that are not integers raise
        UnexpectedResponseError naming the field, after the reservation is released;
        counters below zero (the spec's minimum is 0) are ignored, the send still counted.
        """
        used = getattr(limits, "daily_used", None)
        limit = getattr(limits, "daily_limit", None)
        if used is None and limit is None and not hasattr(limits, "daily_used"):
            self.settle(counted=True)  # no rateLimits in the answer: count it ourselves
            return
        bad = [
            name
            for name, value in (("dailyUsed", used), ("dailyLimit", limit))
            if not _counter(value)
        ]
        if bad:
            self.settle(counted=True)
            shown = ", ".join(
                f"rateLimits.{n} = {v!r:.40}"
                for n, v in (("dailyUsed", used), ("dailyLimit", limit))
                if n in bad
            )
            raise UnexpectedResponseError(
                f"sendMessage: {shown}: the spec says an integer; the message was sent"
            )
        assert isinstance(used, int)
        assert isinstance(limit, int)
        if min(used, limit) < 0:
            self.settle(counted=True)
        else:
            self.settle(used=used, limit=limit, counted=True)

    def observe(self, *, limit: int, used: int, remaining: int | None = None) -> None:
        """Take in a reading of `/messages/stats` made outside a reservation."""
        now = dt.datetime.now(dt.UTC)
        known = self.known
        if known is not None and known.checked_at.date() == now.date():
            # Sends of ours still in flight may not be counted by the server yet.
            used = max(used, known.used)
        self.known = _budget(Reading(limit, used, remaining), now)

    def exhaust(self) -> None:
        """The server said the quota is reached."""
        self.reservations.release()
        if self.known is not None:
            self.known = attrs.evolve(self.known, used=self.known.limit)


def _budget(reading: Reading, now: dt.datetime) -> SmsBudget:
    """The budget of a reading: the smallest of what its counters say remains."""
    cap = None
    if reading.remaining is not None and reading.remaining < reading.limit - reading.used:
        cap = reading.used + reading.remaining
    return SmsBudget(limit=reading.limit, used=reading.used, checked_at=now, cap=cap)
