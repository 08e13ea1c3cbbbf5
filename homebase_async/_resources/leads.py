"""Leads: list, get, create (with the server's customer find-or-create), update."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from homebase_api.api.leads import create_lead, get_leads, update_lead
from homebase_api.models import (
    CreatedLead,
    CreatedLeadResponse,
    Lead,
    LeadStatus,
    LeadUpdate,
    NewLead,
    Phone,
)
from homebase_api.types import UNSET

from .._bulk import effective_concurrency, unique
from .._errors import ValidationError
from .._listing import Listing, iterate_leads
from .._request import Operation
from .._retry import Kind
from .._validation import check_limit, check_optional_str, check_path_id, check_query, check_text
from ._base import Resource, data_of, not_found
from ._customer_fields import PhoneInput, check_new_customer, customer_fields
from ._line_items import LineItemInput, parse_line_items

__all__ = ["Leads", "lead_status"]

GET = Operation("getLeads", "GET", "/leads", Kind.READ)
CREATE = Operation("createLead", "POST", "/leads", Kind.WRITE)
UPDATE = Operation("updateLead", "PUT", "/leads/{leadId}", Kind.UPDATE)


def lead_status(value: LeadStatus | str, field: str = "status") -> LeadStatus:
    if not isinstance(value, str):  # LeadStatus is a str enum
        raise ValidationError(field, f"must be a lead status, got {value!r:.80}")
    try:
        return LeadStatus(value)
    except ValueError:
        allowed = ", ".join(s.value for s in LeadStatus)
        raise ValidationError(field, f"must be one of {allowed}; got {value!r}") from None


def _mobile_of(fields: dict[str, Any]) -> str:
    """The mobile the server finds an existing customer by (scenario 2 of lead creation)."""
    phone = fields.get("phone")
    return phone.mobile if isinstance(phone, Phone) and isinstance(phone.mobile, str) else ""


def _string_list(field: str, values: Iterable[str]) -> list[str]:
    if isinstance(values, str | bytes | Mapping) or not isinstance(values, Iterable):
        raise ValidationError(field, f"expected a list of strings, got {values!r:.80}")
    return [check_text(field, v) for v in values]


class Leads(Resource):
    """`hb.leads`: list, get, create and update leads (archived leads are invisible)."""

    async def list(
        self,
        lead_id: str | None = None,
        customer_id: str | None = None,
        status: LeadStatus | str | None = None,
        limit: int = 25,
    ) -> list[Lead]:
        """Non-archived leads matching every given filter (at most `limit`, no order)."""
        check_limit(limit)
        status_value = UNSET if status is None else lead_status(status)
        if lead_id is not None:
            check_query("lead_id", lead_id)
        if customer_id is not None:
            check_query("customer_id", customer_id)
        response = await self._requester.call(
            GET,
            lambda raw: get_leads.asyncio_detailed(
                client=raw,
                lead_id=UNSET if lead_id is None else lead_id,
                customer_id=UNSET if customer_id is None else customer_id,
                status=status_value,
                limit=limit,
            ),
        )
        data: list[Lead] = data_of(GET, response)
        return data

    async def get(self, lead_id: str) -> Lead:
        """The lead with this id; NotFoundError when there is none (or it is archived)."""
        check_query("lead_id", lead_id)
        for lead in await self.list(lead_id=lead_id, limit=1):
            if lead.lead_id == lead_id:
                return lead
        raise not_found("lead", lead_id)

    async def create(
        self,
        customer_id: str | None = None,
        first_name: str | None = None,
        last_name: str | None = None,
        phone: PhoneInput | None = None,
        email: str | Iterable[str] | None = None,
        address: str | Iterable[str] | None = None,
        notes: str | None = None,
        tags: str | Iterable[str] | None = None,
        notifications: bool | None = None,
        line_items: Iterable[LineItemInput] | None = None,
        note: str | None = None,
        lead_source: str | None = None,
        status: LeadStatus | str | None = None,
        assigned_to: Iterable[str] | None = None,
    ) -> CreatedLead:
        """Create a lead for `customer_id`, or for the customer found or made from the details.

        With `phone` (its mobile), the server attaches the lead to the customer with that
        mobile and fills that customer's blank fields; otherwise it creates a customer, which
        needs a name and a phone or e-mail. Never retried once sent.
        """
        fields: dict[str, Any] = customer_fields(
            first_name=first_name,
            last_name=last_name,
            phone=phone,
            email=email,
            address=address,
            notes=notes,
            tags=tags,
            notifications=notifications,
        )
        if customer_id is not None:
            fields["customer_id"] = check_query("customer_id", customer_id)
        elif not _mobile_of(fields):
            # Without a mobile to find the customer by, the server creates one from the details.
            check_new_customer(fields)
        if line_items is not None:
            fields["line_items"] = parse_line_items(line_items, required=False)
        if note is not None:
            fields["note"] = check_optional_str("note", note)
        if lead_source is not None:
            fields["lead_source"] = check_text("lead_source", lead_source)
        if status is not None:
            fields["status"] = lead_status(status)
        if assigned_to is not None:
            fields["assigned_to"] = _string_list("assigned_to", assigned_to)
        body = NewLead(**fields)
        response = await self._requester.call(
            CREATE, lambda raw: create_lead.asyncio_detailed(client=raw, body=body)
        )
        created: CreatedLead = data_of(CREATE, response, CreatedLeadResponse)
        return created

    async def update(
        self,
        lead_id: str,
        status: LeadStatus | str | None = None,
        note: str | None = None,
        line_items: Iterable[LineItemInput] | None = None,
        assigned_to: Iterable[str] | None = None,
        lead_source: str | None = None,
    ) -> None:
        """Change the given fields only (`line_items`, `assigned_to` replace); archived → 404."""
        check_path_id("lead_id", lead_id)
        body = LeadUpdate()
        if status is not None:
            body.status = lead_status(status)
        if note is not None:
            body.note = check_optional_str("note", note)
        if line_items is not None:
            body.line_items = parse_line_items(line_items, required=False)
        if assigned_to is not None:
            body.assigned_to = _string_list("assigned_to", assigned_to)
        if lead_source is not None:
            body.lead_source = check_text("lead_source", lead_source)
        if not body.to_dict():
            raise ValidationError("lead_id", "nothing to update: no field was given")
        await self._requester.call(
            UPDATE, lambda raw: update_lead.asyncio_detailed(lead_id, client=raw, body=body)
        )

    def iterate(
        self,
        *,
        statuses: Iterable[LeadStatus | str] | None = None,
        customer_ids: Iterable[str] | None = None,
        concurrency: int | None = None,
    ) -> Listing[Lead]:
        """Leads of the given statuses (all five by default) and/or customers, once each.

        One query per status (per customer, when `customer_ids` is given), run concurrently.
        The API has no pagination: a query that returns its cap of 100 (or exactly the
        default 25, where a server ignores `limit`) may hide more leads, which no request can
        reach; that emits TruncatedResultWarning. Narrow the query
        (by customer) to get under the cap. Closing the listing (`async with`,
        `contextlib.aclosing`, `aclose()`) cancels what is outstanding.
        """
        if statuses is not None and (
            isinstance(statuses, str | bytes | Mapping) or not isinstance(statuses, Iterable)
        ):
            raise ValidationError("statuses", f"expected a list of statuses, got {statuses!r:.80}")
        states = [
            lead_status(s, "statuses") for s in (statuses if statuses is not None else LeadStatus)
        ]
        queries: list[dict[str, str]] = []
        if customer_ids is not None:
            ids = unique(_string_list("customer_ids", customer_ids))
            for ident in ids:
                check_query("customer_ids", ident)
            if statuses is None:
                queries = [{"customer_id": c} for c in ids]
            else:
                queries = [{"customer_id": c, "status": s.value} for c in ids for s in states]
        else:
            queries = [{"status": s.value} for s in unique(states)]
        width = effective_concurrency(concurrency, self._requester.max_concurrency)

        async def fetch(query: dict[str, str]) -> list[Lead]:
            return await self._requester.read_again(lambda: self.list(**query, limit=100))

        return Listing(
            iterate_leads(fetch, queries, concurrency=width, throttle=self._requester.throttle),
            name="homebase.leads.iterate",
        )
