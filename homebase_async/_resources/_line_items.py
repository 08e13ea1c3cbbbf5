"""Line items and lead sources: the inputs jobs and leads share."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from homebase_api.models import LegacyLeadSource, LineItem, TaxRate
from homebase_api.types import Unset

from .._errors import ValidationError
from .._validation import (
    check_bool,
    check_number,
    check_optional_str,
    check_text,
    decimal_string,
    to_model,
)

__all__ = ["LineItemInput", "legacy_or_string_source", "parse_line_items"]

LineItemInput = LineItem | Mapping[str, Any]


def _line_item(index: int, value: LineItemInput) -> LineItem:
    field = f"line_items[{index}]"
    item = to_model(field, LineItem, value)
    if not isinstance(item.name, str) or not item.name:
        raise ValidationError(f"{field}.name", "must be a non-empty string")
    if not isinstance(item.description, Unset):
        check_optional_str(f"{field}.description", item.description)
    if not isinstance(item.save_hidden, Unset):
        check_bool(f"{field}.save_hidden", item.save_hidden)
    # The spec's minimum is 0; NaN and infinity are not JSON numbers.
    check_number(f"{field}.quantity", item.quantity, minimum=0)
    item.unit_price = decimal_string(f"{field}.unit_price", item.unit_price)
    if isinstance(item.tax_rate, TaxRate) and not isinstance(item.tax_rate.rate, Unset):
        # A percent as the API's decimal string, whether given as a string or a number.
        item.tax_rate.rate = decimal_string(
            f"{field}.tax_rate.rate", item.tax_rate.rate, non_negative=True
        )
    return item


def parse_line_items(values: Iterable[LineItemInput], *, required: bool) -> list[LineItem]:
    """Validated LineItem models; `required` means at least one (jobs)."""
    if isinstance(values, Mapping | LineItem):
        raise ValidationError("line_items", "expected a list of line items, got a single one")
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        raise ValidationError("line_items", f"expected a list of line items, got {values!r:.80}")
    items = [_line_item(i, v) for i, v in enumerate(values)]
    if required and not items:
        raise ValidationError("line_items", "at least one line item is required")
    return items


def legacy_or_string_source(value: str | LegacyLeadSource | Mapping[str, Any]) -> Any:
    """A lead source: a name, or (job creation only) the legacy object form."""
    if isinstance(value, str):
        return check_text("lead_source", value)
    return to_model("lead_source", LegacyLeadSource, value)
