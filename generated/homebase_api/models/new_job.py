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

from ..models.legacy_lead_source import LegacyLeadSource
from ..models.line_item import LineItem
from ..types import (
    UNSET,
    Unset,
    WrongShape,
    bad_datetime,
    missing,
)

T = TypeVar("T", bound="NewJob")
_new = object.__new__
_fromisoformat = datetime.datetime.fromisoformat
_FIELDS = frozenset(
    {
        "customerId",
        "start",
        "end",
        "lineItems",
        "note",
        "leadSource",
    }
)


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
    #: The API's JSON key of each field -> its attribute name.
    json_names: ClassVar[dict[str, str]] = {
        "customerId": "customer_id",
        "start": "start",
        "end": "end",
        "lineItems": "line_items",
        "note": "note",
        "leadSource": "lead_source",
    }

    def to_dict(self) -> dict[str, Any]:
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
        """Read the API's JSON object strictly: WrongShape (a TypeError) names a wrong field."""
        if type(src_dict) is not dict and not isinstance(src_dict, Mapping):
            raise WrongShape("newJob", "", "an object", src_dict)
        _get = src_dict.get
        customer_id = _get("customerId", UNSET)
        if customer_id is UNSET:
            raise missing("newJob", "customerId")
        if not isinstance(customer_id, str):
            raise WrongShape("newJob", "customerId", "a string", customer_id)

        start = _get("start", UNSET)
        if start is UNSET:
            raise missing("newJob", "start")
        try:
            _moment = _fromisoformat(start)
            if _moment.tzinfo is None:
                raise ValueError
        except (TypeError, ValueError):
            raise bad_datetime("newJob", "start", start) from None
        start = _moment

        end = _get("end", UNSET)
        if end is UNSET:
            raise missing("newJob", "end")
        try:
            _moment = _fromisoformat(end)
            if _moment.tzinfo is None:
                raise ValueError
        except (TypeError, ValueError):
            raise bad_datetime("newJob", "end", end) from None
        end = _moment

        line_items = _get("lineItems", UNSET)
        if line_items is UNSET:
            raise missing("newJob", "lineItems")
        if not isinstance(line_items, list):
            raise WrongShape("newJob", "lineItems", "a list", line_items)
        _items = line_items
        line_items = []
        for _index, _item in enumerate(_items):
            if type(_item) is not dict and not isinstance(_item, Mapping):
                raise WrongShape("newJob", "lineItems" + f"[{_index}]", "an object", _item)
            try:
                line_items.append(LineItem.from_dict(_item))
            except WrongShape as exc:
                raise exc.within("lineItems" + f"[{_index}]") from None

        note = _get("note", UNSET)
        if note is not UNSET:
            if not isinstance(note, str):
                raise WrongShape("newJob", "note", "a string", note)

        lead_source = _get("leadSource", UNSET)
        if lead_source is not UNSET:
            if isinstance(lead_source, str):
                if not isinstance(lead_source, str):
                    raise WrongShape("newJob", "leadSource", "a string", lead_source)

            elif isinstance(lead_source, Mapping):
                if type(lead_source) is not dict and not isinstance(lead_source, Mapping):
                    raise WrongShape("newJob", "leadSource", "an object", lead_source)
                try:
                    lead_source = LegacyLeadSource.from_dict(lead_source)
                except WrongShape as exc:
                    raise exc.within("leadSource") from None

            else:
                raise WrongShape("newJob", "leadSource", "a string or an object", lead_source)

        # attrs' __init__ only stores the values: setting them directly skips binding arguments.
        new_job = _new(cls)
        new_job.customer_id = customer_id
        new_job.start = start
        new_job.end = end
        new_job.line_items = line_items
        new_job.note = note
        new_job.lead_source = lead_source
        new_job.additional_properties = {}
        if not _FIELDS.issuperset(src_dict):
            extra = {key: value for key, value in src_dict.items() if key not in _FIELDS}
            new_job.additional_properties = extra
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
