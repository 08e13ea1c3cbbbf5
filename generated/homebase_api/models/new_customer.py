from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.phone import Phone


T = TypeVar("T", bound="NewCustomer")


@_attrs_define
class NewCustomer:
    """A customer to create. `email`, `address` and `tags` take an array or a separated string.

    Attributes:
        first_name (str | Unset):
        last_name (str | Unset):
        phone (Phone | Unset): Phone numbers by kind; other kinds may appear as extra keys. Example: {'mobile':
            '+13038284444', 'home': '+13035551234'}.
        email (list[str] | str | Unset): At most 2 addresses; a string is split on `,` or `;`.
        address (list[str] | str | Unset): At most 2 addresses; a string is split on `;` or `*`.
        notes (str | Unset):  Default: ''.
        tags (list[str] | str | Unset): A string is split on `,`, `;` or `*`.
        notifications (bool | Unset):  Default: True.
    """

    first_name: str | Unset = UNSET
    last_name: str | Unset = UNSET
    phone: Phone | Unset = UNSET
    email: list[str] | str | Unset = UNSET
    address: list[str] | str | Unset = UNSET
    notes: str | Unset = ""
    tags: list[str] | str | Unset = UNSET
    notifications: bool | Unset = True
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        first_name = self.first_name

        last_name = self.last_name

        phone: dict[str, Any] | Unset = UNSET
        if not isinstance(self.phone, Unset):
            phone = self.phone.to_dict()

        email: list[str] | str | Unset
        if isinstance(self.email, Unset):
            email = UNSET
        elif isinstance(self.email, list):
            email = self.email

        else:
            email = self.email

        address: list[str] | str | Unset
        if isinstance(self.address, Unset):
            address = UNSET
        elif isinstance(self.address, list):
            address = self.address

        else:
            address = self.address

        notes = self.notes

        tags: list[str] | str | Unset
        if isinstance(self.tags, Unset):
            tags = UNSET
        elif isinstance(self.tags, list):
            tags = self.tags

        else:
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

        def _parse_email(data: object) -> list[str] | str | Unset:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                email_type_1 = cast(list[str], data)

                return email_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | str | Unset, data)

        email = _parse_email(d.pop("email", UNSET))

        def _parse_address(data: object) -> list[str] | str | Unset:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                address_type_1 = cast(list[str], data)

                return address_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | str | Unset, data)

        address = _parse_address(d.pop("address", UNSET))

        notes = d.pop("notes", UNSET)

        def _parse_tags(data: object) -> list[str] | str | Unset:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                tags_type_1 = cast(list[str], data)

                return tags_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | str | Unset, data)

        tags = _parse_tags(d.pop("tags", UNSET))

        notifications = d.pop("notifications", UNSET)

        new_customer = cls(
            first_name=first_name,
            last_name=last_name,
            phone=phone,
            email=email,
            address=address,
            notes=notes,
            tags=tags,
            notifications=notifications,
        )

        new_customer.additional_properties = d
        return new_customer

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
