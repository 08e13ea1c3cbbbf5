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

from ..models.customer import Customer
from ..models.lead_status import LeadStatus
from ..models.line_item import LineItem
from ..types import (
    UNSET,
    Unset,
    WrongShape,
    bad_datetime,
    json_kind,
    missing,
    parse_enum,
)

T = TypeVar("T", bound="Lead")
_new = object.__new__
_fromisoformat = datetime.datetime.fromisoformat
_FIELDS = frozenset(
    {
        "leadId",
        "leadNumber",
        "customer",
        "status",
        "lineItems",
        "note",
        "leadSource",
        "assignedTo",
        "dateAdded",
        "lastUpdated",
    }
)


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
    #: The API's JSON key of each field -> its attribute name.
    json_names: ClassVar[dict[str, str]] = {
        "leadId": "lead_id",
        "leadNumber": "lead_number",
        "customer": "customer",
        "status": "status",
        "lineItems": "line_items",
        "note": "note",
        "leadSource": "lead_source",
        "assignedTo": "assigned_to",
        "dateAdded": "date_added",
        "lastUpdated": "last_updated",
    }

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
        """Read the API's JSON object strictly: WrongShape (a TypeError) names a wrong field."""
        if type(src_dict) is not dict and not isinstance(src_dict, Mapping):
            raise WrongShape("lead", "", "an object", src_dict)
        _get = src_dict.get
        lead_id = _get("leadId", UNSET)
        if lead_id is UNSET:
            raise missing("lead", "leadId")
        if not isinstance(lead_id, str):
            raise WrongShape("lead", "leadId", "a string", lead_id)

        lead_number = _get("leadNumber", UNSET)
        if lead_number is not UNSET:
            if type(lead_number) is bool or not isinstance(lead_number, int):
                raise WrongShape("lead", "leadNumber", "an integer", lead_number)

        customer = _get("customer", UNSET)
        if customer is not UNSET:
            if type(customer) is not dict and not isinstance(customer, Mapping):
                raise WrongShape("lead", "customer", "an object", customer)
            try:
                customer = Customer.from_dict(customer)
            except WrongShape as exc:
                raise exc.within("customer") from None

        status = _get("status", UNSET)
        if status is not UNSET:
            status = parse_enum(LeadStatus, "lead", "status", status)

        line_items = _get("lineItems", UNSET)
        if line_items is not UNSET:
            if not isinstance(line_items, list):
                raise WrongShape("lead", "lineItems", "a list", line_items)
            _items = line_items
            line_items = []
            for _index, _item in enumerate(_items):
                if type(_item) is not dict and not isinstance(_item, Mapping):
                    raise WrongShape("lead", "lineItems" + f"[{_index}]", "an object", _item)
                try:
                    line_items.append(LineItem.from_dict(_item))
                except WrongShape as exc:
                    raise exc.within("lineItems" + f"[{_index}]") from None

        note = _get("note", UNSET)
        if note is not UNSET:
            if not isinstance(note, str):
                raise WrongShape("lead", "note", "a string", note)

        lead_source = _get("leadSource", UNSET)
        if lead_source is not UNSET:
            if not isinstance(lead_source, str):
                raise WrongShape("lead", "leadSource", "a string", lead_source)

        assigned_to = _get("assignedTo", UNSET)
        if assigned_to is not UNSET:
            if not isinstance(assigned_to, list):
                raise WrongShape("lead", "assignedTo", "a list", assigned_to)
            for _item in assigned_to:
                if not isinstance(_item, str):
                    raise WrongShape(
                        "lead", "assignedTo", "a list of strings", got=f"a list holding {json_kind(_item)}"
                    )

        date_added = _get("dateAdded", UNSET)
        if date_added is not UNSET:
            try:
                _moment = _fromisoformat(date_added)
                if _moment.tzinfo is None:
                    raise ValueError
            except (TypeError, ValueError):
                raise bad_datetime("lead", "dateAdded", date_added) from None
            date_added = _moment

        last_updated = _get("lastUpdated", UNSET)
        if last_updated is not UNSET:
            try:
                _moment = _fromisoformat(last_updated)
                if _moment.tzinfo is None:
                    raise ValueError
            except (TypeError, ValueError):
                raise bad_datetime("lead", "lastUpdated", last_updated) from None
            last_updated = _moment

        # attrs' __init__ only stores the values: setting them directly skips binding arguments.
        lead = _new(cls)
        lead.lead_id = lead_id
        lead.lead_number = lead_number
        lead.customer = customer
        lead.status = status
        lead.line_items = line_items
        lead.note = note
        lead.lead_source = lead_source
        lead.assigned_to = assigned_to
        lead.date_added = date_added
        lead.last_updated = last_updated
        lead.additional_properties = {}
        if not _FIELDS.issuperset(src_dict):
            extra = {key: value for key, value in src_dict.items() if key not in _FIELDS}
            lead.additional_properties = extra
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
