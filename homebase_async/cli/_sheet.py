"""Spreadsheet exports as people make them: header names, delimiters, empty rows, streaming.

`customers sync` reads a file twice (every row is checked before the first request, then
sent in chunks), so a file is opened by path each time and never held in memory; standard
input is first copied to a temporary file.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import json
import re
import shutil
import sys
import tempfile
from collections.abc import Iterator, Mapping
from typing import IO, Any

import attrs

__all__ = [
    "HEADERS",
    "RowError",
    "SheetRow",
    "Source",
    "column_of",
    "fold",
    "pick_delimiter",
    "sheet_rows",
]

# Every header accepted per customer field, as a person reads it (the README's table is built
# from this). Matching ignores case, spaces and punctuation ("E-mail Address" = "emailaddress").
# Where several columns give one field, the one listed first wins (e-mails: up to two, in order).
HEADERS: dict[str, tuple[str, ...]] = {
    "first_name": ("First Name", "First", "Given Name", "Forename", "firstName"),
    "last_name": ("Last Name", "Last", "Surname", "Family Name", "lastName"),
    "name": ("Name", "Full Name", "Customer Name", "Contact Name", "Display Name"),
    "email": (
        "Email",
        "E-mail",
        "Email Address",
        "E-mail Address",
        "Emails",
        "Email 1",
        "E-mail 1 - Value",
        "Primary Email",
        "Email 2",
        "E-mail 2 - Value",
        "Secondary Email",
    ),
    "phone.mobile": (
        "Mobile",
        "Mobile Phone",
        "Mobile Number",
        "Cell",
        "Cell Phone",
        "Cell Number",
        "Phone",
        "Phone Number",
        "Phone 1 - Value",
        "Primary Phone",
        "Telephone",
        "Tel",
        "mobilePhone",
    ),
    "phone.home": ("Home Phone", "Home Number"),
    "phone.work": ("Work Phone", "Business Phone", "Office Phone"),
    "address": (
        "Address",
        "Street Address",
        "Full Address",
        "Mailing Address",
        "Service Address",
        "Address 1 - Formatted",
    ),
    "notes": ("Notes", "Note", "Comments", "Comment"),
    "tags": ("Tags", "Tag", "Labels"),
    "notifications": ("Notifications", "Notify"),
}
_DELIMITERS = (",", ";", "\t", "|")
_TRUE = {"true", "yes", "y", "1"}
_FALSE = {"false", "no", "n", "0"}


def fold(name: str) -> str:
    """A header as it is matched: lower case, letters and digits only."""
    return re.sub(r"[\W_]+", "", name.casefold())


_FIELD_OF = {fold(header): field for field, headers in HEADERS.items() for header in headers}
_RANK = {fold(h): rank for headers in HEADERS.values() for rank, h in enumerate(headers)}


def column_of(header: str) -> str | None:
    """The customer field a header names, or None."""
    return _FIELD_OF.get(fold(header))


class RowError(Exception):
    """A row that cannot be read as a customer; the message says why (without its place)."""


@attrs.frozen
class SheetRow:
    """One customer row: its place in the file (`row 5`, `line 3`) and its item."""

    place: str
    item: dict[str, Any] = attrs.field(eq=False)
    error: str | None = None


@attrs.define
class Source:
    """An input file named on the command line, opened afresh for every pass."""

    name: str
    path: str
    spooled: IO[bytes] | None = None

    @classmethod
    @contextlib.contextmanager
    def open_arg(cls, value: str) -> Iterator[Source]:
        """FILE, or `-` copied once to a temporary file (so it can be read twice)."""
        if value != "-":
            yield cls(name=value, path=value)
            return
        with tempfile.NamedTemporaryFile(prefix="homebase-stdin-") as spool:
            shutil.copyfileobj(sys.stdin.buffer, spool)
            spool.flush()
            yield cls(name="standard input", path=spool.name)

    @contextlib.contextmanager
    def text(self) -> Iterator[Iterator[str]]:
        """The file's lines as text: UTF-8 with or without BOM, any line ends made `\\n`."""
        with open(self.path, "rb") as raw:
            wrapper = io.TextIOWrapper(raw, encoding="utf-8-sig", newline=None)
            yield _decoded(wrapper, self)

    def not_utf8(self) -> str:
        """The one-line message for a file that is not UTF-8, with the first bad byte."""
        decoder = codecs.getincrementaldecoder("utf-8")()
        offset = 0
        with open(self.path, "rb") as raw:
            while chunk := raw.read(1 << 16):
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError as exc:
                    where = offset + exc.start
                    return (
                        f"{self.name} is not UTF-8 text (byte 0x{chunk[exc.start]:02x} at "
                        f"offset {where}); save it as UTF-8, with or without BOM"
                    )
                offset += len(chunk)
        return f"{self.name} is not UTF-8 text; save it as UTF-8, with or without BOM"


class NotUtf8(Exception):
    """The input file is not UTF-8; the message is the line to show."""


def _decoded(wrapper: io.TextIOWrapper, source: Source) -> Iterator[str]:
    try:
        yield from wrapper
    except UnicodeDecodeError:
        raise NotUtf8(source.not_utf8()) from None


