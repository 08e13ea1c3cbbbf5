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

from ..models.sent_message import SentMessage
from ..types import (
    UNSET,
    WrongShape,
    missing,
)

T = TypeVar("T", bound="SendMessageResponse")
_new = object.__new__
_fromisoformat = datetime.datetime.fromisoformat
_FIELDS = frozenset(
    {
        "success",
        "data",
    }
)


@_attrs_define
class SendMessageResponse:
    """
    Attributes:
        success (bool):
        data (SentMessage): A message accepted for delivery.
    """

    success: bool
    data: SentMessage
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    #: The API's JSON key of each field -> its attribute name.
    json_names: ClassVar[dict[str, str]] = {
        "success": "success",
        "data": "data",
    }

    def to_dict(self) -> dict[str, Any]:
        success = self.success

        data = self.data.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "success": success,
                "data": data,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        """Read the API's JSON object strictly: WrongShape (a TypeError) names a wrong field."""
        if type(src_dict) is not dict and not isinstance(src_dict, Mapping):
            raise WrongShape("sendMessageResponse", "", "an object", src_dict)
        _get = src_dict.get
        success = _get("success", UNSET)
        if success is UNSET:
            raise missing("sendMessageResponse", "success")
        if not isinstance(success, bool):
            raise WrongShape("sendMessageResponse", "success", "a boolean", success)

        data = _get("data", UNSET)
        if data is UNSET:
            raise missing("sendMessageResponse", "data")
        if type(data) is not dict and not isinstance(data, Mapping):
            raise WrongShape("sendMessageResponse", "data", "an object", data)
        try:
            data = SentMessage.from_dict(data)
        except WrongShape as exc:
            raise exc.within("data") from None

        # attrs' __init__ only stores the values: setting them directly skips binding arguments.
        send_message_response = _new(cls)
        send_message_response.success = success
        send_message_response.data = data
        send_message_response.additional_properties = {}
        if not _FIELDS.issuperset(src_dict):
            extra = {key: value for key, value in src_dict.items() if key not in _FIELDS}
            send_message_response.additional_properties = extra
        return send_message_response

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
