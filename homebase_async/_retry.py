"""Every retry decision of the SDK, as small pure functions, and the client-wide retry budget.

The request path (`_request.Requester._retry`) is the one loop that acts on these decisions, a
plain loop: it sleeps with `retry_sleep`, which `no_retry_sleeps()` (tests) or
`replace_retry_sleep()` replace. No retry library sits under it. stamina did in 0.2, but
every decision was already made here (it was handed a wait it then used instead of its own
backoff), it could not run the first attempt without the cost of its retry context (about 7 %
of a loopback call), and its own WARNING log line per retry duplicated ours. Each decision is a
function of the error, the operation's kind, the policy and a few numbers, so each is tested
directly:

* `retryable`: may this failure be tried again at all (idempotency, "was it sent?")
* `server_wait`: the wait the server asked for (`Retry-After` on 429 and 503), None if absent
* `backoff`: the policy's exponential backoff with jitter for attempt *n*
* `retry_wait`: retryable and within `max_retry_after`: False, True (backoff) or the seconds
* `next_wait`: the one answer for the loop, the seconds to sleep or a reason to stop
* `overload_pause`: how long bulk work of the client pauses after this failure
* `outcome_unknown`, `is_sms_quota`: what a final failure means for a write
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import random
from collections.abc import Awaitable, Callable, Iterator

import attrs

from ._config import RetryPolicy
from ._errors import (
    APIStatusError,
    ConnectRefusedError,
    DailyLimitExceededError,
    HomebaseError,
    HostNotFoundError,
    ProxyError,
    RateLimitError,
    TransportError,
    UnexpectedResponseError,
)
from ._transport import request_not_sent

__all__ = [
    "REQUEUES",
    "Kind",
    "RetryBudget",
    "Stop",
    "backoff",
    "is_sms_quota",
    "next_wait",
    "no_retry_sleeps",
    "outcome_unknown",
    "overload_pause",
    "replace_retry_sleep",
    "retry_sleep",
    "retry_wait",
    "retryable",
    "server_wait",
]

# A bulk read that still fails after the client's retries with a transient error is made again
# this many times (each a retry the budget must allow): a run of thousands of calls outlasts a
# bad minute of the server.
REQUEUES = 2

# A refused connection (or an unreachable proxy) is tried this many times in all: a refusal
# comes back at once and proves nothing was sent, so a wrong port fails within the first two
# backoffs (0.25 + 0.5 s by default) instead of 6 attempts and ~8 s, while a server that is
# restarting on this machine gets a moment.
REFUSED_ATTEMPTS = 3

# The statuses that say "try again" rather than "this request is wrong".
RETRYABLE_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
# The statuses that say "the server is overloaded": bulk work slows down on them.
OVERLOAD_STATUSES = frozenset({429, 503})


Sleep = Callable[[float], Awaitable[object]]
_sleep: Sleep | None = None  # None: asyncio.sleep, looked up at each call


async def retry_sleep(seconds: float) -> None:
    """The wait before a retry: asyncio.sleep unless replaced (see `replace_retry_sleep`)."""
    await (_sleep or asyncio.sleep)(seconds)


@contextlib.contextmanager
def replace_retry_sleep(sleep: Sleep) -> Iterator[None]:
    """Within the block, every client's retry waits call `sleep(seconds)` instead of sleeping.

    Process-wide (not per task), so a test fixture can set it for the clients of its test.
    """
    global _sleep
    previous, _sleep = _sleep, sleep
    try:
        yield
    finally:
        _sleep = previous


async def _no_sleep(_seconds: float) -> None:
    await asyncio.sleep(0)  # still a turn of the loop, as a real sleep would be


def no_retry_sleeps() -> contextlib.AbstractContextManager[None]:
    """Retries without the waits between them (for tests): attempts, budget and caps stay."""
    return replace_retry_sleep(_no_sleep)


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


@attrs.frozen
class Stop:
    """The loop's answer when a failure is not tried again: why, for the log and the hooks."""

    reason: str


