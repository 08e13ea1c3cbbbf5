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
    bad_datetime,
    json_kind,
    missing,
)

T = TypeVar("T", bound="Customer")
_new = object.__new__
_fromisoformat = datetime.datetime.fromisoformat
_FIELDS = frozenset(
    {
        "customerId",
        "businessId",
        "firstName",
        "lastName",
        "displayName",
        "phone",
        "email",
        "address",
        "notifications",
        "notes",
        "tags",
        "attachments",
        "dateAdded",
        "lastUpdated",
        "lastJob",
    }
)


@_attrs_define
class Customer:
    """A customer as the API returns it; unknown keys are kept.

    Attributes:
        customer_id (str):
        business_id (str | Unset):
        first_name (str | Unset):
        last_name (str | Unset):
        display_name (str | Unset):
        phone (Phone): Phone numbers by kind; other kinds may appear as extra keys. Empty when the answer has none.
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
    phone: Phone = _attrs_field(factory=Phone)
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
    #: The API's JSON key of each field -> its attribute name.
    json_names: ClassVar[dict[str, str]] = {
        "customerId": "customer_id",
        "businessId": "business_id",
        "firstName": "first_name",
        "lastName": "last_name",
        "displayName": "display_name",
        "phone": "phone",
        "email": "email",
        "address": "address",
        "notifications": "notifications",
        "notes": "notes",
        "tags": "tags",
        "attachments": "attachments",
        "dateAdded": "date_added",
        "lastUpdated": "last_updated",
        "lastJob": "last_job",
    }

    def to_dict(self) -> dict[str, Any]:
        customer_id = self.customer_id

        business_id = self.business_id

        first_name = self.first_name

        last_name = self.last_name

        display_name = self.display_name

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
        if phone:
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
        """Read the API's JSON object strictly: WrongShape (a TypeError) names a wrong field."""
        if type(src_dict) is not dict and not isinstance(src_dict, Mapping):
            raise WrongShape("customer", "", "an object", src_dict)
        _get = src_dict.get
        customer_id = _get("customerId", UNSET)
        if customer_id is UNSET:
            raise missing("customer", "customerId")
        if not isinstance(customer_id, str):
            raise WrongShape("customer", "customerId", "a string", customer_id)

        business_id = _get("businessId", UNSET)
        if business_id is not UNSET:
            if not isinstance(business_id, str):
                raise WrongShape("customer", "businessId", "a string", business_id)

        first_name = _get("firstName", UNSET)
        if first_name is not UNSET:
            if not isinstance(first_name, str):
                raise WrongShape("customer", "firstName", "a string", first_name)

        last_name = _get("lastName", UNSET)
        if last_name is not UNSET:
            if not isinstance(last_name, str):
                raise WrongShape("customer", "lastName", "a string", last_name)

        display_name = _get("displayName", UNSET)
        if display_name is not UNSET:
            if not isinstance(display_name, str):
                raise WrongShape("customer", "displayName", "a string", display_name)

        phone = _get("phone", UNSET)
        if phone is UNSET:
            phone = Phone()
        else:
            if type(phone) is not dict and not isinstance(phone, Mapping):
                raise WrongShape("customer", "phone", "an object", phone)
            try:
                phone = Phone.from_dict(phone)
            except WrongShape as exc:
                raise exc.within("phone") from None

        email = _get("email", UNSET)
        if email is not UNSET:
            if not isinstance(email, list):
                raise WrongShape("customer", "email", "a list", email)
            for _item in email:
                if not isinstance(_item, str):
                    raise WrongShape("customer", "email", "a list of strings", got=f"a list holding {json_kind(_item)}")

        address = _get("address", UNSET)
        if address is not UNSET:
            if not isinstance(address, list):
                raise WrongShape("customer", "address", "a list", address)
            for _item in address:
                if not isinstance(_item, str):
                    raise WrongShape(
                        "customer", "address", "a list of strings", got=f"a list holding {json_kind(_item)}"
                    )

        notifications = _get("notifications", UNSET)
        if notifications is not UNSET:
            if not isinstance(notifications, bool):
                raise WrongShape("customer", "notifications", "a boolean", notifications)

        notes = _get("notes", UNSET)
        if notes is not UNSET:
            if not isinstance(notes, str):
                raise WrongShape("customer", "notes", "a string", notes)

        tags = _get("tags", UNSET)
        if tags is not UNSET:
            if not isinstance(tags, list):
                raise WrongShape("customer", "tags", "a list", tags)
            for _item in tags:
                if not isinstance(_item, str):
                    raise WrongShape("customer", "tags", "a list of strings", got=f"a list holding {json_kind(_item)}")

        attachments = _get("attachments", UNSET)
        if attachments is not UNSET:
            if not isinstance(attachments, list):
                raise WrongShape("customer", "attachments", "a list", attachments)

        date_added = _get("dateAdded", UNSET)
        if date_added is not UNSET:
            try:
                _moment = _fromisoformat(date_added)
                if _moment.tzinfo is None:
                    raise ValueError
            except (TypeError, ValueError):
                raise bad_datetime("customer", "dateAdded", date_added) from None
            date_added = _moment

        last_updated = _get("lastUpdated", UNSET)
        if last_updated is not UNSET:
            try:
                _moment = _fromisoformat(last_updated)
                if _moment.tzinfo is None:
                    raise ValueError
            except (TypeError, ValueError):
                raise bad_datetime("customer", "lastUpdated", last_updated) from None
            last_updated = _moment

        last_job = _get("lastJob", UNSET)
        if last_job is not UNSET:
            if isinstance(last_job, str):
                try:
                    _moment = _fromisoformat(last_job)
                    if _moment.tzinfo is None:
                        raise ValueError
                except (TypeError, ValueError):
                    raise bad_datetime("customer", "lastJob", last_job) from None
                last_job = _moment

            elif last_job is None:
                pass
            else:
                raise WrongShape("customer", "lastJob", "a timestamp or null", last_job)

        # attrs' __init__ only stores the values: setting them directly skips binding arguments.
        customer = _new(cls)
        customer.customer_id = customer_id
        customer.business_id = business_id
        customer.first_name = first_name
        customer.last_name = last_name
        customer.display_name = display_name
        customer.phone = phone
        customer.email = email
        customer.address = address
        customer.notifications = notifications
        customer.notes = notes
        customer.tags = tags
        customer.attachments = attachments
        customer.date_added = date_added
        customer.last_updated = last_updated
        customer.last_job = last_job
        customer.additional_properties = {}
        if not _FIELDS.issuperset(src_dict):
            extra = {key: value for key, value in src_dict.items() if key not in _FIELDS}
            customer.additional_properties = extra
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
