from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.phone import Phone


T = TypeVar("T", bound="Customer")


@_attrs_define
class Customer:
    """A customer as the API returns it; unknown keys are kept.

    Attributes:
        customer_id (str):
        business_id (str | Unset):
        first_name (str | Unset):
        last_name (str | Unset):
        display_name (str | Unset):
        phone (Phone | Unset): Phone numbers by kind; other kinds may appear as extra keys. Example: {'mobile':
            '+13038284444', 'home': '+13035551234'}.
        email (list[str] | Unset):
        address (list[str] | Unset):
        notifications (bool | Unset):
        notes (str | Unset):
        tags (list[str] | Unset):
        attachments (list[Any] | Unset):
        date_added (datetime.datetime | Unset):
        last_updated (datetime.datetime | Unset):
        last_job (datetime.datetime | None | Unset):
    """

    customer_id: str
    business_id: str | Unset = UNSET
    first_name: str | Unset = UNSET
    last_name: str | Unset = UNSET
    display_name: str | Unset = UNSET
    phone: Phone | Unset = UNSET
    email: list[str] | Unset = UNSET
    address: list[str] | Unset = UNSET
    notifications: bool | Unset = UNSET
    notes: str | Unset = UNSET
    tags: list[str] | Unset = UNSET
    attachments: list[Any] | Unset = UNSET
    date_added: datetime.datetime | Unset = UNSET
    last_updated: datetime.datetime | Unset = UNSET
    last_job: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        customer_id = self.customer_id

        business_id = self.business_id

        first_name = self.first_name

        last_name = self.last_name

        display_name = self.display_name

        phone: dict[str, Any] | Unset = UNSET
        if not isinstance(self.phone, Unset):
            phone = self.phone.to_dict()

        email: list[str] | Unset = UNSET
        if not isinstance(self.email, Unset):
            email = self.email

        address: list[str] | Unset = UNSET
        if not isinstance(self.address, Unset):
            address = self.address

        notifications = self.notifications

        notes = self.notes

        tags: list[str] | Unset = UNSET
        if not isinstance(self.tags, Unset):
            tags = self.tags

        attachments: list[Any] | Unset = UNSET
        if not isinstance(self.attachments, Unset):
            attachments = self.attachments

        date_added: str | Unset = UNSET
        if not isinstance(self.date_added, Unset):
            date_added = self.date_added.isoformat()

        last_updated: str | Unset = UNSET
        if not isinstance(self.last_updated, Unset):
            last_updated = self.last_updated.isoformat()

        last_job: None | str | Unset
        if isinstance(self.last_job, Unset):
            last_job = UNSET
        elif isinstance(self.last_job, datetime.datetime):
            last_job = self.last_job.isoformat()
        else:
            last_job = self.last_job

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "customerId": customer_id,
            }
        )
        if business_id is not UNSET:
            field_dict["businessId"] = business_id
        if first_name is not UNSET:
            field_dict["firstName"] = first_name
        if last_name is not UNSET:
            field_dict["lastName"] = last_name
        if display_name is not UNSET:
            field_dict["displayName"] = display_name
        if phone is not UNSET:
            field_dict["phone"] = phone
        if email is not UNSET:
            field_dict["email"] = email
        if address is not UNSET:
            field_dict["address"] = address
        if notifications is not UNSET:
            field_dict["notifications"] = notifications
        if notes is not UNSET:
            field_dict["notes"] = notes
        if tags is not UNSET:
            field_dict["tags"] = tags
        if attachments is not UNSET:
            field_dict["attachments"] = attachments
        if date_added is not UNSET:
            field_dict["dateAdded"] = date_added
        if last_updated is not UNSET:
            field_dict["lastUpdated"] = last_updated
        if last_job is not UNSET:
            field_dict["lastJob"] = last_job

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.phone import Phone  # noqa: PLC0415

        d = dict(src_dict)
        customer_id = d.pop("customerId")

        business_id = d.pop("businessId", UNSET)

        first_name = d.pop("firstName", UNSET)

        last_name = d.pop("lastName", UNSET)

        display_name = d.pop("displayName", UNSET)

        _phone = d.pop("phone", UNSET)
        phone: Phone | Unset
        if isinstance(_phone, Unset):
            phone = UNSET
        else:
            phone = Phone.from_dict(_phone)

        email = cast(list[str], d.pop("email", UNSET))

        address = cast(list[str], d.pop("address", UNSET))

        notifications = d.pop("notifications", UNSET)

        notes = d.pop("notes", UNSET)

        tags = cast(list[str], d.pop("tags", UNSET))

        attachments = cast(list[Any], d.pop("attachments", UNSET))

        _date_added = d.pop("dateAdded", UNSET)
        date_added: datetime.datetime | Unset
        if isinstance(_date_added, Unset):
            date_added = UNSET
        else:
            date_added = datetime.datetime.fromisoformat(_date_added)

        _last_updated = d.pop("lastUpdated", UNSET)
        last_updated: datetime.datetime | Unset
        if isinstance(_last_updated, Unset):
            last_updated = UNSET
        else:
            last_updated = datetime.datetime.fromisoformat(_last_updated)

        def _parse_last_job(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_job_type_0 = datetime.datetime.fromisoformat(data)

                return last_job_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        last_job = _parse_last_job(d.pop("lastJob", UNSET))

        customer = cls(
            customer_id=customer_id,
            business_id=business_id,
            first_name=first_name,
            last_name=last_name,
            display_name=display_name,
            phone=phone,
            email=email,
            address=address,
            notifications=notifications,
            notes=notes,
            tags=tags,
            attachments=attachments,
            date_added=date_added,
            last_updated=last_updated,
            last_job=last_job,
        )

        customer.additional_properties = d
        return customer

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
