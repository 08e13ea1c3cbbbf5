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

from ..models.rate_limits import RateLimits
from ..types import (
    UNSET,
    Unset,
    WrongShape,
    bad_datetime,
)

T = TypeVar("T", bound="SentMessage")
_new = object.__new__
_fromisoformat = datetime.datetime.fromisoformat
_FIELDS = frozenset(
    {
        "mobilePhone",
        "customerId",
        "timestamp",
        "rateLimits",
    }
)


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
    #: The API's JSON key of each field -> its attribute name.
    json_names: ClassVar[dict[str, str]] = {
        "mobilePhone": "mobile_phone",
        "customerId": "customer_id",
        "timestamp": "timestamp",
        "rateLimits": "rate_limits",
    }

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
        """Read the API's JSON object strictly: WrongShape (a TypeError) names a wrong field."""
        if type(src_dict) is not dict and not isinstance(src_dict, Mapping):
            raise WrongShape("sentMessage", "", "an object", src_dict)
        _get = src_dict.get
        mobile_phone = _get("mobilePhone", UNSET)
        if mobile_phone is not UNSET:
            if not isinstance(mobile_phone, str):
                raise WrongShape("sentMessage", "mobilePhone", "a string", mobile_phone)

        customer_id = _get("customerId", UNSET)
        if customer_id is not UNSET:
            if not isinstance(customer_id, str):
                raise WrongShape("sentMessage", "customerId", "a string", customer_id)

        timestamp = _get("timestamp", UNSET)
        if timestamp is not UNSET:
            try:
                _moment = _fromisoformat(timestamp)
                if _moment.tzinfo is None:
                    raise ValueError
            except (TypeError, ValueError):
                raise bad_datetime("sentMessage", "timestamp", timestamp) from None
            timestamp = _moment

        rate_limits = _get("rateLimits", UNSET)
        if rate_limits is not UNSET:
            if type(rate_limits) is not dict and not isinstance(rate_limits, Mapping):
                raise WrongShape("sentMessage", "rateLimits", "an object", rate_limits)
            try:
                rate_limits = RateLimits.from_dict(rate_limits)
            except WrongShape as exc:
                raise exc.within("rateLimits") from None

        # attrs' __init__ only stores the values: setting them directly skips binding arguments.
        sent_message = _new(cls)
        sent_message.mobile_phone = mobile_phone
        sent_message.customer_id = customer_id
        sent_message.timestamp = timestamp
        sent_message.rate_limits = rate_limits
        sent_message.additional_properties = {}
        if not _FIELDS.issuperset(src_dict):
            extra = {key: value for key, value in src_dict.items() if key not in _FIELDS}
            sent_message.additional_properties = extra
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
