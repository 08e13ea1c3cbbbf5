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

from ..models.message_stats_limits import MessageStatsLimits
from ..models.message_stats_usage import MessageStatsUsage
from ..types import (
    UNSET,
    WrongShape,
    missing,
)

T = TypeVar("T", bound="MessageStats")
_new = object.__new__
_fromisoformat = datetime.datetime.fromisoformat
_FIELDS = frozenset(
    {
        "limits",
        "usage",
    }
)


@_attrs_define
class MessageStats:
    """The daily SMS quota and its use.

    Attributes:
        limits (MessageStatsLimits):
        usage (MessageStatsUsage):
    """

    limits: MessageStatsLimits
    usage: MessageStatsUsage
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    #: The API's JSON key of each field -> its attribute name.
    json_names: ClassVar[dict[str, str]] = {
        "limits": "limits",
        "usage": "usage",
    }

    def to_dict(self) -> dict[str, Any]:
        limits = self.limits.to_dict()

        usage = self.usage.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "limits": limits,
                "usage": usage,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        """Read the API's JSON object strictly: WrongShape (a TypeError) names a wrong field."""
        if type(src_dict) is not dict and not isinstance(src_dict, Mapping):
            raise WrongShape("messageStats", "", "an object", src_dict)
        _get = src_dict.get
        limits = _get("limits", UNSET)
        if limits is UNSET:
            raise missing("messageStats", "limits")
        if type(limits) is not dict and not isinstance(limits, Mapping):
            raise WrongShape("messageStats", "limits", "an object", limits)
        try:
            limits = MessageStatsLimits.from_dict(limits)
        except WrongShape as exc:
            raise exc.within("limits") from None

        usage = _get("usage", UNSET)
        if usage is UNSET:
            raise missing("messageStats", "usage")
        if type(usage) is not dict and not isinstance(usage, Mapping):
            raise WrongShape("messageStats", "usage", "an object", usage)
        try:
            usage = MessageStatsUsage.from_dict(usage)
        except WrongShape as exc:
            raise exc.within("usage") from None

        # attrs' __init__ only stores the values: setting them directly skips binding arguments.
        message_stats = _new(cls)
        message_stats.limits = limits
        message_stats.usage = usage
        message_stats.additional_properties = {}
        if not _FIELDS.issuperset(src_dict):
            extra = {key: value for key, value in src_dict.items() if key not in _FIELDS}
            message_stats.additional_properties = extra
        return message_stats

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
