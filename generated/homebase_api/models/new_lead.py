from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.lead_status import LeadStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.line_item import LineItem
    from ..models.phone import Phone


T = TypeVar("T", bound="NewLead")


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
        from ..models.line_item import LineItem  # noqa: PLC0415
        from ..models.phone import Phone  # noqa: PLC0415

        d = dict(src_dict)
        customer_id = d.pop("customerId", UNSET)

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

        _line_items = d.pop("lineItems", UNSET)
        line_items: list[LineItem] | Unset = UNSET
        if _line_items is not UNSET:
            line_items = []
            for line_items_item_data in _line_items:
                line_items_item = LineItem.from_dict(line_items_item_data)

                line_items.append(line_items_item)

        note = d.pop("note", UNSET)

        lead_source = d.pop("leadSource", UNSET)

        _status = d.pop("status", UNSET)
        status: LeadStatus | Unset
        if isinstance(_status, Unset):
            status = UNSET
        else:
            status = LeadStatus(_status)

        assigned_to = cast(list[str], d.pop("assignedTo", UNSET))

        new_lead = cls(
            customer_id=customer_id,
            first_name=first_name,
            last_name=last_name,
            phone=phone,
            email=email,
            address=address,
            notes=notes,
            tags=tags,
            notifications=notifications,
            line_items=line_items,
            note=note,
            lead_source=lead_source,
            status=status,
            assigned_to=assigned_to,
        )

        new_lead.additional_properties = d
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
