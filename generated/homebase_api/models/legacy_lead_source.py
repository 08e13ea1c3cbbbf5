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

T = TypeVar("T", bound="LegacyLeadSource")
_new = object.__new__
_fromisoformat = datetime.datetime.fromisoformat
_FIELDS = frozenset(
    {
        "online",
        "referral",
        "salesPerson",
    }
)


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
    #: The API's JSON key of each field -> its attribute name.
    json_names: ClassVar[dict[str, str]] = {
        "online": "online",
        "referral": "referral",
        "salesPerson": "sales_person",
    }

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
        """Read the API's JSON object strictly: WrongShape (a TypeError) names a wrong field."""
        if type(src_dict) is not dict and not isinstance(src_dict, Mapping):
            raise WrongShape("legacyLeadSource", "", "an object", src_dict)
        _get = src_dict.get
        online = _get("online", UNSET)
        if online is not UNSET:
            if not isinstance(online, bool):
                raise WrongShape("legacyLeadSource", "online", "a boolean", online)

        referral = _get("referral", UNSET)
        if referral is not UNSET:
            if not isinstance(referral, bool):
                raise WrongShape("legacyLeadSource", "referral", "a boolean", referral)

        sales_person = _get("salesPerson", UNSET)
        if sales_person is not UNSET:
            pass

        # attrs' __init__ only stores the values: setting them directly skips binding arguments.
        legacy_lead_source = _new(cls)
        legacy_lead_source.online = online
        legacy_lead_source.referral = referral
        legacy_lead_source.sales_person = sales_person
        legacy_lead_source.additional_properties = {}
        if not _FIELDS.issuperset(src_dict):
            extra = {key: value for key, value in src_dict.items() if key not in _FIELDS}
            legacy_lead_source.additional_properties = extra
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
