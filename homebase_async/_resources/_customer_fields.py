"""A customer item's fields and natural keys: what bulk creates and upserts match and compare."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from homebase_api.models import Customer, Phone
from homebase_api.types import Unset

from .._errors import ValidationError
from .._validation import check_bool, check_optional_str, check_phone, split_list

__all__ = [
    "FIELDS",
    "MATCH_FIELDS",
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
]

MATCH_FIELDS = ("email", "phone")
#: The fields of a customer a caller sets: `create`'s keyword arguments, a bulk item's keys.
FIELDS = (
    "first_name",
    "last_name",
    "phone",
    "email",
    "address",
    "notes",
    "tags",
    "notifications",
)
Fields = dict[str, Any]

PhoneInput = Phone | Mapping[str, str] | str


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


def customer_fields(
    *,
    first_name: str | None,
    last_name: str | None,
    phone: PhoneInput | None,
    email: str | Iterable[str] | None,
    address: str | Iterable[str] | None,
    notes: str | None,
    tags: str | Iterable[str] | None,
    notifications: bool | None,
) -> dict[str, Any]:
    """The set customer fields as generated-model arguments; lists split as the server would."""
    fields: dict[str, Any] = {}
    if first_name is not None:
        fields["first_name"] = check_optional_str("first_name", first_name)
    if last_name is not None:
        fields["last_name"] = check_optional_str("last_name", last_name)
    if phone is not None:
        fields["phone"] = phone_model(phone)
    if email is not None:
        fields["email"] = split_list(email, ",;", field="email")
        if len(fields["email"]) > 2:
            raise ValidationError("email", "at most 2 e-mail addresses")
    if address is not None:
        fields["address"] = split_list(address, ";*", field="address")
        if len(fields["address"]) > 2:
            raise ValidationError("address", "at most 2 addresses")
    if notes is not None:
        fields["notes"] = check_optional_str("notes", notes)
    if tags is not None:
        fields["tags"] = split_list(tags, ",;*", field="tags")
    if notifications is not None:
        fields["notifications"] = check_bool("notifications", notifications)
    return fields


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
