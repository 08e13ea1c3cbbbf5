from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.rate_limits import RateLimits


T = TypeVar("T", bound="SentMessage")


@_attrs_define
class SentMessage:
    """A message accepted for delivery.

    Attributes:
        mobile_phone (str | Unset):
        customer_id (str | Unset):
        timestamp (datetime.datetime | Unset):
        rate_limits (RateLimits | Unset): The daily SMS counter after this send.
    """

    mobile_phone: str | Unset = UNSET
    customer_id: str | Unset = UNSET
    timestamp: datetime.datetime | Unset = UNSET
    rate_limits: RateLimits | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        mobile_phone = self.mobile_phone

        customer_id = self.customer_id

        timestamp: str | Unset = UNSET
        if not isinstance(self.timestamp, Unset):
            timestamp = self.timestamp.isoformat()

        rate_limits: dict[str, Any] | Unset = UNSET
        if not isinstance(self.rate_limits, Unset):
            rate_limits = self.rate_limits.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if mobile_phone is not UNSET:
            field_dict["mobilePhone"] = mobile_phone
        if customer_id is not UNSET:
            field_dict["customerId"] = customer_id
        if timestamp is not UNSET:
            field_dict["timestamp"] = timestamp
        if rate_limits is not UNSET:
            field_dict["rateLimits"] = rate_limits

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.rate_limits import RateLimits  # noqa: PLC0415

        d = dict(src_dict)
        mobile_phone = d.pop("mobilePhone", UNSET)

        customer_id = d.pop("customerId", UNSET)

        _timestamp = d.pop("timestamp", UNSET)
        timestamp: datetime.datetime | Unset
        if isinstance(_timestamp, Unset):
            timestamp = UNSET
        else:
            timestamp = datetime.datetime.fromisoformat(_timestamp)

        _rate_limits = d.pop("rateLimits", UNSET)
        rate_limits: RateLimits | Unset
        if isinstance(_rate_limits, Unset):
            rate_limits = UNSET
        else:
            rate_limits = RateLimits.from_dict(_rate_limits)

        sent_message = cls(
            mobile_phone=mobile_phone,
            customer_id=customer_id,
            timestamp=timestamp,
            rate_limits=rate_limits,
        )

        sent_message.additional_properties = d
        return sent_message

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
