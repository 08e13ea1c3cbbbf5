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

from ..types import (
    UNSET,
    Unset,
    WrongShape,
    bad_datetime,
)

T = TypeVar("T", bound="PingData")
_new = object.__new__
_fromisoformat = datetime.datetime.fromisoformat
_FIELDS = frozenset(
    {
        "message",
        "email",
        "timestamp",
    }
)


@_attrs_define
class PingData:
    """The business the key belongs to.

    Attributes:
        message (str | Unset):
        email (str | Unset):
        timestamp (datetime.datetime | Unset):
    """

    message: str | Unset = UNSET
    email: str | Unset = UNSET
    timestamp: datetime.datetime | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    #: The API's JSON key of each field -> its attribute name.
    json_names: ClassVar[dict[str, str]] = {
        "message": "message",
        "email": "email",
        "timestamp": "timestamp",
    }

    def to_dict(self) -> dict[str, Any]:
        message = self.message

        email = self.email

        timestamp: str | Unset = UNSET
        if not isinstance(self.timestamp, Unset):
            timestamp = self.timestamp.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if message is not UNSET:
            field_dict["message"] = message
        if email is not UNSET:
            field_dict["email"] = email
        if timestamp is not UNSET:
            field_dict["timestamp"] = timestamp

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        """Read the API's JSON object strictly: WrongShape (a TypeError) names a wrong field."""
        if type(src_dict) is not dict and not isinstance(src_dict, Mapping):
            raise WrongShape("pingData", "", "an object", src_dict)
        _get = src_dict.get
        message = _get("message", UNSET)
        if message is not UNSET:
            if not isinstance(message, str):
                raise WrongShape("pingData", "message", "a string", message)

        email = _get("email", UNSET)
        if email is not UNSET:
            if not isinstance(email, str):
                raise WrongShape("pingData", "email", "a string", email)

        timestamp = _get("timestamp", UNSET)
        if timestamp is not UNSET:
            try:
                _moment = _fromisoformat(timestamp)
                if _moment.tzinfo is None:
                    raise ValueError
            except (TypeError, ValueError):
                raise bad_datetime("pingData", "timestamp", timestamp) from None
            timestamp = _moment

        # attrs' __init__ only stores the values: setting them directly skips binding arguments.
        ping_data = _new(cls)
        ping_data.message = message
        ping_data.email = email
        ping_data.timestamp = timestamp
        ping_data.additional_properties = {}
        if not _FIELDS.issuperset(src_dict):
            extra = {key: value for key, value in src_dict.items() if key not in _FIELDS}
            ping_data.additional_properties = extra
        return ping_data

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
