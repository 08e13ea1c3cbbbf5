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

T = TypeVar("T", bound="MessageData")
_new = object.__new__
_fromisoformat = datetime.datetime.fromisoformat
_FIELDS = frozenset(
    {
        "message",
    }
)


@_attrs_define
class MessageData:
    """A confirmation message.

    Attributes:
        message (str | Unset):
    """

    message: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    #: The API's JSON key of each field -> its attribute name.
    json_names: ClassVar[dict[str, str]] = {
        "message": "message",
    }

    def to_dict(self) -> dict[str, Any]:
        message = self.message

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if message is not UNSET:
            field_dict["message"] = message

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        """Read the API's JSON object strictly: WrongShape (a TypeError) names a wrong field."""
        if type(src_dict) is not dict and not isinstance(src_dict, Mapping):
            raise WrongShape("messageData", "", "an object", src_dict)
        _get = src_dict.get
        message = _get("message", UNSET)
        if message is not UNSET:
            if not isinstance(message, str):
                raise WrongShape("messageData", "message", "a string", message)

        # attrs' __init__ only stores the values: setting them directly skips binding arguments.
        message_data = _new(cls)
        message_data.message = message
        message_data.additional_properties = {}
        if not _FIELDS.issuperset(src_dict):
            extra = {key: value for key, value in src_dict.items() if key not in _FIELDS}
            message_data.additional_properties = extra
        return message_data

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
