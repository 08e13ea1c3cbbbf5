"""Client settings: the retry policy and the defaults of every knob."""

from __future__ import annotations

import attrs
import httpx

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_BUDGET_MAX_AGE",
    "DEFAULT_KEEPALIVE_EXPIRY",
    "DEFAULT_MAX_CONCURRENCY",
    "DEFAULT_MAX_RESPONSE_SIZE",
    "DEFAULT_TIMEOUT",
    "RetryPolicy",
    "deadline_of",
    "make_timeout",
]


def _positive(_instance: object, attribute: attrs.Attribute[float], value: float) -> None:
    if not value > 0:  # also refuses NaN
        raise ValueError(f"{attribute.name} must be positive, got {value!r}")


def _non_negative(_instance: object, attribute: attrs.Attribute[float], value: float) -> None:
    if not value >= 0:  # also refuses NaN
        raise ValueError(f"{attribute.name} must not be negative, got {value!r}")


@attrs.frozen(kw_only=True)
class RetryPolicy:
    """How failed calls are retried. Frozen; pass `retry=None` to the client to turn retries off.

    After failed attempt *n* (counting from 1) the wait is
    `min(max_backoff, initial_backoff * 2 ** (n - 1) + random jitter up to jitter)`, unless the
    server sent `Retry-After`, which is honoured up to `max_retry_after`; a longer wait raises
    `RateLimitError` instead of sleeping.

    The retry budget follows gRPC's retry throttling: every failed attempt spends one token,
    every success earns back `budget_refill` tokens, and retries stop once half of
    `budget_tokens` or fewer are left, so a failing server does not receive a multiple of the
    load. The budget belongs to the client: copies made by `with_options` share it, sized by
    the policy the client was built with.
    """

    # Six attempts: at a 20 % failure rate one call in ~16,000 still fails, where four left
    # one in 600 (a bulk run of thousands of calls would see several); the budget bounds load.
    max_attempts: int = attrs.field(
        default=6, validator=[attrs.validators.instance_of(int), attrs.validators.ge(1)]
    )
    total_timeout: float = attrs.field(default=60.0, validator=_positive)
    initial_backoff: float = attrs.field(default=0.25, validator=_non_negative)
    max_backoff: float = attrs.field(default=8.0, validator=_non_negative)
    jitter: float = attrs.field(default=0.25, validator=_non_negative)
    max_retry_after: float = attrs.field(default=60.0, validator=_non_negative)
    # 50 tokens absorb a burst of failures among many requests in flight without cutting
    # retries off; a refill of 0.5 keeps retrying while up to a third of attempts fail
    # (break-even r / (1 + r)), and an outage still costs at most 25 retries in all.
    budget_tokens: float = attrs.field(default=50.0, validator=_positive)
    budget_refill: float = attrs.field(default=0.5, validator=_non_negative)


def make_timeout(timeout: float | httpx.Timeout) -> httpx.Timeout:
    """An explicit timeout for each phase; the generated client's default is none at all."""
    if isinstance(timeout, httpx.Timeout):
        return timeout
    if isinstance(timeout, bool) or not isinstance(timeout, int | float):
        raise ValueError(f"timeout must be seconds or an httpx.Timeout, got {timeout!r}")
    if not timeout > 0:  # also refuses NaN
        raise ValueError(f"timeout must be positive, got {timeout!r}")
    # Connecting and waiting for a pooled connection should fail faster than a slow read.
    return httpx.Timeout(timeout, connect=min(timeout, 10.0), pool=timeout)


def deadline_of(timeout: httpx.Timeout) -> float | None:
    """The whole request's deadline: the largest phase of the timeout (a float `t` gives t).

    httpx bounds each phase (each socket read, for one); a server that trickles a byte at a
    time would keep a call alive for ever, so the request path also bounds the whole request.
    """
    phases = [v for v in (timeout.connect, timeout.read, timeout.write, timeout.pool) if v]
    return max(phases) if phases else None


DEFAULT_BASE_URL = "https://us-central1-homebase-360.cloudfunctions.net/api/v1"
DEFAULT_TIMEOUT = 30.0
# The largest legitimate answer, 100 jobs each with its customer and line items, is a few
# hundred KiB; 16 MiB is far above it and far below what hurts a process.
DEFAULT_MAX_RESPONSE_SIZE = 16 * 1024 * 1024
DEFAULT_MAX_CONCURRENCY = 16
# Kept below the 10 s idle timeout common to load balancers in front of Cloud Functions, so
# the client drops an idle connection before the server does.
DEFAULT_KEEPALIVE_EXPIRY = 5.0
# The SMS counter also moves when other tools of the business send; re-read it this often.
DEFAULT_BUDGET_MAX_AGE = 300.0
