"""The bulk-run primitive: a worker pool with one answer per item.

`pool` is the worker pool of every bulk helper (lookups, creates, upserts, sends, lead
listings): at most `concurrency` units of work at once (fewer while the server is overloaded:
AIMD through an `AdaptiveLimiter`), every worker waiting while the client is paused by a
`Retry-After`, cancellation of the caller cancelling every worker. `jobs.iterate` alone
launches its requests itself (`_listing._core.Fetcher`), with the same limiter and pause,
because its planner decides each next window from the answers so far.
`run_bulk` runs it over a list of items: one `Answer` (value or error) per item, progress
counted per item (`Tally`). The bulk writes run on `pool` through the engine (`_engine`).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import Generic, TypeVar

import attrs

from .._errors import HomebaseError, ValidationError
from .._ratelimit import AdaptiveLimiter, Throttle

__all__ = [
    "Answer",
    "Progress",
    "Tally",
    "TruncatedResultWarning",
    "effective_concurrency",
    "pool",
    "run_bulk",
    "unique",
]

_log = logging.getLogger("homebase_async")

T = TypeVar("T")
R = TypeVar("R")
#: Progress callbacks get `(done, total)`; `total` is None while unknown (listings).
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


class Tally:
    """Progress, reported one way everywhere: `on_progress(done, total)` after each unit."""

    def __init__(self, on_progress: Progress | None, total: int | None) -> None:
        self.on_progress = on_progress
        self.total = total
        self.done = 0

    def add(self, count: int = 1) -> None:
        self.done += count
        if self.on_progress is None:
            return
        try:
            self.on_progress(self.done, self.total)
        except Exception:
            # The caller's callback: its failure never changes a result or stops the work.
            self.on_progress = None
            _log.exception("on_progress raised; it is not called again in this run")


async def pool(
    next_unit: Callable[[], T | None],
    work: Callable[[T], Awaitable[object]],
    *,
    concurrency: int,
    throttle: Throttle,
) -> None:
    """Run `work` on units taken from `next_unit()` until it returns None.

    At most `concurrency` run at once, fewer while the server signals overload; every unit
    waits while the client is paused by a `Retry-After`. `work` must capture the errors it
    expects: any exception it raises cancels the other workers and propagates, as does
    cancelling the caller.
    """
    limiter = AdaptiveLimiter(concurrency)

    async def worker() -> None:
        while (unit := next_unit()) is not None:
            await throttle.wait_if_paused()
            async with limiter:
                await work(unit)

    throttle.limiters.add(limiter)
    try:
        async with asyncio.TaskGroup() as group:
            for _ in range(concurrency):
                group.create_task(worker())
    finally:
        throttle.limiters.discard(limiter)


@attrs.define
class Answer(Generic[R]):
    """One item's result: its value, or the SDK error it ended with."""

    value: R | None = None
    error: HomebaseError | None = None


async def run_bulk(
    items: Sequence[T],
    work: Callable[[T], Awaitable[R]],
    *,
    concurrency: int,
    throttle: Throttle,
    on_progress: Progress | None = None,
    tally: Tally | None = None,
) -> list[Answer[R]]:
    """Run `work` on every item through `pool`; each item's value or error, in input order.

    An SDK error is the item's outcome and never cancels its siblings; any other exception is
    a bug and propagates. Progress goes to `tally` (or a new one on `on_progress`), one count
    per item.
    """
    answers: list[Answer[R]] = [Answer() for _ in items]
    progress = tally or Tally(on_progress, len(items))
    indexes = iter(range(len(items)))

    async def one(index: int) -> None:
        try:
            answers[index].value = await work(items[index])
        except HomebaseError as exc:
            answers[index].error = exc
        progress.add()

    if items:
        await pool(
            lambda: next(indexes, None),
            one,
            concurrency=min(concurrency, len(items)),
            throttle=throttle,
        )
    return answers


def unique(values: Iterable[T]) -> list[T]:
    """Values in first-seen order without repeats."""
    return list(dict.fromkeys(values))
