"""Customers: search, get, create, update (bulk helpers arrive in `_bulk`)."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from homebase_api.api.customers import create_customer, get_customers, update_customer
from homebase_api.client import AuthenticatedClient
from homebase_api.models import (
    CreatedCustomerResponse,
    Customer,
    CustomerUpdate,
    NewCustomer,
    Phone,
)
from homebase_api.types import UNSET, Response

from .._bulk import CreateReport, Progress, UpsertReport, effective_concurrency
from .._customer_sync import MATCH_FIELDS, create_many, upsert_many
from .._errors import ValidationError
from .._journal import KeyFunc
from .._lookup import LookupResult, lookup
from .._query import identifiers_query, parsed, url_with_query
from .._request import Operation
from .._retry import Kind
from .._settle import DEFAULT_SETTLE_DELAY, journal_path, settle_delay_seconds
from .._telemetry import bulk_span, traced_report
from .._validation import (
    check_bool,
    check_items,
    check_limit,
    check_optional_str,
    check_path_id,
    check_phone,
    check_query,
    looks_like_phone,
    split_list,
)
from ._base import Resource, data_of, not_found

__all__ = ["Customers", "customer_fields", "phone_model"]

GET = Operation("getCustomers", "GET", "/customers", Kind.READ)
CREATE = Operation("createCustomer", "POST", "/customers", Kind.WRITE)
UPDATE = Operation("updateCustomer", "PUT", "/customers/{customerId}", Kind.UPDATE)

MAX_IDENTIFIERS = 100
PhoneInput = Phone | Mapping[str, str] | str


def phone_model(value: PhoneInput, field: str = "phone") -> Phone:
    """A Phone from a model, a mapping of kind → number, or one number (taken as mobile)."""
    if isinstance(value, str):
        value = {"mobile": value}
    if isinstance(value, Phone):
        value = value.to_dict()
    if not isinstance(value, Mapping):
        raise ValidationError(field, f"expected a Phone, a mapping or a number, got {value!r:.80}")
    numbers = {
        kind: number if number == "" else check_phone(f"{field}.{kind}", number)
        for kind, number in value.items()
    }
    return Phone.from_dict(numbers)


def _has_phone(phone: Phone | None) -> bool:
    return phone is not None and any(v for v in phone.to_dict().values())


def customer_fields(
    *,
    first_name: str | None,
    last_name: str | None,
    phone: PhoneInput | None,
    email: str | Iterable[str] | None,
    address: str | Iterable[str] | None,
    notes: str | None,
    tags: str | Iterable[str] | None,
    notifications: bool | None,
) -> dict[str, Any]:
    """The set customer fields as generated-model arguments; lists split as the server would."""
    fields: dict[str, Any] = {}
    if first_name is not None:
        fields["first_name"] = check_optional_str("first_name", first_name)
    if last_name is not None:
        fields["last_name"] = check_optional_str("last_name", last_name)
    if phone is not None:
        fields["phone"] = phone_model(phone)
    if email is not None:
        fields["email"] = split_list(email, ",;", field="email")
        if len(fields["email"]) > 2:
            raise ValidationError("email", "at most 2 e-mail addresses")
    if address is not None:
        fields["address"] = split_list(address, ";*", field="address")
        if len(fields["address"]) > 2:
            raise ValidationError("address", "at most 2 addresses")
    if notes is not None:
        fields["notes"] = check_optional_str("notes", notes)
    if tags is not None:
        fields["tags"] = split_list(tags, ",;*", field="tags")
    if notifications is not None:
        fields["notifications"] = check_bool("notifications", notifications)
    return fields


def check_new_customer(fields: Mapping[str, Any]) -> None:
    """A new customer needs a name and a way to reach them."""
    if not fields.get("first_name") and not fields.get("last_name"):
        raise ValidationError("first_name", "a first or a last name is required")
    if not _has_phone(fields.get("phone")) and not fields.get("email"):
        raise ValidationError("phone", "at least one contact method (phone or email) is required")


def check_identifiers(identifiers: str | Iterable[str]) -> list[str]:
    if isinstance(identifiers, bytes | Mapping) or not isinstance(identifiers, str | Iterable):
        raise ValidationError("identifiers", f"expected a list of strings, got {identifiers!r:.80}")
    items = [identifiers] if isinstance(identifiers, str) else list(identifiers)
    if not items:
        raise ValidationError("identifiers", "must not be empty")
    if len(items) > MAX_IDENTIFIERS:
        raise ValidationError(
            "identifiers",
            f"at most {MAX_IDENTIFIERS} per request, got {len(items)} (use customers.lookup)",
        )
    for item in items:
        if not isinstance(item, str) or not item.strip():
            raise ValidationError("identifiers", f"an identifier must be non-empty: {item!r}")
        if "," in item:
            raise ValidationError("identifiers", f"an identifier cannot contain a comma: {item!r}")
        check_query("identifiers", item)
    # Phones in a common US form are sent as E.164, the form the server stores.
    return [check_phone("identifiers", i) if looks_like_phone(i) else i for i in items]


class Customers(Resource):
    """`hb.customers`: search, get, create and update customers."""

    async def search(
        self,
        customer_id: str | None = None,
        phone: str | None = None,
        email: str | None = None,
        identifiers: str | Iterable[str] | None = None,
        limit: int = 25,
    ) -> list[Customer]:
        """Customers matching ANY of the criteria (logical OR); `[]` without criteria.

        `identifiers` takes at most 100 ids, phones or e-mails; `customers.lookup` takes any
        number.
        """
        check_limit(limit)
        if customer_id is not None:
            check_query("customer_id", customer_id)
        if phone is not None:
            phone = check_phone("phone", phone)
        if email is not None:
            check_query("email", email)
        joined = None if identifiers is None else ",".join(check_identifiers(identifiers))
        response = await self._requester.call(
            GET,
            lambda raw: get_customers.asyncio_detailed(
                client=raw,
                customer_id=UNSET if customer_id is None else customer_id,
                phone=UNSET if phone is None else phone,
                email=UNSET if email is None else email,
                identifiers=UNSET if joined is None else joined,
                limit=limit,
            ),
        )
        data: list[Customer] = data_of(GET, response)
        return data

    async def get(self, customer_id: str) -> Customer:
        """The customer with this id; NotFoundError when there is none."""
        check_query("customer_id", customer_id)
        for customer in await self.search(customer_id=customer_id, limit=1):
            if customer.customer_id == customer_id:
                return customer
        raise not_found("customer", customer_id)

    async def create(
        self,
        first_name: str | None = None,
        last_name: str | None = None,
        phone: PhoneInput | None = None,
        email: str | Iterable[str] | None = None,
        address: str | Iterable[str] | None = None,
        notes: str | None = None,
        tags: str | Iterable[str] | None = None,
        notifications: bool | None = None,
    ) -> str:
        """Create a customer and return its id.

        Needs a first or last name and a phone or e-mail; `phone` takes a Phone, a mapping of
        kind → number, or one number (the mobile). Never retried once sent: a failure that
        leaves the outcome open raises WriteOutcomeUnknownError.
        """
        fields = customer_fields(
            first_name=first_name,
            last_name=last_name,
            phone=phone,
            email=email,
            address=address,
            notes=notes,
            tags=tags,
            notifications=notifications,
        )
        check_new_customer(fields)
        body = NewCustomer(**fields)
        response = await self._requester.call(
            CREATE, lambda raw: create_customer.asyncio_detailed(client=raw, body=body)
        )
        return str(data_of(CREATE, response, CreatedCustomerResponse).customer_id)

    async def update(
        self,
        customer_id: str,
        *,
        first_name: str | None = None,
        last_name: str | None = None,
        phone: PhoneInput | None = None,
        email: str | Iterable[str] | None = None,
        address: str | Iterable[str] | None = None,
        notes: str | None = None,
        tags: str | Iterable[str] | None = None,
        notifications: bool | None = None,
    ) -> None:
        """Change the given fields only (arrays replace); None means "leave as is"."""
        check_path_id("customer_id", customer_id)
        fields = customer_fields(
            first_name=first_name,
            last_name=last_name,
            phone=phone,
            email=email,
            address=address,
            notes=notes,
            tags=tags,
            notifications=notifications,
        )
        if not fields:
            raise ValidationError("customer_id", "nothing to update: no field was given")
        body = CustomerUpdate(**fields)
        await self._requester.call(
            UPDATE,
            lambda raw: update_customer.asyncio_detailed(customer_id, client=raw, body=body),
        )

    async def lookup(
        self,
        identifiers: Iterable[str],
        *,
        concurrency: int | None = None,
        on_progress: Progress | None = None,
    ) -> LookupResult:
        """Find the customers of any number of ids, E.164 phones and e-mails (mixed).

        Identifiers are de-duplicated and sent up to 100 a request, concurrently; a response
        that may have been cut at 100 is split and asked again, so the result is complete.
        Every identifier ends in exactly one of `matches`, `missing` or `failed`.
        """
        width = effective_concurrency(concurrency, self._requester.max_concurrency)
        requester = self._requester
        endpoint = requester.raw.get_async_httpx_client().base_url.join("customers")

        async def search(chunk: list[str]) -> list[Customer]:
            # The chunk holds identifier keys, already checked: the URL is built once here,
            # where `search()` would check each again and httpx parse the query three times.
            url = url_with_query(endpoint, identifiers_query(chunk, MAX_IDENTIFIERS))

            async def send(raw: AuthenticatedClient) -> Response[Any]:
                return parsed(await raw.get_async_httpx_client().get(url))

            async def read() -> list[Customer]:
                data: list[Customer] = data_of(GET, await requester.call(GET, send))
                return data

            return await requester.read_again(read)

        with bulk_span("homebase.customers.lookup") as counts:
            result = await lookup(
                search,
                identifiers,
                concurrency=width,
                throttle=self._requester.throttle,
                on_progress=on_progress,
            )
            counts.update(
                matched=len(result.matches), missing=len(result.missing), failed=len(result.failed)
            )
        return result

    async def create_many(
        self,
        items: Sequence[Mapping[str, Any]],
        *,
        concurrency: int | None = None,
        on_progress: Progress | None = None,
        journal: str | os.PathLike[str] | None = None,
        key: KeyFunc | None = None,
        settle: bool = True,
        settle_delay: float = DEFAULT_SETTLE_DELAY,
    ) -> CreateReport:
        """Create many customers (each item: the keyword arguments of `create`).

        Every index of `items` ends in exactly one of `created`, `failed` (not created) or
        `outcome_unknown`. A create whose answer is lost is settled: after `settle_delay`
        seconds the customer is looked up by its e-mails and phones; found once with the sent
        fields it is `created`, found nowhere it is sent once more (`settle=False`: never
        looked up, never sent again). `journal` (a file path) records every item before it
        is sent, so a run with the same items and journal after a crash skips what was done
        and settles what was in flight. `key(item)` replaces the journal's content digest.
        """
        check_items("items", items)
        return await traced_report(
            "homebase.customers.create_many",
            create_many(
                self,
                self._requester.throttle,
                items,
                concurrency=effective_concurrency(concurrency, self._requester.max_concurrency),
                on_progress=on_progress,
                journal=journal_path(journal),
                key=key,
                settle=check_bool("settle", settle),
                settle_delay=settle_delay_seconds(settle_delay),
            ),
        )

    async def upsert_many(
        self,
        items: Sequence[Mapping[str, Any]],
        *,
        match_on: Sequence[str] = MATCH_FIELDS,
        journal: str | os.PathLike[str] | None = None,
        concurrency: int | None = None,
        on_progress: Progress | None = None,
        key: KeyFunc | None = None,
        settle: bool = True,
        settle_delay: float = DEFAULT_SETTLE_DELAY,
    ) -> UpsertReport:
        """Create the customers that are new, update the ones that changed, touch no other.

        Items hold the keyword arguments of `create`. Each is matched by bulk lookup on its
        `match_on` fields (its e-mails and/or phones): no match creates it (settled like
        `create_many` when the answer is lost); one match updates only the fields that
        differ, or nothing (`unchanged`); more matches are `ambiguous` (nothing written).
        An item sharing a key with an earlier item of `items` fails (both would create).
        Running the same items again writes nothing. `journal`, `key`, `settle` and
        `settle_delay` work as in `create_many`.
        """
        check_items("items", items)
        return await traced_report(
            "homebase.customers.upsert_many",
            upsert_many(
                self,
                self._requester.throttle,
                items,
                match_on=match_on,
                concurrency=effective_concurrency(concurrency, self._requester.max_concurrency),
                on_progress=on_progress,
                journal=journal_path(journal),
                key=key,
                settle=check_bool("settle", settle),
                settle_delay=settle_delay_seconds(settle_delay),
            ),
        )
