"""Input checks and conversions, run before any request so bad input never costs a round trip."""

from __future__ import annotations

import datetime as dt
import math
import re
import typing
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol, TypeVar
from urllib.parse import urlsplit

import attrs
import homebase_api.models

from ._errors import ValidationError

__all__ = [
    "CUSTOMERS_DEFAULT_LIMIT",
    "E164",
    "EARLIEST",
    "JOBS_DEFAULT_LIMIT",
    "LATEST",
    "LEADS_DEFAULT_LIMIT",
    "MAX_LIMIT",
    "MAX_QUERY_LENGTH",
    "check_bool",
    "check_https_url",
    "check_items",
    "check_limit",
    "check_number",
    "check_optional_str",
    "check_path_id",
    "check_phone",
    "check_query",
    "check_text",
    "looks_like_phone",
    "may_be_capped",
    "to_model",
    "to_utc",
    "to_utc_or_unset",
]

# The server's check. Used with fullmatch (`$` alone lets a trailing newline through) and
# ASCII digits only (`\d` would accept any Unicode digit).
E164 = re.compile(r"^\+1\d{10}$", re.ASCII)
# The common US forms people type: 303-555-0100, (303) 555-0100, 303.555.0100, 3035550100,
# +1 303 555 0100, 1-303-555-0100. Normalised to E.164 before anything is sent.
_US_PHONE = re.compile(
    r"(?:\+?1[ .-]?)?(?:\((\d{3})\)|(\d{3}))[ .-]?(\d{3})[ .-]?(\d{4})", re.ASCII
)
# Only digits and phone punctuation: such an identifier is meant as a phone, never an id.
_PHONEISH = re.compile(r"[\d\s().+-]+")
MAX_LIMIT = 100
#: The `limit` the API applies when it does not read the one asked for: customers and leads 25,
#: jobs 50 (its documentation). An answer of exactly that many is what a server ignoring
#: `limit` would send, so it proves no more than a full answer of 100 (`may_be_capped`).
CUSTOMERS_DEFAULT_LIMIT = 25
JOBS_DEFAULT_LIMIT = 50
LEADS_DEFAULT_LIMIT = 25
#: The longest id, phone, e-mail or search value sent in a query or path: the longest e-mail
#: address (RFC 5321). 100 identifiers of this length still fit httpx's 64 KiB URL limit.
MAX_QUERY_LENGTH = 254
#: Date-times are accepted from EARLIEST to LATEST (UTC): a day inside what Python can
#: represent, so offsets and the +1 µs steps of `jobs.iterate` never overflow.
EARLIEST = dt.datetime(1, 1, 2, tzinfo=dt.UTC)
LATEST = dt.datetime(9999, 12, 30, tzinfo=dt.UTC)
_DECIMAL = re.compile(r"^-?\d+(\.\d+)?$", re.ASCII)


class _Model(Protocol):
    @classmethod
    def from_dict(cls: type[_M], src_dict: Mapping[str, Any]) -> _M: ...

    def to_dict(self) -> dict[str, Any]: ...


_M = TypeVar("_M", bound=_Model)


class _ZDateTime(dt.datetime):
    """A UTC datetime whose `isoformat` ends in `Z`, the form the API documents.

    The generated code serialises datetimes with `isoformat()`, which would give `+00:00`.
    """

    def isoformat(self, sep: str = "T", timespec: str = "auto") -> str:
        return super().isoformat(sep, timespec).removesuffix("+00:00") + "Z"


def to_utc(field: str, value: dt.datetime | str) -> dt.datetime:
    """An aware datetime (or ISO 8601 string with an offset), converted to UTC."""
    given = value
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            raise ValidationError(field, f"not an ISO 8601 date-time: {value!r}") from None
    if not isinstance(value, dt.datetime):
        raise ValidationError(field, f"expected a datetime or ISO string, got {type(value)!r}")
    if value.tzinfo is None or value.utcoffset() is None:
        if isinstance(given, str) and len(given) == 10:
            # The SDK never guesses a time zone; the CLI reads a bare date as a UTC day.
            raise ValidationError(
                field, f"a date alone is ambiguous; give a time and offset: {given}T00:00:00Z"
            )
        raise ValidationError(field, "a naive datetime is ambiguous; give it a time zone")
    try:
        utc = value.astimezone(dt.UTC)
    except OverflowError:
        utc = None
    if utc is None or not EARLIEST <= utc <= LATEST:
        raise ValidationError(
            field, f"must lie from {EARLIEST:%Y-%m-%d} to {LATEST:%Y-%m-%d} (UTC), got {value!r}"
        )
    return _ZDateTime(
        utc.year, utc.month, utc.day, utc.hour, utc.minute, utc.second, utc.microsecond, dt.UTC
    )


