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

T = TypeVar("T", bound="Phone")
_new = object.__new__
_fromisoformat = datetime.datetime.fromisoformat
_FIELDS = frozenset(
    {
        "mobile",
        "home",
        "work",
        "additional",
    }
)


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
    #: The API's JSON key of each field -> its attribute name.
    json_names: ClassVar[dict[str, str]] = {
        "mobile": "mobile",
        "home": "home",
        "work": "work",
        "additional": "additional",
    }

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
        """Read the API's JSON object strictly: WrongShape (a TypeError) names a wrong field."""
        if type(src_dict) is not dict and not isinstance(src_dict, Mapping):
            raise WrongShape("phone", "", "an object", src_dict)
        _get = src_dict.get
        mobile = _get("mobile", UNSET)
        if mobile is not UNSET:
            if not isinstance(mobile, str):
                raise WrongShape("phone", "mobile", "a string", mobile)

        home = _get("home", UNSET)
        if home is not UNSET:
            if not isinstance(home, str):
                raise WrongShape("phone", "home", "a string", home)

        work = _get("work", UNSET)
        if work is not UNSET:
            if not isinstance(work, str):
                raise WrongShape("phone", "work", "a string", work)

        additional = _get("additional", UNSET)
        if additional is not UNSET:
            if not isinstance(additional, str):
                raise WrongShape("phone", "additional", "a string", additional)

        # attrs' __init__ only stores the values: setting them directly skips binding arguments.
        phone = _new(cls)
        phone.mobile = mobile
        phone.home = home
        phone.work = work
        phone.additional = additional
        phone.additional_properties = {}
        if not _FIELDS.issuperset(src_dict):
            extra = {key: value for key, value in src_dict.items() if key not in _FIELDS}
            for key, value in extra.items():
                if not isinstance(value, str):
                    raise WrongShape("phone", key, "a string", value)

                extra[key] = value
            phone.additional_properties = extra
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
