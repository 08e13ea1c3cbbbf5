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
from ..models.line_item import LineItem
from ..types import (
    UNSET,
    Unset,
    WrongShape,
    bad_datetime,
    missing,
)

T = TypeVar("T", bound="Job")
_new = object.__new__
_fromisoformat = datetime.datetime.fromisoformat
_FIELDS = frozenset(
    {
        "jobId",
        "businessId",
        "customerId",
        "customer",
        "lineItems",
        "start",
        "end",
        "jobTotal",
        "note",
        "timezone",
        "isRecurring",
        "dateAdded",
        "lastUpdated",
    }
)


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
    #: The API's JSON key of each field -> its attribute name.
    json_names: ClassVar[dict[str, str]] = {
        "jobId": "job_id",
        "businessId": "business_id",
        "customerId": "customer_id",
        "customer": "customer",
        "lineItems": "line_items",
        "start": "start",
        "end": "end",
        "jobTotal": "job_total",
        "note": "note",
        "timezone": "timezone",
        "isRecurring": "is_recurring",
        "dateAdded": "date_added",
        "lastUpdated": "last_updated",
    }

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
        """Read the API's JSON object strictly: WrongShape (a TypeError) names a wrong field."""
        if type(src_dict) is not dict and not isinstance(src_dict, Mapping):
            raise WrongShape("job", "", "an object", src_dict)
        _get = src_dict.get
        job_id = _get("jobId", UNSET)
        if job_id is UNSET:
            raise missing("job", "jobId")
        if not isinstance(job_id, str):
            raise WrongShape("job", "jobId", "a string", job_id)

        business_id = _get("businessId", UNSET)
        if business_id is not UNSET:
            if not isinstance(business_id, str):
                raise WrongShape("job", "businessId", "a string", business_id)

        customer_id = _get("customerId", UNSET)
        if customer_id is not UNSET:
            if not isinstance(customer_id, str):
                raise WrongShape("job", "customerId", "a string", customer_id)

        customer = _get("customer", UNSET)
        if customer is not UNSET:
            if type(customer) is not dict and not isinstance(customer, Mapping):
                raise WrongShape("job", "customer", "an object", customer)
            try:
                customer = Customer.from_dict(customer)
            except WrongShape as exc:
                raise exc.within("customer") from None

        line_items = _get("lineItems", UNSET)
        if line_items is not UNSET:
            if not isinstance(line_items, list):
                raise WrongShape("job", "lineItems", "a list", line_items)
            _items = line_items
            line_items = []
            for _index, _item in enumerate(_items):
                if type(_item) is not dict and not isinstance(_item, Mapping):
                    raise WrongShape("job", "lineItems" + f"[{_index}]", "an object", _item)
                try:
                    line_items.append(LineItem.from_dict(_item))
                except WrongShape as exc:
                    raise exc.within("lineItems" + f"[{_index}]") from None

        start = _get("start", UNSET)
        if start is not UNSET:
            try:
                _moment = _fromisoformat(start)
                if _moment.tzinfo is None:
                    raise ValueError
            except (TypeError, ValueError):
                raise bad_datetime("job", "start", start) from None
            start = _moment

        end = _get("end", UNSET)
        if end is not UNSET:
            try:
                _moment = _fromisoformat(end)
                if _moment.tzinfo is None:
                    raise ValueError
            except (TypeError, ValueError):
                raise bad_datetime("job", "end", end) from None
            end = _moment

        job_total = _get("jobTotal", UNSET)
        if job_total is not UNSET:
            if type(job_total) is bool or not isinstance(job_total, int | float):
                raise WrongShape("job", "jobTotal", "a number", job_total)

        note = _get("note", UNSET)
        if note is not UNSET:
            if not isinstance(note, str):
                raise WrongShape("job", "note", "a string", note)

        timezone = _get("timezone", UNSET)
        if timezone is not UNSET:
            if not isinstance(timezone, str):
                raise WrongShape("job", "timezone", "a string", timezone)

        is_recurring = _get("isRecurring", UNSET)
        if is_recurring is not UNSET:
            if not isinstance(is_recurring, bool):
                raise WrongShape("job", "isRecurring", "a boolean", is_recurring)

        date_added = _get("dateAdded", UNSET)
        if date_added is not UNSET:
            try:
                _moment = _fromisoformat(date_added)
                if _moment.tzinfo is None:
                    raise ValueError
            except (TypeError, ValueError):
                raise bad_datetime("job", "dateAdded", date_added) from None
            date_added = _moment

        last_updated = _get("lastUpdated", UNSET)
        if last_updated is not UNSET:
            try:
                _moment = _fromisoformat(last_updated)
                if _moment.tzinfo is None:
                    raise ValueError
            except (TypeError, ValueError):
                raise bad_datetime("job", "lastUpdated", last_updated) from None
            last_updated = _moment

        # attrs' __init__ only stores the values: setting them directly skips binding arguments.
        job = _new(cls)
        job.job_id = job_id
        job.business_id = business_id
        job.customer_id = customer_id
        job.customer = customer
        job.line_items = line_items
        job.start = start
        job.end = end
        job.job_total = job_total
        job.note = note
        job.timezone = timezone
        job.is_recurring = is_recurring
        job.date_added = date_added
        job.last_updated = last_updated
        job.additional_properties = {}
        if not _FIELDS.issuperset(src_dict):
            extra = {key: value for key, value in src_dict.items() if key not in _FIELDS}
            job.additional_properties = extra
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
