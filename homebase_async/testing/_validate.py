"""Input checks and coercions: each failure is a 400 whose message names the field."""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal, DecimalException, localcontext
from typing import Any

import attrs
from homebase_api.models import NewCustomer

from ._common import Json, bad_request

PHONE_PATTERN = re.compile(r"^\+1\d{10}$")
PRICE_PATTERN = re.compile(r"^-?\d+(\.\d+)?$")  # negative prices are discounts
RATE_PATTERN = re.compile(r"^\d+(\.\d+)?$")
STANDARD_PHONE_KEYS = ("mobile", "home", "work", "additional")
LEAD_STATUSES = ("new", "first_contact", "second_contact", "third_contact", "on_hold")
MAX_EMAILS = 2
MAX_ADDRESSES = 2
MAX_IDENTIFIERS = 100
_CENT = Decimal("0.01")


def _text_fields(model: type[Any]) -> tuple[str, ...]:
    """The JSON names of a generated model's optional plain-text fields (`firstName`, ...)."""
    names = [field.name for field in attrs.fields(model) if field.type == "str | Unset"]
    return tuple(re.sub(r"_([a-z])", lambda match: match[1].upper(), name) for name in names)


# Every plain-text customer field the spec declares is taken, stored and returned as is.
CUSTOMER_TEXT_FIELDS = _text_fields(NewCustomer)


def json_object(body: object) -> Json:
    if not isinstance(body, dict):
        raise bad_request("request body must be a JSON object")
    return body


def string(body: Mapping[str, Any], field: str, *, label: str | None = None) -> str | None:
    """The string at `field`, or None when absent; null and other types are a 400."""
    if field not in body:
        return None
    value = body[field]
    if not isinstance(value, str):
        raise bad_request(f"{label or field} must be a string")
    return value


def boolean(body: Mapping[str, Any], field: str) -> bool | None:
    if field not in body:
        return None
    value = body[field]
    if not isinstance(value, bool):
        raise bad_request(f"{field} must be a boolean")
    return value


def string_list(body: Mapping[str, Any], field: str) -> list[str] | None:
    if field not in body:
        return None
    value = body[field]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise bad_request(f"{field} must be an array of strings")
    return list(value)


def split_list(
    body: Mapping[str, Any], field: str, separators: str, *, coerce: bool
) -> list[str] | None:
    """An array of strings; with `coerce`, also a string split on `separators`."""
    if coerce and isinstance(body.get(field), str):
        parts = re.split(f"[{re.escape(separators)}]", body[field])
        return [part.strip() for part in parts if part.strip()]
    return string_list(body, field)


def phone(body: Mapping[str, Any], field: str = "phone") -> dict[str, str] | None:
    """The phone object: standard keys E.164 (`^\\+1\\d{10}$`) or empty, others any string."""
    if field not in body:
        return None
    value = body[field]
    if not isinstance(value, dict):
        raise bad_request(f"{field} must be an object")
    numbers: dict[str, str] = {}
    for key, number in value.items():
        if not isinstance(number, str):
            raise bad_request(f"{field}.{key} must be a string")
        if key in STANDARD_PHONE_KEYS and number and not PHONE_PATTERN.match(number):
            raise bad_request(
                f"{field}.{key} must be an E.164 number such as +13038284444, or empty"
            )
        numbers[key] = number
    return numbers


def customer_fields(body: Mapping[str, Any], *, coerce: bool) -> Json:
    """The customer fields present in `body`, checked and normalised (arrays for lists)."""
    fields: Json = {}
    for name in CUSTOMER_TEXT_FIELDS:
        text = string(body, name)
        if text is not None:
            fields[name] = text
    numbers = phone(body)
    if numbers is not None:
        fields["phone"] = numbers
    lists = (("email", ",;", MAX_EMAILS), ("address", ";*", MAX_ADDRESSES), ("tags", ",;*", None))
    for name, separators, most in lists:
        items = split_list(body, name, separators, coerce=coerce)
        if items is None:
            continue
        if most is not None and len(items) > most:
            raise bad_request(f"{name} accepts at most {most} values")
        fields[name] = items
    notifications = boolean(body, "notifications")
    if notifications is not None:
        fields["notifications"] = notifications
    return fields


def require_new_customer(fields: Mapping[str, Any]) -> None:
    """A new customer needs a name and a contact method."""
    if not (fields.get("firstName", "").strip() or fields.get("lastName", "").strip()):
        raise bad_request("firstName or lastName is required")
    has_phone = any(fields.get("phone", {}).values())
    if not (has_phone or fields.get("email")):
        raise bad_request("a contact method is required: a phone number or an email")


