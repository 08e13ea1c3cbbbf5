"""Creates whose lost answers are settled by looking for the record by its natural key.

The API has no idempotency keys. When a create's outcome is unknown (a 5xx, a dropped
connection, a timeout after sending), the record is looked up by what identifies it (a
customer's e-mails and phones; a job's customer, start, end and line items) after a delay:

- found once with the fields that were sent: it was created, with that id;
- found nowhere: it was not created, so it is sent again (once more at most); if that answer
  is lost too and a second look still finds nothing, the item is `failed` (not created);
- anything else (found twice, the look-up failed, or found nowhere although a success status
  proved the write happened): it stays `outcome_unknown`.

Settling trusts that nobody else creates the same record in between, and that a create the
server performed shows up in searches within the delay.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Callable, Collection, Mapping, Sequence
from typing import Any

import attrs

from ._bulk import Outcome, Tally, run_bulk
from ._errors import HomebaseError, ValidationError, WriteOutcomeUnknownError
from ._journal import DONE, FAILED, UNKNOWN, Journal
from ._ratelimit import Throttle

__all__ = [
    "DEFAULT_SETTLE_DELAY",
    "KeyTaken",
    "Located",
    "SettledCreates",
    "create_settled",
    "interrupted",
    "journal_path",
    "settle_delay_seconds",
]

#: Seconds between a lost answer and the look-up that settles it: long enough for a write the
#: server performed to be searchable, short enough not to stall a run.
DEFAULT_SETTLE_DELAY = 1.0

#: For each item looked up: the ids found with the sent fields, or why the look-up failed.
Located = dict[int, list[str] | HomebaseError]


class KeyTaken(HomebaseError):
    """Settling found records with the item's natural key but other values: perhaps the item
    as the server stored it (normalised), so not "found nowhere": never sent again."""

    def __init__(self, kind: str, ids: list[str]) -> None:
        super().__init__(f"{kind} {', '.join(ids)} have this item's key, not all its values")


class _Interrupted(HomebaseError):
    """An earlier run stopped while this item's request was in flight."""


def interrupted(operation: str, *, performed: bool = False) -> WriteOutcomeUnknownError:
    """The error reported for an item an earlier run left in flight or with an unknown outcome
    (`performed`: that run had a success status proving the write)."""
    return WriteOutcomeUnknownError(
        operation,
        _Interrupted(
            "in flight or of unknown outcome when an earlier run ended (from the journal)"
        ),
        performed=True if performed else None,
    )


@attrs.define
class SettledCreates:
    """Where each create ended: an id, a failure (not created), or unknown."""

    created: dict[int, str] = attrs.field(factory=dict)
    failed: dict[int, HomebaseError] = attrs.field(factory=dict)
    unknown: dict[int, WriteOutcomeUnknownError] = attrs.field(factory=dict)


