"""`homebase customers sync FILE`: upsert customers from a spreadsheet export or JSON lines.

Every row is checked first, with the SDK's own item checks, before any request: one bad row
fails the run with nothing sent. The file is then read again and sent in chunks, so memory
stays bounded whatever the file's size; a row keeps its place in the file in the report.
"""

from __future__ import annotations

import contextlib
import os
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import click

from .._bulk import UpsertReport
from .._bulk._journal import HeldJournal
from .._client import HomebaseClient
from .._errors import HomebaseError, ValidationError
from .._lookup import identifier_key
from .._resources._customer_fields import identifiers, item_fields
from ._commands import _EPILOG, _output_option, customers
from ._output import open_output, plural, row_writer
from ._progress import progress_bar
from ._run import (
    EXIT_AUTH,
    EXIT_OK,
    EXIT_PARTIAL,
    EXIT_USAGE,
    fail,
    finish,
    note,
    replay_label,
    worst_exit,
)
from ._run import run as run_command
from ._settings import Settings, api_options
from ._settings import settings as current_settings
from ._sheet import NotUtf8, SheetRow, Source, sheet_rows

__all__ = ["CHUNK", "check_rows", "customers_sync", "sync"]

#: Rows per `upsert_many` call: big enough to keep the pool busy, small enough that memory
#: does not grow with the file.
CHUNK = 2_000
#: Bad rows listed on stderr before the rest are only counted.
SHOWN = 20


def check_rows(source: Source, match_on: Sequence[str]) -> tuple[int, list[str], int]:
    """(rows to send, the first SHOWN problems, how many problems in all).

    Each row goes through what `upsert_many` would check per item (`item_fields`: the
    customer fields and a name and a contact; `identifiers` on `match_on`, each sendable in a
    lookup), and no two rows may share an e-mail or phone (upsert_many fails the second one).
    Only a hash of each key is kept, with its row number, so memory stays small.
    """
    count = 0
    shown: list[str] = []
    problems = 0
    owners: dict[int, int] = {}

    def problem(row: SheetRow, message: str) -> None:
        nonlocal problems
        problems += 1
        if len(shown) < SHOWN:
            shown.append(f"{row.place}: {message}")

    for row in sheet_rows(source, note=note):
        if row.error is not None:
            problem(row, row.error)
            continue
        try:
            fields = item_fields(row.item)
            keys = identifiers(fields, match_on)
            if not keys:
                raise ValidationError("match_on", f"none of {', '.join(match_on)} to match on")
            for key in keys:
                identifier_key(key)
        except ValidationError as exc:
            problem(row, str(exc))
            continue
        number = int(row.place.rsplit(" ", 1)[1])
        clash = next((owners[h] for h in map(_hash, keys) if h in owners), None)
        if clash is not None:
            kind = row.place.rsplit(" ", 1)[0]
            problem(row, f"the same {' or '.join(match_on)} as {kind} {clash}")
            continue
        owners.update(dict.fromkeys(map(_hash, keys), number))
        count += 1
    return count, shown, problems


def _hash(key: str) -> int:
    return hash(key.casefold())


def _chunks(rows: Iterable[SheetRow], size: int) -> Iterator[list[SheetRow]]:
    chunk: list[SheetRow] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


_STATUSES = ("created", "updated", "unchanged", "ambiguous", "failed", "outcome_unknown")


def _held(
    hb: HomebaseClient, journal: str | None
) -> contextlib.AbstractAsyncContextManager[HeldJournal | None]:
    return hb.hold_journal(journal) if journal else contextlib.nullcontext(None)


