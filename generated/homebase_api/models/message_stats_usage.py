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

T = TypeVar("T", bound="MessageStatsUsage")
_new = object.__new__
_fromisoformat = datetime.datetime.fromisoformat
_FIELDS = frozenset(
    {
        "dailyUsed",
        "dailyRemaining",
    }
)


@_attrs_define
class MessageStatsUsage:
    """
    Attributes:
        daily_used (int):
        daily_remaining (int):
    """

    daily_used: int
    daily_remaining: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    #: The API's JSON key of each field -> its attribute name.
    json_names: ClassVar[dict[str, str]] = {
        "dailyUsed": "daily_used",
        "dailyRemaining": "daily_remaining",
    }

    def to_dict(self) -> dict[str, Any]:
        daily_used = self.daily_used

        daily_remaining = self.daily_remaining

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "dailyUsed": daily_used,
                "dailyRemaining": daily_remaining,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        """Read the API's JSON object strictly: WrongShape (a TypeError) names a wrong field."""
        if type(src_dict) is not dict and not isinstance(src_dict, Mapping):
            raise WrongShape("messageStatsUsage", "", "an object", src_dict)
        _get = src_dict.get
        daily_used = _get("dailyUsed", UNSET)
        if daily_used is UNSET:
            raise missing("messageStatsUsage", "dailyUsed")
        if type(daily_used) is bool or not isinstance(daily_used, int):
            raise WrongShape("messageStatsUsage", "dailyUsed", "an integer", daily_used)

        daily_remaining = _get("dailyRemaining", UNSET)
        if daily_remaining is UNSET:
            raise missing("messageStatsUsage", "dailyRemaining")
        if type(daily_remaining) is bool or not isinstance(daily_remaining, int):
            raise WrongShape("messageStatsUsage", "dailyRemaining", "an integer", daily_remaining)

        # attrs' __init__ only stores the values: setting them directly skips binding arguments.
        message_stats_usage = _new(cls)
        message_stats_usage.daily_used = daily_used
        message_stats_usage.daily_remaining = daily_remaining
        message_stats_usage.additional_properties = {}
        if not _FIELDS.issuperset(src_dict):
            extra = {key: value for key, value in src_dict.items() if key not in _FIELDS}
            message_stats_usage.additional_properties = extra
        return message_stats_usage

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
