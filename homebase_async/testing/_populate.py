"""Realistic bulk data: customers, jobs and leads drawn from one seed."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, tzinfo
from typing import Literal, TypeAlias

import attrs

from ._common import Json, format_time
from ._store import Store
from ._validate import LEAD_STATUSES, job_total

Distribution: TypeAlias = Literal["uniform", "bursty", "multiday"]

_FIRST = (
    "James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda", "David",
    "Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas",
    "Sarah", "Carlos", "Maria", "Wei", "Aisha", "Olivia", "Noah", "Emma", "Liam",
)  # fmt: skip
_LAST = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
    "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor",
    "Moore", "Jackson", "Martin", "Lee", "Nguyen", "Chen", "Patel",
)  # fmt: skip
_STREETS = (
    "Main", "Oak", "Pine", "Maple", "Cedar", "Elm", "Washington", "Lake", "Hill", "Park",
    "Sunset", "Ridge",
)  # fmt: skip
_CITIES = (
    ("Denver", "CO", "802", "303"),
    ("Boulder", "CO", "803", "720"),
    ("Austin", "TX", "787", "512"),
    ("Seattle", "WA", "981", "206"),
    ("Phoenix", "AZ", "850", "602"),
    ("Portland", "OR", "972", "503"),
)
_DOMAINS = ("example.com", "example.org", "example.net")
_TAGS = ("VIP", "Referral", "Commercial", "Residential", "Repeat")
_SERVICES = (
    ("Window Cleaning", "Cleaning all windows", "150.00"),
    ("Gutter Cleaning", "Clear and flush gutters", "120.00"),
    ("Pressure Washing", "Driveway and walkways", "225.50"),
    ("Lawn Mowing", "Front and back yard", "45.00"),
    ("Carpet Cleaning", "Per room", "89.99"),
    ("HVAC Tune-up", "Seasonal maintenance", "129.00"),
)
_TAX_RATES = (None, ("Standard", "7.00"), ("City", "8.25"), ("Reduced", "2.90"))
_SOURCES = ("Online", "Direct", "Facebook Ad", "Google Ads", "Referral Partner")
_SUBSCRIBERS = 8_000_000  # 7-digit local numbers whose first digit is 2-9


@attrs.frozen(kw_only=True)
class Populated:
    """The ids `populate()` created, in creation order."""

    customer_ids: tuple[str, ...]
    job_ids: tuple[str, ...]
    lead_ids: tuple[str, ...]


def populate(
    store: Store,
    *,
    customers: int,
    jobs: int,
    leads: int,
    start: datetime,
    end: datetime,
    distribution: Distribution,
    seed: int,
) -> Populated:
    if distribution not in ("uniform", "bursty", "multiday"):
        raise ValueError(
            f"distribution must be 'uniform', 'bursty' or 'multiday', not {distribution!r}"
        )
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("start and end must be timezone-aware")
    if end <= start:
        raise ValueError("end must be after start")
    rng = random.Random(f"populate:{seed}")
    offset = rng.randrange(_SUBSCRIBERS)
    customer_ids = [_customer(store, rng, index + offset, start) for index in range(customers)]
    pool = customer_ids or list(store.customers.records)
    if (jobs or leads) and not pool:
        raise ValueError("jobs and leads need customers: pass customers > 0")
    starts = _StartTimes(rng, start, end, distribution, store.context.timezone)
    # A pool of line-item sets with their totals: drawing each set afresh dominated the run
    # time. Jobs share the lists, which is safe as nothing changes stored line items in place.
    catalogue = [(items, job_total(items)) for items in (_line_items(rng) for _ in range(512))]
    job_ids = []
    for _ in range(jobs):
        begin = starts.draw()
        items, total = rng.choice(catalogue)
        finish = begin + timedelta(minutes=30 * rng.randint(1, 8))
        if distribution == "multiday" and rng.random() < 0.2:
            # Starts as "uniform"; a fifth of the jobs last 1-6 days: a server ordering by end
            # lists them after shorter jobs that start days later.
            finish = begin + timedelta(days=rng.randint(1, 6), hours=rng.randint(0, 8))
        job_ids.append(
            store.jobs.insert(
                rng.choice(pool),
                begin,
                finish,
                items,
                note=rng.choice(("", "", "Gate code 1234", "Please call before arrival")),
                added=format_time(begin - timedelta(days=rng.randint(1, 30))),
                keep_sorted=False,
                total=total,
            )
        )
    store.jobs.sort()
    lead_ids = [
        store.leads.insert(
            rng.choice(pool),
            status=rng.choice(LEAD_STATUSES),
            items=_line_items(rng) if rng.random() < 0.6 else [],
            note=rng.choice(("", "Interested in monthly service", "Wants a quote")),
            lead_source=rng.choice(_SOURCES),
        )
        for _ in range(leads)
    ]
    return Populated(
        customer_ids=tuple(customer_ids), job_ids=tuple(job_ids), lead_ids=tuple(lead_ids)
    )


def _customer(store: Store, rng: random.Random, index: int, before: datetime) -> str:
    first, last = rng.choice(_FIRST), rng.choice(_LAST)
    city, state, zip_prefix, area = rng.choice(_CITIES)
    # A bijection of the index keeps mobiles unique (up to 8 million) yet scattered.
    subscriber = 2_000_000 + (index * 7919) % _SUBSCRIBERS
    mobile = f"+1{area}{subscriber}"
    phone = {"mobile": mobile}
    if rng.random() < 0.3:
        phone["home"] = f"+1{area}{rng.randint(200, 999)}{rng.randint(0, 9999):04d}"
    domain = rng.choice(_DOMAINS)
    email = [f"{first}.{last}{index}@{domain}".lower()]
    if rng.random() < 0.1:
        email.append(f"{first[0]}{last}{index}@work.{domain}".lower())
    street = f"{rng.randint(1, 9999)} {rng.choice(_STREETS)} St"
    fields: Json = {
        "firstName": first,
        "lastName": last,
        "phone": phone,
        "email": email,
        "address": [f"{street}, {city}, {state} {zip_prefix}{rng.randint(1, 99):02d}"],
        "tags": rng.sample(_TAGS, rng.randint(0, 2)),
        "notes": rng.choice(("", "", "Prefers afternoon appointments", "Has a dog")),
    }
    added = before - timedelta(days=rng.randint(1, 365), minutes=rng.randint(0, 1439))
    return store.customers.insert(fields, added=format_time(added))


def _line_items(rng: random.Random) -> list[Json]:
    items = []
    for name, description, price in rng.sample(_SERVICES, rng.randint(1, 3)):
        item: Json = {
            "name": name,
            "description": description,
            "quantity": rng.choice((1, 1, 1, 2, 3, 1.5)),
            "unitPrice": price,
            "saveHidden": False,
        }
        tax = rng.choice(_TAX_RATES)
        if tax is not None:
            item["taxRate"] = {"name": tax[0], "rate": tax[1]}
        items.append(item)
    return items


class _StartTimes:
    """Job starts in business hours (07:00-19:00 local) on whole minutes, a quarter of them
    on quarter hours: collisions happen, but not a hundred at one instant."""

    def __init__(
        self,
        rng: random.Random,
        start: datetime,
        end: datetime,
        distribution: Distribution,
        timezone: tzinfo,
    ) -> None:
        self._rng = rng
        self._start = start
        self._midnight = start.astimezone(timezone).replace(
            hour=0, minute=0, second=0, microsecond=0
        )
        self._days = (end - self._midnight).days + 1
        self._end = end
        self._busy: list[int] = []
        if distribution == "bursty":
            # Most jobs fall in a few busy weeks.
            weeks = max(self._days // 7, 1)
            self._busy = rng.sample(range(weeks), min(3, weeks))

    def draw(self) -> datetime:
        rng = self._rng
        for _ in range(100):
            if self._busy and rng.random() < 0.8:
                day = rng.choice(self._busy) * 7 + rng.randrange(7)
            else:
                day = rng.randrange(self._days)
            minute = rng.randrange(7 * 60, 19 * 60)
            if rng.random() < 0.25:
                minute -= minute % 15
            moment = self._midnight + timedelta(days=day, minutes=minute)
            if self._start <= moment < self._end:
                return moment
        return self._start