async def sync(
    settings: Settings,
    source: Source,
    *,
    total: int,
    match_on: Sequence[str],
    journal: str | None,
    settle: bool,
    output: str | None,
    fresh: bool = False,
    chunk: int | None = None,
) -> int:
    """Upsert every row in chunks; one JSON line per row and one summary line per outcome.

    `fresh`: the journal did not exist before this run, so nothing can come from it.
    """
    counts: Counter[str] = Counter()
    earlier: Counter[str] = Counter()
    codes: set[int] = set()
    vague = ""
    with (
        progress_bar("customers sync", enabled=settings.show_progress) as on_progress,
        open_output(output) as handle,
    ):
        write = row_writer(handle, "jsonl", "")
        async with settings.client() as hb, _held(hb, journal) as held:
            # One lease for every chunk: no other run can take the journal in between.
            index = 0
            for rows in _chunks(sheet_rows(source), chunk or CHUNK):
                offset = index

                def progress(done: int, _total: int | None, offset: int = offset) -> None:
                    on_progress(offset + done, total)

                report = await hb.customers.upsert_many(
                    [row.item for row in rows],
                    match_on=match_on,
                    journal=held,
                    concurrency=settings.concurrency,
                    on_progress=progress,
                    settle=settle,
                )
                replayed, vague = replay_label(report, None if fresh else journal)
                for position, row in enumerate(rows):
                    line = _line(report, position)
                    counts[line["status"]] += 1
                    if replayed and position in replayed:
                        line["fromJournal"] = True
                        earlier[line["status"]] += 1
                    write({"index": index, "source": row.place, **line})
                    index += 1
                if report.ambiguous or report.failed or report.outcome_unknown:
                    codes.add(worst_exit(report.failed.values()))
    for status in _STATUSES:
        now = counts[status] - earlier[status]
        label = vague if counts[status] else ""
        if now or not earlier[status]:
            note(f"customers sync: {now} {status}{label}")
        if earlier[status]:
            note(
                f"customers sync: {earlier[status]} {status} (by an earlier run, from the journal)"
            )
    # 2 when a row's own input was bad, 3 when a failure concerns the key or host, else 1.
    for code in (EXIT_AUTH, EXIT_USAGE, EXIT_PARTIAL):
        if code in codes:
            return code
    return EXIT_OK


def _line(report: UpsertReport, index: int) -> dict[str, Any]:
    for status in ("created", "updated", "unchanged"):
        found: dict[int, str] = getattr(report, status)
        if index in found:
            return {"status": status, "customerId": found[index]}
    if index in report.ambiguous:
        return {"status": "ambiguous", "candidates": report.ambiguous[index]}
    errors: Mapping[int, HomebaseError] = {**report.failed, **report.outcome_unknown}
    status = "failed" if index in report.failed else "outcome_unknown"
    error = errors[index]
    return {"status": status, "error": f"{type(error).__name__}: {error}"}


@customers.command("sync", epilog=_EPILOG)
@click.argument("source", metavar="FILE|-")
@click.option(
    "--match",
    default="email,phone",
    show_default=True,
    help="Fields that identify a customer: email, phone or both.",
)
@click.option(
    "--journal",
    metavar="FILE|URL",
    help="SQLite file or postgresql://...?run=NAME journal: a re-run resumes the sync.",
)
@click.option("--no-settle", is_flag=True, help="Never look up or resend lost creates.")
@_output_option
@api_options
def customers_sync(
    source: str, match: str, journal: str | None, no_settle: bool, output: str | None
) -> None:
    """Create new customers, update changed ones, touch no other: from a .csv or .jsonl FILE.

    CSV as spreadsheets export it: UTF-8 with or without BOM, comma, semicolon or tab
    separated, a header row such as Name, E-mail Address, Mobile (the README lists every
    accepted header), US phones such as (303) 555-0100; empty rows are skipped. Every row is
    checked before the first request: a bad row fails the run with nothing sent (exit 2).
    Prints one JSON line per row (created, updated, unchanged, ambiguous, failed,
    outcome_unknown) and one summary line per outcome on stderr. With --journal FILE,
    running the same command again after a crash skips what was done and settles what was
    in flight.
    """
    fields = tuple(f.strip() for f in match.split(",") if f.strip())
    if not fields or any(f not in ("email", "phone") for f in fields):
        fail(f"--match takes email, phone or email,phone, not {match!r}", EXIT_USAGE)
    if source != "-":
        try:
            open(source, "rb").close()  # readable, before anything else
        except OSError as exc:
            fail(f"{source}: {exc.strerror or exc}", EXIT_USAGE)
    try:
        with Source.open_arg(source) as opened:
            count, shown, problems = check_rows(opened, fields)
            if problems:
                for line in shown:
                    note(line)
                more = f" ({problems - len(shown)} more not shown)" if problems > len(shown) else ""
                fail(f"{plural(problems, 'bad row')}{more}: nothing sent", EXIT_USAGE)
            if not count:
                fail(f"no customers in {opened.name}", EXIT_USAGE)
            code = run_command(
                sync(
                    current_settings(),
                    opened,
                    total=count,
                    match_on=fields,
                    journal=journal,
                    settle=not no_settle,
                    output=output,
                    fresh=journal is None or not os.path.exists(journal),
                )
            )
    except NotUtf8 as exc:
        fail(str(exc), EXIT_USAGE)
    finish(code)
