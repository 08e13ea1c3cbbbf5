from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.lead_status import LeadStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.line_item import LineItem


T = TypeVar("T", bound="LeadUpdate")


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
        from ..models.line_item import LineItem  # noqa: PLC0415

        d = dict(src_dict)
        _status = d.pop("status", UNSET)
        status: LeadStatus | Unset
        if isinstance(_status, Unset):
            status = UNSET
        else:
            status = LeadStatus(_status)

        note = d.pop("note", UNSET)

        _line_items = d.pop("lineItems", UNSET)
        line_items: list[LineItem] | Unset = UNSET
        if _line_items is not UNSET:
            line_items = []
            for line_items_item_data in _line_items:
                line_items_item = LineItem.from_dict(line_items_item_data)

                line_items.append(line_items_item)

        assigned_to = cast(list[str], d.pop("assignedTo", UNSET))

        lead_source = d.pop("leadSource", UNSET)

        lead_update = cls(
            status=status,
            note=note,
            line_items=line_items,
            assigned_to=assigned_to,
            lead_source=lead_source,
        )

        lead_update.additional_properties = d
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
