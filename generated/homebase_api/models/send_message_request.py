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

T = TypeVar("T", bound="SendMessageRequest")
_new = object.__new__
_fromisoformat = datetime.datetime.fromisoformat
_FIELDS = frozenset(
    {
        "mobilePhone",
        "customerId",
        "message",
        "mediaUrl",
    }
)


@_attrs_define
class SendMessageRequest:
    """An SMS (`message`) or MMS (`mediaUrl`, with or without text).

    Attributes:
        mobile_phone (str | Unset): A US or Canadian phone number in E.164 form. Example: +13038284444.
        customer_id (str | Unset):
        message (str | Unset):
        media_url (str | Unset):
    """

    mobile_phone: str | Unset = UNSET
    customer_id: str | Unset = UNSET
    message: str | Unset = UNSET
    media_url: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    #: The API's JSON key of each field -> its attribute name.
    json_names: ClassVar[dict[str, str]] = {
        "mobilePhone": "mobile_phone",
        "customerId": "customer_id",
        "message": "message",
        "mediaUrl": "media_url",
    }

    def to_dict(self) -> dict[str, Any]:
        mobile_phone = self.mobile_phone

        customer_id = self.customer_id

        message = self.message

        media_url = self.media_url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if mobile_phone is not UNSET:
            field_dict["mobilePhone"] = mobile_phone
        if customer_id is not UNSET:
            field_dict["customerId"] = customer_id
        if message is not UNSET:
            field_dict["message"] = message
        if media_url is not UNSET:
            field_dict["mediaUrl"] = media_url

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        """Read the API's JSON object strictly: WrongShape (a TypeError) names a wrong field."""
        if type(src_dict) is not dict and not isinstance(src_dict, Mapping):
            raise WrongShape("sendMessageRequest", "", "an object", src_dict)
        _get = src_dict.get
        mobile_phone = _get("mobilePhone", UNSET)
        if mobile_phone is not UNSET:
            if not isinstance(mobile_phone, str):
                raise WrongShape("sendMessageRequest", "mobilePhone", "a string", mobile_phone)

        customer_id = _get("customerId", UNSET)
        if customer_id is not UNSET:
            if not isinstance(customer_id, str):
                raise WrongShape("sendMessageRequest", "customerId", "a string", customer_id)

        message = _get("message", UNSET)
        if message is not UNSET:
            if not isinstance(message, str):
                raise WrongShape("sendMessageRequest", "message", "a string", message)

        media_url = _get("mediaUrl", UNSET)
        if media_url is not UNSET:
            if not isinstance(media_url, str):
                raise WrongShape("sendMessageRequest", "mediaUrl", "a string", media_url)

        # attrs' __init__ only stores the values: setting them directly skips binding arguments.
        send_message_request = _new(cls)
        send_message_request.mobile_phone = mobile_phone
        send_message_request.customer_id = customer_id
        send_message_request.message = message
        send_message_request.media_url = media_url
        send_message_request.additional_properties = {}
        if not _FIELDS.issuperset(src_dict):
            extra = {key: value for key, value in src_dict.items() if key not in _FIELDS}
            send_message_request.additional_properties = extra
        return send_message_request

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