@attrs.define
class _Run:
    send: Callable[[int], Awaitable[str]]
    locate: Callable[[list[int]], Awaitable[Located]]
    operation: str
    settle: bool
    delay: float
    concurrency: int
    throttle: Throttle
    tally: Tally
    journal: Journal | None
    keys: Sequence[str]
    items: Sequence[Mapping[str, Any]]
    result: SettledCreates = attrs.field(factory=SettledCreates)

    async def send_all(self, indexes: list[int], *, count: bool) -> list[int]:
        """Send each item once; the indexes whose outcome is unknown (to settle)."""

        def before(position: int) -> None:
            if self.journal is not None:
                index = indexes[position]
                self.journal.start(self.keys[index], self.items[index], action="create")

        def after(position: int, outcome: Outcome[str]) -> None:
            index = indexes[position]
            if outcome.value is not None:
                self.created(index, outcome.value)
            elif not isinstance(outcome.error, WriteOutcomeUnknownError):
                assert outcome.error is not None
                self.failed(index, outcome.error)

        outcomes = await run_bulk(
            indexes,
            self.send,
            concurrency=self.concurrency,
            throttle=self.throttle,
            tally=self.tally if count else Tally(None, None),
            before=before,
            after=after,
        )
        lost = []
        for index, outcome in zip(indexes, outcomes, strict=True):
            if isinstance(outcome.error, WriteOutcomeUnknownError):
                self.result.unknown[index] = outcome.error
                lost.append(index)
        return lost

    def created(self, index: int, ident: str) -> None:
        self.result.unknown.pop(index, None)
        self.result.created[index] = ident
        if self.journal is not None:
            self.journal.finish(self.keys[index], DONE, outcome="created", result=ident)

    def failed(self, index: int, error: HomebaseError) -> None:
        self.result.unknown.pop(index, None)
        self.result.failed[index] = error
        if self.journal is not None:
            self.journal.finish(self.keys[index], FAILED, error=_describe(error))

    def stays_unknown(self, indexes: Sequence[int]) -> None:
        if self.journal is not None:
            for index in indexes:
                error = self.result.unknown[index]
                # Kept for a re-run: a write proved performed is never sent again.
                proof = {"performed": True} if self.performed(index) else None
                self.journal.finish(self.keys[index], UNKNOWN, error=_describe(error), result=proof)

    def performed(self, index: int) -> bool:
        # A success status proved the write happened: "found nowhere" means search lags,
        # and sending again would duplicate it.
        error = self.result.unknown.get(index)
        return bool(getattr(error, "performed", None))

    async def look(self, indexes: list[int], *, wait: bool) -> tuple[list[int], list[int]]:
        """Settle these items: (found nowhere, still unknown); found ones are created."""
        if wait and self.delay > 0:
            await asyncio.sleep(self.delay)
        located = await self.locate(indexes)
        nowhere, unknown = [], []
        for index in indexes:
            found = located.get(index)
            if isinstance(found, list) and len(found) == 1:
                self.created(index, found[0])
            elif isinstance(found, list) and not found and not self.performed(index):
                nowhere.append(index)
            else:
                unknown.append(index)
        return nowhere, unknown


async def create_settled(
    indexes: Sequence[int],
    send: Callable[[int], Awaitable[str]],
    locate: Callable[[list[int]], Awaitable[Located]],
    *,
    operation: str,
    settle: bool,
    delay: float,
    concurrency: int,
    throttle: Throttle,
    tally: Tally,
    journal: Journal | None = None,
    keys: Sequence[str] = (),
    items: Sequence[Mapping[str, Any]] = (),
    in_flight: Sequence[int] = (),
    performed_before: Collection[int] = (),
) -> SettledCreates:
    """Create every item of `indexes` (by `send(index)`), settling lost answers.

    `in_flight` items were in flight (or of unknown outcome) when an earlier run ended: they
    are settled first and sent again only if found nowhere, unless `performed_before` says a
    success status proved them (then they stay unknown). Without `settle`, a lost answer
    stays unknown, and so do they: nothing that may exist is sent again.
    """
    run = _Run(
        send=send,
        locate=locate,
        operation=operation,
        settle=settle,
        delay=delay,
        concurrency=concurrency,
        throttle=throttle,
        tally=tally,
        journal=journal,
        keys=keys,
        items=items,
    )
    waiting = set(in_flight)
    lost = await run.send_all([i for i in indexes if i not in waiting], count=True)
    for index in in_flight:
        run.result.unknown[index] = interrupted(operation, performed=index in performed_before)
    tally.add(len(in_flight))
    if not settle:
        run.stays_unknown([*in_flight, *lost])
        return run.result
    pending = [*in_flight, *lost]
    if not pending:
        return run.result
    nowhere, unknown = await run.look(pending, wait=True)
    run.stays_unknown(unknown)
    if nowhere:
        lost_again = await run.send_all(nowhere, count=False)
        if lost_again:
            nowhere_again, unknown_again = await run.look(lost_again, wait=True)
            for index in nowhere_again:
                # Sent twice, found nowhere twice: not created. The last error says why.
                run.failed(index, run.result.unknown[index].cause)
            run.stays_unknown(unknown_again)
    return run.result


def journal_path(journal: object) -> str | None:
    """A `journal=` argument as a path string, or ValidationError."""
    if journal is None:
        return None
    if not isinstance(journal, str | os.PathLike):
        raise ValidationError("journal", f"expected a file path, got {journal!r:.80}")
    return os.fspath(journal)


def settle_delay_seconds(value: object) -> float:
    """A `settle_delay=` argument in seconds, or ValidationError."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not value >= 0:
        raise ValidationError("settle_delay", f"must be a number of seconds >= 0, got {value!r}")
    return float(value)


def _describe(error: HomebaseError) -> str:
    return f"{type(error).__name__}: {error}"
