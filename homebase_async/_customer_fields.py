"""A customer item's fields and natural keys: what bulk creates and upserts match and compare."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from homebase_api.models import Customer, Phone
from homebase_api.types import Unset

from ._errors import ValidationError

__all__ = ["MATCH_FIELDS", "Fields", "check_match_on", "differing", "identifiers", "item_fields"]

MATCH_FIELDS = ("email", "phone")
Fields = dict[str, Any]


def item_fields(item: object) -> Fields:
    """A bulk item (the keyword arguments of `customers.create`) as checked fields."""
    from ._resources.customers import check_new_customer, customer_fields

    if not isinstance(item, Mapping):
        raise ValidationError("items", f"each item must be a mapping, got {item!r:.80}")
    known = {
        "first_name",
        "last_name",
        "phone",
        "email",
        "address",
        "notes",
        "tags",
        "notifications",
    }
    unknown = sorted(set(item) - known)
    if unknown:
        raise ValidationError("items", f"unknown customer field(s): {', '.join(map(str, unknown))}")
    fields = customer_fields(**{name: item.get(name) for name in known})
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