def pick_delimiter(header: str) -> str:
    """The delimiter that splits the header into the most known columns (then the most
    columns); `,` when nothing tells."""

    def score(delimiter: str) -> tuple[int, int]:
        cells = next(csv.reader([header], delimiter=delimiter), [])
        return sum(column_of(c) is not None for c in cells), len(cells)

    best = max(_DELIMITERS, key=score)
    return best if score(best) > (0, 1) else ","


def sheet_rows(source: Source, *, note: Any = None) -> Iterator[SheetRow]:
    """Every customer row of a .csv (header row) or .jsonl file, lazily, in file order.

    Rows whose cells are all empty are skipped; a row that cannot be read is yielded with its
    `error`. `note(text)` is told once of the columns that are ignored.
    """
    with source.text() as lines:
        first = ""
        buffered: list[str] = []
        for line in lines:
            buffered.append(line)
            if line.strip():
                first = line
                break
        is_json = source.name.endswith(".jsonl") or (
            first.lstrip().startswith("{") and not source.name.endswith(".csv")
        )
        rest = _chain(buffered, lines)
        if is_json:
            yield from _json_rows(rest)
        else:
            yield from _csv_rows(rest, note)


def _chain(head: list[str], tail: Iterator[str]) -> Iterator[str]:
    yield from head
    yield from tail


def _json_rows(lines: Iterator[str]) -> Iterator[SheetRow]:
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        place = f"line {number}"
        try:
            data = json.loads(line)
        except ValueError as exc:
            yield SheetRow(place, {}, f"not JSON ({exc})")
            continue
        if not isinstance(data, dict):
            yield SheetRow(place, {}, "expected a JSON object")
            continue
        try:
            yield SheetRow(place, _item(data))
        except RowError as exc:
            yield SheetRow(place, {}, str(exc))


def _csv_rows(lines: Iterator[str], note: Any) -> Iterator[SheetRow]:
    # `#` lines before the header row are comments (a CRM's export banner); after it a `#`
    # is data (a tag such as "#vip", a line of a quoted note), and quoted cells keep their
    # line breaks. Rows keep their line number in the file.
    banner = 0
    header = None
    for line in lines:
        if line.startswith("#") or not line.strip():
            banner += 1
            continue
        header = line
        break
    if header is None:
        return
    reader = csv.reader(_chain([header], lines), delimiter=pick_delimiter(header))
    columns = [c.strip() for c in next(reader)]
    unknown = [c for c in columns if column_of(c) is None]
    if unknown and note is not None:
        note(f"ignoring columns: {', '.join(unknown)}")
    for cells in reader:
        place = f"row {banner + reader.line_num}"
        if not any(cell.strip() for cell in cells):
            continue  # `,,,,`: what spreadsheets write for an empty row
        if len(cells) > len(columns):
            yield SheetRow(place, {}, "more cells than header columns")
            continue
        try:
            yield SheetRow(place, _item(dict(zip(columns, cells, strict=False))))
        except RowError as exc:
            yield SheetRow(place, {}, str(exc))


def _item(row: Mapping[str, Any]) -> dict[str, Any]:
    """Keyword arguments of `customers.create` from one row; empty cells are left out."""
    chosen: dict[str, tuple[int, Any]] = {}
    emails: list[tuple[int, Any]] = []
    for column, raw in row.items():
        target = column_of(str(column))
        value = raw.strip() if isinstance(raw, str) else raw
        if target is None or value in (None, "") or isinstance(value, Mapping):
            continue  # a JSON `phone` object is read whole below
        rank = _RANK[fold(str(column))]
        if target == "email":
            emails.append((rank, value))
        elif target not in chosen or rank < chosen[target][0]:
            chosen[target] = (rank, value)
    item: dict[str, Any] = {}
    phone: dict[str, Any] = {}
    for target, (_, value) in chosen.items():
        if target.startswith("phone."):
            phone[target.removeprefix("phone.")] = value
        elif target == "notifications" and isinstance(value, str):
            if value.lower() not in _TRUE | _FALSE:
                raise RowError(f"notifications must be true or false, not {value!r:.40}")
            item[target] = value.lower() in _TRUE
        elif target != "name":
            item[target] = value
    if "name" in chosen and "first_name" not in item and "last_name" not in item:
        item.update(_split_name(str(chosen["name"][1])))
    if len(emails) == 1:
        item["email"] = emails[0][1]
    elif emails:
        item["email"] = [e for _, e in sorted(emails, key=lambda pair: pair[0])]
    if isinstance(row.get("phone"), Mapping):
        phone.update(row["phone"])
    if phone:
        item["phone"] = phone
    return item


def _split_name(name: str) -> dict[str, str]:
    """`Ada Lovelace` → Ada / Lovelace; `Lovelace, Ada` → Ada / Lovelace; one word: first name."""
    if "," in name:
        last, _, first = name.partition(",")
    else:
        first, _, last = name.strip().rpartition(" ")
        if not first:
            first, last = last, ""
    parts = {"first_name": first.strip(), "last_name": last.strip()}
    return {key: value for key, value in parts.items() if value}
