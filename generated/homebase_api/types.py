"""Contains some shared types for properties"""

import datetime
from collections.abc import Mapping, MutableMapping
from enum import Enum
from http import HTTPStatus
from typing import IO, Any, BinaryIO, Generic, Literal, TypeVar

from attrs import define

# orjson parses an answer about three times faster than the json module (make bench, layers).
from orjson import loads as loads_json


class Unset:
    def __bool__(self) -> Literal[False]:
        return False


UNSET: Unset = Unset()

# The types that `httpx.Client(files=)` can accept, copied from that library.
FileContent = IO[bytes] | bytes | str
FileTypes = (
    # (filename, file (or bytes), content_type)
    tuple[str | None, FileContent, str | None]
    # (filename, file (or bytes), content_type, headers)
    | tuple[str | None, FileContent, str | None, Mapping[str, str]]
)
RequestFiles = list[tuple[str, FileTypes]]


@define
class File:
    """Contains information for file uploads"""

    payload: BinaryIO
    file_name: str | None = None
    mime_type: str | None = None

    def to_tuple(self) -> FileTypes:
        """Return a tuple representation that httpx will accept for multipart/form-data"""
        return self.file_name, self.payload, self.mime_type


class WrongShape(TypeError):
    """A value of an answer whose type is not the one the spec gives its field.

    Models read strictly: a wrong type is never coerced and never read as "absent". `path`
    names the field as `model.field`; `where` is its place in the whole body (`data[2].email`).
    """

    def __init__(self, owner: str, field: str, expected: str, value: object = None, got: str | None = None) -> None:
        super().__init__(owner, field, expected)
        self.path = f"{owner}.{field}" if field else owner
        self.expected = expected
        self.got = got if got is not None else json_kind(value)
        self.where: list[str] = [field] if field else []

    def within(self, place: str) -> "WrongShape":
        """The same error, one level further out in the body (`place`: the parent's key)."""
        self.where.insert(0, place)
        return self

    def __str__(self) -> str:
        text = f"{self.path}: expected {self.expected}, got {self.got}"
        return f"{text} (at {'.'.join(self.where)})" if len(self.where) > 1 else text


def json_kind(value: object) -> str:
    """The JSON type of a value, as error messages name it (never the value: it may be personal)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, Mapping):
        return "an object"
    return type(value).__name__


def missing(owner: str, field: str) -> WrongShape:
    """The error of a required field that is absent."""
    return WrongShape(owner, field, "a value (required)", got="nothing")


def bad_datetime(owner: str, field: str, value: object) -> WrongShape:
    """Why `value` is not an ISO 8601 timestamp with its UTC offset (one without is refused,
    not guessed)."""
    if not isinstance(value, str):
        return WrongShape(owner, field, "a timestamp string", value)
    try:
        datetime.datetime.fromisoformat(value)
    except ValueError:
        return WrongShape(owner, field, "an ISO 8601 timestamp", got=repr(value[:40]))
    return WrongShape(owner, field, "a timestamp with a UTC offset", got=f"{value[:40]!r} without one")


def parse_date(owner: str, field: str, value: Any) -> datetime.date:
    """An ISO 8601 date (YYYY-MM-DD)."""
    if not isinstance(value, str):
        raise WrongShape(owner, field, "a date string", value)
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise WrongShape(owner, field, "an ISO 8601 date", got=repr(value[:40])) from None


E = TypeVar("E", bound=Enum)


def parse_enum(enum: type[E], owner: str, field: str, value: Any) -> E:
    """One of the enum's values; any other is refused."""
    try:
        return enum(value)
    except (ValueError, TypeError):
        names = ", ".join(repr(member.value) for member in enum)
        shown = repr(value[:40]) if isinstance(value, str) else json_kind(value)
        raise WrongShape(owner, field, f"one of {names}", got=shown) from None


T = TypeVar("T")


@define
class Response(Generic[T]):
    """A response from an endpoint"""

    status_code: HTTPStatus
    content: bytes
    headers: MutableMapping[str, str]
    parsed: T | None


__all__ = [
    "UNSET",
    "File",
    "FileTypes",
    "RequestFiles",
    "Response",
    "Unset",
    "WrongShape",
    "bad_datetime",
    "json_kind",
    "loads_json",
    "missing",
    "parse_date",
    "parse_enum",
]
