from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, ClassVar, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import (
    UNSET,
    Unset,
    WrongShape,
)

T = TypeVar("T", bound="TaxRate")
_new = object.__new__
_fromisoformat = datetime.datetime.fromisoformat
_FIELDS = frozenset(
    {
        "name",
        "rate",
    }
)


@_attrs_define
class TaxRate:
    """A tax applied to a line item.

    Example:
        {'name': 'Standard', 'rate': '7.00'}

    Attributes:
        name (str | Unset):
        rate (str | Unset): Percent, as a decimal string.
    """

    name: str | Unset = UNSET
    rate: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    #: The API's JSON key of each field -> its attribute name.
    json_names: ClassVar[dict[str, str]] = {
        "name": "name",
        "rate": "rate",
    }

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        rate = self.rate

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if name is not UNSET:
            field_dict["name"] = name
        if rate is not UNSET:
            field_dict["rate"] = rate

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        """Read the API's JSON object strictly: WrongShape (a TypeError) names a wrong field."""
        if type(src_dict) is not dict and not isinstance(src_dict, Mapping):
            raise WrongShape("taxRate", "", "an object", src_dict)
        _get = src_dict.get
        name = _get("name", UNSET)
        if name is not UNSET:
            if not isinstance(name, str):
                raise WrongShape("taxRate", "name", "a string", name)

        rate = _get("rate", UNSET)
        if rate is not UNSET:
            if not isinstance(rate, str):
                raise WrongShape("taxRate", "rate", "a string", rate)

        # attrs' __init__ only stores the values: setting them directly skips binding arguments.
        tax_rate = _new(cls)
        tax_rate.name = name
        tax_rate.rate = rate
        tax_rate.additional_properties = {}
        if not _FIELDS.issuperset(src_dict):
            extra = {key: value for key, value in src_dict.items() if key not in _FIELDS}
            tax_rate.additional_properties = extra
        return tax_rate

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
