from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.lead_status import LeadStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.customer import Customer
    from ..models.line_item import LineItem


T = TypeVar("T", bound="Lead")


@_attrs_define
class Lead:
    """A lead as the API returns it.

    Attributes:
        lead_id (str):
        lead_number (int | Unset):
        customer (Customer | Unset): A customer as the API returns it; unknown keys are kept.
        status (LeadStatus | Unset): Where a lead stands.
        line_items (list[LineItem] | Unset):
        note (str | Unset):
        lead_source (str | Unset):
        assigned_to (list[str] | Unset):
        date_added (datetime.datetime | Unset):
        last_updated (datetime.datetime | Unset):
    """

    lead_id: str
    lead_number: int | Unset = UNSET
    customer: Customer | Unset = UNSET
    status: LeadStatus | Unset = UNSET
    line_items: list[LineItem] | Unset = UNSET
    note: str | Unset = UNSET
    lead_source: str | Unset = UNSET
    assigned_to: list[str] | Unset = UNSET
    date_added: datetime.datetime | Unset = UNSET
    last_updated: datetime.datetime | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        lead_id = self.lead_id

        lead_number = self.lead_number

        customer: dict[str, Any] | Unset = UNSET
        if not isinstance(self.customer, Unset):
            customer = self.customer.to_dict()

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value

        line_items: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.line_items, Unset):
            line_items = []
            for line_items_item_data in self.line_items:
                line_items_item = line_items_item_data.to_dict()
                line_items.append(line_items_item)

        note = self.note

        lead_source = self.lead_source

        assigned_to: list[str] | Unset = UNSET
        if not isinstance(self.assigned_to, Unset):
            assigned_to = self.assigned_to

        date_added: str | Unset = UNSET
        if not isinstance(self.date_added, Unset):
            date_added = self.date_added.isoformat()

        last_updated: str | Unset = UNSET
        if not isinstance(self.last_updated, Unset):
            last_updated = self.last_updated.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "leadId": lead_id,
            }
        )
        if lead_number is not UNSET:
            field_dict["leadNumber"] = lead_number
        if customer is not UNSET:
            field_dict["customer"] = customer
        if status is not UNSET:
            field_dict["status"] = status
        if line_items is not UNSET:
            field_dict["lineItems"] = line_items
        if note is not UNSET:
            field_dict["note"] = note
        if lead_source is not UNSET:
            field_dict["leadSource"] = lead_source
        if assigned_to is not UNSET:
            field_dict["assignedTo"] = assigned_to
        if date_added is not UNSET:
            field_dict["dateAdded"] = date_added
        if last_updated is not UNSET:
            field_dict["lastUpdated"] = last_updated

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.customer import Customer  # noqa: PLC0415
        from ..models.line_item import LineItem  # noqa: PLC0415

        d = dict(src_dict)
        lead_id = d.pop("leadId")

        lead_number = d.pop("leadNumber", UNSET)

        _customer = d.pop("customer", UNSET)
        customer: Customer | Unset
        if isinstance(_customer, Unset):
            customer = UNSET
        else:
            customer = Customer.from_dict(_customer)

        _status = d.pop("status", UNSET)
        status: LeadStatus | Unset
        if isinstance(_status, Unset):
            status = UNSET
        else:
            status = LeadStatus(_status)

        _line_items = d.pop("lineItems", UNSET)
        line_items: list[LineItem] | Unset = UNSET
        if _line_items is not UNSET:
            line_items = []
            for line_items_item_data in _line_items:
                line_items_item = LineItem.from_dict(line_items_item_data)

                line_items.append(line_items_item)

        note = d.pop("note", UNSET)

        lead_source = d.pop("leadSource", UNSET)

        assigned_to = cast(list[str], d.pop("assignedTo", UNSET))

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

        lead = cls(
            lead_id=lead_id,
            lead_number=lead_number,
            customer=customer,
            status=status,
            line_items=line_items,
            note=note,
            lead_source=lead_source,
            assigned_to=assigned_to,
            date_added=date_added,
            last_updated=last_updated,
        )

        lead.additional_properties = d
        return lead

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
