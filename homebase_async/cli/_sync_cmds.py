"""`homebase customers sync FILE`: upsert customers from a spreadsheet export or JSON lines."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from typing import Any, TextIO

import click

from .._bulk import UpsertReport
from .._errors import HomebaseError
from ._commands import _EPILOG, _InputFile, _output_option, customers
from ._output import open_output, row_writer
from ._progress import progress_bar
from ._settings import EXIT_OK, EXIT_USAGE, Settings, api_options, fail, finish
from ._settings import run as run_command
from ._settings import settings as current_settings
from ._sync import worst_exit

__all__ = ["customer_items", "customers_sync", "sync"]

# Column names as spreadsheets and CRMs write them, folded (lower case, `_` for spaces).
_COLUMNS = {
    "first_name": "first_name",
    "firstname": "first_name",
    "first": "first_name",
    "given_name": "first_name",
    "last_name": "last_name",
    "lastname": "last_name",
    "last": "last_name",
    "surname": "last_name",
    "family_name": "last_name",
    "email": "email",
    "e_mail": "email",
    "email_address": "email",
    "emails": "email",
    "phone": "phone.mobile",
    "mobile": "phone.mobile",
    "mobile_phone": "phone.mobile",
    "mobilephone": "phone.mobile",
    "cell": "phone.mobile",
    "phone_number": "phone.mobile",
    "home_phone": "phone.home",
    "work_phone": "phone.work",
    "address": "address",
    "notes": "notes",
    "note": "notes",
    "tags": "tags",
    "notifications": "notifications",
}
_TRUE = {"true", "yes", "y", "1"}
_FALSE = {"false", "no", "n", "0"}


def _fold(name: str) -> str:
    return "_".join(name.strip().lower().replace("-", " ").replace("/", " ").split())


def _item(row: Mapping[str, Any], where: str) -> dict[str, Any]:
    """Keyword arguments of `customers.create` from one row; empty cells are left out."""
    item: dict[str, Any] = {}
    phone: dict[str, str] = {}
    for column, raw in row.items():
        if column is None:
            raise click.UsageError(f"{where}: more cells than header columns")
        target = _COLUMNS.get(_fold(column)) or _COLUMNS.get(column)
        value = raw.strip() if isinstance(raw, str) else raw
        if target is None or value in (None, ""):
            continue
        if target.startswith("phone."):
            phone[target.removeprefix("phone.")] = value
        elif target == "notifications" and isinstance(value, str):
            if value.lower() not in _TRUE | _FALSE:
                raise click.UsageError(f"{where}: notifications must be true or false")
            item[target] = value.lower() in _TRUE
        else:
            item[target] = value
    if isinstance(row.get("phone"), Mapping):
        phone.update(row["phone"])
    if phone:
        item["phone"] = phone
    return item


def customer_items(source: TextIO) -> tuple[list[dict[str, Any]], list[str]]:
    """The items of a .csv (header row) or .jsonl FILE, and each item's place in it."""
    name = getattr(source, "name", "FILE")
    text = source.read()
    first = text.lstrip()[:1]
    if name.endswith(".jsonl") or (first == "{" and not name.endswith(".csv")):
        items, places = [], []
        for number, line in enumerate(text.splitlines(), 1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            try:
                data = json.loads(line)
            except ValueError as exc:
                raise click.UsageError(f"{name} line {number}: not JSON ({exc})") from None
            if not isinstance(data, dict):
                raise click.UsageError(f"{name} line {number}: expected a JSON object")
            items.append(_item(data, f"{name} line {number}"))
            places.append(f"line {number}")
        return items, places
    # `#` lines before the header row are comments (a CRM's export banner); after it a `#`
    # is data (a tag such as "#vip", a line of a quoted note), and quoted cells keep their
    # line breaks. Rows keep their line number in the file.
    lines = text.splitlines(keepends=True)
    banner = 0
    while banner < len(lines) and lines[banner].startswith("#"):
        banner += 1
    reader = csv.DictReader(io.StringIO("".join(lines[banner:]), newline=""))
    unknown = [c for c in reader.fieldnames or [] if _fold(c) not in _COLUMNS]
    if unknown:
        click.echo(f"homebase: ignoring columns: {', '.join(unknown)}", err=True)
    items, places = [], []
    for row in reader:
        number = banner + reader.line_num
        items.append(_item(row, f"{name} row {number}"))
        places.append(f"row {number}")
    return items, places


async def sync(
    settings: Settings,
    items: Sequence[Mapping[str, Any]],
    places: Sequence[str],
    *,
    match_on: Sequence[str],
    journal: str | None,
    settle: bool,
    output: str | None,
) -> int:
    """Upsert every item, then one JSON line per item and one summary line per outcome."""
    with progress_bar("customers sync", enabled=settings.show_progress) as on_progress:
        async with settings.client() as hb:
            report = await hb.customers.upsert_many(
                items,
                match_on=match_on,
                journal=journal,
                concurrency=settings.concurrency,
                on_progress=on_progress,
                settle=settle,
            )
    with open_output(output) as handle:
        write = row_writer(handle, "jsonl", "")
        for index, place in enumerate(places):
            write({"index": index, "source": place, **_line(report, index)})
    counts = {
        "created": len(report.created),
        "updated": len(report.updated),
        "unchanged": len(report.unchanged),
        "ambiguous": len(report.ambiguous),
        "failed": len(report.failed),
        "outcome_unknown": len(report.outcome_unknown),
    }
    for status, count in counts.items():
        click.echo(f"homebase: customers sync: {count} {status}", err=True)
    trouble = counts["ambiguous"] + counts["failed"] + counts["outcome_unknown"]
    # 2 when a row's own input was bad, 3 when a failure concerns the key or host, else 1.
    return worst_exit(report.failed.values()) if trouble else EXIT_OK


def _line(report: UpsertReport, index: int) -> dict[str, Any]:
    for status in ("created", "updated", "unchanged"):
        found: dict[int, str] = getattr(report, status)
        if index in found:
            return {"status": status, "customerId": found[index]}
    if index in report.ambiguous:
        return {"status": "ambiguous", "candidates": report.ambiguous[index]}
    errors: dict[int, HomebaseError] = {**report.failed, **report.outcome_unknown}
    status = "failed" if index in report.failed else "outcome_unknown"
    error = errors[index]
    return {"status": status, "error": f"{type(error).__name__}: {error}"}


@customers.command("sync", epilog=_EPILOG)
@click.argument("source", metavar="FILE|-", type=_InputFile())
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
    source: TextIO, match: str, journal: str | None, no_settle: bool, output: str | None
) -> None:
    """Create new customers, update changed ones, touch no other: from a .csv or .jsonl FILE.

    CSV as spreadsheets export it (UTF-8 with or without BOM, a header row such as First
    Name, Last Name, Email, Phone; US phones such as (303) 555-0100). Prints one JSON line
    per row (created, updated, unchanged, ambiguous, failed, outcome_unknown) and one
    summary line per outcome on stderr. With --journal FILE, running the same command again
    after a crash skips what was done and settles what was in flight.
    """
    fields = tuple(f.strip() for f in match.split(",") if f.strip())
    if not fields or any(f not in ("email", "phone") for f in fields):
        fail(f"--match takes email, phone or email,phone, not {match!r}", EXIT_USAGE)
    items, places = customer_items(source)
    if not items:
        fail("no customers in FILE", EXIT_USAGE)
    code = run_command(
        sync(
            current_settings(),
            items,
            places,
            match_on=fields,
            journal=journal,
            settle=not no_settle,
            output=output,
        )
    )
    finish(code)
