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

T = TypeVar("T", bound="MessageStatsLimits")
_new = object.__new__
_fromisoformat = datetime.datetime.fromisoformat
_FIELDS = frozenset(
    {
        "perDay",
    }
)


@_attrs_define
class MessageStatsLimits:
    """
    Attributes:
        per_day (int):
    """

    per_day: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    #: The API's JSON key of each field -> its attribute name.
    json_names: ClassVar[dict[str, str]] = {
        "perDay": "per_day",
    }

    def to_dict(self) -> dict[str, Any]:
        per_day = self.per_day

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "perDay": per_day,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        """Read the API's JSON object strictly: WrongShape (a TypeError) names a wrong field."""
        if type(src_dict) is not dict and not isinstance(src_dict, Mapping):
            raise WrongShape("messageStatsLimits", "", "an object", src_dict)
        _get = src_dict.get
        per_day = _get("perDay", UNSET)
        if per_day is UNSET:
            raise missing("messageStatsLimits", "perDay")
        if type(per_day) is bool or not isinstance(per_day, int):
            raise WrongShape("messageStatsLimits", "perDay", "an integer", per_day)

        # attrs' __init__ only stores the values: setting them directly skips binding arguments.
        message_stats_limits = _new(cls)
        message_stats_limits.per_day = per_day
        message_stats_limits.additional_properties = {}
        if not _FIELDS.issuperset(src_dict):
            extra = {key: value for key, value in src_dict.items() if key not in _FIELDS}
            message_stats_limits.additional_properties = extra
        return message_stats_limits

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
