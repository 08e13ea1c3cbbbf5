from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.message_stats_limits import MessageStatsLimits
    from ..models.message_stats_usage import MessageStatsUsage


T = TypeVar("T", bound="MessageStats")


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
        from ..models.message_stats_limits import MessageStatsLimits  # noqa: PLC0415
        from ..models.message_stats_usage import MessageStatsUsage  # noqa: PLC0415

        d = dict(src_dict)
        limits = MessageStatsLimits.from_dict(d.pop("limits"))

        usage = MessageStatsUsage.from_dict(d.pop("usage"))

        message_stats = cls(
            limits=limits,
            usage=usage,
        )

        message_stats.additional_properties = d
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
