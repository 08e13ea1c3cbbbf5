"""Leads: the three creation scenarios, the per-business number, and archiving."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import _validate as check
from ._common import Context, Json, bad_request, format_time, not_found
from ._customers import CustomerBook

_CUSTOMER_FIELDS = (
    "firstName", "lastName", "phone", "email", "address", "notes", "tags", "notifications",
)  # fmt: skip


class LeadBook:
    """Every lead; archived ones are stored but never read back nor updated through the API."""

    def __init__(self, context: Context, customers: CustomerBook) -> None:
        self._context = context
        self._customers = customers
        self.records: dict[str, Json] = {}
        self.archived: set[str] = set()
        self._by_customer: dict[str, list[str]] = {}
        self._last_number = 0

    def create(self, body: Mapping[str, Any]) -> Json:
        """POST /leads: by customerId, by phone.mobile (merge or create), or a new customer."""
        customer_id = check.string(body, "customerId")
        status = check.lead_status(body) or "new"
        items = check.line_items(body) or []
        note = check.string(body, "note") or ""
        source = check.lead_source(body) or ""
        assigned = check.string_list(body, "assignedTo") or []
        if customer_id:
            self._customers.get(customer_id)
        else:
            customer_id = self._find_or_create_customer(body)
        lead_id = self.insert(
            customer_id,
            status=status,
            items=items,
            note=note,
            lead_source=source,
            assigned_to=assigned,
        )
        return {
            "leadId": lead_id,
            "customerId": customer_id,
            "leadNumber": self.records[lead_id]["leadNumber"],
        }

    def _find_or_create_customer(self, body: Mapping[str, Any]) -> str:
        fields = check.customer_fields(body, coerce=False)
        mobile = fields.get("phone", {}).get("mobile")
        if mobile:
            existing = self._customers.find_by_mobile(mobile)
            if existing is not None:
                self._customers.merge(existing, fields)
                return existing
        check.require_new_customer(fields)
        return self._customers.insert(fields)

    def insert(
        self,
        customer_id: str,
        *,
        status: str = "new",
        items: list[Json] | None = None,
        note: str = "",
        lead_source: str = "",
        assigned_to: list[str] | None = None,
        archived: bool = False,
        added: str | None = None,
    ) -> str:
        """Store a lead with the next lead number; the customer must exist."""
        if customer_id not in self._customers.records:
            raise ValueError(f"no customer {customer_id}")
        if status not in check.LEAD_STATUSES:
            raise ValueError(f"unknown lead status {status!r}")
        lead_id = self._context.new_id()
        stamp = added or format_time(self._context.now())
        self._last_number += 1
        self.records[lead_id] = {
            "leadId": lead_id,
            "leadNumber": self._last_number,
            "customerId": customer_id,
            "status": status,
            "lineItems": list(items or []),
            "note": note,
            "leadSource": lead_source,
            "assignedTo": list(assigned_to or []),
            "dateAdded": stamp,
            "lastUpdated": stamp,
        }
        self._by_customer.setdefault(customer_id, []).append(lead_id)
        if archived:
            self.archived.add(lead_id)
        return lead_id

    def update(self, lead_id: str, body: Mapping[str, Any]) -> None:
        """PUT/PATCH /leads/{leadId}: lineItems and assignedTo replace the stored arrays."""
        record = self.records.get(lead_id)
        if record is None or lead_id in self.archived:
            raise not_found(f"Lead not found: {lead_id}")
        changes: Json = {
            "status": check.lead_status(body),
            "note": check.string(body, "note"),
            "lineItems": check.line_items(body),
            "assignedTo": check.string_list(body, "assignedTo"),
            "leadSource": check.lead_source(body),
        }
        record.update({name: value for name, value in changes.items() if value is not None})
        record["lastUpdated"] = format_time(self._context.now())

    def search(
        self, *, lead_id: str | None, customer_id: str | None, status: str | None, limit: int
    ) -> list[Json]:
        """GET /leads: filters combine with AND; archived leads never appear."""
        if status is not None and status not in check.LEAD_STATUSES:
            raise bad_request(f"status must be one of {', '.join(check.LEAD_STATUSES)}")
        if lead_id:
            candidates: list[str] = [lead_id] if lead_id in self.records else []
        elif customer_id:
            candidates = self._by_customer.get(customer_id, [])
        else:
            candidates = list(self.records)
        matches = [
            found
            for found in candidates
            if found not in self.archived
            and (not customer_id or self.records[found]["customerId"] == customer_id)
            and (status is None or self.records[found]["status"] == status)
        ]
        return [self.render(found) for found in self._context.pick(matches, limit)]

    def render(self, lead_id: str) -> Json:
        """API shape: the stored lead with the current customer record in place of its id."""
        record = dict(self.records[lead_id])
        record["customer"] = self._customers.records[record.pop("customerId")]
        return record
