"""The bulk-write engine: one run loop for every bulk write.

A run prepares its items (`_items.prepare`: validated once, identity, digest), holds the
journal's lease for its whole length, reads what earlier runs recorded, sends through the
request path (a `Writer`'s callables, handed down by a resource), settles lost creates on
proof (`_settle.decide`), journals every step and ends every item in exactly one `Outcome`.

What differs per resource is in the `Writer`: how an item is validated, sent and searched for.
The engine never calls a resource: resources call the engine, handing it callables.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from types import TracebackType
from typing import Any, Generic, Self, TypeVar

import attrs

from .._errors import (
    DailyLimitExceededError,
    HomebaseError,
    JournalError,
    WriteOutcomeUnknownError,
)
from .._ratelimit import Throttle
from ._earlier import damaged, interrupted
from ._items import Item, KeyFunc, Outcome, prepare
from ._journal import HeldJournal, Journal, open_store
from ._pool import Progress, Tally, pool
from ._reports import CreateReport, SendReport, UpsertReport
from ._settle import Found, decide
from ._store import Holder, JournalStore, Row, State

__all__ = ["BulkRun", "Options", "Sending", "Writer"]

_log = logging.getLogger("homebase_async")

B = TypeVar("B")
R = TypeVar("R")
Report = TypeVar("Report", CreateReport, SendReport, UpsertReport)

#: Commits "in flight": a send calls it right before its request goes out (an SMS after its
#: budget is reserved). If it raises JournalError, the request must not be sent.
Sending = Callable[[], Awaitable[None]]

#: The row's state of each outcome; every outcome is written out, so a new one must say
#: what its row holds (a KeyError otherwise, never a silent "done").
_STATE = {
    Outcome.CREATED: State.DONE,
    Outcome.UPDATED: State.DONE,
    Outcome.UNCHANGED: State.DONE,
    Outcome.SENT: State.DONE,
    Outcome.AMBIGUOUS: State.FAILED,
    Outcome.FAILED: State.FAILED,
    Outcome.NOT_SENT: State.NOT_SENT,
    Outcome.UNKNOWN: State.UNKNOWN,
}


@attrs.frozen(kw_only=True)
class Writer(Generic[B, R]):
    """What one kind of bulk write needs from its resource.

    `validate` turns an item into the request body (ValidationError for bad input);
    `identity` gives its natural key (None: its content is its identity); `send(body,
    sending)` makes the request, awaiting `sending()` right before it; `locate` searches for
    lost creates by natural key; `encode`/`decode` turn a result into journal JSON and back.
    `request` names the request `send` makes, `update_request` an upsert's update.
    """

    operation: str
    request: str
    update_request: str | None = None
    noun: str
    validate: Callable[[Mapping[str, Any]], B]
    identity: Callable[[B], str] | None
    send: Callable[[B, Sending], Awaitable[R]]
    locate: Callable[[Sequence[Item[B]]], Awaitable[Mapping[int, Found | HomebaseError]]] | None
    encode: Callable[[R], object] = str
    decode: Callable[[Any], R] = attrs.field(default=lambda value: _record_id(value))


@attrs.frozen(kw_only=True)
class Options:
    """A bulk call's settings, checked once by the resource (`_options.bulk_options`)."""

    concurrency: int
    on_progress: Progress | None = None
    journal: Journal | HeldJournal | None = None
    key: KeyFunc | None = None
    settle: bool = True
    settle_delay: float = 1.0
    #: The business the run writes for (a digest of its API key): the scope of its lease.
    scope: str = ""


