"""Customers: search, get, create, update (bulk helpers arrive in `_bulk`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Unpack

from homebase_api.api.customers import create_customer, get_customers, update_customer
from homebase_api.client import AuthenticatedClient
from homebase_api.models import (
    CreatedCustomerResponse,
    Customer,
    CustomerUpdate,
    NewCustomer,
)
from homebase_api.types import UNSET, Response

from .._bulk import CreateReport, Progress, UpsertReport, effective_concurrency
from .._bulk._engine import Options, Sending, Writer
from .._bulk._items import Item
from .._bulk._options import WriteOptions, bulk_options, scope_of
from .._bulk._runs import Match, Matcher, create_many, upsert_many
from .._bulk._settle import Found, Inconclusive, predates
from .._errors import HomebaseError, ValidationError
from .._lookup import LookupResult, lookup
from .._query import identifiers_query, parsed, url_with_query
from .._request import Operation
from .._retry import Kind
from .._telemetry import bulk_span, traced_report
from .._validation import (
    check_items,
    check_limit,
    check_path_id,
    check_phone,
    check_query,
    looks_like_phone,
)
from ._base import Resource, data_of, not_found
from ._customer_fields import (
    MATCH_FIELDS,
    CustomerFields,
    Fields,
    PhoneInput,
    check_match_on,
    check_new_customer,
    customer_fields,
    differing,
    identifiers,
    identity,
    item_fields,
    phone_model,
    takes_fields,
)

__all__ = ["Customers", "customer_fields", "phone_model"]

GET = Operation("getCustomers", "GET", "/customers", Kind.READ)
CREATE = Operation("createCustomer", "POST", "/customers", Kind.WRITE)
UPDATE = Operation("updateCustomer", "PUT", "/customers/{customerId}", Kind.UPDATE)

MAX_IDENTIFIERS = 100


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

    # The fields are written out, not `**fields: Unpack[CustomerFields]` as in `update`:
    # `create` has always taken them by position too, and that is a contract with callers.
    # A test holds this list equal to `CustomerFields`, in its order.
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
        checked = customer_fields(
            first_name=first_name,
            last_name=last_name,
            phone=phone,
            email=email,
            address=address,
            notes=notes,
            tags=tags,
            notifications=notifications,
        )
        check_new_customer(checked)
        return await self._post(checked)

    async def _post(self, fields: Fields, sending: Sending | None = None) -> str:
        body = NewCustomer(**fields)
        if sending is not None:
            await sending()
        response = await self._requester.call(
            CREATE, lambda raw: create_customer.asyncio_detailed(client=raw, body=body)
        )
        return str(data_of(CREATE, response, CreatedCustomerResponse).customer_id)

    @takes_fields
    async def update(self, customer_id: str, **fields: Unpack[CustomerFields]) -> None:
        """Change the given fields only (arrays replace); None means "leave as is".
        Keywords: `CustomerFields`."""
        check_path_id("customer_id", customer_id)
        checked = customer_fields(**fields)
        if not checked:
            raise ValidationError("customer_id", "nothing to update: no field was given")
        await self._put(customer_id, checked)

    async def _put(self, customer_id: str, fields: Fields) -> None:
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
        that may have been cut (at 100, or at the default 25 of a server ignoring `limit`) is split
        and asked again, so the result is complete.
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
        self, items: Sequence[Mapping[str, Any]], **options: Unpack[WriteOptions]
    ) -> CreateReport:
        """Create many customers (each item: the keyword arguments of `create`).

        Every index of `items` ends in exactly one of `created`, `failed` (not created) or
        `outcome_unknown`. A create whose answer is lost is settled: after `settle_delay`
        seconds the customer is looked up by its e-mails and phones and decided on proof
        (`settle=False`: never looked up, never sent again). With `journal`, a later run
        skips what was done, settles what was in flight, and refuses an item whose content
        changed since an earlier run created it. Options: see `WriteOptions`.
        """
        check_items("items", items)
        settings = self._options("create_many", options)
        return await traced_report(
            "homebase.customers.create_many",
            create_many(
                self._writer("customers.create", MATCH_FIELDS),
                items,
                settings,
                self._requester.throttle,
            ),
        )

    async def upsert_many(
        self,
        items: Sequence[Mapping[str, Any]],
        *,
        match_on: Sequence[str] = MATCH_FIELDS,
        **options: Unpack[WriteOptions],
    ) -> UpsertReport:
        """Create the customers that are new, update the ones that changed, touch no other.

        Items hold the keyword arguments of `create`. Each is matched by bulk lookup on its
        `match_on` fields (its e-mails and/or phones): no match creates it (settled like
        `create_many` when the answer is lost); one match updates only the fields that
        differ, or nothing (`unchanged`); more matches, or a customer that another item also
        matches, are `ambiguous` (nothing written). An item sharing a key with an earlier item
        of `items` fails (both would create). Running the same items again writes nothing.
        Options: see `WriteOptions`.
        """
        check_items("items", items)
        chosen = check_match_on(match_on)
        settings = self._options("upsert_many", options)
        writer = self._writer("customers.upsert", chosen)
        matcher: Matcher[Fields] = Matcher(
            keys=lambda fields: identifiers(fields, chosen),
            match=lambda todo: self._match(todo, chosen, settings.concurrency),
            update=self._put,
        )
        return await traced_report(
            "homebase.customers.upsert_many",
            upsert_many(writer, matcher, items, settings, self._requester.throttle),
        )

    def _options(self, method: str, given: Mapping[str, object]) -> Options:
        return bulk_options(
            method,
            given,
            client_max=self._requester.max_concurrency,
            scope=scope_of(self._requester.raw.token),
        )

    def _writer(self, operation: str, match_on: tuple[str, ...]) -> Writer[Fields, str]:
        async def locate(todo: Sequence[Item[Fields]]) -> dict[int, Found | HomebaseError]:
            return await self._locate(todo, match_on)

        return Writer(
            operation=operation,
            request=CREATE.name,
            update_request=UPDATE.name,
            noun="customers",
            validate=item_fields,
            identity=lambda fields: identity(fields, match_on),
            send=self._post,
            locate=locate,
        )

    async def _found(
        self, todo: Sequence[Item[Fields]], match_on: tuple[str, ...], concurrency: int | None
    ) -> dict[int, list[Customer] | HomebaseError]:
        """For each item: the customers its natural keys find, or why that is not known."""
        wanted = {i.index: identifiers(i.body or {}, match_on) for i in todo}
        everything = [ident for idents in wanted.values() for ident in idents]
        result = await self.lookup(everything, concurrency=concurrency)
        found: dict[int, list[Customer] | HomebaseError] = {}
        for index, idents in wanted.items():
            errors = [result.failed[i] for i in idents if i in result.failed]
            capped = [i for i in idents if i in result.truncated]
            if errors:
                found[index] = errors[0]
            elif capped:
                found[index] = Inconclusive(
                    f"{capped[0]!r} matches as many customers as one answer holds: more may exist"
                )
            else:
                by_id = {c.customer_id: c for i in idents for c in result.matches.get(i, [])}
                found[index] = [by_id[k] for k in sorted(by_id, key=str)]
        return found

    async def _locate(
        self, todo: Sequence[Item[Fields]], match_on: tuple[str, ...]
    ) -> dict[int, Found | HomebaseError]:
        located: dict[int, Found | HomebaseError] = {}
        by_index = {i.index: i for i in todo}
        for index, found in (await self._found(todo, match_on, None)).items():
            if isinstance(found, HomebaseError):
                located[index] = found
                continue
            item = by_index[index]
            fields = item.body or {}
            # A customer that existed before this item's write began is not its record.
            found = [c for c in found if not predates(item, c.date_added)]
            same = tuple(str(c.customer_id) for c in found if not differing(fields, c))
            other = tuple(str(c.customer_id) for c in found if differing(fields, c))
            located[index] = Found(same=same, other=other)
        return located

    async def _match(
        self, todo: Sequence[Item[Fields]], match_on: tuple[str, ...], concurrency: int
    ) -> dict[int, list[Match[Fields]] | HomebaseError]:
        matched: dict[int, list[Match[Fields]] | HomebaseError] = {}
        bodies = {i.index: i.body or {} for i in todo}
        for index, found in (await self._found(todo, match_on, concurrency)).items():
            if isinstance(found, HomebaseError):
                matched[index] = found
                continue
            matched[index] = [
                Match(str(c.customer_id), differing(bodies[index], c) or None) for c in found
            ]
        return matched
