from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import (
    Any,
    ClassVar,
    TypeVar,
)

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.tax_rate import TaxRate
from ..types import (
    UNSET,
    Unset,
    WrongShape,
    missing,
)

T = TypeVar("T", bound="LineItem")
_new = object.__new__
_fromisoformat = datetime.datetime.fromisoformat
_FIELDS = frozenset(
    {
        "name",
        "quantity",
        "unitPrice",
        "description",
        "taxRate",
        "saveHidden",
    }
)


@_attrs_define
class LineItem:
    """An item or service of a job or lead.

    Example:
        {'name': 'Window Cleaning', 'description': 'Cleaning all windows', 'quantity': 1, 'unitPrice': '150.00',
            'taxRate': {'name': 'Standard', 'rate': '7.00'}, 'saveHidden': True}

    Attributes:
        name (str):
        quantity (float):
        unit_price (str): A decimal string such as "150.00".
        description (str | Unset):
        tax_rate (TaxRate): A tax applied to a line item. Empty when the answer has none.
        save_hidden (bool | Unset):
    """

    name: str
    quantity: float
    unit_price: str
    description: str | Unset = UNSET
    tax_rate: TaxRate = _attrs_field(factory=TaxRate)
    save_hidden: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    #: The API's JSON key of each field -> its attribute name.
    json_names: ClassVar[dict[str, str]] = {
        "name": "name",
        "quantity": "quantity",
        "unitPrice": "unit_price",
        "description": "description",
        "taxRate": "tax_rate",
        "saveHidden": "save_hidden",
    }

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        quantity = self.quantity

        unit_price = self.unit_price

        description = self.description

        tax_rate = self.tax_rate.to_dict()

        save_hidden = self.save_hidden

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "quantity": quantity,
                "unitPrice": unit_price,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description
        if tax_rate:
            field_dict["taxRate"] = tax_rate
        if save_hidden is not UNSET:
            field_dict["saveHidden"] = save_hidden

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        """Read the API's JSON object strictly: WrongShape (a TypeError) names a wrong field."""
        if type(src_dict) is not dict and not isinstance(src_dict, Mapping):
            raise WrongShape("lineItem", "", "an object", src_dict)
        _get = src_dict.get
        name = _get("name", UNSET)
        if name is UNSET:
            raise missing("lineItem", "name")
        if not isinstance(name, str):
            raise WrongShape("lineItem", "name", "a string", name)

        quantity = _get("quantity", UNSET)
        if quantity is UNSET:
            raise missing("lineItem", "quantity")
        if type(quantity) is bool or not isinstance(quantity, int | float):
            raise WrongShape("lineItem", "quantity", "a number", quantity)

        unit_price = _get("unitPrice", UNSET)
        if unit_price is UNSET:
            raise missing("lineItem", "unitPrice")
        if not isinstance(unit_price, str):
            raise WrongShape("lineItem", "unitPrice", "a string", unit_price)

        description = _get("description", UNSET)
        if description is not UNSET:
            if not isinstance(description, str):
                raise WrongShape("lineItem", "description", "a string", description)

        tax_rate = _get("taxRate", UNSET)
        if tax_rate is UNSET:
            tax_rate = TaxRate()
        else:
            if type(tax_rate) is not dict and not isinstance(tax_rate, Mapping):
                raise WrongShape("lineItem", "taxRate", "an object", tax_rate)
            try:
                tax_rate = TaxRate.from_dict(tax_rate)
            except WrongShape as exc:
                raise exc.within("taxRate") from None

        save_hidden = _get("saveHidden", UNSET)
        if save_hidden is not UNSET:
            if not isinstance(save_hidden, bool):
                raise WrongShape("lineItem", "saveHidden", "a boolean", save_hidden)

        # attrs' __init__ only stores the values: setting them directly skips binding arguments.
        line_item = _new(cls)
        line_item.name = name
        line_item.quantity = quantity
        line_item.unit_price = unit_price
        line_item.description = description
        line_item.tax_rate = tax_rate
        line_item.save_hidden = save_hidden
        line_item.additional_properties = {}
        if not _FIELDS.issuperset(src_dict):
            extra = {key: value for key, value in src_dict.items() if key not in _FIELDS}
            line_item.additional_properties = extra
        return line_item

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
