from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.phone import Phone


T = TypeVar("T", bound="CustomerUpdate")


@_attrs_define
class CustomerUpdate:
    """The customer fields to change; no field has a default, so only what is set is sent.

    Attributes:
        first_name (str | Unset):
        last_name (str | Unset):
        phone (Phone | Unset): Phone numbers by kind; other kinds may appear as extra keys. Example: {'mobile':
            '+13038284444', 'home': '+13035551234'}.
        email (list[str] | Unset):
        address (list[str] | Unset):
        notes (str | Unset):
        tags (list[str] | Unset):
        notifications (bool | Unset):
    """

    first_name: str | Unset = UNSET
    last_name: str | Unset = UNSET
    phone: Phone | Unset = UNSET
    email: list[str] | Unset = UNSET
    address: list[str] | Unset = UNSET
    notes: str | Unset = UNSET
    tags: list[str] | Unset = UNSET
    notifications: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        first_name = self.first_name

        last_name = self.last_name

        phone: dict[str, Any] | Unset = UNSET
        if not isinstance(self.phone, Unset):
            phone = self.phone.to_dict()

        email: list[str] | Unset = UNSET
        if not isinstance(self.email, Unset):
            email = self.email

        address: list[str] | Unset = UNSET
        if not isinstance(self.address, Unset):
            address = self.address

        notes = self.notes

        tags: list[str] | Unset = UNSET
        if not isinstance(self.tags, Unset):
            tags = self.tags

        notifications = self.notifications

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if first_name is not UNSET:
            field_dict["firstName"] = first_name
        if last_name is not UNSET:
            field_dict["lastName"] = last_name
        if phone is not UNSET:
            field_dict["phone"] = phone
        if email is not UNSET:
            field_dict["email"] = email
        if address is not UNSET:
            field_dict["address"] = address
        if notes is not UNSET:
            field_dict["notes"] = notes
        if tags is not UNSET:
            field_dict["tags"] = tags
        if notifications is not UNSET:
            field_dict["notifications"] = notifications

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.phone import Phone  # noqa: PLC0415

        d = dict(src_dict)
        first_name = d.pop("firstName", UNSET)

        last_name = d.pop("lastName", UNSET)

        _phone = d.pop("phone", UNSET)
        phone: Phone | Unset
        if isinstance(_phone, Unset):
            phone = UNSET
        else:
            phone = Phone.from_dict(_phone)

        email = cast(list[str], d.pop("email", UNSET))

        address = cast(list[str], d.pop("address", UNSET))

        notes = d.pop("notes", UNSET)

        tags = cast(list[str], d.pop("tags", UNSET))

        notifications = d.pop("notifications", UNSET)

        customer_update = cls(
            first_name=first_name,
            last_name=last_name,
            phone=phone,
            email=email,
            address=address,
            notes=notes,
            tags=tags,
            notifications=notifications,
        )

        customer_update.additional_properties = d
        return customer_update

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