def decimal_string(value: object, field: str, pattern: re.Pattern[str] = PRICE_PATTERN) -> str:
    if not isinstance(value, str) or not pattern.match(value):
        raise bad_request(f'{field} must be a decimal string such as "150.00"')
    return value


def line_items(body: Mapping[str, Any], field: str = "lineItems") -> list[Json] | None:
    if field not in body:
        return None
    value = body[field]
    if not isinstance(value, list):
        raise bad_request(f"{field} must be an array of line items")
    return [_line_item(item, f"{field}[{index}]") for index, item in enumerate(value)]


def _line_item(item: object, where: str) -> Json:
    if not isinstance(item, dict):
        raise bad_request(f"{where} must be an object")
    name = string(item, "name", label=f"{where}.name")
    if name is None:
        raise bad_request(f"{where}.name is required")
    quantity = item.get("quantity")
    if isinstance(quantity, bool) or not isinstance(quantity, int | float):
        raise bad_request(f"{where}.quantity must be a number")
    if not math.isfinite(quantity) or quantity < 0:
        raise bad_request(f"{where}.quantity must be a number of at least 0")
    result: Json = {
        "name": name,
        "description": string(item, "description", label=f"{where}.description") or "",
        "quantity": quantity,
        "unitPrice": decimal_string(item.get("unitPrice"), f"{where}.unitPrice"),
    }
    if "taxRate" in item:
        result["taxRate"] = _tax_rate(item["taxRate"], f"{where}.taxRate")
    hidden = item.get("saveHidden", False)
    if not isinstance(hidden, bool):
        raise bad_request(f"{where}.saveHidden must be a boolean")
    result["saveHidden"] = hidden
    return result


def _tax_rate(value: object, where: str) -> Json:
    if not isinstance(value, dict):
        raise bad_request(f"{where} must be an object")
    rate: Json = {}
    name = string(value, "name", label=f"{where}.name")
    if name is not None:
        rate["name"] = name
    if "rate" in value:
        rate["rate"] = decimal_string(value["rate"], f"{where}.rate", RATE_PATTERN)
    return rate


def job_total(items: list[Json]) -> float:
    """Sum of quantity x unitPrice x (1 + rate/100), rounded to cents."""
    key = tuple(
        (item["quantity"], item["unitPrice"], item.get("taxRate", {}).get("rate", "0"))
        for item in items
    )
    total = _total(key)
    if total is None:
        raise bad_request("lineItems add up to a total too large to represent")
    return total


@functools.lru_cache(maxsize=4096)
def _total(items: tuple[tuple[float, str, str], ...]) -> float | None:
    # Cached: bulk data repeats a few catalogue items. Wide precision: quantities up to
    # 1e308 must not make quantize() fail.
    with localcontext(prec=1000, Emax=100_000, Emin=-100_000):
        try:
            total = Decimal(0)
            for quantity, unit_price, rate in items:
                price = Decimal(str(quantity)) * Decimal(unit_price)
                total += price * (1 + Decimal(rate) / 100)
            result = float(total.quantize(_CENT, rounding=ROUND_HALF_UP))
        except DecimalException:
            return None
    return result if math.isfinite(result) else None


def lead_status(body: Mapping[str, Any]) -> str | None:
    status = string(body, "status")
    if status is not None and status not in LEAD_STATUSES:
        raise bad_request(f"status must be one of {', '.join(LEAD_STATUSES)}")
    return status


def lead_source(body: Mapping[str, Any]) -> str | None:
    """A source name: "Online", "Direct" or any custom name."""
    return string(body, "leadSource")


def job_lead_source(body: Mapping[str, Any]) -> str | Json | None:
    """A source name, or the legacy `{online, referral, salesPerson}` object (jobs only)."""
    value = body.get("leadSource")
    if not isinstance(value, dict):
        return string(body, "leadSource", label="leadSource (a string or an object)")
    for flag in ("online", "referral"):
        if flag in value and not isinstance(value[flag], bool):
            raise bad_request(f"leadSource.{flag} must be a boolean")
    return dict(value)


def limit(raw: str | None, default: int) -> int:
    if raw is None:
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise bad_request("limit must be an integer between 1 and 100") from None
    if not 1 <= value <= 100:
        raise bad_request("limit must be between 1 and 100")
    return value


def search_term(raw: str) -> str:
    """A query value as meant: a raw `+` arrives decoded as a space, so ` 1303...` is `+1303...`."""
    term = raw.strip()
    if term.isdigit() and raw[:1].isspace():
        return "+" + term
    return term
