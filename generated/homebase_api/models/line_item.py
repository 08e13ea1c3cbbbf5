from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.tax_rate import TaxRate


T = TypeVar("T", bound="LineItem")


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
        tax_rate (TaxRate | Unset): A tax applied to a line item. Example: {'name': 'Standard', 'rate': '7.00'}.
        save_hidden (bool | Unset):
    """

    name: str
    quantity: float
    unit_price: str
    description: str | Unset = UNSET
    tax_rate: TaxRate | Unset = UNSET
    save_hidden: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        quantity = self.quantity

        unit_price = self.unit_price

        description = self.description

        tax_rate: dict[str, Any] | Unset = UNSET
        if not isinstance(self.tax_rate, Unset):
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
        if tax_rate is not UNSET:
            field_dict["taxRate"] = tax_rate
        if save_hidden is not UNSET:
            field_dict["saveHidden"] = save_hidden

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.tax_rate import TaxRate  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name")

        quantity = d.pop("quantity")

        unit_price = d.pop("unitPrice")

        description = d.pop("description", UNSET)

        _tax_rate = d.pop("taxRate", UNSET)
        tax_rate: TaxRate | Unset
        if isinstance(_tax_rate, Unset):
            tax_rate = UNSET
        else:
            tax_rate = TaxRate.from_dict(_tax_rate)

        save_hidden = d.pop("saveHidden", UNSET)

        line_item = cls(
            name=name,
            quantity=quantity,
            unit_price=unit_price,
            description=description,
            tax_rate=tax_rate,
            save_hidden=save_hidden,
        )

        line_item.additional_properties = d
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
