"""Which failures are retried, how long to wait, and the client-wide retry budget.

The mechanics (attempt and time caps, exponential backoff with jitter, sleeping, a test mode
without sleeps) are stamina's; this module only decides.
"""

from __future__ import annotations

import enum
import itertools
from collections.abc import Awaitable, Callable
from typing import TypeVar

import attrs

from ._config import RetryPolicy
from ._errors import (
    APIStatusError,
    DailyLimitExceededError,
    HomebaseError,
    RateLimitError,
    TransportError,
)
from ._http import request_not_sent

T = TypeVar("T")

__all__ = [
    "REQUEUES",
    "Kind",
    "RetryBudget",
    "describe_wait",
    "outcome_unknown",
    "read_again",
    "retry_wait",
]

# A bulk read that still fails after the client's retries with a transient error is made again
# this many times: a run of thousands of calls outlasts a bad minute of the server.
REQUEUES = 2

# The statuses that say "try again" rather than "this request is wrong".
RETRYABLE_STATUSES = frozenset({408, 429, 500, 502, 503, 504})


class Kind(enum.Enum):
    """What a request does, which decides what may be retried."""

    READ = "read"  # GET: always safe to repeat
    UPDATE = "update"  # PUT/PATCH: repeating sets the same fields again
    WRITE = "write"  # POST creates and sends: repeating may duplicate

    @property
    def idempotent(self) -> bool:
        return self is not Kind.WRITE


@attrs.define
class RetryBudget:
    """gRPC-style retry throttling, shared by every call of a client.

    Each failed attempt spends a token and each success earns back `refill`; retries are
    allowed only while more than half the tokens are left.
    """

    max_tokens: float
    refill: float
    tokens: float = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        self.tokens = self.max_tokens

    @classmethod
    def for_policy(cls, policy: RetryPolicy) -> RetryBudget:
        return cls(policy.budget_tokens, policy.budget_refill)

    def on_success(self) -> None:
        self.tokens = min(self.max_tokens, self.tokens + self.refill)

    def on_failure(self) -> None:
        self.tokens = max(0.0, self.tokens - 1.0)

    @property
    def allows_retry(self) -> bool:
        return self.tokens > self.max_tokens / 2


def _retryable(exc: HomebaseError, kind: Kind) -> bool:
    if isinstance(exc, DailyLimitExceededError):
        return False
    if isinstance(exc, RateLimitError):
        # A plain 429 rejects the request before it is processed: safe even for a POST.
        return True
    if isinstance(exc, TransportError):
        return kind.idempotent or request_not_sent(exc)
    if isinstance(exc, APIStatusError):
        return kind.idempotent and exc.status_code in RETRYABLE_STATUSES
    return False


def retry_wait(exc: Exception, kind: Kind, policy: RetryPolicy) -> bool | float:
    """False to stop, True for the policy's backoff, or the seconds the server asked for."""
    if not isinstance(exc, HomebaseError) or not _retryable(exc, kind):
        return False
    if isinstance(exc, RateLimitError) and exc.retry_after is not None:
        if exc.retry_after > policy.max_retry_after:
            return False
        return exc.retry_after
    return True


def outcome_unknown(exc: HomebaseError, kind: Kind) -> bool:
    """Whether a final failure of a write leaves unknown if the server performed it."""
    if kind is not Kind.WRITE:
        return False
    if isinstance(exc, TransportError):
        return not request_not_sent(exc)
    if isinstance(exc, APIStatusError):
        return exc.status_code >= 500 or exc.status_code == 408
    return False


def describe_wait(wait: bool | float, policy: RetryPolicy, attempt: int) -> str:
    """The coming sleep, for the log: the server's Retry-After or stamina's backoff."""
    if wait is not True:
        return f"{float(wait):.2f}s (Retry-After)"
    base = min(policy.max_backoff, policy.initial_backoff * 2 ** (attempt - 1))
    return f"{base:.2f}s + up to {policy.jitter:.2f}s jitter"


async def read_again(
    call: Callable[[], Awaitable[T]], policy: RetryPolicy | None, *, rounds: int = REQUEUES
) -> T:
    """`call`, made up to `rounds` more times while it fails transiently (reads only).

    With retries off (`policy` None) it is made once.
    """
    for round_ in itertools.count():
        try:
            return await call()
        except HomebaseError as exc:
            if policy is None or round_ >= rounds or retry_wait(exc, Kind.READ, policy) is False:
                raise
    raise AssertionError("unreachable")  # pragma: no cover