class BulkRun(Generic[B, R]):
    """One bulk call: its items, its lease on the journal, and where each item ended."""

    def __init__(
        self,
        writer: Writer[B, R],
        items: Sequence[object],
        options: Options,
        throttle: Throttle,
    ) -> None:
        self.writer = writer
        self.options = options
        self.throttle = throttle
        held = options.journal if isinstance(options.journal, HeldJournal) else None
        seen = None if held is None else held.seen.setdefault(writer.operation, {})
        self.items = prepare(items, writer.validate, writer.identity, options.key, seen)
        self._store: JournalStore | None = None
        self._owned: JournalStore | None = None
        self._held: HeldJournal | None = None
        self._tally = Tally(options.on_progress, len(self.items))
        for item in self.items:
            if item.outcome is not None:  # bad input: ended before any request
                self._tally.add()
        self._journal_failed = False

    # --- lease and journal -------------------------------------------------------------

    async def __aenter__(self) -> Self:
        journal = self.options.journal
        if journal is None:
            return self
        if isinstance(journal, HeldJournal):  # the caller holds the lease across calls
            if self.options.scope and journal.scope and journal.scope != self.options.scope:
                raise JournalError("this held journal belongs to another business (API key)")
            await journal.lock.acquire()  # its calls run one at a time, as one run
            self._held = journal
            store = journal.store
        else:
            store = open_store(journal, scope=self.options.scope)
            await store.acquire(Holder.here(), wait=journal.wait)
            self._owned = store
        self._store = store
        try:
            rows = await store.read(self.writer.operation)
        except BaseException:
            await self.aclose()
            raise
        for item in self.items:
            item.earlier = rows.get(item.key)
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Release the lease this run took (the rows stay; a held journal stays held)."""
        owned, self._owned, self._store = self._owned, None, None
        held, self._held = self._held, None
        if held is not None:
            held.lock.release()
        if owned is not None:
            await owned.close()

    def _row(self, item: Item[B], state: State, action: str | None, **ended: Any) -> Row:
        return Row(
            operation=self.writer.operation,
            key=item.key,
            digest=item.digest,
            state=state,
            action=action,
            item=item.text,
            updated=dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds"),
            **ended,
        )

    async def _start(self, item: Item[B], action: str) -> None:
        if self._store is not None:
            await self._store.start(self._row(item, State.IN_FLIGHT, action))

    async def record(self, item: Item[B], action: str | None = None) -> None:
        """Commit where `item` ended; a store that fails is logged once, not raised: the
        outcome is in the report, and the row left "in flight" makes a re-run settle it."""
        if self._store is None or item.replayed or item.outcome is None:
            return
        state = _STATE[item.outcome]
        result: object = None
        if state is State.DONE:
            result = self.writer.encode(item.value)
        elif item.performed:
            result = {"performed": True}  # a re-run never sends a write that was proved
        row = self._row(
            item,
            state,
            action,
            outcome=item.outcome.value,
            result=None if result is None else json.dumps(result, default=str),
            error=None if item.error is None else f"{type(item.error).__name__}: {item.error}",
        )
        try:
            await self._store.finish(row)
        except JournalError as exc:
            if not self._journal_failed:
                self._journal_failed = True
                _log.warning("%s; a re-run settles the items it missed", exc)

    # --- outcomes and progress -------------------------------------------------------

    def end(
        self,
        item: Item[B],
        outcome: Outcome,
        value: Any = None,
        error: HomebaseError | None = None,
        *,
        replayed: bool = False,
    ) -> None:
        """Put `item` where it ended (once) and count it."""
        item.outcome, item.value, item.error, item.replayed = outcome, value, error, replayed
        self._tally.add()

    @property
    def claimed(self) -> set[str]:
        """Ids this run's items own (created, updated or unchanged)."""
        owned = (Outcome.CREATED, Outcome.UPDATED, Outcome.UNCHANGED)
        return {str(i.value) for i in self.items if i.outcome in owned and i.value is not None}

    # --- earlier runs ------------------------------------------------------------------

    def replay(self, item: Item[B]) -> bool:
        """End `item` as an earlier run left it done (same content); False if it is not."""
        row = item.earlier
        if row is None or row.state is not State.DONE or row.digest != item.digest:
            return False
        try:
            outcome = Outcome(str(row.outcome))
            value = self.writer.decode(json.loads(row.result or "null"))
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            error = damaged(self._request(row), row, exc)
            self.end(item, Outcome.UNKNOWN, error=error, replayed=True)
            return True
        self.end(item, outcome, value, replayed=True)
        return True

    def interrupted(self, item: Item[B]) -> WriteOutcomeUnknownError:
        return interrupted(self._request(item.earlier), item)

    def _request(self, row: Row | None) -> str:
        """The request an earlier run's row was for (an upsert's update, or the writer's)."""
        if row is not None and row.action == "update" and self.writer.update_request:
            return self.writer.update_request
        return self.writer.request

    # --- sending and settling ----------------------------------------------------------

    async def _create_one(self, item: Item[B], sending: Sending) -> R:
        assert item.body is not None
        return await self.writer.send(item.body, sending)

    async def send_all(
        self,
        todo: Sequence[Item[B]],
        *,
        action: str,
        success: Outcome,
        send: Callable[[Item[B], Sending], Awaitable[Any]] | None = None,
    ) -> list[Item[B]]:
        """Send each item once (by `send`, default the writer's); the items whose outcome
        was lost (to settle), not yet ended."""
        lost: list[Item[B]] = []
        queue = iter(todo)
        send = send or self._create_one

        async def one(item: Item[B]) -> None:
            if item.since is None:
                item.since = dt.datetime.now(dt.UTC)
            try:
                value = await send(item, lambda: self._start(item, action))
            except WriteOutcomeUnknownError as exc:
                item.error = exc
                lost.append(item)
                return
            except DailyLimitExceededError as exc:
                self.end(item, Outcome.NOT_SENT, error=exc)
            except HomebaseError as exc:
                self.end(item, Outcome.FAILED, error=exc)
            else:
                self.end(item, success, value)
            await self.record(item, action)

        if todo:
            await pool(
                lambda: next(queue, None),
                one,
                concurrency=min(self.options.concurrency, len(todo)),
                throttle=self.throttle,
            )
        return lost

    async def create(self, todo: Sequence[Item[B]], earlier: Sequence[Item[B]] = ()) -> None:
        """Create `todo`, and settle both its lost answers and `earlier` items (left in
        flight by an earlier run): nothing that may exist is sent again without proof."""
        for item in earlier:
            item.error = self.interrupted(item)
            item.since = _parsed(item.earlier.updated if item.earlier else "")
        lost = await self.send_all(todo, action="create", success=Outcome.CREATED)
        pending = [*earlier, *lost]
        if not self.options.settle or self.writer.locate is None:
            for item in pending:
                await self.unknown(item, None)
            return
        for attempt in range(2):
            if not pending:
                return
            if self.options.settle_delay > 0:
                await asyncio.sleep(self.options.settle_delay)
            found = await self.writer.locate(pending)
            decisions = decide(pending, found, self.claimed, kind=self.writer.noun)
            nowhere = []
            for item in pending:
                decision = decisions[item.index]
                if decision.created is not None:
                    self.end(item, Outcome.CREATED, decision.created)
                    await self.record(item, "create")
                elif decision.nowhere and attempt == 0:
                    nowhere.append(item)
                elif decision.nowhere:
                    # Sent twice, found nowhere twice: not created; the last error says why.
                    assert isinstance(item.error, WriteOutcomeUnknownError)
                    self.end(item, Outcome.FAILED, error=item.error.cause)
                    await self.record(item, "create")
                else:
                    await self.unknown(item, decision.why)
            # The second round ends every item: none is sent again, so none is lost again.
            pending = await self.send_all(nowhere, action="create", success=Outcome.CREATED)

    async def unknown(
        self, item: Item[B], why: HomebaseError | None, action: str = "create"
    ) -> None:
        error = item.error
        assert isinstance(error, WriteOutcomeUnknownError)
        if why is not None:
            error.add_note(f"settling: {why}")
        self.end(item, Outcome.UNKNOWN, error=error)
        await self.record(item, action)

    def report(self, kind: type[Report]) -> Report:
        """The run as a `kind` report: each outcome's field (named as the outcome) maps index
        to value, or to error, in input order; `from_journal`, the replayed indexes."""
        ended: dict[str, dict[int, Any]] = {
            field.name: {} for field in attrs.fields(kind) if field.name != "from_journal"
        }
        for item in self.items:
            if item.outcome is not None:
                if item.outcome.value not in ended:  # every item ends in a field: none dropped
                    raise RuntimeError(f"{kind.__name__} has no field for {item.outcome.value}")
                value = item.error if item.outcome in _ERRORS else item.value
                ended[item.outcome.value][item.index] = value
        replayed = frozenset(i.index for i in self.items if i.replayed)
        return kind(**ended, from_journal=replayed)


_ERRORS = (Outcome.FAILED, Outcome.NOT_SENT, Outcome.UNKNOWN)


def _record_id(value: object) -> Any:
    """A journalled id: a non-empty string, else the row is damaged."""
    if not isinstance(value, str) or not value:
        raise TypeError(f"expected a record id, got {type(value).__name__}")
    return value


def _parsed(stamp: str) -> dt.datetime | None:
    """A row's `updated` time, or None (unknown: no record is set aside by its date)."""
    try:
        when = dt.datetime.fromisoformat(stamp)
    except ValueError:
        return None
    return when if when.tzinfo is not None else None
