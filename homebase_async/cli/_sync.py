"""The async bodies of the bulk commands: lookup, exports and sends, with their reports."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import warnings
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, TextIO

import click

from .. import TruncatedResultWarning
from .._errors import HomebaseError, ValidationError
from .._resources.messages import send_request
from .._validation import looks_like_phone
from ._output import OutputPathError, open_output, plural, row_writer
from ._progress import fraction_bar, progress_bar
from ._resume import forget_export, resumable_output, resume_point
from ._settings import (
    EXIT_AUTH,
    EXIT_OK,
    EXIT_PARTIAL,
    EXIT_USAGE,
    Settings,
    exit_code_for,
    path_hint,
)

__all__ = [
    "export_jobs",
    "export_leads",
    "lookup",
    "message_items",
    "replay_label",
    "send",
    "truncation_reported",
    "worst_exit",
]

#: Bad items listed on stderr before the rest are only counted.
SHOWN = 20
_SEND_FIELDS = ("mobile_phone", "customer_id", "message", "media_url")
_SEND_KEYS = {
    "mobilePhone": "mobile_phone",
    "mobile_phone": "mobile_phone",
    "customerId": "customer_id",
    "customer_id": "customer_id",
    "message": "message",
    "mediaUrl": "media_url",
    "media_url": "media_url",
}


def _note(message: str) -> None:
    click.echo(f"homebase: {message}", err=True)


def worst_exit(errors: Iterable[HomebaseError]) -> int:
    """1 for failed items; 2 when an item's own input was bad; 3 when one failed on the key,
    the account or the host (it affects all)."""
    codes = {exit_code_for(error) for error in errors}
    for code in (EXIT_AUTH, EXIT_USAGE):
        if code in codes:
            return code
    return EXIT_PARTIAL


def replay_label(report: object, journal: str | None) -> tuple[set[int] | None, str]:
    """Which indexes of `report` an earlier run did (from the journal), when the report says,
    and how to label counts when it cannot say. `journal`: None when no earlier run can have
    written it (no --journal, or its file did not exist before this run)."""
    replayed = getattr(report, "from_journal", None)
    if replayed is not None:
        return set(replayed), ""
    if journal is None:
        return set(), ""
    # TODO(lead): reports gain `from_journal`; until then a count cannot be split.
    return None, " (in this run or, from the journal, by an earlier one)"


def _item_error(error: HomebaseError, settings: Settings) -> str:
    return f"{type(error).__name__}: {error}{path_hint(error, settings.base_url)}"


async def lookup(settings: Settings, lines: Sequence[tuple[int, str]], output: str | None) -> int:
    """Look up every distinct identifier, then write one JSON line per input line, in order.

    `lines`: (line number, identifier); an empty identifier (an empty CSV cell) is written
    as skipped, never sent.
    """
    distinct = list(dict.fromkeys(identifier for _, identifier in lines if identifier))
    with progress_bar("customers lookup", enabled=settings.show_progress) as on_progress:
        async with settings.client() as hb:
            result = await hb.customers.lookup(
                distinct, concurrency=settings.concurrency, on_progress=on_progress
            )
    counts = {"matched": 0, "missing": 0, "failed": 0, "skipped": 0}
    with open_output(output) as handle:
        write = row_writer(handle, "jsonl", "")
        for number, identifier in lines:
            row: dict[str, Any] = {"line": number, "identifier": identifier}
            error = result.failed.get(identifier)
            if not identifier:
                counts["skipped"] += 1
                write({**row, "skipped": "empty cell"})
            elif error is not None:
                counts["failed"] += 1
                write({**row, "error": _item_error(error, settings)})
            else:
                found = result.matches.get(identifier, [])
                counts["matched" if found else "missing"] += 1
                write({**row, "customers": [c.to_dict() for c in found]})
    skipped = f", {counts['skipped']} empty" if counts["skipped"] else ""
    _note(
        f"customers lookup: {plural(len(lines), 'identifier')}, {counts['matched']:,} matched, "
        f"{counts['missing']:,} missing, {counts['failed']:,} failed{skipped}"
    )
    return worst_exit(result.failed.values()) if result.failed else EXIT_OK


@contextlib.contextmanager
def truncation_reported() -> Iterator[list[str]]:
    """Collect TruncatedResultWarning messages; other warnings go on as usual."""
    messages: list[str] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", TruncatedResultWarning)
        yield messages
    for item in caught:
        if issubclass(item.category, TruncatedResultWarning):
            messages.append(str(item.message))
        else:
            warnings.warn_explicit(item.message, item.category, item.filename, item.lineno)
    for message in messages:
        _note(f"warning: {message}")


async def export_jobs(
    settings: Settings,
    start: dt.datetime,
    end: dt.datetime,
    output_format: str,
    output: str | None,
    *,
    resume: bool = False,
) -> int:
    """Stream every job of [start, end] to the output; 1 when the API truncated a result.

    `resume`: append to the output file as jobs come, after the last job it already holds.
    """
    count = 0
    span = max((end - start).total_seconds(), 1e-6)
    after = resume_point(output) if resume and output else None
    if after is not None and not start <= after[0] <= end:
        # Not this range's file after all (its record was edited or lost): 0 jobs and exit 0
        # would look like a finished export.
        raise OutputPathError(
            f"-o {output}: its last job starts {after[0].isoformat()}, outside --from "
            f"{start.isoformat()} --to {end.isoformat()}"
        )
    if after is not None:
        _note(f"jobs export: resuming after job {after[1]} ({after[0].isoformat()})")
    with (
        truncation_reported() as truncated,
        # Jobs arrive in start order, so the start of the last one is the fraction done.
        fraction_bar("jobs export", "jobs", enabled=settings.show_progress) as on_fraction,
        resumable_output(output) if resume and output else open_output(output) as handle,
    ):
        write = row_writer(handle, output_format, "job")
        async with (
            settings.client() as hb,
            hb.jobs.iterate(start, end, concurrency=settings.concurrency, after=after) as jobs,
        ):
            async for job in jobs:
                write(job.to_dict())
                count += 1
                if isinstance(job.start, dt.datetime):
                    on_fraction((job.start - start).total_seconds() / span, count)
    if output not in (None, "-") and not resume:
        # The file now holds this export, not the one a --resume run recorded for it.
        forget_export(output)
    _note(f"jobs export: {plural(count, 'job')} from {start.isoformat()} to {end.isoformat()}")
    return EXIT_PARTIAL if truncated else EXIT_OK


async def export_leads(
    settings: Settings,
    statuses: Sequence[str],
    customer_ids: Sequence[str],
    output_format: str,
    output: str | None,
) -> int:
    """Stream every non-archived lead matching the filters to the output."""
    count = 0
    with (
        truncation_reported() as truncated,
        progress_bar("leads export", enabled=settings.show_progress) as on_progress,
        open_output(output) as handle,
    ):
        write = row_writer(handle, output_format, "lead")
        async with settings.client() as hb:
            leads = hb.leads.iterate(
                statuses=list(statuses) or None,
                customer_ids=list(customer_ids) or None,
                concurrency=settings.concurrency,
            )
            async for lead in leads:
                write(lead.to_dict())
                count += 1
                on_progress(count, None)
    _note(f"leads export: {plural(count, 'lead')}")
    return EXIT_PARTIAL if truncated else EXIT_OK


def message_items(
    source: TextIO | None,
    phones: Sequence[str],
    customer_ids: Sequence[str],
    message: str | None,
    media_url: str | None,
) -> list[dict[str, Any]]:
    """`messages.send_many` items from the options and the FILE lines; usage errors say where."""
    raw: list[tuple[str, dict[str, Any]]] = [
        ("--to", {"mobile_phone": phone}) for phone in phones
    ] + [("--customer-id", {"customer_id": ident}) for ident in customer_ids]
    if source is not None:
        for number, line in enumerate(source, 1):
            text = line.strip()
            if text and not text.startswith("#"):
                raw.append((f"{source.name} line {number}", _parse_line(text, source.name, number)))
    items = []
    problems: list[str] = []
    for where, item in raw:
        if message is not None:
            item.setdefault("message", message)
        if media_url is not None:
            item.setdefault("media_url", media_url)
        if "message" not in item and "media_url" not in item:
            raise click.UsageError(f"{where}: no text: give --message (or --media-url)")
        # What send_many checks per item, for every item before the first request: one bad
        # recipient must not leave the others texted (a fixed re-run would text them twice).
        try:
            send_request(**{name: item.get(name) for name in _SEND_FIELDS})
        except ValidationError as exc:
            problems.append(f"{where}: {exc}")
        items.append(item)
    if problems:
        for problem in problems[:SHOWN]:
            _note(problem)
        more = len(problems) - SHOWN
        hidden = f" ({more} more not shown)" if more > 0 else ""
        _note(f"{plural(len(problems), 'bad message')}{hidden}: nothing sent")
        raise click.exceptions.Exit(EXIT_USAGE)
    return items


def _parse_line(text: str, name: str, number: int) -> dict[str, Any]:
    if not text.startswith("{"):
        # Digits and phone punctuation mean a phone (the SDK normalises or refuses it).
        return {"mobile_phone" if looks_like_phone(text) else "customer_id": text}
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise click.UsageError(f"{name} line {number}: not JSON ({exc})") from None
    if not isinstance(data, dict):
        raise click.UsageError(f"{name} line {number}: expected a JSON object")
    unknown = sorted(set(data) - set(_SEND_KEYS))
    if unknown:
        raise click.UsageError(f"{name} line {number}: unknown keys {', '.join(unknown)}")
    return {_SEND_KEYS[key]: value for key, value in data.items()}


async def send(
    settings: Settings,
    items: Sequence[Mapping[str, Any]],
    output: str | None,
    *,
    journal: str | None = None,
    fresh: bool = True,
) -> int:
    """Send every message (up to the daily quota), then write one JSON line per message.

    `fresh`: the journal did not exist before this run, so no message comes from it.
    """
    with progress_bar("messages send", enabled=settings.show_progress) as on_progress:
        async with settings.client() as hb:
            report = await hb.messages.send_many(
                items, concurrency=settings.concurrency, on_progress=on_progress, journal=journal
            )
    problems: dict[int, tuple[str, HomebaseError]] = {}
    for status, errors in (
        ("not_sent", report.not_sent),
        ("failed", report.failed),
        ("outcome_unknown", report.outcome_unknown),
    ):
        problems.update({index: (status, error) for index, error in errors.items()})
    replayed, vague = replay_label(report, None if fresh else journal)
    earlier = len(report.sent.keys() & replayed) if replayed else 0
    with open_output(output) as handle:
        write = row_writer(handle, "jsonl", "")
        for index, item in enumerate(items):
            to = item.get("mobile_phone") or item.get("customer_id")
            if index in report.sent:
                line = {"index": index, "to": to, "status": "sent"}
                if replayed and index in replayed:
                    line["fromJournal"] = True
                write({**line, **report.sent[index].to_dict()})
            elif index in problems:
                status, error = problems[index]
                line = {"index": index, "to": to, "status": status}
                write({**line, "error": _item_error(error, settings)})
    _note(
        f"messages send: {plural(len(items), 'message')}, {len(report.sent) - earlier} sent"
        f"{vague if report.sent else ''}, "
        + (f"{earlier} sent by an earlier run (from the journal), " if earlier else "")
        + f"{len(report.not_sent)} not sent (daily quota), {len(report.failed)} failed, "
        f"{len(report.outcome_unknown)} outcome unknown (not retried: check before resending)"
    )
    return worst_exit(report.failed.values()) if problems else EXIT_OK
