"""A campaign's sends against reservations every worker of the business shares.

With a `postgresql://` journal, each send of `send_many` also takes a reservation in the
journal's database (`_bulk/_pg_budget.py`), after this process's own and right before the
journal's "in flight": so all workers of one business together never reserve more than the
server says remains (`/messages/stats` and each answer's `rateLimits` stay the truth; the
database holds only what is in flight, and the highest `used` any worker saw today).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Protocol

from homebase_api.models import RateLimits, SendMessageRequest, SentMessage

from .._bulk._engine import Sending
from .._errors import DailyLimitExceededError, WriteOutcomeUnknownError
from .._sms_budget import BudgetTracker

__all__ = ["SharedReservations", "shared_sends"]

Send = Callable[[SendMessageRequest, Sending], Awaitable[SentMessage]]


class SharedReservations(Protocol):
    """In-flight SMS of one business across workers (`PostgresReservations`)."""

    async def reserve(self, *, limit: int, used: int) -> str | None: ...

    async def release(self, token: str, *, used: int | None) -> None: ...


def shared_sends(send: Send, tracker: BudgetTracker, shared: SharedReservations) -> Send:
    """`send`, each message also holding a shared reservation while it is in flight."""

    async def one(body: SendMessageRequest, sending: Sending) -> SentMessage:
        token: str | None = None
        seen = 0

        async def reserve_then_sending() -> None:
            nonlocal token, seen
            known = tracker.known
            assert known is not None  # the local reservation has read the budget
            seen = known.used
            token = await shared.reserve(limit=known.used + known.remaining, used=known.used)
            if token is None:
                raise DailyLimitExceededError(
                    "daily SMS budget used up across this business's workers; not sent",
                    body=None,
                )
            await sending()

        try:
            sent = await send(body, reserve_then_sending)
        except WriteOutcomeUnknownError:
            if token is not None:  # it may have gone out: counted, as the server may count it
                await shared.release(token, used=seen + 1)
            raise
        except BaseException:
            if token is not None:
                await shared.release(token, used=None)
            raise
        assert token is not None
        limits = sent.rate_limits
        used = limits.daily_used if isinstance(limits, RateLimits) else None
        await shared.release(token, used=used if isinstance(used, int) else seen + 1)
        return sent

    return one
