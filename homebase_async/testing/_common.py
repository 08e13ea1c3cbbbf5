"""What every part of the fake shares: the API error, time, ids and list ordering."""

from __future__ import annotations

import heapq
import random
import string
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any, Literal, TypeAlias, TypeVar
from zoneinfo import ZoneInfo

Json: TypeAlias = dict[str, Any]
Order: TypeAlias = Literal[
    "random",
    "stable",
    "start",
    "start_desc",
    "id",
    "newest",
    "end",
    "end_start",
    "updated",
    "switching",
]
ORDERS: tuple[Order, ...] = (
    "random",
    "stable",
    "start",
    "start_desc",
    "id",
    "newest",
    "end",
    "end_start",
    "updated",
    "switching",
)
NowSource: TypeAlias = Callable[[], datetime] | datetime | None

API_PREFIX = "/api/v1"
_ALPHANUM = string.ascii_letters + string.digits
# Byte -> alphanumeric: a slight bias towards the first 8 characters, no matter for a fake,
# makes ids about five times cheaper than random.choices (populate draws 100,000s of them).
_ID_TABLE = "".join(_ALPHANUM[byte % len(_ALPHANUM)] for byte in range(256)).encode("ascii")
_T = TypeVar("_T")


class ApiError(Exception):
    """A request that breaks a rule: answered with the error envelope and `status`."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def bad_request(message: str) -> ApiError:
    return ApiError(400, message)


def not_found(message: str) -> ApiError:
    return ApiError(404, message)


def format_time(moment: datetime) -> str:
    """ISO 8601 in UTC with milliseconds and a `Z`, the form the API sends."""
    text = moment.astimezone(UTC).isoformat(timespec="milliseconds")
    return text.removesuffix("+00:00") + "Z"


def parse_time(value: object, field: str) -> datetime:
    """Parse an ISO 8601 date-time that carries `Z` or an offset; 400 otherwise."""
    message = f"{field} must be an ISO 8601 date-time with a timezone, e.g. 2023-05-15T14:30:00Z"
    if not isinstance(value, str):
        raise bad_request(message)
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise bad_request(message) from None
    if moment.tzinfo is None:
        raise bad_request(message)
    return moment


def random_id(rng: random.Random, length: int = 20) -> str:
    return rng.randbytes(length).translate(_ID_TABLE).decode("ascii")


def clock(now: NowSource) -> Callable[[], datetime]:
    """Turn the `now` argument into a callable returning an aware UTC datetime."""
    if now is None:
        return lambda: datetime.now(UTC)
    if isinstance(now, datetime):
        fixed = _aware(now)
        return lambda: fixed
    source = now
    return lambda: _aware(source())


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("now must give timezone-aware datetimes")
    return moment.astimezone(UTC)


class Context:
    """Business identity, clock, id source and list ordering, shared by every record book."""

    def __init__(self, *, seed: int, order: Order, now: NowSource, timezone: str) -> None:
        self.set_order(order)
        self.business_id = random_id(random.Random(f"business:{seed}"), 28)
        self.timezone = ZoneInfo(timezone)
        self.now = clock(now)
        # Separate streams, so reads (which draw orderings) never change the ids of later writes.
        self._ids = random.Random(f"ids:{seed}")
        self._shuffle = random.Random(f"order:{seed}")

    def set_order(self, order: Order) -> None:
        if order not in ORDERS:
            raise ValueError(f"order must be one of {', '.join(ORDERS)}, not {order!r}")
        self.order: Order = order

    def new_id(self) -> str:
        return random_id(self._ids)

    def pick(
        self,
        items: Sequence[_T],
        limit: int,
        *,
        start: Callable[[_T], Any] | None = None,
        ident: Callable[[_T], str] | None = None,
        created: Callable[[_T], int] | None = None,
        end: Callable[[_T], Any] | None = None,
        updated: Callable[[_T], Any] | None = None,
    ) -> list[_T]:
        """Up to `limit` of `items` (given in store order) in the fake's list order.

        Store order is by start then creation for jobs, by creation otherwise. "start" and
        "start_desc" sort by (start, id) as a Firestore range query does; records without a
        start (`start` None) go by creation instead. "id" sorts by id, "newest" puts the last
        created first, "stable" keeps store order and "random" picks a seeded random subset.
        """
        order = self.order
        if order == "switching":  # another order for every request (a flapping balancer)
            order = self._shuffle.choice([o for o in ORDERS if o != "switching"])
        # Orders by fields only jobs have (hold-out servers for listings): by end (Firestore
        # ordering by another field than the filtered one), by (end, start), or by update
        # time, latest first. Records without them keep store order.
        if order in ("end", "end_start", "updated"):
            field = updated if order == "updated" else end
            if field is None:
                return list(items[:limit])
            if order == "updated":
                return heapq.nlargest(limit, items, key=field)
            tie = start if order == "end_start" and start is not None else (ident or str)
            return heapq.nsmallest(limit, items, key=lambda item: (field(item), tie(item)))
        if order == "random":
            if len(items) <= limit:
                chosen = list(items)
                self._shuffle.shuffle(chosen)
                return chosen
            # sample() on a range or list costs O(limit), not O(len(items)).
            return self._shuffle.sample(items, limit)
        if order == "stable" or (order == "start" and start is None):
            return list(items[:limit])
        if order == "newest" or (order == "start_desc" and start is None):
            if created is None:  # store order is creation order
                return list(items[max(0, len(items) - limit) :])[::-1]
            return heapq.nlargest(limit, items, key=created)
        name: Callable[[_T], str] = ident or str
        if order == "id":
            return heapq.nsmallest(limit, items, key=name)
        assert start is not None
        pick = heapq.nsmallest if order == "start" else heapq.nlargest
        return pick(limit, items, key=lambda item: (start(item), name(item)))
