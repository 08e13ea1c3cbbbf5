"""Input checks and conversions, run before any request so bad input never costs a round trip."""

from __future__ import annotations

import datetime as dt
import re
import typing
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol, TypeVar

import attrs
import homebase_api.models

from ._errors import ValidationError

__all__ = [
    "E164",
    "MAX_LIMIT",
    "check_limit",
    "check_path_id",
    "check_phone",
    "check_text",
    "to_model",
    "to_utc",
    "to_utc_or_unset",
]

# The server's check. Used with fullmatch (`$` alone lets a trailing newline through) and
# ASCII digits only (`\d` would accept any Unicode digit).
E164 = re.compile(r"^\+1\d{10}$", re.ASCII)
MAX_LIMIT = 100
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
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            raise ValidationError(field, f"not an ISO 8601 date-time: {value!r}") from None
    if not isinstance(value, dt.datetime):
        raise ValidationError(field, f"expected a datetime or ISO string, got {type(value)!r}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValidationError(field, "a naive datetime is ambiguous; give it a time zone")
    utc = value.astimezone(dt.UTC)
    return _ZDateTime(
        utc.year, utc.month, utc.day, utc.hour, utc.minute, utc.second, utc.microsecond, dt.UTC
    )


def to_utc_or_unset(field: str, value: dt.datetime | str | None) -> Any:
    from homebase_api.types import UNSET

    return UNSET if value is None else to_utc(field, value)


def check_phone(field: str, value: object) -> str:
    """An E.164 US/Canadian number (`+1` and ten digits), the form the server accepts."""
    if not isinstance(value, str) or not E164.fullmatch(value):
        raise ValidationError(field, f"must be an E.164 number like +13035551234, got {value!r}")
    return value


def check_path_id(field: str, value: object) -> str:
    """An id that goes into a URL path: "." and ".." would address another path entirely."""
    text = check_text(field, value)
    if text in (".", ".."):
        raise ValidationError(field, f"not a valid id: {text!r}")
    return text


def check_limit(limit: int) -> int:
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise ValidationError("limit", f"must be an integer from 1 to {MAX_LIMIT}, got {limit!r}")
    return limit


def check_text(field: str, value: object) -> str:
    if not isinstance(value, str) or not value:
        raise ValidationError(field, f"must be a non-empty string, got {value!r}")
    return value


def _snake_to_api(cls: type[Any], data: Mapping[str, Any]) -> Mapping[str, Any]:
    """Accept the model's Python names as well as the API's camelCase ones, nested too."""
    names = {f.name for f in attrs.fields(cls) if f.init}
    if not data or not set(data) <= names:
        return data
    hints = _field_hints(cls)
    model = cls(**{key: _nested(hints.get(key), value) for key, value in data.items()})
    out: dict[str, Any] = model.to_dict()
    return out


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
        return model.from_dict(_snake_to_api(model, value))
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
        return cls.from_dict(_snake_to_api(cls, value))
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ValidationError(field, f"not a valid {cls.__name__}: {exc!r}") from None


def decimal_string(field: str, value: object) -> str:
    """A price as the decimal string the API wants ("150.00")."""
    if isinstance(value, bool):
        raise ValidationError(field, "must be a decimal number")
    try:
        number = Decimal(str(value)) if isinstance(value, int | float | str | Decimal) else None
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise ValidationError(field, f"must be a decimal number, got {value!r}")
    if isinstance(value, str) and _DECIMAL.fullmatch(value):
        return value  # as given, so "150.00" keeps its cents
    # Fixed-point: the API's pattern has no exponent ("1E+3"), sign or spaces.
    return format(number, "f")


def split_list(value: str | Iterable[str], separators: str) -> list[str]:
    """The API's string form of a list ("a;b"), as a list, the way the server splits it."""
    if isinstance(value, str):
        return [p.strip() for p in re.split(f"[{re.escape(separators)}]", value) if p.strip()]
    return [str(v) for v in value]
