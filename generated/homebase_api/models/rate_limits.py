from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, ClassVar, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import (
    UNSET,
    WrongShape,
    missing,
)

T = TypeVar("T", bound="RateLimits")
_new = object.__new__
_fromisoformat = datetime.datetime.fromisoformat
_FIELDS = frozenset(
    {
        "dailyUsed",
        "dailyLimit",
    }
)


@_attrs_define
class RateLimits:
    """The daily SMS counter after this send.

    Attributes:
        daily_used (int):
        daily_limit (int):
    """

    daily_used: int
    daily_limit: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    #: The API's JSON key of each field -> its attribute name.
    json_names: ClassVar[dict[str, str]] = {
        "dailyUsed": "daily_used",
        "dailyLimit": "daily_limit",
    }

    def to_dict(self) -> dict[str, Any]:
        daily_used = self.daily_used

        daily_limit = self.daily_limit

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "dailyUsed": daily_used,
                "dailyLimit": daily_limit,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        """Read the API's JSON object strictly: WrongShape (a TypeError) names a wrong field."""
        if type(src_dict) is not dict and not isinstance(src_dict, Mapping):
            raise WrongShape("rateLimits", "", "an object", src_dict)
        _get = src_dict.get
        daily_used = _get("dailyUsed", UNSET)
        if daily_used is UNSET:
            raise missing("rateLimits", "dailyUsed")
        if type(daily_used) is bool or not isinstance(daily_used, int):
            raise WrongShape("rateLimits", "dailyUsed", "an integer", daily_used)

        daily_limit = _get("dailyLimit", UNSET)
        if daily_limit is UNSET:
            raise missing("rateLimits", "dailyLimit")
        if type(daily_limit) is bool or not isinstance(daily_limit, int):
            raise WrongShape("rateLimits", "dailyLimit", "an integer", daily_limit)

        # attrs' __init__ only stores the values: setting them directly skips binding arguments.
        rate_limits = _new(cls)
        rate_limits.daily_used = daily_used
        rate_limits.daily_limit = daily_limit
        rate_limits.additional_properties = {}
        if not _FIELDS.issuperset(src_dict):
            extra = {key: value for key, value in src_dict.items() if key not in _FIELDS}
            rate_limits.additional_properties = extra
        return rate_limits

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
