"""Customers in bulk: `create_many` and `upsert_many`, matched by natural key (e-mail, phone)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from ._bulk import CreateReport, Outcome, Progress, Tally, UpsertReport, run_bulk
from ._customer_fields import (
    MATCH_FIELDS,
    Fields,
    check_match_on,
    differing,
    identifiers,
    item_fields,
)
from ._errors import HomebaseError, ValidationError, WriteOutcomeUnknownError
from ._journal import (
    DONE,
    FAILED,
    IN_FLIGHT,
    UNKNOWN,
    Entry,
    Journal,
    KeyFunc,
    item_keys,
    open_journal,
    proved_performed,
)
from ._ratelimit import Throttle
from ._settle import KeyTaken, Located, create_settled

if TYPE_CHECKING:
    from ._resources.customers import Customers

__all__ = ["MATCH_FIELDS", "create_many", "upsert_many"]


@attrs.define
class _Batch:
    """What both bulk writes share: validated fields, keys, journal, progress."""

    resource: Customers
    throttle: Throttle
    items: Sequence[Mapping[str, Any]]
    concurrency: int
    tally: Tally
    journal: Journal | None
    keys: list[str]
    fields: dict[int, Fields] = attrs.field(factory=dict)
    failed: dict[int, HomebaseError] = attrs.field(factory=dict)
    earlier: dict[int, Entry] = attrs.field(factory=dict)

    @classmethod
    def prepare(
        cls,
        resource: Customers,
        throttle: Throttle,
        items: Sequence[Mapping[str, Any]],
        *,
        operation: str,
        concurrency: int,
        journal: str | None,
        key: KeyFunc | None,
        on_progress: Progress | None,
    ) -> _Batch:
        if isinstance(items, str | bytes | Mapping) or not isinstance(items, Sequence):
            raise ValidationError("items", f"expected a sequence of mappings, got {items!r:.80}")
        keys = item_keys([i if isinstance(i, Mapping) else {} for i in items], key)
        batch = cls(
            resource=resource,
            throttle=throttle,
            items=items,
            concurrency=concurrency,
            tally=Tally(on_progress, len(items)),
            journal=open_journal(journal, operation),
            keys=keys,
        )
        read = batch.journal.read(keys) if batch.journal is not None else {}
        for index, item in enumerate(items):
            try:
                batch.fields[index] = item_fields(item)
            except ValidationError as exc:
                batch.failed[index] = exc
            entry = read.get(keys[index])
            if entry is not None:
                batch.earlier[index] = entry
        return batch

    def done_before(self, index: int) -> str | None:
        """The outcome an earlier run committed for this item (None: not done)."""
        entry = self.earlier.get(index)
        return entry.outcome if entry is not None and entry.state == DONE else None

    def unsettled_before(self, index: int) -> bool:
        """Whether an earlier run left this item in flight or with an unknown outcome: it may
        exist, so it is looked for before it is ever sent again."""
        entry = self.earlier.get(index)
        return entry is not None and entry.state in (IN_FLIGHT, UNKNOWN)

    def record_failures(self) -> None:
        if self.journal is not None:
            for index, error in self.failed.items():
                self.journal.finish(
                    self.keys[index], FAILED, error=str(error), item=_plain(self.items[index])
                )

    async def locate(self, indexes: list[int], match_on: Iterable[str]) -> Located:
        """For each item: the customers found by its keys that carry every field it sets."""
        wanted = {i: identifiers(self.fields[i], match_on) for i in indexes}
        everything = [ident for idents in wanted.values() for ident in idents]
        result = await self.resource.lookup(everything, concurrency=self.concurrency)
        located: Located = {}
        for index, idents in wanted.items():
            errors = [result.failed[i] for i in idents if i in result.failed]
            if errors:
                located[index] = errors[0]
                continue
            found = {c.customer_id: c for i in idents for c in result.matches.get(i, [])}
            fields = self.fields[index]
            same = sorted(c for c, cust in found.items() if not differing(fields, cust))
            if found and not same:
                # Its e-mail or phone is taken, by a record that differs: perhaps this item as
                # the server stored it (a trimmed name, reordered tags). Not "found nowhere":
                # sending it again could duplicate it.
                located[index] = KeyTaken("customers", sorted(found))
            else:
                located[index] = same
        return located

    def close(self) -> None:
        if self.journal is not None:
            self.journal.close()


def _plain(item: object) -> Mapping[str, Any]:
    return item if isinstance(item, Mapping) else {"item": repr(item)}


async def _create(
    batch: _Batch,
    indexes: list[int],
    match_on: Iterable[str],
    *,
    settle: bool,
    delay: float,
    in_flight: Sequence[int],
) -> tuple[dict[int, str], dict[int, HomebaseError], dict[int, WriteOutcomeUnknownError]]:
    performed = [i for i in in_flight if proved_performed(batch.earlier.get(i))]

    async def send(index: int) -> str:
        return await batch.resource.create(**batch.items[index])

    async def locate(found: list[int]) -> Located:
        return await batch.locate(found, match_on)

    settled = await create_settled(
        indexes,
        send,
        locate,
        operation="createCustomer",
        settle=settle,
        delay=delay,
        concurrency=batch.concurrency,
        throttle=batch.throttle,
        tally=batch.tally,
        journal=batch.journal,
        keys=batch.keys,
        items=[_plain(i) for i in batch.items],
        in_flight=in_flight,
        performed_before=performed,
    )
    return settled.created, settled.failed, settled.unknown


async def create_many(
    resource: Customers,
    throttle: Throttle,
    items: Sequence[Mapping[str, Any]],
    *,
    concurrency: int,
    on_progress: Progress | None,
    journal: str | None,
    key: KeyFunc | None,
    settle: bool,
    settle_delay: float,
) -> CreateReport:
    """See `Customers.create_many`."""
    batch = _Batch.prepare(
        resource,
        throttle,
        items,
        operation="customers.create",
        concurrency=concurrency,
        journal=journal,
        key=key,
        on_progress=on_progress,
    )
    try:
        created: dict[int, str] = {}
        todo: list[int] = []
        for index in batch.fields:
            if batch.done_before(index) == "created":
                created[index] = batch.earlier[index].result
            else:
                todo.append(index)
        batch.tally.add(len(created) + len(batch.failed))
        batch.record_failures()
        in_flight = [i for i in todo if batch.unsettled_before(i)]
        new, failed, unknown = await _create(
            batch, todo, MATCH_FIELDS, settle=settle, delay=settle_delay, in_flight=in_flight
        )
    finally:
        batch.close()
    return CreateReport(
        created=dict(sorted({**created, **new}.items())),
        failed=dict(sorted({**batch.failed, **failed}.items())),
        outcome_unknown=dict(sorted(unknown.items())),
    )


@attrs.define
class _Plan:
    creates: list[int] = attrs.field(factory=list)
    updates: dict[int, tuple[str, Fields]] = attrs.field(factory=dict)
    unchanged: dict[int, str] = attrs.field(factory=dict)
    ambiguous: dict[int, list[str]] = attrs.field(factory=dict)


def _plan(batch: _Batch, todo: list[int], match_on: tuple[str, ...], result: Any) -> _Plan:
    plan = _Plan()
    for index in todo:
        idents = identifiers(batch.fields[index], match_on)
        errors = [result.failed[i] for i in idents if i in result.failed]
        if errors:
            batch.failed[index] = errors[0]
            continue
        found = {c.customer_id: c for i in idents for c in result.matches.get(i, [])}
        if not found:
            plan.creates.append(index)
        elif len(found) > 1:
            plan.ambiguous[index] = sorted(found)
        else:
            ((customer_id, customer),) = found.items()
            changes = differing(batch.fields[index], customer)
            if changes:
                plan.updates[index] = (customer_id, changes)
            else:
                plan.unchanged[index] = customer_id
    return plan


def _claim_keys(batch: _Batch, todo: list[int], match_on: tuple[str, ...]) -> list[int]:
    """Items whose keys an earlier item of the input already uses fail: both would create."""
    owner: dict[str, int] = {}
    kept = []
    for index in todo:
        idents = [i.casefold() for i in identifiers(batch.fields[index], match_on)]
        if not idents:
            batch.failed[index] = ValidationError(
                "match_on", f"item {index} has none of {', '.join(match_on)}"
            )
            continue
        clash = next((owner[i] for i in idents if i in owner), None)
        if clash is not None:
            batch.failed[index] = ValidationError(
                "items", f"item {index} has the same {'/'.join(match_on)} as item {clash}"
            )
            continue
        owner.update(dict.fromkeys(idents, index))
        kept.append(index)
    return kept


async def _update(
    batch: _Batch, updates: dict[int, tuple[str, Fields]]
) -> tuple[dict[int, str], dict[int, HomebaseError]]:
    order = sorted(updates)
    updated: dict[int, str] = {}
    failed: dict[int, HomebaseError] = {}

    async def send(index: int) -> None:
        customer_id, changes = updates[index]
        await batch.resource.update(customer_id, **changes)

    def before(position: int) -> None:
        if batch.journal is not None:
            index = order[position]
            batch.journal.start(batch.keys[index], _plain(batch.items[index]), action="update")

    def after(position: int, outcome: Outcome[None]) -> None:
        index = order[position]
        if outcome.error is None:
            updated[index] = updates[index][0]
            if batch.journal is not None:
                batch.journal.finish(
                    batch.keys[index], DONE, outcome="updated", result=updated[index]
                )
        else:
            failed[index] = outcome.error
            if batch.journal is not None:
                batch.journal.finish(batch.keys[index], FAILED, error=str(outcome.error))

    await run_bulk(
        order,
        send,
        concurrency=batch.concurrency,
        throttle=batch.throttle,
        tally=batch.tally,
        before=before,
        after=after,
    )
    return updated, failed


async def upsert_many(
    resource: Customers,
    throttle: Throttle,
    items: Sequence[Mapping[str, Any]],
    *,
    match_on: Iterable[str],
    concurrency: int,
    on_progress: Progress | None,
    journal: str | None,
    key: KeyFunc | None,
    settle: bool,
    settle_delay: float,
) -> UpsertReport:
    """See `Customers.upsert_many`."""
    chosen = check_match_on(match_on)
    batch = _Batch.prepare(
        resource,
        throttle,
        items,
        operation="customers.upsert",
        concurrency=concurrency,
        journal=journal,
        key=key,
        on_progress=on_progress,
    )
    try:
        return await _upsert(batch, chosen, settle=settle, delay=settle_delay)
    finally:
        batch.close()


async def _upsert(
    batch: _Batch, match_on: tuple[str, ...], *, settle: bool, delay: float
) -> UpsertReport:
    earlier: dict[str, dict[int, str]] = {"created": {}, "updated": {}, "unchanged": {}}
    todo: list[int] = []
    for index in batch.fields:
        outcome = batch.done_before(index)
        if outcome in earlier:
            earlier[str(outcome)][index] = batch.earlier[index].result
        else:
            todo.append(index)
    todo = _claim_keys(batch, todo, match_on)
    wanted = [i for index in todo for i in identifiers(batch.fields[index], match_on)]
    result = await batch.resource.lookup(wanted, concurrency=batch.concurrency)
    plan = _plan(batch, todo, match_on, result)
    # An item a killed run was creating, found now as sent, was created by that run.
    was_created = {
        i: cid
        for i, cid in plan.unchanged.items()
        if batch.unsettled_before(i) and batch.earlier[i].outcome == "create"
    }
    for index in was_created:
        del plan.unchanged[index]
    if batch.journal is not None:
        for index, customer_id in plan.unchanged.items():
            batch.journal.finish(
                batch.keys[index],
                DONE,
                outcome="unchanged",
                result=customer_id,
                item=_plain(batch.items[index]),
            )
        for index, customer_id in was_created.items():
            batch.journal.finish(batch.keys[index], DONE, outcome="created", result=customer_id)
    batch.record_failures()
    settled_now = len(plan.unchanged) + len(was_created) + len(plan.ambiguous)
    batch.tally.add(sum(map(len, earlier.values())) + len(batch.failed) + settled_now)
    updated, update_failed = await _update(batch, plan.updates)
    # Not found by the lookup, yet proved created by an earlier run: settled, never re-sent.
    proved = [i for i in plan.creates if proved_performed(batch.earlier.get(i))]
    created, create_failed, unknown = await _create(
        batch, plan.creates, match_on, settle=settle, delay=delay, in_flight=proved
    )
    return UpsertReport(
        created=dict(sorted({**earlier["created"], **was_created, **created}.items())),
        updated=dict(sorted({**earlier["updated"], **updated}.items())),
        unchanged=dict(sorted({**earlier["unchanged"], **plan.unchanged}.items())),
        ambiguous=dict(sorted(plan.ambiguous.items())),
        failed=dict(sorted({**batch.failed, **update_failed, **create_failed}.items())),
        outcome_unknown=dict(sorted(unknown.items())),
    )
