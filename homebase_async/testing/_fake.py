"""FakeHomebase: the public face of the fake server."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any, ClassVar, TypeVar

import httpx
from starlette.types import ASGIApp

from . import _validate as check
from ._app import build_app
from ._common import ApiError, Json, NowSource, Order, clock, parse_time
from ._faults import Faults
from ._gate import Gate
from ._log import RequestRecord, RequestStats
from ._middleware import FaultMiddleware
from ._populate import Distribution, Populated, populate
from ._server import serve
from ._store import Store
from ._transport import FakeTransport

_T = TypeVar("_T")
_DEFAULT_ITEM: Json = {
    "name": "Window Cleaning",
    "description": "Cleaning all windows",
    "quantity": 1,
    "unitPrice": "150.00",
    "taxRate": {"name": "Standard", "rate": "7.00"},
}


class FakeHomebase:
    """A stateful fake of the Homebase360 API v1 for one business account.

    Run it in process (`transport()`), over loopback (`serve()`), as the bare ASGI `app`,
    or as a separate process (`python -m homebase_async.testing serve`). Lists come back in
    a seeded random order (`order="random"`, the default: a client must not rely on an order
    the API does not document), in store order (`"stable"`: jobs by start, then creation),
    by (start, id) as a Firestore range query (`"start"`, `"start_desc"`), by id (`"id"`),
    newest created first (`"newest"`), and, for jobs, by end (`"end"`), by (end, start)
    (`"end_start"`), latest updated first (`"updated"`), or another of these for every
    request (`"switching"`). `now`
    (an aware datetime, a callable returning one, or None for the real clock) drives
    "today" for jobs (in `timezone`), record timestamps and the SMS day, which rolls over at
    UTC midnight. Jobs and leads show their customer as it is when they are read.

    `base_url` is for the in-process `transport()`, which ignores the host: it is a loopback
    URL so that `HomebaseClient`, which refuses plain http to any other host, accepts it.
    """

    base_url: ClassVar[str] = "http://127.0.0.1/api/v1"

    def __init__(
        self,
        api_key: str = "test-key",
        *,
        business_email: str = "owner@example.com",
        enterprise: bool = True,
        sms_daily_limit: int = 500,
        order: Order = "random",
        faults: Faults | None = None,
        seed: int = 0,
        now: NowSource = None,
        timezone: str = "UTC",
    ) -> None:
        self._store = Store(
            api_key=api_key,
            business_email=business_email,
            enterprise=enterprise,
            sms_daily_limit=sms_daily_limit,
            order=order,
            seed=seed,
            now=now,
            timezone=timezone,
        )
        self._seed = seed
        self._gate = Gate(faults)
        self._routes = build_app(self._store)
        self._app = FaultMiddleware(self._routes, self._gate)

    # -- running -----------------------------------------------------------------------------

    @property
    def app(self) -> ASGIApp:
        """The ASGI app, faults included (see `transport()` for in-process use)."""
        return self._app

    def transport(self) -> httpx.AsyncBaseTransport:
        """An in-process httpx transport that applies the faults as network failures."""
        return FakeTransport(self._routes, self._gate)

    def serve(
        self, *, host: str = "127.0.0.1", port: int = 0, keep_alive_timeout: float = 5.0
    ) -> contextlib.AbstractAsyncContextManager[str]:
        """Serve over HTTP with uvicorn in the running loop; yields the base URL.

        `keep_alive_timeout` is how long an idle connection stays open, in seconds.
        """
        return serve(self._app, host=host, port=port, keep_alive_timeout=keep_alive_timeout)

    # -- faults and the request log ----------------------------------------------------------

    @property
    def faults(self) -> Faults | None:
        return self._gate.faults

    @faults.setter
    def faults(self, faults: Faults | None) -> None:
        self._gate.faults = faults

    def set_faults(self, faults: Faults | None) -> None:
        """Replace the faults from the next request on (None: no faults)."""
        self._gate.faults = faults

    def set_order(self, order: Order) -> None:
        """List in `order` from the next request on: a server that changes how it sorts."""
        self._store.context.set_order(order)

    @contextlib.contextmanager
    def faults_applied(self, faults: Faults | None) -> Iterator[None]:
        """Apply `faults` inside the block, then restore the previous ones."""
        previous = self._gate.faults
        self._gate.faults = faults
        try:
            yield
        finally:
            self._gate.faults = previous

    @property
    def requests(self) -> list[RequestRecord]:
        """Every request received since the last `reset_log()`, oldest first."""
        return list(self._gate.log.records)

    @property
    def stats(self) -> RequestStats:
        return self._gate.log.stats()

    def reset_log(self) -> None:
        self._gate.log.reset()

    # -- account -----------------------------------------------------------------------------

    @property
    def api_key(self) -> str:
        return self._store.api_key

    @property
    def business_id(self) -> str:
        return self._store.context.business_id

    @property
    def business_email(self) -> str:
        return self._store.business_email

    @property
    def enterprise(self) -> bool:
        return self._store.messages.enterprise

    @enterprise.setter
    def enterprise(self, value: bool) -> None:
        self._store.messages.enterprise = value

    @property
    def sms_daily_limit(self) -> int:
        return self._store.messages.daily_limit

    @sms_daily_limit.setter
    def sms_daily_limit(self, value: int) -> None:
        self._store.messages.daily_limit = value

    def now(self) -> datetime:
        """The fake's current time (aware, UTC)."""
        return self._store.context.now()

    def set_now(self, now: NowSource) -> None:
        """Move the fake's clock: a fixed datetime, a callable, or None for the real clock."""
        self._store.context.now = clock(now)

    # -- stored data -------------------------------------------------------------------------

    @property
    def customers(self) -> Mapping[str, Json]:
        """Customers by id, in API shape (copies: changing them changes nothing)."""
        records = self._store.customers.records
        return _View(records, records.__getitem__)

    @property
    def jobs(self) -> Mapping[str, Json]:
        """Jobs by id, in API shape with their customer."""
        return _View(self._store.jobs.records, self._store.jobs.render)

    @property
    def leads(self) -> Mapping[str, Json]:
        """Leads by id in API shape, archived ones included (see `archived_lead_ids`)."""
        return _View(self._store.leads.records, self._store.leads.render)

    @property
    def archived_lead_ids(self) -> frozenset[str]:
        return frozenset(self._store.leads.archived)

    @property
    def sms_sent(self) -> list[Json]:
        """Messages sent: mobilePhone, customerId, timestamp, message, mediaUrl."""
        return [dict(message) for message in self._store.messages.sent]

    @property
    def sms_used_today(self) -> int:
        """The daily SMS counter (UTC day) that `/messages/stats` reports."""
        return self._store.messages.used_today

    # -- adding data -------------------------------------------------------------------------

    def add_customer(
        self,
        *,
        first_name: str = "",
        last_name: str = "",
        phone: Mapping[str, str] | str | None = None,
        email: str | Sequence[str] = (),
        address: str | Sequence[str] = (),
        notes: str = "",
        tags: Sequence[str] = (),
        notifications: bool = True,
        customer_id: str | None = None,
    ) -> str:
        """Store a customer directly (no API rules beyond field shapes); returns its id.

        `phone` may be a mapping of phone keys or a string (the mobile number).
        """
        body: Json = {
            "firstName": first_name,
            "lastName": last_name,
            "phone": {"mobile": phone} if isinstance(phone, str) else dict(phone or {}),
            "email": [email] if isinstance(email, str) else list(email),
            "address": [address] if isinstance(address, str) else list(address),
            "notes": notes,
            "tags": list(tags),
            "notifications": notifications,
        }
        fields = _checked(lambda: check.customer_fields(body, coerce=False))
        return self._store.customers.insert(fields, customer_id=customer_id)

    def add_job(
        self,
        customer_id: str,
        *,
        start: datetime | str,
        end: datetime | str | None = None,
        line_items: Sequence[Mapping[str, Any]] | None = None,
        note: str = "",
        job_id: str | None = None,
    ) -> str:
        """Store a job directly; `end` defaults to two hours after `start`. Returns its id."""
        begin = _moment(start, "start")
        finish = begin + timedelta(hours=2) if end is None else _moment(end, "end")
        raw = [dict(item) for item in (line_items or [_DEFAULT_ITEM])]
        items = _checked(lambda: check.line_items({"lineItems": raw})) or []
        return self._store.jobs.insert(customer_id, begin, finish, items, note=note, job_id=job_id)

    def add_lead(
        self,
        customer_id: str,
        *,
        status: str = "new",
        line_items: Sequence[Mapping[str, Any]] = (),
        note: str = "",
        lead_source: str = "",
        assigned_to: Sequence[str] = (),
        archived: bool = False,
    ) -> str:
        """Store a lead directly, with the next lead number; returns its id."""
        raw = [dict(item) for item in line_items]
        items = _checked(lambda: check.line_items({"lineItems": raw})) or []
        return self._store.leads.insert(
            customer_id,
            status=status,
            items=items,
            note=note,
            lead_source=lead_source,
            assigned_to=list(assigned_to),
            archived=archived,
        )

    def populate(
        self,
        *,
        customers: int = 0,
        jobs: int = 0,
        leads: int = 0,
        start: datetime | None = None,
        end: datetime | None = None,
        distribution: Distribution = "uniform",
        seed: int | None = None,
    ) -> Populated:
        """Add realistic records; jobs start in [start, end) (default: now -/+ 30 days)."""
        now = self.now()
        return populate(
            self._store,
            customers=customers,
            jobs=jobs,
            leads=leads,
            start=start or now - timedelta(days=30),
            end=end or now + timedelta(days=30),
            distribution=distribution,
            seed=self._seed if seed is None else seed,
        )


class _View(Mapping[str, Json]):
    """A read-only mapping that renders each record when it is looked up."""

    def __init__(self, records: Mapping[str, Json], render: Callable[[str], Json]) -> None:
        self._records = records
        self._render = render

    def __getitem__(self, key: str) -> Json:
        if key not in self._records:
            raise KeyError(key)
        copied: Json = _deep_copy(self._render(key))
        return copied

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._records))

    def __len__(self) -> int:
        return len(self._records)


def _deep_copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _deep_copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_deep_copy(item) for item in value]
    return value


def _moment(value: datetime | str, field: str) -> datetime:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError(f"{field} must be timezone-aware")
        return value
    return _checked(lambda: parse_time(value, field))


def _checked(build: Callable[[], _T]) -> _T:
    """Run an API check, turning its 400 into a ValueError for direct (non-HTTP) use."""
    try:
        return build()
    except ApiError as exc:
        raise ValueError(exc.message) from None
