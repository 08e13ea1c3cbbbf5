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

from ..models.lead_status import LeadStatus
from ..models.line_item import LineItem
from ..models.phone import Phone
from ..types import (
    UNSET,
    Unset,
    WrongShape,
    json_kind,
    parse_enum,
)

T = TypeVar("T", bound="NewLead")
_new = object.__new__
_fromisoformat = datetime.datetime.fromisoformat
_FIELDS = frozenset(
    {
        "customerId",
        "firstName",
        "lastName",
        "phone",
        "email",
        "address",
        "notes",
        "tags",
        "notifications",
        "lineItems",
        "note",
        "leadSource",
        "status",
        "assignedTo",
    }
)


@_attrs_define
class NewLead:
    """A lead to create: either `customerId`, or customer details (a first or last name, and
    for a new customer a phone number or e-mail address).

        Attributes:
            customer_id (str | Unset):
            first_name (str | Unset):
            last_name (str | Unset):
            phone (Phone | Unset): Phone numbers by kind; other kinds may appear as extra keys. Example: {'mobile':
                '+13038284444', 'home': '+13035551234'}.
            email (list[str] | Unset):
            address (list[str] | Unset):
            notes (str | Unset):
            tags (list[str] | Unset):
            notifications (bool | Unset):
            line_items (list[LineItem] | Unset):
            note (str | Unset):
            lead_source (str | Unset): "Online", "Direct", or a custom source name (created on first use). Example: Online.
            status (LeadStatus | Unset): Where a lead stands. Default: LeadStatus.NEW.
            assigned_to (list[str] | Unset):
    """

    customer_id: str | Unset = UNSET
    first_name: str | Unset = UNSET
    last_name: str | Unset = UNSET
    phone: Phone | Unset = UNSET
    email: list[str] | Unset = UNSET
    address: list[str] | Unset = UNSET
    notes: str | Unset = UNSET
    tags: list[str] | Unset = UNSET
    notifications: bool | Unset = UNSET
    line_items: list[LineItem] | Unset = UNSET
    note: str | Unset = UNSET
    lead_source: str | Unset = UNSET
    status: LeadStatus | Unset = LeadStatus.NEW
    assigned_to: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    #: The API's JSON key of each field -> its attribute name.
    json_names: ClassVar[dict[str, str]] = {
        "customerId": "customer_id",
        "firstName": "first_name",
        "lastName": "last_name",
        "phone": "phone",
        "email": "email",
        "address": "address",
        "notes": "notes",
        "tags": "tags",
        "notifications": "notifications",
        "lineItems": "line_items",
        "note": "note",
        "leadSource": "lead_source",
        "status": "status",
        "assignedTo": "assigned_to",
    }

    def to_dict(self) -> dict[str, Any]:
        customer_id = self.customer_id

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

        line_items: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.line_items, Unset):
            line_items = []
            for line_items_item_data in self.line_items:
                line_items_item = line_items_item_data.to_dict()
                line_items.append(line_items_item)

        note = self.note

        lead_source = self.lead_source

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value

        assigned_to: list[str] | Unset = UNSET
        if not isinstance(self.assigned_to, Unset):
            assigned_to = self.assigned_to

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if customer_id is not UNSET:
            field_dict["customerId"] = customer_id
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
        if line_items is not UNSET:
            field_dict["lineItems"] = line_items
        if note is not UNSET:
            field_dict["note"] = note
        if lead_source is not UNSET:
            field_dict["leadSource"] = lead_source
        if status is not UNSET:
            field_dict["status"] = status
        if assigned_to is not UNSET:
            field_dict["assignedTo"] = assigned_to

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        """Read the API's JSON object strictly: WrongShape (a TypeError) names a wrong field."""
        if type(src_dict) is not dict and not isinstance(src_dict, Mapping):
            raise WrongShape("newLead", "", "an object", src_dict)
        _get = src_dict.get
        customer_id = _get("customerId", UNSET)
        if customer_id is not UNSET:
            if not isinstance(customer_id, str):
                raise WrongShape("newLead", "customerId", "a string", customer_id)

        first_name = _get("firstName", UNSET)
        if first_name is not UNSET:
            if not isinstance(first_name, str):
                raise WrongShape("newLead", "firstName", "a string", first_name)

        last_name = _get("lastName", UNSET)
        if last_name is not UNSET:
            if not isinstance(last_name, str):
                raise WrongShape("newLead", "lastName", "a string", last_name)

        phone = _get("phone", UNSET)
        if phone is not UNSET:
            if type(phone) is not dict and not isinstance(phone, Mapping):
                raise WrongShape("newLead", "phone", "an object", phone)
            try:
                phone = Phone.from_dict(phone)
            except WrongShape as exc:
                raise exc.within("phone") from None

        email = _get("email", UNSET)
        if email is not UNSET:
            if not isinstance(email, list):
                raise WrongShape("newLead", "email", "a list", email)
            for _item in email:
                if not isinstance(_item, str):
                    raise WrongShape("newLead", "email", "a list of strings", got=f"a list holding {json_kind(_item)}")

        address = _get("address", UNSET)
        if address is not UNSET:
            if not isinstance(address, list):
                raise WrongShape("newLead", "address", "a list", address)
            for _item in address:
                if not isinstance(_item, str):
                    raise WrongShape(
                        "newLead", "address", "a list of strings", got=f"a list holding {json_kind(_item)}"
                    )

        notes = _get("notes", UNSET)
        if notes is not UNSET:
            if not isinstance(notes, str):
                raise WrongShape("newLead", "notes", "a string", notes)

        tags = _get("tags", UNSET)
        if tags is not UNSET:
            if not isinstance(tags, list):
                raise WrongShape("newLead", "tags", "a list", tags)
            for _item in tags:
                if not isinstance(_item, str):
                    raise WrongShape("newLead", "tags", "a list of strings", got=f"a list holding {json_kind(_item)}")

        notifications = _get("notifications", UNSET)
        if notifications is not UNSET:
            if not isinstance(notifications, bool):
                raise WrongShape("newLead", "notifications", "a boolean", notifications)

        line_items = _get("lineItems", UNSET)
        if line_items is not UNSET:
            if not isinstance(line_items, list):
                raise WrongShape("newLead", "lineItems", "a list", line_items)
            _items = line_items
            line_items = []
            for _index, _item in enumerate(_items):
                if type(_item) is not dict and not isinstance(_item, Mapping):
                    raise WrongShape("newLead", "lineItems" + f"[{_index}]", "an object", _item)
                try:
                    line_items.append(LineItem.from_dict(_item))
                except WrongShape as exc:
                    raise exc.within("lineItems" + f"[{_index}]") from None

        note = _get("note", UNSET)
        if note is not UNSET:
            if not isinstance(note, str):
                raise WrongShape("newLead", "note", "a string", note)

        lead_source = _get("leadSource", UNSET)
        if lead_source is not UNSET:
            if not isinstance(lead_source, str):
                raise WrongShape("newLead", "leadSource", "a string", lead_source)

        status = _get("status", UNSET)
        if status is not UNSET:
            status = parse_enum(LeadStatus, "newLead", "status", status)

        assigned_to = _get("assignedTo", UNSET)
        if assigned_to is not UNSET:
            if not isinstance(assigned_to, list):
                raise WrongShape("newLead", "assignedTo", "a list", assigned_to)
            for _item in assigned_to:
                if not isinstance(_item, str):
                    raise WrongShape(
                        "newLead", "assignedTo", "a list of strings", got=f"a list holding {json_kind(_item)}"
                    )

        # attrs' __init__ only stores the values: setting them directly skips binding arguments.
        new_lead = _new(cls)
        new_lead.customer_id = customer_id
        new_lead.first_name = first_name
        new_lead.last_name = last_name
        new_lead.phone = phone
        new_lead.email = email
        new_lead.address = address
        new_lead.notes = notes
        new_lead.tags = tags
        new_lead.notifications = notifications
        new_lead.line_items = line_items
        new_lead.note = note
        new_lead.lead_source = lead_source
        new_lead.status = status
        new_lead.assigned_to = assigned_to
        new_lead.additional_properties = {}
        if not _FIELDS.issuperset(src_dict):
            extra = {key: value for key, value in src_dict.items() if key not in _FIELDS}
            new_lead.additional_properties = extra
        return new_lead

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