def to_utc_or_unset(field: str, value: dt.datetime | str | None) -> Any:
    from homebase_api.types import UNSET

    return UNSET if value is None else to_utc(field, value)


def check_phone(field: str, value: object) -> str:
    """A US/Canadian number as E.164 (`+13035550100`), the only form the server accepts.

    The common US forms (`303-555-0100`, `(303) 555-0100`, `3035550100`, `+1 303 555 0100`)
    are normalised to it; anything else is a ValidationError.
    """
    if isinstance(value, str):
        if E164.fullmatch(value):
            return value
        match = _US_PHONE.fullmatch(value)
        if match is not None:
            return "+1" + "".join(part for part in match.groups() if part)
    raise ValidationError(
        field, f"must be a US number such as +13035550100 or (303) 555-0100, got {value!r}"
    )


def looks_like_phone(value: str) -> bool:
    """Digits and phone punctuation only: meant as a phone (customer ids carry letters)."""
    return bool(_PHONEISH.fullmatch(value)) and any(c.isdigit() for c in value)


def check_path_id(field: str, value: object) -> str:
    """An id that goes into a URL path: "." and ".." would address another path entirely."""
    text = check_query(field, value)
    if text in (".", ".."):
        raise ValidationError(field, f"not a valid id: {text!r}")
    return text


def check_limit(limit: int) -> int:
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise ValidationError("limit", f"must be an integer from 1 to {MAX_LIMIT}, got {limit!r}")
    return limit


def may_be_capped(count: int, default: int) -> bool:
    """Whether an answer of `count` records may have left some out: the API's cap of 100, or
    exactly the `default` limit a server cuts at when it ignores the `limit` asked for."""
    return count >= MAX_LIMIT or count == default


def check_text(field: str, value: object) -> str:
    if not isinstance(value, str) or not value:
        raise ValidationError(field, f"must be a non-empty string, got {_short(value)}")
    return value


def check_query(field: str, value: object) -> str:
    """A non-empty string sent in a query or path: at most MAX_QUERY_LENGTH characters."""
    text = check_text(field, value)
    if len(text) > MAX_QUERY_LENGTH:
        raise ValidationError(
            field, f"at most {MAX_QUERY_LENGTH} characters, got {len(text):,}: {_short(text)}"
        )
    return text


def check_optional_str(field: str, value: object) -> str:
    """Any string, empty included (a note, a name)."""
    if not isinstance(value, str):
        raise ValidationError(field, f"must be a string, got {_short(value)}")
    return value


