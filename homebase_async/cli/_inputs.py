"""What the commands read: input files as text, dates as people type them, lookup lists."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, TextIO

import click

from ._run import EXIT_USAGE, fail
from ._sheet import column_of, fold

__all__ = ["InputFile", "InputText", "lookup_lines", "parse_when"]


class InputText(io.StringIO):
    """An input file's text, decoded; `name` as the user gave it."""

    def __init__(self, text: str, name: str) -> None:
        super().__init__(text)
        self.name = name


if TYPE_CHECKING:  # click >= 8.2 types ParamType generically; 8.1 cannot subscript it
    _FileParam = click.ParamType[InputText, Any]
else:
    _FileParam = click.ParamType


class InputFile(_FileParam):
    """FILE or `-`, read as UTF-8 with or without a BOM, any line ends.

    Anything else is one line naming the file and the encoding (exit 2), never a traceback.
    """

    name = "file"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, InputText):
            return value
        name = "standard input" if value == "-" else str(value)
        try:
            if value == "-":
                data = sys.stdin.buffer.read()
            else:
                with open(value, "rb") as handle:
                    data = handle.read()
        except OSError as exc:
            fail(f"{name}: {exc.strerror or exc}", EXIT_USAGE)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            fail(
                f"{name} is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset "
                f"{exc.start}); save it as UTF-8, with or without BOM",
                EXIT_USAGE,
            )
        # Universal newlines: CRLF and CR end lines like LF.
        return InputText(text.replace("\r\n", "\n").replace("\r", "\n"), name)


def _lines(source: TextIO) -> list[str]:
    """The stripped lines of an input file, without blank lines and `#` comments."""
    stripped = (line.strip() for line in source)
    return [line for line in stripped if line and not line.startswith("#")]


_DAY = re.compile(r"\d{4}-\d{2}-\d{2}|\d{8}")
# 01/02/2025, 1.2.25, 02-01-2025: January 2nd in the US, February 1st in most other places.
_AMBIGUOUS = re.compile(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}")


def parse_when(value: str, *, end_of_day: bool) -> dt.datetime:
    """A date as people type it (2025-01-02, 20250102: the whole UTC day, so its start, or
    its end with `end_of_day`), or an ISO 8601 date-time (UTC when it has no offset).

    ValueError, with the one line to show, for an ambiguous or unreadable date.
    """
    text = value.strip()
    if _AMBIGUOUS.fullmatch(text):
        raise ValueError(
            f"{text!r} is ambiguous (day and month can be read either way): "
            "write it as 2025-01-02 or 20250102"
        )
    try:
        if _DAY.fullmatch(text):
            day = dt.date.fromisoformat(text)
            clock = dt.time.max if end_of_day else dt.time.min
            return dt.datetime.combine(day, clock, dt.UTC)
        when = dt.datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(
            f"{text!r} is not a date (2025-01-02, 20250102) or an ISO 8601 date-time "
            "(2025-01-02T08:00:00-07:00)"
        ) from None
    return when if when.tzinfo is not None else when.replace(tzinfo=dt.UTC)


_DELIMITERS = (",", ";", "\t", "|")
_ID_HEADERS = {"id", "ids", "customerid", "customerids", "identifier", "identifiers"}


def _cells(line: str, delimiter: str) -> list[str]:
    return [cell.strip() for cell in next(csv.reader([line], delimiter=delimiter), [])]


def lookup_lines(source: InputText, column: str | None) -> list[tuple[int, str]]:
    """(line number, identifier) of every identifier line of FILE, in order, repeats kept.

    Without `column`: one identifier a line (blank and `#` lines skipped); a CSV is refused,
    as its header would be looked up as an identifier. With `column`: that column of a CSV
    (delimiter found from its header), one entry per row; an empty cell is "".
    """
    found: list[tuple[int, str]] = []
    if column is None:
        for number, raw in enumerate(source, 1):
            text = raw.strip()
            if not text or text.startswith("#"):
                continue
            if not found and _looks_like_a_header(text):
                delimiter = max(_DELIMITERS, key=text.count)
                columns = ", ".join(_cells(text, delimiter))
                fail(
                    f"{source.name} looks like a CSV: give --column NAME (its columns: {columns})",
                    EXIT_USAGE,
                )
            found.append((number, text))
        return found
    lines: Iterator[str] = iter(source)
    banner = 0
    header = ""
    for header in lines:
        if header.startswith("#") or not header.strip():
            banner += 1
            continue
        break
    else:
        return []
    wanted = fold(column)
    names: list[str] = []
    for delimiter in _DELIMITERS:
        names = _cells(header, delimiter)
        exact = [i for i, name in enumerate(names) if name == column.strip()]
        loose = [i for i, name in enumerate(names) if fold(name) == wanted]
        if exact or loose:
            position = (exact or loose)[0]
            break
    else:
        names = _cells(header, max(_DELIMITERS, key=header.count))
        fail(
            f"{source.name} has no column {column!r} (its columns: {', '.join(names)})", EXIT_USAGE
        )
    reader = csv.reader(_chain(header, lines), delimiter=delimiter)
    next(reader)
    for cells in reader:
        if cells:
            cell = cells[position].strip() if position < len(cells) else ""
            found.append((banner + reader.line_num, cell))
    return found


def _looks_like_a_header(line: str) -> bool:
    """A CSV's first line: cells (an identifier never holds a comma, `;` or a tab), or one
    column's name (`Email`, `Customer ID`), which is no identifier either."""
    return any(c in line for c in ",;\t") or (
        column_of(line) is not None or fold(line) in _ID_HEADERS
    )


def _chain(first: str, rest: Iterator[str]) -> Iterator[str]:
    yield first
    yield from rest
