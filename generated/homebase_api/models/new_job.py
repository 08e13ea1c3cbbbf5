from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.legacy_lead_source import LegacyLeadSource
    from ..models.line_item import LineItem


T = TypeVar("T", bound="NewJob")


@_attrs_define
class NewJob:
    """A job to create.

    Attributes:
        customer_id (str):
        start (datetime.datetime):
        end (datetime.datetime): Must be after `start`.
        line_items (list[LineItem]):
        note (str | Unset):  Default: ''.
        lead_source (LegacyLeadSource | str | Unset):
    """

    customer_id: str
    start: datetime.datetime
    end: datetime.datetime
    line_items: list[LineItem]
    note: str | Unset = ""
    lead_source: LegacyLeadSource | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.legacy_lead_source import LegacyLeadSource  # noqa: PLC0415

        customer_id = self.customer_id

        start = self.start.isoformat()

        end = self.end.isoformat()

        line_items = []
        for line_items_item_data in self.line_items:
            line_items_item = line_items_item_data.to_dict()
            line_items.append(line_items_item)

        note = self.note

        lead_source: dict[str, Any] | str | Unset
        if isinstance(self.lead_source, Unset):
            lead_source = UNSET
        elif isinstance(self.lead_source, LegacyLeadSource):
            lead_source = self.lead_source.to_dict()
        else:
            lead_source = self.lead_source

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "customerId": customer_id,
                "start": start,
                "end": end,
                "lineItems": line_items,
            }
        )
        if note is not UNSET:
            field_dict["note"] = note
        if lead_source is not UNSET:
            field_dict["leadSource"] = lead_source

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.legacy_lead_source import LegacyLeadSource  # noqa: PLC0415
        from ..models.line_item import LineItem  # noqa: PLC0415

        d = dict(src_dict)
        customer_id = d.pop("customerId")

        start = datetime.datetime.fromisoformat(d.pop("start"))

        end = datetime.datetime.fromisoformat(d.pop("end"))

        line_items = []
        _line_items = d.pop("lineItems")
        for line_items_item_data in _line_items:
            line_items_item = LineItem.from_dict(line_items_item_data)

            line_items.append(line_items_item)

        note = d.pop("note", UNSET)

        def _parse_lead_source(data: object) -> LegacyLeadSource | str | Unset:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                lead_source_type_1 = LegacyLeadSource.from_dict(data)

                return lead_source_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(LegacyLeadSource | str | Unset, data)

        lead_source = _parse_lead_source(d.pop("leadSource", UNSET))

        new_job = cls(
            customer_id=customer_id,
            start=start,
            end=end,
            line_items=line_items,
            note=note,
            lead_source=lead_source,
        )

        new_job.additional_properties = d
        return new_job

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
