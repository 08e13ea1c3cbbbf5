"""Input checks and conversions that run before any request."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from homebase_async import ValidationError
from homebase_async._validation import (
    check_limit,
    check_path_id,
    check_phone,
    check_text,
    decimal_string,
    split_list,
    to_model,
    to_utc,
)
from homebase_async.models import LineItem, Phone


@pytest.mark.parametrize("phone", ["+13038284444", "+10000000000", "+19999999999"])
def test_valid_phones(phone: str) -> None:
    assert check_phone("phone", phone) == phone


@pytest.mark.parametrize(
    "phone",
    [
        "3038284444",
        "13038284444",
        "+1 303 828 4444",
        "+1-303-828-4444",
        "303-828-4444",
        "(303) 828-4444",
        "(303)828-4444",
        "303.828.4444",
        "1-303-828-4444",
        "+1 (303) 828-4444",
    ],
)
def test_common_us_forms_become_e164(phone: str) -> None:
    assert check_phone("phone", phone) == "+13038284444"


@pytest.mark.parametrize(
    "phone",
    [
        "+1303828444",
        "+130382844444",
        "+23038284444",
        "828-4444",
        "303-828-44444",
        "(303 828-4444",
        "303--828-4444",
        "+1303828444a",
        " +13038284444",
        "+13038284444\n",
        "+1303828444\u0664",  # a non-ASCII digit
        "+1\uff13038284444",  # a full-width digit
        "",
        None,
        13038284444,
    ],
)
def test_invalid_phones(phone: Any) -> None:
    with pytest.raises(ValidationError) as info:
        check_phone("mobile_phone", phone)
    assert info.value.field == "mobile_phone"


@pytest.mark.parametrize("limit", [1, 2, 50, 100])
def test_valid_limits(limit: int) -> None:
    assert check_limit(limit) == limit


@pytest.mark.parametrize("limit", [0, -1, 101, 1000, True, False, 1.0, "10", None])
def test_invalid_limits(limit: Any) -> None:
    with pytest.raises(ValidationError) as info:
        check_limit(limit)
    assert info.value.field == "limit"


def test_check_path_id() -> None:
    assert check_path_id("job_id", "jKv8AvFrRihBTU7CMQ9Z") == "jKv8AvFrRihBTU7CMQ9Z"
    assert check_path_id("job_id", "...") == "..."
    for bad in ("", ".", "..", None):
        with pytest.raises(ValidationError, match="job_id"):
            check_path_id("job_id", bad)


def test_check_text() -> None:
    assert check_text("note", "x") == "x"
    for bad in ("", None, 3):
        with pytest.raises(ValidationError, match="note"):
            check_text("note", bad)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.datetime(2023, 5, 15, 14, 30, tzinfo=dt.UTC), "2023-05-15T14:30:00Z"),
        (
            dt.datetime(2023, 5, 15, 10, 30, tzinfo=ZoneInfo("America/New_York")),
            "2023-05-15T14:30:00Z",
        ),
        (
            dt.datetime(2023, 5, 15, 16, 30, tzinfo=dt.timezone(dt.timedelta(hours=2))),
            "2023-05-15T14:30:00Z",
        ),
        (dt.datetime(2023, 5, 15, 14, 30, 0, 123000, tzinfo=dt.UTC), "2023-05-15T14:30:00.123000Z"),
        ("2023-05-15T14:30:00Z", "2023-05-15T14:30:00Z"),
        ("2023-05-15T09:30:00-05:00", "2023-05-15T14:30:00Z"),
        ("2023-05-15T14:30:00+00:00", "2023-05-15T14:30:00Z"),
    ],
)
def test_to_utc_gives_z_form(value: dt.datetime | str, expected: str) -> None:
    converted = to_utc("start", value)
    assert converted.isoformat() == expected
    assert converted.utcoffset() == dt.timedelta(0)
    assert converted == dt.datetime.fromisoformat(expected)


@pytest.mark.parametrize(
    "value",
    [
        dt.datetime(2023, 5, 15, 14, 30),
        "2023-05-15T14:30:00",
        "2023-05-15",
        "yesterday",
        "",
        dt.date(2023, 5, 15),
        1684161000,
    ],
)
def test_to_utc_refuses_naive_and_unreadable_values(value: Any) -> None:
    with pytest.raises(ValidationError) as info:
        to_utc("start", value)
    assert info.value.field == "start"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("150.00", "150.00"),
        ("0", "0"),
        ("-5.5", "-5.5"),
        (150, "150"),
        (Decimal("19.99"), "19.99"),
        (0.5, "0.5"),
        # Always the fixed-point form of the API's pattern ^-?\d+(\.\d+)?$
        ("1e3", "1000"),
        (Decimal("1E+3"), "1000"),
        (" 7.50 ", "7.50"),
        ("+5", "5"),
        (1e-7, "0.0000001"),
    ],
)
def test_decimal_string(value: Any, expected: str) -> None:
    assert decimal_string("unit_price", value) == expected
    assert re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", expected)


@pytest.mark.parametrize("value", ["abc", "", "NaN", "Infinity", float("inf"), True, None, [1]])
def test_decimal_string_refuses(value: Any) -> None:
    with pytest.raises(ValidationError, match="unit_price"):
        decimal_string("unit_price", value)


def test_split_list() -> None:
    assert split_list("a@x.com; b@x.com", ",;") == ["a@x.com", "b@x.com"]
    assert split_list("a,b;c", ",;") == ["a", "b", "c"]
    assert split_list("one*two;three", ";*") == ["one", "two", "three"]
    assert split_list(" a ,, ", ",") == ["a"]
    assert split_list(["a,b", "c"], ",") == ["a,b", "c"]
    assert split_list((), ",") == []


def test_to_model() -> None:
    item = LineItem(name="x", quantity=1, unit_price="1.00")
    assert to_model("line_items[0]", LineItem, item) is item
    from_api = to_model("i", LineItem, {"name": "x", "quantity": 2, "unitPrice": "3.00"})
    from_python = to_model("i", LineItem, {"name": "x", "quantity": 2, "unit_price": "3.00"})
    assert (
        from_api.to_dict()
        == from_python.to_dict()
        == {
            "name": "x",
            "quantity": 2,
            "unitPrice": "3.00",
        }
    )
    phone = to_model("phone", Phone, {"mobile": "+13038284444", "fax": "+13038280000"})
    assert phone.to_dict() == {"mobile": "+13038284444", "fax": "+13038280000"}
    for bad in ("x", 3, {"quantity": 1}):
        with pytest.raises(ValidationError, match="line_items"):
            to_model("line_items", LineItem, bad)  # type: ignore[arg-type]
