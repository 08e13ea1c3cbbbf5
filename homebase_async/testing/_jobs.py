"""Jobs: records in API shape, kept sorted by start so date windows cost a bisect."""

from __future__ import annotations

import bisect
import math
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from . import _validate as check
from ._common import Context, Json, bad_request, format_time, not_found, parse_time
from ._customers import CustomerBook

_SortKey = tuple[float, int, str]


class JobBook:
    """Every job; `customer` is joined from the customer book when a job is read."""

    def __init__(self, context: Context, customers: CustomerBook) -> None:
        self._context = context
        self._customers = customers
        self.records: dict[str, Json] = {}
        self._keys: dict[str, _SortKey] = {}
        self._sorted: list[_SortKey] = []
        self._seq = 0

    def create(self, body: Mapping[str, Any]) -> str:
        """POST /jobs."""
        customer_id = check.string(body, "customerId")
        if not customer_id:
            raise bad_request("customerId is required")
        for field in ("start", "end", "lineItems"):
            if field not in body:
                raise bad_request(f"{field} is required")
        start = parse_time(body["start"], "start")
        end = parse_time(body["end"], "end")
        items = check.line_items(body) or []
        if not items:
            raise bad_request("lineItems must contain at least 1 item")
        note = check.string(body, "note") or ""
        source = check.job_lead_source(body)
        self._customers.get(customer_id)
        if end <= start:
            raise bad_request("end must be after start")
        return self.insert(customer_id, start, end, items, note=note, lead_source=source)

    def insert(
        self,
        customer_id: str,
        start: datetime,
        end: datetime,
        items: list[Json],
        *,
        note: str = "",
        lead_source: str | Json | None = None,
        job_id: str | None = None,
        added: str | None = None,
        keep_sorted: bool = True,
        total: float | None = None,
    ) -> str:
        """Store a job from checked values; the customer must exist.

        Bulk loaders pass `keep_sorted=False` and call `sort()` once at the end, and may pass
        the precomputed `total` of `items`.
        """
        if customer_id not in self._customers.records:
            raise ValueError(f"no customer {customer_id}")
        job_id = job_id or self._context.new_id()
        if job_id in self.records:
            raise ValueError(f"job {job_id} already exists")
        stamp = added or format_time(self._context.now())
        record: Json = {
            "jobId": job_id,
            "businessId": self._context.business_id,
            "customerId": customer_id,
            "lineItems": items,
            "start": format_time(start),
            "end": format_time(end),
            "jobTotal": check.job_total(items) if total is None else total,
            "note": note,
            "timezone": self._context.timezone.key,
            "isRecurring": False,
            "dateAdded": stamp,
            "lastUpdated": stamp,
        }
        if lead_source is not None:
            record["leadSource"] = lead_source
        self.records[job_id] = record
        key = (start.timestamp(), self._seq, job_id)
        self._seq += 1
        self._keys[job_id] = key
        if keep_sorted:
            bisect.insort(self._sorted, key)
        else:
            self._sorted.append(key)
        self._customers.note_job(customer_id, record["start"])
        return job_id

    def sort(self) -> None:
        self._sorted.sort()

    def update(self, job_id: str, body: Mapping[str, Any]) -> None:
        """PUT/PATCH /jobs/{jobId}: start, end and note; end must stay after start."""
        record = self.records.get(job_id)
        if record is None:
            raise not_found(f"Job not found: {job_id}")
        start = parse_time(body["start"], "start") if "start" in body else None
        end = parse_time(body["end"], "end") if "end" in body else None
        note = check.string(body, "note")
        new_start = start or datetime.fromisoformat(record["start"])
        new_end = end or datetime.fromisoformat(record["end"])
        if new_end <= new_start:
            raise bad_request("end must be after start")
        if start is not None:
            old = self._keys[job_id]
            del self._sorted[bisect.bisect_left(self._sorted, old)]
            key = (start.timestamp(), old[1], job_id)
            self._keys[job_id] = key
            bisect.insort(self._sorted, key)
            record["start"] = format_time(start)
            self._customers.note_job(record["customerId"], record["start"])
        if end is not None:
            record["end"] = format_time(end)
        if note is not None:
            record["note"] = note
        record["lastUpdated"] = format_time(self._context.now())

    def search(
        self,
        *,
        job_id: str | None,
        start: datetime | None,
        end: datetime | None,
        limit: int,
    ) -> list[Json]:
        """GET /jobs: `start` within [start, end], both inclusive; no criteria means today."""
        if not (job_id or start or end):
            start, end = self._today()
        low = -math.inf if start is None else start.timestamp()
        high = math.inf if end is None else end.timestamp()
        if job_id:
            key = self._keys.get(job_id)
            found = [key] if key is not None and low <= key[0] <= high else []
            return [self.shown(k[2]) for k in found]
        first = bisect.bisect_left(self._sorted, (low,))
        last = bisect.bisect_right(self._sorted, (high, math.inf))
        rows = self._sorted
        chosen = self._context.pick(
            range(first, last),
            limit,
            start=lambda p: rows[p][0],
            ident=lambda p: rows[p][2],
            created=lambda p: rows[p][1],
            end=lambda p: self.records[rows[p][2]]["end"],
            updated=lambda p: self.records[rows[p][2]]["lastUpdated"],
        )
        return [self.shown(self._sorted[position][2]) for position in chosen]

    def render(self, job_id: str) -> Json:
        record = self.records[job_id]
        return {**record, "customer": self._customers.records[record["customerId"]]}

    def shown(self, job_id: str) -> Json:
        """What GET /jobs sends: the job with its customer, without the write-only `leadSource`."""
        record = self.render(job_id)
        record.pop("leadSource", None)
        return record

    def _today(self) -> tuple[datetime, datetime]:
        local = self._context.now().astimezone(self._context.timezone)
        midnight = datetime.combine(local.date(), datetime.min.time(), self._context.timezone)
        # The window is inclusive, so stop one microsecond before the next midnight.
        return midnight, midnight + timedelta(days=1) - timedelta(microseconds=1)
