from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="LegacyLeadSource")


@_attrs_define
class LegacyLeadSource:
    """The older object form of a lead source, still accepted on job creation.

    Attributes:
        online (bool | Unset):
        referral (bool | Unset):
        sales_person (Any | Unset):
    """

    online: bool | Unset = UNSET
    referral: bool | Unset = UNSET
    sales_person: Any | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        online = self.online

        referral = self.referral

        sales_person = self.sales_person

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if online is not UNSET:
            field_dict["online"] = online
        if referral is not UNSET:
            field_dict["referral"] = referral
        if sales_person is not UNSET:
            field_dict["salesPerson"] = sales_person

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        online = d.pop("online", UNSET)

        referral = d.pop("referral", UNSET)

        sales_person = d.pop("salesPerson", UNSET)

        legacy_lead_source = cls(
            online=online,
            referral=referral,
            sales_person=sales_person,
        )

        legacy_lead_source.additional_properties = d
        return legacy_lead_source

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
