"""`homebase journal show|resolve`: read a bulk run's journal, and settle its unknown outcomes
once a person has checked them in the Homebase360 app."""

from __future__ import annotations

import asyncio
import json
import os
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import click

from .._bulk._journal import Journal, open_store, redact_url
from .._bulk._options import scope_of
from .._bulk._store import Holder, JournalStore, Row, State
from .._errors import HomebaseError, JournalBusyError
from ._commands import cli
from ._run import EXIT_BUSY, EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, fail

__all__ = ["journal"]

T = TypeVar("T")

#: What a person can say of an unknown outcome: written (it exists), or not written.
_RESOLUTIONS = ("written", "not-written")
#: The outcome a written row reports, by the action that was in flight.
_WRITTEN = {"create": "created", "update": "updated", "send": "sent"}

_LOCATION = click.argument("location", metavar="JOURNAL")
_WAIT = click.option(
    "--wait",
    type=click.FloatRange(min=0),
    default=0.0,
    show_default=True,
    help="Seconds to wait while a run holds the journal.",
)


@cli.group()
def journal() -> None:
    """Read a bulk run's journal (a file or a postgresql:// URL) and resolve its unknowns."""


def _with_store(location: str, wait: float, work: Callable[[JournalStore], Awaitable[T]]) -> T:
    """Run `work` on the journal with its lease held (no run writes it meanwhile)."""
    try:
        spec = Journal(location, wait=wait)
    except HomebaseError as exc:
        fail(str(exc), EXIT_USAGE)
    scope = ""
    if spec.is_postgres:
        key = os.environ.get("HOMEBASE_API_KEY", "")
        if not key:
            fail("a postgresql:// journal is per business: set HOMEBASE_API_KEY", EXIT_USAGE)
        scope = scope_of(key)

    async def run() -> T:
        store = open_store(spec, scope=scope)
        await store.acquire(Holder.here(run="homebase journal"), wait=wait)
        try:
            return await work(store)
        finally:
            await store.close()

    try:
        return asyncio.run(run())
    except JournalBusyError as exc:
        fail(f"{exc}; try again later or pass --wait", EXIT_BUSY)
    except HomebaseError as exc:
        fail(f"journal {redact_url(location)}: {exc}", EXIT_PARTIAL)


def _plain(row: Row) -> dict[str, Any]:
    result: Any = row.result
    if row.result is not None:
        try:
            result = json.loads(row.result)
        except ValueError:
            result = row.result  # shown as stored: a damaged row is still worth reading
    return {
        "operation": row.operation,
        "key": row.key,
        "state": row.state.value,
        "action": row.action,
        "outcome": row.outcome,
        "result": result,
        "error": row.error,
        "attempts": row.attempts,
        "updated": row.updated,
        "item": json.loads(row.item) if row.item.startswith("{") else row.item,
    }


@journal.command("show")
@_LOCATION
@click.option(
    "--state",
    "states",
    multiple=True,
    type=click.Choice([s.value for s in State]),
    help="Only rows in this state (repeatable), e.g. outcome_unknown.",
)
@_WAIT
def journal_show(location: str, states: tuple[str, ...], wait: float) -> int:
    """One JSON line per row on stdout (operation, key, state, result, error, item); counts
    by state on stderr. Keys are what `journal resolve` takes."""

    async def read(store: JournalStore) -> list[Row]:
        return await store.rows()

    rows = [r for r in _with_store(location, wait, read) if not states or r.state in states]
    for row in rows:
        click.echo(json.dumps(_plain(row), default=str))
    counts = Counter(row.state.value for row in rows)
    summary = ", ".join(f"{n} {state}" for state, n in sorted(counts.items())) or "no rows"
    click.echo(f"homebase: journal: {summary}", err=True)
    return EXIT_OK


@journal.command("resolve")
@_LOCATION
@click.argument("keys", metavar="KEY...", nargs=-1, required=True)
@click.option("--operation", required=True, help="The rows' operation, e.g. customers.create.")
@click.option(
    "--as",
    "resolution",
    required=True,
    type=click.Choice(_RESOLUTIONS),
    help="written: it exists (a re-run reports it done, never sends it); "
    "not-written: it does not (a re-run sends it again).",
)
@click.option(
    "--id",
    "record_id",
    help="The record's id: needed for a customers or jobs row resolved as written.",
)
@click.option("--note", default="resolved by hand", show_default=True, help="Kept in the row.")
@_WAIT
def journal_resolve(
    location: str,
    keys: tuple[str, ...],
    operation: str,
    resolution: str,
    record_id: str | None,
    note: str,
    wait: float,
) -> int:
    """Settle rows left `outcome_unknown` or `in_flight`, once a person has checked them."""

    sends = operation == "messages.send"
    if resolution == "written" and not sends and not record_id:
        fail(f"a {operation} row resolved as written needs --id (the record's id)", EXIT_USAGE)
    if record_id and (sends or resolution != "written"):
        fail("--id goes with --as written of a customers or jobs row", EXIT_USAGE)

    async def resolve(store: JournalStore) -> list[str]:
        rows = await store.read(operation)
        missed = []
        for key in keys:
            row = rows.get(key)
            if row is None or row.state not in (State.IN_FLIGHT, State.UNKNOWN):
                missed.append(key)
                continue
            state, outcome, result = State.FAILED, None, None
            if resolution == "written":
                action = row.action or ""
                state, outcome = State.DONE, _WRITTEN.get(action, "created")
                # What a re-run reads back as this item's result: a sent message (its
                # details are not known), or the id of the record a person found.
                result = json.dumps({}) if outcome == "sent" else json.dumps(record_id)
            if not await store.resolve(
                operation, key, state=state, outcome=outcome, result=result, note=note
            ):
                missed.append(key)
        return missed

    missed = _with_store(location, wait, resolve)
    for key in missed:
        click.echo(f"homebase: journal: {key}: no open row of {operation}", err=True)
    done = len(keys) - len(missed)
    message = f"journal: {done} resolved as {resolution}"
    if missed:
        fail(f"{message}, {len(missed)} not found", EXIT_PARTIAL)
    click.echo(f"homebase: {message}", err=True)
    return EXIT_OK
