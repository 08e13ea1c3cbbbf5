"""Concurrency-limited bulk runs with an outcome for every item, and their reports."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import Generic, TypeVar

import attrs
from homebase_api.models import SentMessage

from ._errors import (
    DailyLimitExceededError,
    HomebaseError,
    ValidationError,
    WriteOutcomeUnknownError,
)
from ._ratelimit import AdaptiveLimiter, Throttle

__all__ = [
    "CreateReport",
    "Progress",
    "SendReport",
    "TruncatedResultWarning",
    "effective_concurrency",
    "run_bulk",
    "unique",
]

T = TypeVar("T")
R = TypeVar("R")
Progress = Callable[[int, int | None], object]


class TruncatedResultWarning(Warning):
    """The API's 100-item cap hid results that no narrower query can reach."""


def effective_concurrency(requested: int | None, client_max: int) -> int:
    """A bulk run's width: what was asked, never more than the client's own cap."""
    if requested is None:
        return client_max
    if isinstance(requested, bool) or not isinstance(requested, int) or requested < 1:
        raise ValidationError("concurrency", f"must be a positive integer, got {requested!r}")
    return min(requested, client_max)


@attrs.define
class Outcome(Generic[R]):
    value: R | None = None
    error: HomebaseError | None = None


async def run_bulk(
    items: Sequence[T],
    work: Callable[[T], Awaitable[R]],
    *,
    concurrency: int,
    throttle: Throttle,
    on_progress: Progress | None = None,
) -> list[Outcome[R]]:
    """Run `work` on every item, at most `concurrency` at once (fewer while the server is
    overloaded), and return each item's value or HomebaseError in input order.

    An SDK error is the item's outcome and never cancels its siblings; any other exception is
    a bug and propagates.
    """
    outcomes: list[Outcome[R]] = [Outcome() for _ in items]
    limiter = AdaptiveLimiter(concurrency)
    next_index = iter(range(len(items)))
    done = 0
    total = len(items)

    async def worker() -> None:
        nonlocal done
        for index in next_index:
            await throttle.wait_if_paused()
            async with limiter:
                try:
                    outcomes[index].value = await work(items[index])
                except HomebaseError as exc:
                    outcomes[index].error = exc
            done += 1
            if on_progress is not None:
                on_progress(done, total)

    throttle.limiters.add(limiter)
    try:
        async with asyncio.TaskGroup() as group:
            for _ in range(min(concurrency, total)):
                group.create_task(worker())
    finally:
        throttle.limiters.discard(limiter)
    return outcomes


def unique(values: Iterable[T]) -> list[T]:
    """Values in first-seen order without repeats."""
    return list(dict.fromkeys(values))


@attrs.frozen(kw_only=True)
class SendReport:
    """Where every message of `send_many` ended, keyed by its index in the input.

    `not_sent`: the daily budget ran out first (no request was made for them, or the server
    said so); `outcome_unknown`: may or may not have gone out, never resent automatically.
    """

    sent: dict[int, SentMessage]
    not_sent: dict[int, DailyLimitExceededError]
    failed: dict[int, HomebaseError]
    outcome_unknown: dict[int, WriteOutcomeUnknownError]


@attrs.frozen(kw_only=True)
class CreateReport:
    """Where every customer of `create_many` ended, keyed by its index in the input.

    `created` maps to the new customer id; `outcome_unknown` items may exist on the server
    and are never re-sent automatically (that could create a duplicate).
    """

    created: dict[int, str]
    failed: dict[int, HomebaseError]
    outcome_unknown: dict[int, WriteOutcomeUnknownError]
