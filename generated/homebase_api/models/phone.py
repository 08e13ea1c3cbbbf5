from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Phone")


@_attrs_define
class Phone:
    """Phone numbers by kind; other kinds may appear as extra keys.

    Example:
        {'mobile': '+13038284444', 'home': '+13035551234'}

    Attributes:
        mobile (str | Unset): A phone number in E.164 form, or empty.
        home (str | Unset): A phone number in E.164 form, or empty.
        work (str | Unset): A phone number in E.164 form, or empty.
        additional (str | Unset): A phone number in E.164 form, or empty.
    """

    mobile: str | Unset = UNSET
    home: str | Unset = UNSET
    work: str | Unset = UNSET
    additional: str | Unset = UNSET
    additional_properties: dict[str, str] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        mobile = self.mobile

        home = self.home

        work = self.work

        additional = self.additional

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if mobile is not UNSET:
            field_dict["mobile"] = mobile
        if home is not UNSET:
            field_dict["home"] = home
        if work is not UNSET:
            field_dict["work"] = work
        if additional is not UNSET:
            field_dict["additional"] = additional

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        mobile = d.pop("mobile", UNSET)

        home = d.pop("home", UNSET)

        work = d.pop("work", UNSET)

        additional = d.pop("additional", UNSET)

        phone = cls(
            mobile=mobile,
            home=home,
            work=work,
            additional=additional,
        )

        phone.additional_properties = d
        return phone

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> str:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: str) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
