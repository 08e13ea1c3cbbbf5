"""Jobs in bulk: `create_many`, settled by natural key (customer, start, end, line items)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from homebase_api.models import Job, LineItem

from ._bulk import CreateReport, Progress, Tally, run_bulk
from ._errors import HomebaseError, ValidationError
from ._journal import (
    DONE,
    FAILED,
    IN_FLIGHT,
    UNKNOWN,
    KeyFunc,
    item_keys,
    open_journal,
    proved_performed,
)
from ._ratelimit import Throttle
from ._settle import KeyTaken, Located, create_settled
from ._validation import check_text, to_utc

if TYPE_CHECKING:
    from ._resources.jobs import Jobs

__all__ = ["JobKey", "create_many", "job_key"]

_FIELDS = {"customer_id", "start", "end", "line_items", "note", "lead_source"}
JobKey = tuple[str, dt.datetime, dt.datetime, tuple[tuple[str, str, str], ...]]


def _line_key(items: Sequence[LineItem]) -> tuple[tuple[str, str, str], ...]:
    return tuple(
        sorted((str(i.name), f"{float(i.quantity):g}", f"{float(i.unit_price):.2f}") for i in items)
    )


def job_key(item: object) -> JobKey:
    """What identifies a job to create: customer, start, end and line items (checked)."""
    from ._resources._line_items import parse_line_items

    if not isinstance(item, Mapping):
        raise ValidationError("items", f"each item must be a mapping, got {item!r:.80}")
    unknown = sorted(map(str, set(item) - _FIELDS))
    if unknown:
        raise ValidationError("items", f"unknown job field(s): {', '.join(unknown)}")
    for name in ("customer_id", "start", "end", "line_items"):
        if name not in item:
            raise ValidationError(name, "is required")
    customer_id = check_text("customer_id", item["customer_id"])
    start, end = to_utc("start", item["start"]), to_utc("end", item["end"])
    lines = parse_line_items(item["line_items"], required=True)
    return customer_id, start, end, _line_key(lines)


def _found_key(job: Job) -> JobKey | None:
    if not isinstance(job.start, dt.datetime | str) or not isinstance(job.end, dt.datetime | str):
        return None
    try:
        lines = job.line_items if isinstance(job.line_items, list) else []
        start, end = to_utc("start", job.start), to_utc("end", job.end)
        return str(job.customer_id), start, end, _line_key(lines)
    except (ValueError, TypeError, HomebaseError):
        return None


async def create_many(
    resource: Jobs,
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
    """See `Jobs.create_many`."""
    if isinstance(items, str | bytes | Mapping) or not isinstance(items, Sequence):
        raise ValidationError("items", f"expected a sequence of mappings, got {items!r:.80}")
    plain = [i if isinstance(i, Mapping) else {"item": repr(i)} for i in items]
    keys = item_keys(plain, key)
    book = open_journal(journal, "jobs.create")
    tally = Tally(on_progress, len(items))
    natural: dict[int, JobKey] = {}
    failed: dict[int, HomebaseError] = {}
    created: dict[int, str] = {}
    todo: list[int] = []
    try:
        earlier = book.read(keys) if book is not None else {}
        for index, item in enumerate(items):
            entry = earlier.get(keys[index])
            if entry is not None and entry.state == DONE:
                created[index] = entry.result
                continue
            try:
                natural[index] = job_key(item)
            except ValidationError as exc:
                failed[index] = exc
                if book is not None:
                    book.finish(keys[index], FAILED, error=str(exc), item=plain[index])
                continue
            todo.append(index)
        tally.add(len(created) + len(failed))
        # In flight or unknown when an earlier run ended: it may exist, so look before sending.
        in_flight = [
            i
            for i in todo
            if (e := earlier.get(keys[i])) is not None and e.state in (IN_FLIGHT, UNKNOWN)
        ]

        async def send(index: int) -> str:
            return await resource.create(**items[index])

        async def locate(indexes: list[int]) -> Located:
            starts = sorted({natural[i][1] for i in indexes})
            outcomes = await run_bulk(
                starts,
                lambda at: resource.list(start=at, end=at, limit=100),
                concurrency=concurrency,
                throttle=throttle,
            )
            by_start = dict(zip(starts, outcomes, strict=True))
            located: Located = {}
            for index in indexes:
                outcome = by_start[natural[index][1]]
                if outcome.error is not None or outcome.value is None:
                    located[index] = outcome.error or ValidationError("start", "no answer")
                    continue
                customer = natural[index][0]
                mine = [job for job in outcome.value if str(job.customer_id) == customer]
                same = sorted(str(j.job_id) for j in mine if _found_key(j) == natural[index])
                if mine and not same:
                    # A job of its customer at its start, with another end or other lines:
                    # perhaps this one as the server stored it. Sending again could duplicate.
                    located[index] = KeyTaken("jobs", sorted(str(j.job_id) for j in mine))
                else:
                    located[index] = same
            return located

        settled = await create_settled(
            todo,
            send,
            locate,
            operation="createJob",
            settle=settle,
            delay=settle_delay,
            concurrency=concurrency,
            throttle=throttle,
            tally=tally,
            journal=book,
            keys=keys,
            items=plain,
            in_flight=in_flight,
            performed_before=[i for i in in_flight if proved_performed(earlier.get(keys[i]))],
        )
    finally:
        if book is not None:
            book.close()
    return CreateReport(
        created=dict(sorted({**created, **settled.created}.items())),
        failed=dict(sorted({**failed, **settled.failed}.items())),
        outcome_unknown=dict(sorted(settled.unknown.items())),
    )
