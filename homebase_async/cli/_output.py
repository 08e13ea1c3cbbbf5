"""Output files written atomically, and the JSONL and CSV row writers.

A file named with `-o` is written to a temporary file beside it and renamed over the target
only once complete, so a crash, an error or Ctrl-C leaves the previous file as it was.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO

__all__ = [
    "CSV_FIELDS",
    "OutputPathError",
    "RowWriter",
    "atomic_text",
    "check_output_path",
    "open_output",
    "plural",
    "row_writer",
]

RowWriter = Callable[[Mapping[str, Any]], None]


class OutputPathError(Exception):
    """`-o FILE` cannot be written; the message names the path as given."""


def plural(count: int, noun: str) -> str:
    """ "1 lead", "2 leads", "1,000 identifiers"."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def check_output_path(path: str) -> None:
    """Refuse, before any request, an `-o` path whose file could never be written."""
    target = Path(path)
    folder = target.parent
    if target.is_dir():
        raise OutputPathError(f"-o {path}: is a directory")
    if not folder.is_dir():
        raise OutputPathError(f"-o {path}: the folder {str(folder)!r} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputPathError(f"-o {path}: the folder {str(folder)!r} is not writable")


@contextlib.contextmanager
def atomic_text(path: str | os.PathLike[str]) -> Iterator[TextIO]:
    """A text file that appears at `path` complete, or not at all.

    The temporary file sits in the same directory (so the rename is atomic) and is removed
    on any exception, KeyboardInterrupt and task cancellation included.
    """
    target = Path(path)
    try:
        fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        # mkstemp names its hidden temporary file; the user knows only the path they gave.
        raise OutputPathError(f"-o {os.fspath(path)}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, _mode_for(target))
        try:
            os.replace(temp, target)
        except OSError as exc:
            raise OutputPathError(f"-o {os.fspath(path)}: {exc.strerror or exc}") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def _mode_for(target: Path) -> int:
    """The existing file's permissions, else the default for a new file (0666 less umask)."""
    try:
        return target.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


@contextlib.contextmanager
def open_output(path: str | None) -> Iterator[TextIO]:
    """Standard output for None or `-` (streamed), else an atomically written file."""
    if path is None or path == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    with atomic_text(path) as handle:
        yield handle


#: Columns of `--format csv` per kind of record; nested values are written as JSON.
CSV_FIELDS: dict[str, Sequence[str]] = {
    "job": (
        "jobId",
        "customerId",
        "customerName",
        "start",
        "end",
        "timezone",
        "jobTotal",
        "isRecurring",
        "note",
        "lineItems",
        "dateAdded",
        "lastUpdated",
    ),
    "lead": (
        "leadId",
        "leadNumber",
        "status",
        "customerId",
        "customerName",
        "leadSource",
        "note",
        "lineItems",
        "dateAdded",
        "lastUpdated",
    ),
}


def row_writer(handle: TextIO, output_format: str, kind: str) -> RowWriter:
    """A function writing one record (API JSON shape) per line as JSONL or CSV."""
    if output_format == "jsonl":

        def write_json(record: Mapping[str, Any]) -> None:
            handle.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")

        return write_json
    fields = CSV_FIELDS[kind]
    writer = csv.DictWriter(handle, fieldnames=fields, extrasaction="ignore")
    writer.writeheader()

    def write_csv(record: Mapping[str, Any]) -> None:
        writer.writerow({name: _cell(record, name) for name in fields})

    return write_csv


def _cell(record: Mapping[str, Any], name: str) -> Any:
    customer = record.get("customer") or {}
    if name == "customerId":
        return record.get("customerId") or customer.get("customerId", "")
    if name == "customerName":
        full = f"{customer.get('firstName', '')} {customer.get('lastName', '')}".strip()
        return customer.get("displayName") or full
    value = record.get(name, "")
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else value