def retryable(exc: BaseException, kind: Kind) -> bool:
    """Whether this failure may be tried again, ignoring caps and budget."""
    if not isinstance(exc, HomebaseError):
        return False
    if isinstance(exc, DailyLimitExceededError | HostNotFoundError):
        return False
    if isinstance(exc, RateLimitError):
        # A plain 429 rejects the request before it is processed: safe even for a POST.
        return True
    if isinstance(exc, TransportError):
        return kind.idempotent or request_not_sent(exc)
    if isinstance(exc, APIStatusError):
        return kind.idempotent and exc.status_code in RETRYABLE_STATUSES
    # Anything else (a garbled success answer among them) is not a passing condition.
    return False


def server_wait(exc: BaseException) -> float | None:
    """The seconds the server asked to wait (`Retry-After` on 429 or 503), or None."""
    if isinstance(exc, APIStatusError) and exc.status_code in OVERLOAD_STATUSES:
        return exc.retry_after
    return None


def backoff(policy: RetryPolicy, attempt: int, rng: random.Random | None = None) -> float:
    """The wait after failed attempt `attempt` (from 1): exponential, capped, plus jitter."""
    jitter: float = (rng or random).uniform(0, policy.jitter) if policy.jitter else 0.0
    try:
        base = policy.initial_backoff * 2.0 ** (attempt - 1)
    except OverflowError:
        base = policy.max_backoff
    return min(policy.max_backoff, base + jitter)


def retry_wait(exc: BaseException, kind: Kind, policy: RetryPolicy) -> bool | float:
    """False to stop, True for the policy's backoff, or the seconds the server asked for."""
    if not retryable(exc, kind):
        return False
    asked = server_wait(exc)
    if asked is None:
        return True
    return False if asked > policy.max_retry_after else asked


def next_wait(
    exc: BaseException,
    kind: Kind,
    policy: RetryPolicy,
    *,
    attempt: int,
    elapsed: float,
    budget_allows: bool,
) -> float | Stop:
    """After failed attempt `attempt`, the seconds to sleep before the next, or why not."""
    wait = retry_wait(exc, kind, policy)
    if wait is False:
        if retryable(exc, kind):
            return Stop("Retry-After is beyond max_retry_after")
        return Stop("not retryable")
    if attempt >= policy.max_attempts:
        return Stop("attempts used up")
    if isinstance(exc, ConnectRefusedError | ProxyError) and attempt >= REFUSED_ATTEMPTS:
        return Stop("connection refused")
    if elapsed >= policy.total_timeout:
        return Stop("retry time limit reached")
    if not budget_allows:
        return Stop("retry budget spent")
    return backoff(policy, attempt) if wait is True else float(wait)


def overload_pause(exc: BaseException, policy: RetryPolicy | None) -> float | None:
    """Seconds bulk work pauses after this failure: 0 to slow down only, None if no overload.

    A 429 or 503 halves bulk concurrency; its `Retry-After`, up to the policy's maximum, also
    pauses every bulk run of the client (the server asked the client, not one task, to wait).
    An unreadable `Retry-After` counts as absent. The SMS quota is no overload.
    """
    if isinstance(exc, DailyLimitExceededError):
        return None
    if not isinstance(exc, APIStatusError) or exc.status_code not in OVERLOAD_STATUSES:
        return None
    asked = exc.retry_after or 0.0
    return min(asked, policy.max_retry_after) if policy is not None else asked


def outcome_unknown(exc: HomebaseError, kind: Kind) -> bool:
    """Whether a final failure of a write leaves unknown if the server performed it."""
    if kind is not Kind.WRITE:
        return False
    if isinstance(exc, TransportError):
        return not request_not_sent(exc)
    if isinstance(exc, APIStatusError):
        return exc.status_code >= 500 or exc.status_code == 408
    # A success status whose body cannot be read: the write happened.
    return isinstance(exc, UnexpectedResponseError)


def is_sms_quota(error: RateLimitError) -> bool:
    """Whether a 429 from the send endpoint is the daily quota rather than load shedding.

    The quota is what the contract gives 429 for on send, so a bare 429 is the quota. A 429
    that names the quota is too; one that carries a `Retry-After` header (readable or not) and
    does not name the quota is load shedding: a header alone never makes a quota.
    """
    text = error.message.lower()
    if "daily" in text or "quota" in text:
        return True
    has_header = error.response is not None and "retry-after" in error.response.headers
    return error.retry_after is None and not has_header
