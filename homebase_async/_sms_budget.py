"""The daily SMS budget: what is known of the quota, and reservations against it.

One `BudgetTracker` per client, built with the client's settings and shared by every
`with_options` copy; `Messages` only uses it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable

import attrs

from ._errors import DailyLimitExceededError

__all__ = ["BudgetTracker", "Load", "SmsBudget"]

#: Reads today's `(limit, used)` from the server.
Load = Callable[[], Awaitable[tuple[int, int]]]


@attrs.frozen(kw_only=True)
class SmsBudget:
    """What is known of today's SMS quota: `limit`, `used`, `remaining`, when it was checked."""

    limit: int
    used: int
    checked_at: dt.datetime

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.used)


class BudgetTracker:
    """The SMS budget, with atomic reservations so concurrent sends never overshoot it.

    Loaded from `/messages/stats` on first use and again when stale (older than `max_age`,
    or from a previous UTC day: the quota is taken to reset at UTC midnight), kept current
    from each send's `rateLimits`.
    """

    def __init__(self, *, max_age: float) -> None:
        self.max_age = max_age
        self.known: SmsBudget | None = None
        self._in_flight = 0
        self._lock = asyncio.Lock()

    @property
    def in_flight(self) -> int:
        """Messages reserved and not yet settled (sending now)."""
        return self._in_flight

    def _stale(self, now: dt.datetime) -> bool:
        known = self.known
        return (
            known is None
            or known.checked_at.date() != now.date()
            or (now - known.checked_at).total_seconds() > self.max_age
        )

    async def reserve(self, load: Load) -> None:
        """Take one message of budget, or raise DailyLimitExceededError without sending.

        `load` reads `(limit, used)` from the server when what is known is stale.
        """
        async with self._lock:
            now = dt.datetime.now(dt.UTC)
            if self._stale(now) and self._in_flight == 0:
                limit, used = await load()
                self.known = SmsBudget(limit=limit, used=used, checked_at=now)
            known = self.known
            assert known is not None
            if known.remaining - self._in_flight <= 0:
                raise DailyLimitExceededError(
                    f"daily SMS budget used up ({known.used} of {known.limit}); not sent",
                    body=None,
                )
            self._in_flight += 1

    def settle(self, *, used: int | None = None, limit: int | None = None, counted: bool) -> None:
        """Release a reservation; `used`/`limit` from the server, or count it if unknown."""
        self._in_flight -= 1
        known = self.known
        if known is None:
            return
        new_used = known.used + (1 if counted else 0) if used is None else max(known.used, used)
        self.known = attrs.evolve(known, used=new_used, limit=limit or known.limit)

    def observe(self, *, limit: int, used: int) -> None:
        """Take in a reading of `/messages/stats` made outside a reservation."""
        now = dt.datetime.now(dt.UTC)
        known = self.known
        if known is not None and known.checked_at.date() == now.date():
            # Sends of ours still in flight may not be counted by the server yet.
            used = max(used, known.used)
        self.known = SmsBudget(limit=limit, used=used, checked_at=now)

    def exhaust(self) -> None:
        """The server said the quota is reached."""
        self._in_flight -= 1
        if self.known is not None:
            self.known = attrs.evolve(self.known, used=self.known.limit)
