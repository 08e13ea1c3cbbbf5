"""The three bulk writes on the engine: create-only, send-only (SMS) and upsert.

Each decides, per item, what an earlier run's row means for it, and builds its report:

| earlier row                         | create / send            | upsert                       |
|-------------------------------------|--------------------------|------------------------------|
| none, failed, not sent              | sent                     | matched, then written        |
| done, same content                  | reported as done then    | reported as done then        |
| done, other content                 | failed (ItemChangedError)| matched and updated again    |
| in flight or unknown, same content  | settled (create) / unknown (SMS: never resent) | matched |
| in flight or unknown, other content | outcome unknown          | matched                      |
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, Generic, TypeVar

import attrs

from .._errors import HomebaseError, ValidationError
from .._ratelimit import Throttle
from ._earlier import changed
from ._engine import BulkRun, Options, Sending, Writer
from ._items import Item, Outcome
from ._reports import CreateReport, SendReport, UpsertReport
from ._store import State

__all__ = ["Match", "Matcher", "create_many", "send_many", "upsert_many"]

B = TypeVar("B")
R = TypeVar("R")


def _sort_earlier(
    run: BulkRun[B, R], *, resend_unknown: bool
) -> tuple[list[Item[B]], list[Item[B]]]:
    """(to send, left in flight by an earlier run) for a create-only or send-only run."""
    todo: list[Item[B]] = []
    earlier: list[Item[B]] = []
    for item in run.items:
        row = item.earlier
        if item.outcome is not None or run.replay(item):
            continue
        if row is None or row.state in (State.FAILED, State.NOT_SENT):
            todo.append(item)
        elif row.digest != item.digest:
            error = changed(item)
            if row.state is State.DONE:
                run.end(item, Outcome.FAILED, error=error)
            else:  # the earlier content may exist
                unknown = run.interrupted(item)
                unknown.add_note(str(error))
                run.end(item, Outcome.UNKNOWN, error=unknown)
        else:
            earlier.append(item)
    if not resend_unknown:
        for item in earlier:
            run.end(item, Outcome.UNKNOWN, error=run.interrupted(item))
        earlier = []
    return todo, earlier


async def create_many(
    writer: Writer[B, str], items: Sequence[object], options: Options, throttle: Throttle
) -> CreateReport:
    """Create every item once, settling lost answers on proof (see `_settle`)."""
    async with BulkRun(writer, items, options, throttle) as run:
        await run.create(*_sort_earlier(run, resend_unknown=True))
    return run.report(CreateReport)


async def send_many(
    writer: Writer[B, R], items: Sequence[object], options: Options, throttle: Throttle
) -> SendReport:
    """Send every item at most once: an item whose outcome is unknown is never resent."""
    async with BulkRun(writer, items, options, throttle) as run:
        todo, _ = _sort_earlier(run, resend_unknown=False)
        for item in run.items:
            if item.outcome is Outcome.UNKNOWN and not item.replayed:
                await run.record(item, "send")
        for item in await run.send_all(todo, action="send", success=Outcome.SENT):
            await run.unknown(item, None, "send")
    return run.report(SendReport)


@attrs.frozen
class Match(Generic[B]):
    """An existing record an upsert item matched: its id, and the update that would make it
    equal the item (None: it already is)."""

    ident: str
    update: B | None


@attrs.frozen(kw_only=True)
class Matcher(Generic[B]):
    """What an upsert needs beyond creating: the item's natural keys, the records they
    match (or why the search failed), and how to send an update."""

    keys: Callable[[B], Sequence[str]]
    match: Callable[[Sequence[Item[B]]], Awaitable[Mapping[int, list[Match[B]] | HomebaseError]]]
    update: Callable[[str, B], Awaitable[None]]


async def upsert_many(
    writer: Writer[B, str],
    matcher: Matcher[B],
    items: Sequence[object],
    options: Options,
    throttle: Throttle,
) -> UpsertReport:
    """Create what is new, update what changed, touch nothing else; never two items on one
    record."""
    async with BulkRun(writer, items, options, throttle) as run:
        todo = _own_keys(
            run, [i for i in run.items if i.outcome is None and not run.replay(i)], matcher
        )
        matched = await matcher.match(todo) if todo else {}
        creates, updates = _plan(run, todo, matched)
        for item in run.items:
            if item.outcome in (Outcome.UNCHANGED, Outcome.AMBIGUOUS, Outcome.CREATED):
                await run.record(item, "match")

        async def update(item: Item[B], sending: Sending) -> str:
            await sending()
            ident, body = updates[item.index]
            await matcher.update(ident, body)
            return ident

        to_update = [i for i in todo if i.index in updates]
        for item in await run.send_all(
            to_update, action="update", success=Outcome.UPDATED, send=update
        ):
            await run.unknown(item, None, "update")
        # Not found, yet an earlier run was creating it (killed a moment ago, say): searched
        # again after the settle delay before it is ever sent; never sent if a success
        # status proved that create.
        earlier = [i for i in creates if _was_creating(i, same_content=False)]
        await run.create([i for i in creates if i not in earlier], earlier)
    return run.report(UpsertReport)


def _own_keys(run: BulkRun[B, str], todo: list[Item[B]], matcher: Matcher[B]) -> list[Item[B]]:
    """Items sharing a natural key with an earlier item of the input fail: both would create."""
    owner: dict[str, int] = {}
    kept = []
    for item in todo:
        assert item.body is not None
        keys = [k.casefold() for k in matcher.keys(item.body)]
        clash = next((owner[k] for k in keys if k in owner), None)
        if not keys:
            why = ValidationError(
                "match_on", f"item {item.index} has none of the fields to match on"
            )
        elif clash is not None:
            why = ValidationError("items", f"item {item.index} has a key of item {clash}")
        else:
            owner.update(dict.fromkeys(keys, item.index))
            kept.append(item)
            continue
        run.end(item, Outcome.FAILED, error=why)
    return kept


def _plan(
    run: BulkRun[B, str],
    todo: list[Item[B]],
    matched: Mapping[int, list[Match[B]] | HomebaseError],
) -> tuple[list[Item[B]], dict[int, tuple[str, B]]]:
    """End what the search settles (unchanged, ambiguous, failed searches); (to create, to
    update by index)."""
    by_record: dict[str, list[Item[B]]] = defaultdict(list)
    for item in todo:
        found = matched.get(item.index)
        if isinstance(found, list) and len(found) == 1:
            by_record[found[0].ident].append(item)
    creates: list[Item[B]] = []
    updates: dict[int, tuple[str, B]] = {}
    for item in todo:
        found = matched.get(item.index)
        if found is None:
            found = ValidationError("items", "no search answered for this item")
        if isinstance(found, HomebaseError):
            run.end(item, Outcome.FAILED, error=found)
        elif not found:
            creates.append(item)
        elif len(found) > 1:
            run.end(item, Outcome.AMBIGUOUS, sorted(m.ident for m in found))
        elif len(by_record[found[0].ident]) > 1:
            # Two items of the input match one record: writing both would make it flip
            # between them on every run.
            run.end(item, Outcome.AMBIGUOUS, [found[0].ident])
        elif found[0].update is not None:
            updates[item.index] = (found[0].ident, found[0].update)
        elif _was_creating(item):
            run.end(item, Outcome.CREATED, found[0].ident)  # a killed run created it
        else:
            run.end(item, Outcome.UNCHANGED, found[0].ident)
    return creates, updates


def _was_creating(item: Item[Any], *, same_content: bool = True) -> bool:
    """Whether an earlier run left this item's create in flight or of unknown outcome."""
    row = item.earlier
    return (
        row is not None
        and row.state in (State.IN_FLIGHT, State.UNKNOWN)
        and row.action == "create"
        and (row.digest == item.digest or not same_content)
    )
