"""A customer item's fields and natural keys: what bulk creates and upserts match and compare."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypedDict, TypeVar, Unpack

from homebase_api.models import Customer, Phone
from homebase_api.types import Unset

from .._errors import ValidationError
from .._validation import check_bool, check_optional_str, check_phone, split_list

__all__ = [
    "FIELDS",
    "MATCH_FIELDS",
    "CustomerFields",
    "Fields",
    "PhoneInput",
    "check_match_on",
    "check_new_customer",
    "customer_fields",
    "differing",
    "identifiers",
    "identity",
    "item_fields",
    "phone_model",
    "takes_fields",
]

F = TypeVar("F", bound=Callable[..., Any])

MATCH_FIELDS = ("email", "phone")
Fields = dict[str, Any]

PhoneInput = Phone | Mapping[str, str] | str


class CustomerFields(TypedDict, total=False):
    """The fields of a customer a caller sets, declared once: the keyword arguments of
    `customers.update` (`**fields: Unpack[CustomerFields]`, so mypy checks them) and a bulk
    item's keys. `customers.create` writes them out as parameters (a test holds the two equal).
    A text field added here is checked as text."""

    first_name: str | None
    last_name: str | None
    phone: PhoneInput | None
    email: str | Iterable[str] | None
    address: str | Iterable[str] | None
    notes: str | None
    tags: str | Iterable[str] | None
    notifications: bool | None


FIELDS = tuple(CustomerFields.__annotations__)


def phone_model(value: PhoneInput, field: str = "phone") -> Phone:
    """A Phone from a model, a mapping of kind → number, or one number (taken as mobile)."""
    if isinstance(value, str):
        value = {"mobile": value}
    if isinstance(value, Phone):
        value = value.to_dict()
    if not isinstance(value, Mapping):
        raise ValidationError(field, f"expected a Phone, a mapping or a number, got {value!r:.80}")
    numbers = {
        kind: number if number == "" else check_phone(f"{field}.{kind}", number)
        for kind, number in value.items()
    }
    return Phone.from_dict(numbers)


def _has_phone(phone: Phone | None) -> bool:
    return phone is not None and any(v for v in phone.to_dict().values())


def _listed(separators: str, most: int = 0, what: str = "") -> Callable[[str, Any], list[str]]:
    """A list field's check: split as the server would, at most `most` (0: any number)."""

    def check(field: str, value: Any) -> list[str]:
        values = split_list(value, separators, field=field)
        if most and len(values) > most:
            raise ValidationError(field, f"at most {most} {what}")
        return values

    return check


#: How each field that is not plain text is checked (plain text: `check_optional_str`).
_CHECKS: dict[str, Callable[[str, Any], Any]] = {
    "phone": lambda field, value: phone_model(value, field),
    "email": _listed(",;", 2, "e-mail addresses"),
    "address": _listed(";*", 2, "addresses"),
    "tags": _listed(",;*"),
    "notifications": check_bool,
}


def customer_fields(**given: Unpack[CustomerFields]) -> dict[str, Any]:
    """The set customer fields as generated-model arguments; lists split as the server would."""
    unknown = sorted(set(given) - set(FIELDS))
    if unknown:
        raise TypeError(f"got an unexpected keyword argument {unknown[0]!r}")
    return {
        name: _CHECKS.get(name, check_optional_str)(name, value)
        for name in FIELDS
        if (value := given.get(name)) is not None
    }


def takes_fields(method: F) -> F:
    """Show the customer fields as `method`'s keyword parameters (`help`, `inspect.signature`):
    its `**fields: Unpack[CustomerFields]` is what mypy sees."""
    signature = inspect.signature(method)
    kept = [p for p in signature.parameters.values() if p.kind is not p.VAR_KEYWORD]
    fields = [
        inspect.Parameter(
            name,
            inspect.Parameter.KEYWORD_ONLY,
            default=None,
            annotation=getattr(kind, "__forward_arg__", kind),  # the text, as written
        )
        for name, kind in CustomerFields.__annotations__.items()
    ]
    method.__signature__ = signature.replace(parameters=[*kept, *fields])  # type: ignore[attr-defined]
    return method


def check_new_customer(fields: Mapping[str, Any]) -> None:
    """A new customer needs a name and a way to reach them."""
    if not fields.get("first_name") and not fields.get("last_name"):
        raise ValidationError("first_name", "a first or a last name is required")
    if not _has_phone(fields.get("phone")) and not fields.get("email"):
        raise ValidationError("phone", "at least one contact method (phone or email) is required")


def item_fields(item: object) -> Fields:
    """A bulk item (the keyword arguments of `customers.create`) as checked fields."""
    if not isinstance(item, Mapping):
        raise ValidationError("items", f"each item must be a mapping, got {item!r:.80}")
    unknown = sorted(map(str, set(item) - set(FIELDS)))
    if unknown:
        raise ValidationError("items", f"unknown customer field(s): {', '.join(unknown)}")
    fields = customer_fields(**{name: item.get(name) for name in FIELDS})
    check_new_customer(fields)
    return fields


def identifiers(fields: Fields, match_on: Iterable[str] = MATCH_FIELDS) -> list[str]:
    """The item's natural keys: its e-mails and phone numbers (those `match_on` names)."""
    found: list[str] = []
    if "email" in match_on:
        found += fields.get("email", [])
    phone = fields.get("phone")
    if "phone" in match_on and isinstance(phone, Phone):
        found += [v for v in phone.to_dict().values() if isinstance(v, str) and v]
    return list(dict.fromkeys(found))


def identity(fields: Fields, match_on: Iterable[str] = MATCH_FIELDS) -> str:
    """A customer item's natural key in the journal: its e-mails and phones, in one order."""
    return "|".join(sorted({i.casefold() for i in identifiers(fields, match_on)}))


def differing(fields: Fields, customer: Customer) -> Fields:
    """The fields of `fields` whose value on `customer` differs (what an update must send)."""
    changed: Fields = {}
    for name, want in fields.items():
        have = getattr(customer, name, None)
        if isinstance(have, Unset):
            have = None
        if name == "phone":
            stored = have.to_dict() if isinstance(have, Phone) else {}
            given = {kind: number for kind, number in want.to_dict().items() if number}
            same = all(stored.get(kind) == number for kind, number in given.items())
        elif name == "email":
            same = [e.casefold() for e in want] == [e.casefold() for e in have or []]
        elif isinstance(want, list):
            same = want == list(have or [])
        else:
            same = want == have
        if not same:
            changed[name] = want
    return changed


def check_match_on(match_on: object) -> tuple[str, ...]:
    """A `match_on=` argument as a tuple of MATCH_FIELDS names, or ValidationError."""
    names = (match_on,) if isinstance(match_on, str) else match_on
    if not isinstance(names, Iterable):
        raise ValidationError("match_on", f"expected field names, got {match_on!r:.80}")
    chosen = tuple(names)
    if not chosen or any(name not in MATCH_FIELDS for name in chosen):
        raise ValidationError("match_on", f"expected some of {MATCH_FIELDS}, got {match_on!r:.80}")
    return chosen
