"""`homebase customers lookup`: look identifiers up, one JSON line per input line."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ._output import open_output, plural, row_writer
from ._progress import progress_bar
from ._run import EXIT_OK, item_error, note, worst_exit
from ._settings import Settings

__all__ = ["lookup"]


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
                write({**row, "error": item_error(error, settings.base_url)})
            else:
                found = result.matches.get(identifier, [])
                counts["matched" if found else "missing"] += 1
                write({**row, "customers": [c.to_dict() for c in found]})
    skipped = f", {counts['skipped']} empty" if counts["skipped"] else ""
    note(
        f"customers lookup: {plural(len(lines), 'identifier')}, {counts['matched']:,} matched, "
        f"{counts['missing']:,} missing, {counts['failed']:,} failed{skipped}"
    )
    return worst_exit(result.failed.values()) if result.failed else EXIT_OK
