from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="SendMessageRequest")


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
        d = dict(src_dict)
        mobile_phone = d.pop("mobilePhone", UNSET)

        customer_id = d.pop("customerId", UNSET)

        message = d.pop("message", UNSET)

        media_url = d.pop("mediaUrl", UNSET)

        send_message_request = cls(
            mobile_phone=mobile_phone,
            customer_id=customer_id,
            message=message,
            media_url=media_url,
        )

        send_message_request.additional_properties = d
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
