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

from ..models.phone import Phone
from ..types import (
    UNSET,
    Unset,
    WrongShape,
    json_kind,
)

T = TypeVar("T", bound="NewCustomer")
_new = object.__new__
_fromisoformat = datetime.datetime.fromisoformat
_FIELDS = frozenset(
    {
        "firstName",
        "lastName",
        "phone",
        "email",
        "address",
        "notes",
        "tags",
        "notifications",
    }
)


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
    #: The API's JSON key of each field -> its attribute name.
    json_names: ClassVar[dict[str, str]] = {
        "firstName": "first_name",
        "lastName": "last_name",
        "phone": "phone",
        "email": "email",
        "address": "address",
        "notes": "notes",
        "tags": "tags",
        "notifications": "notifications",
    }

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
        """Read the API's JSON object strictly: WrongShape (a TypeError) names a wrong field."""
        if type(src_dict) is not dict and not isinstance(src_dict, Mapping):
            raise WrongShape("newCustomer", "", "an object", src_dict)
        _get = src_dict.get
        first_name = _get("firstName", UNSET)
        if first_name is not UNSET:
            if not isinstance(first_name, str):
                raise WrongShape("newCustomer", "firstName", "a string", first_name)

        last_name = _get("lastName", UNSET)
        if last_name is not UNSET:
            if not isinstance(last_name, str):
                raise WrongShape("newCustomer", "lastName", "a string", last_name)

        phone = _get("phone", UNSET)
        if phone is not UNSET:
            if type(phone) is not dict and not isinstance(phone, Mapping):
                raise WrongShape("newCustomer", "phone", "an object", phone)
            try:
                phone = Phone.from_dict(phone)
            except WrongShape as exc:
                raise exc.within("phone") from None

        email = _get("email", UNSET)
        if email is not UNSET:
            if isinstance(email, str):
                if not isinstance(email, str):
                    raise WrongShape("newCustomer", "email", "a string", email)

            elif isinstance(email, list):
                if not isinstance(email, list):
                    raise WrongShape("newCustomer", "email", "a list", email)
                for _item in email:
                    if not isinstance(_item, str):
                        raise WrongShape(
                            "newCustomer", "email", "a list of strings", got=f"a list holding {json_kind(_item)}"
                        )

            else:
                raise WrongShape("newCustomer", "email", "a string or a list", email)

        address = _get("address", UNSET)
        if address is not UNSET:
            if isinstance(address, str):
                if not isinstance(address, str):
                    raise WrongShape("newCustomer", "address", "a string", address)

            elif isinstance(address, list):
                if not isinstance(address, list):
                    raise WrongShape("newCustomer", "address", "a list", address)
                for _item in address:
                    if not isinstance(_item, str):
                        raise WrongShape(
                            "newCustomer", "address", "a list of strings", got=f"a list holding {json_kind(_item)}"
                        )

            else:
                raise WrongShape("newCustomer", "address", "a string or a list", address)

        notes = _get("notes", UNSET)
        if notes is not UNSET:
            if not isinstance(notes, str):
                raise WrongShape("newCustomer", "notes", "a string", notes)

        tags = _get("tags", UNSET)
        if tags is not UNSET:
            if isinstance(tags, str):
                if not isinstance(tags, str):
                    raise WrongShape("newCustomer", "tags", "a string", tags)

            elif isinstance(tags, list):
                if not isinstance(tags, list):
                    raise WrongShape("newCustomer", "tags", "a list", tags)
                for _item in tags:
                    if not isinstance(_item, str):
                        raise WrongShape(
                            "newCustomer", "tags", "a list of strings", got=f"a list holding {json_kind(_item)}"
                        )

            else:
                raise WrongShape("newCustomer", "tags", "a string or a list", tags)

        notifications = _get("notifications", UNSET)
        if notifications is not UNSET:
            if not isinstance(notifications, bool):
                raise WrongShape("newCustomer", "notifications", "a boolean", notifications)

        # attrs' __init__ only stores the values: setting them directly skips binding arguments.
        new_customer = _new(cls)
        new_customer.first_name = first_name
        new_customer.last_name = last_name
        new_customer.phone = phone
        new_customer.email = email
        new_customer.address = address
        new_customer.notes = notes
        new_customer.tags = tags
        new_customer.notifications = notifications
        new_customer.additional_properties = {}
        if not _FIELDS.issuperset(src_dict):
            extra = {key: value for key, value in src_dict.items() if key not in _FIELDS}
            new_customer.additional_properties = extra
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
