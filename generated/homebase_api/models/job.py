from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.customer import Customer
    from ..models.line_item import LineItem


T = TypeVar("T", bound="Job")


@_attrs_define
class Job:
    """A job as the API returns it.

    Attributes:
        job_id (str):
        business_id (str | Unset):
        customer_id (str | Unset):
        customer (Customer | Unset): A customer as the API returns it; unknown keys are kept.
        line_items (list[LineItem] | Unset):
        start (datetime.datetime | Unset):
        end (datetime.datetime | Unset):
        job_total (float | Unset): Sum of quantity × unitPrice × (1 + rate / 100), rounded to cents.
        note (str | Unset):
        timezone (str | Unset): An IANA time zone name.
        is_recurring (bool | Unset):
        date_added (datetime.datetime | Unset):
        last_updated (datetime.datetime | Unset):
    """

    job_id: str
    business_id: str | Unset = UNSET
    customer_id: str | Unset = UNSET
    customer: Customer | Unset = UNSET
    line_items: list[LineItem] | Unset = UNSET
    start: datetime.datetime | Unset = UNSET
    end: datetime.datetime | Unset = UNSET
    job_total: float | Unset = UNSET
    note: str | Unset = UNSET
    timezone: str | Unset = UNSET
    is_recurring: bool | Unset = UNSET
    date_added: datetime.datetime | Unset = UNSET
    last_updated: datetime.datetime | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        job_id = self.job_id

        business_id = self.business_id

        customer_id = self.customer_id

        customer: dict[str, Any] | Unset = UNSET
        if not isinstance(self.customer, Unset):
            customer = self.customer.to_dict()

        line_items: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.line_items, Unset):
            line_items = []
            for line_items_item_data in self.line_items:
                line_items_item = line_items_item_data.to_dict()
                line_items.append(line_items_item)

        start: str | Unset = UNSET
        if not isinstance(self.start, Unset):
            start = self.start.isoformat()

        end: str | Unset = UNSET
        if not isinstance(self.end, Unset):
            end = self.end.isoformat()

        job_total = self.job_total

        note = self.note

        timezone = self.timezone

        is_recurring = self.is_recurring

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
                "jobId": job_id,
            }
        )
        if business_id is not UNSET:
            field_dict["businessId"] = business_id
        if customer_id is not UNSET:
            field_dict["customerId"] = customer_id
        if customer is not UNSET:
            field_dict["customer"] = customer
        if line_items is not UNSET:
            field_dict["lineItems"] = line_items
        if start is not UNSET:
            field_dict["start"] = start
        if end is not UNSET:
            field_dict["end"] = end
        if job_total is not UNSET:
            field_dict["jobTotal"] = job_total
        if note is not UNSET:
            field_dict["note"] = note
        if timezone is not UNSET:
            field_dict["timezone"] = timezone
        if is_recurring is not UNSET:
            field_dict["isRecurring"] = is_recurring
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
        job_id = d.pop("jobId")

        business_id = d.pop("businessId", UNSET)

        customer_id = d.pop("customerId", UNSET)

        _customer = d.pop("customer", UNSET)
        customer: Customer | Unset
        if isinstance(_customer, Unset):
            customer = UNSET
        else:
            customer = Customer.from_dict(_customer)

        _line_items = d.pop("lineItems", UNSET)
        line_items: list[LineItem] | Unset = UNSET
        if _line_items is not UNSET:
            line_items = []
            for line_items_item_data in _line_items:
                line_items_item = LineItem.from_dict(line_items_item_data)

                line_items.append(line_items_item)

        _start = d.pop("start", UNSET)
        start: datetime.datetime | Unset
        if isinstance(_start, Unset):
            start = UNSET
        else:
            start = datetime.datetime.fromisoformat(_start)

        _end = d.pop("end", UNSET)
        end: datetime.datetime | Unset
        if isinstance(_end, Unset):
            end = UNSET
        else:
            end = datetime.datetime.fromisoformat(_end)

        job_total = d.pop("jobTotal", UNSET)

        note = d.pop("note", UNSET)

        timezone = d.pop("timezone", UNSET)

        is_recurring = d.pop("isRecurring", UNSET)

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

        job = cls(
            job_id=job_id,
            business_id=business_id,
            customer_id=customer_id,
            customer=customer,
            line_items=line_items,
            start=start,
            end=end,
            job_total=job_total,
            note=note,
            timezone=timezone,
            is_recurring=is_recurring,
            date_added=date_added,
            last_updated=last_updated,
        )

        job.additional_properties = d
        return job

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
