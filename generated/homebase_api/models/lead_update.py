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
from ..types import (
    UNSET,
    Unset,
    WrongShape,
    json_kind,
    parse_enum,
)

T = TypeVar("T", bound="LeadUpdate")
_new = object.__new__
_fromisoformat = datetime.datetime.fromisoformat
_FIELDS = frozenset(
    {
        "status",
        "note",
        "lineItems",
        "assignedTo",
        "leadSource",
    }
)


@_attrs_define
class LeadUpdate:
    """The lead fields to change; no field has a default, so only what is set is sent.

    Attributes:
        status (LeadStatus | Unset): Where a lead stands.
        note (str | Unset):
        line_items (list[LineItem] | Unset):
        assigned_to (list[str] | Unset):
        lead_source (str | Unset): "Online", "Direct", or a custom source name (created on first use). Example: Online.
    """

    status: LeadStatus | Unset = UNSET
    note: str | Unset = UNSET
    line_items: list[LineItem] | Unset = UNSET
    assigned_to: list[str] | Unset = UNSET
    lead_source: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    #: The API's JSON key of each field -> its attribute name.
    json_names: ClassVar[dict[str, str]] = {
        "status": "status",
        "note": "note",
        "lineItems": "line_items",
        "assignedTo": "assigned_to",
        "leadSource": "lead_source",
    }

    def to_dict(self) -> dict[str, Any]:
        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value

        note = self.note

        line_items: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.line_items, Unset):
            line_items = []
            for line_items_item_data in self.line_items:
                line_items_item = line_items_item_data.to_dict()
                line_items.append(line_items_item)

        assigned_to: list[str] | Unset = UNSET
        if not isinstance(self.assigned_to, Unset):
            assigned_to = self.assigned_to

        lead_source = self.lead_source

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if status is not UNSET:
            field_dict["status"] = status
        if note is not UNSET:
            field_dict["note"] = note
        if line_items is not UNSET:
            field_dict["lineItems"] = line_items
        if assigned_to is not UNSET:
            field_dict["assignedTo"] = assigned_to
        if lead_source is not UNSET:
            field_dict["leadSource"] = lead_source

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        """Read the API's JSON object strictly: WrongShape (a TypeError) names a wrong field."""
        if type(src_dict) is not dict and not isinstance(src_dict, Mapping):
            raise WrongShape("leadUpdate", "", "an object", src_dict)
        _get = src_dict.get
        status = _get("status", UNSET)
        if status is not UNSET:
            status = parse_enum(LeadStatus, "leadUpdate", "status", status)

        note = _get("note", UNSET)
        if note is not UNSET:
            if not isinstance(note, str):
                raise WrongShape("leadUpdate", "note", "a string", note)

        line_items = _get("lineItems", UNSET)
        if line_items is not UNSET:
            if not isinstance(line_items, list):
                raise WrongShape("leadUpdate", "lineItems", "a list", line_items)
            _items = line_items
            line_items = []
            for _index, _item in enumerate(_items):
                if type(_item) is not dict and not isinstance(_item, Mapping):
                    raise WrongShape("leadUpdate", "lineItems" + f"[{_index}]", "an object", _item)
                try:
                    line_items.append(LineItem.from_dict(_item))
                except WrongShape as exc:
                    raise exc.within("lineItems" + f"[{_index}]") from None

        assigned_to = _get("assignedTo", UNSET)
        if assigned_to is not UNSET:
            if not isinstance(assigned_to, list):
                raise WrongShape("leadUpdate", "assignedTo", "a list", assigned_to)
            for _item in assigned_to:
                if not isinstance(_item, str):
                    raise WrongShape(
                        "leadUpdate", "assignedTo", "a list of strings", got=f"a list holding {json_kind(_item)}"
                    )

        lead_source = _get("leadSource", UNSET)
        if lead_source is not UNSET:
            if not isinstance(lead_source, str):
                raise WrongShape("leadUpdate", "leadSource", "a string", lead_source)

        # attrs' __init__ only stores the values: setting them directly skips binding arguments.
        lead_update = _new(cls)
        lead_update.status = status
        lead_update.note = note
        lead_update.line_items = line_items
        lead_update.assigned_to = assigned_to
        lead_update.lead_source = lead_source
        lead_update.additional_properties = {}
        if not _FIELDS.issuperset(src_dict):
            extra = {key: value for key, value in src_dict.items() if key not in _FIELDS}
            lead_update.additional_properties = extra
        return lead_update

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