def check_bool(field: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise ValidationError(field, f"must be True or False, got {_short(value)}")
    return value


#: The largest integer a JSON number (a double) holds exactly: 2**53 - 1.
MAX_SAFE_INTEGER = 2**53 - 1


def check_number(field: str, value: object, *, minimum: float | None = None) -> float | int:
    """A finite int or float (not a bool), at least `minimum` when given."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError(field, f"must be a number, got {_short(value)}")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValidationError(field, f"must be a finite number, got {value!r}")
    if isinstance(value, int) and abs(value) > MAX_SAFE_INTEGER:
        # JSON numbers are doubles to the server: larger integers are not stored as sent.
        raise ValidationError(field, f"must be at most {MAX_SAFE_INTEGER} in size")
    if minimum is not None and value < minimum:
        raise ValidationError(field, f"must be at least {minimum}, got {value!r}")
    return value


def check_https_url(field: str, value: object) -> str:
    """An absolute https URL with a host; a malformed one is a ValidationError, not ValueError."""
    text = check_text(field, value)
    try:
        parts = urlsplit(text)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        host = None
        parts = None
    if parts is None or parts.scheme != "https" or not host or any(c.isspace() for c in text):
        raise ValidationError(field, f"must be an https URL, got {_short(text)}")
    return text


def check_items(field: str, items: object) -> Sequence[Any]:
    """The items of a bulk helper: a list or other sequence (not a string or a mapping)."""
    if isinstance(items, str | bytes | Mapping) or not isinstance(items, Sequence):
        raise ValidationError(field, f"expected a list of items, got {_short(items)}")
    return items


def _short(value: object) -> str:
    """A repr short enough for a one-line message (a 1 MB value is not echoed whole)."""
    text = repr(value)
    return text if len(text) <= 80 else f"{text[:60]}... ({len(text):,} characters)"


def _from_input(cls: type[_M], data: Mapping[str, Any]) -> _M:
    """A model from a caller's mapping (API or Python key names, nested too).

    Not `from_dict`: that reads server answers strictly, while a caller may give a price as a
    number or a Decimal; the facade checks every field afterwards and names the bad one.
    """
    names: dict[str, str] = getattr(cls, "json_names", {})
    fields = set(names.values())
    hints = _field_hints(cls)
    given: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for key, value in data.items():
        name = key if key in fields else names.get(key)
        if name is None:
            extra[key] = value
        else:
            given[name] = _nested(hints.get(name), value)
    model = cls(**given)
    if extra:
        model.additional_properties = extra  # type: ignore[attr-defined]
    return model


_HINTS: dict[type[Any], dict[str, Any]] = {}


def _field_hints(cls: type[Any]) -> dict[str, Any]:
    # The generated models name their nested models as strings imported under TYPE_CHECKING.
    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls, localns=vars(homebase_api.models))
    return _HINTS[cls]


def _models_in(hint: Any) -> list[type[Any]]:
    if isinstance(hint, type) and attrs.has(hint) and hasattr(hint, "from_dict"):
        return [hint]
    return [model for arg in typing.get_args(hint) for model in _models_in(arg)]


def _nested(hint: Any, value: Any) -> Any:
    """A mapping (or list of mappings) given for a nested model, as that model."""
    models = _models_in(hint)
    if len(models) != 1:
        return value
    [model] = models
    if isinstance(value, Mapping):
        return _from_input(model, value)
    if isinstance(value, list):
        return [_nested(hint, item) if isinstance(item, Mapping) else item for item in value]
    return value


def to_model(field: str, cls: type[_M], value: _M | Mapping[str, Any]) -> _M:
    """A generated model from an instance of it or a mapping (API or Python key names)."""
    if isinstance(value, cls):
        return value
    if not isinstance(value, Mapping):
        raise ValidationError(field, f"expected {cls.__name__} or a mapping, got {type(value)!r}")
    try:
        return _from_input(cls, value)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ValidationError(field, f"not a valid {cls.__name__}: {exc!r}") from None


def decimal_string(field: str, value: object, *, non_negative: bool = False) -> str:
    """A price (or, `non_negative`, a percent) as the decimal string the API wants ("150.00")."""
    if isinstance(value, bool):
        raise ValidationError(field, "must be a decimal number")
    try:
        number = Decimal(str(value)) if isinstance(value, int | float | str | Decimal) else None
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise ValidationError(field, f"must be a decimal number, got {_short(value)}")
    if non_negative and number < 0:
        raise ValidationError(field, f"must not be negative, got {value!r}")
    if isinstance(value, str) and _DECIMAL.fullmatch(value):
        return value  # as given, so "150.00" keeps its cents
    # Fixed-point: the API's pattern has no exponent ("1E+3"), sign or spaces.
    return format(number, "f")


def split_list(value: str | Iterable[str], separators: str, *, field: str = "value") -> list[str]:
    """The API's string form of a list ("a;b"), as a list, the way the server splits it."""
    if isinstance(value, str):
        return [p.strip() for p in re.split(f"[{re.escape(separators)}]", value) if p.strip()]
    if isinstance(value, bytes | Mapping) or not isinstance(value, Iterable):
        raise ValidationError(field, f"expected a string or a list of strings, got {_short(value)}")
    items = list(value)
    for item in items:
        check_text(field, item)
    return items
