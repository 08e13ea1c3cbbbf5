"""Jobs: list, get, create, update (complete iteration lives in `_listing`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Unpack

from homebase_api.api.jobs import create_job, get_jobs, update_job
from homebase_api.models import (
    CreatedJobResponse,
    Job,
    JobUpdate,
    LegacyLeadSource,
    LineItem,
    NewJob,
)
from homebase_api.types import UNSET

from .._bulk import CreateReport, Progress, effective_concurrency, run_bulk
from .._bulk._engine import Sending, Writer
from .._bulk._items import Item
from .._bulk._options import WriteOptions, bulk_options, scope_of
from .._bulk._runs import create_many
from .._bulk._settle import Found, Inconclusive, predates
from .._errors import HomebaseError, UnexpectedResponseError, ValidationError
from .._listing import Listing, check_answer, iterate_jobs
from .._request import Operation
from .._retry import Kind
from .._telemetry import traced_report
from .._validation import (
    JOBS_DEFAULT_LIMIT,
    check_items,
    check_limit,
    check_optional_str,
    check_path_id,
    check_query,
    check_text,
    may_be_capped,
    to_utc,
    to_utc_or_unset,
)
from ._base import Resource, data_of, not_found
from ._line_items import LineItemInput, legacy_or_string_source, parse_line_items

__all__ = ["Jobs"]

GET = Operation("getJobs", "GET", "/jobs", Kind.READ)
CREATE = Operation("createJob", "POST", "/jobs", Kind.WRITE)
UPDATE = Operation("updateJob", "PUT", "/jobs/{jobId}", Kind.UPDATE)

When = dt.datetime | str


def _check_order(start: Any, end: Any, *, strict: bool) -> None:
    if start is UNSET or end is UNSET:
        return
    if end < start or (strict and end == start):
        raise ValidationError("end", f"must be after start ({start.isoformat()})")


class Jobs(Resource):
    """`hb.jobs`: list, get, create and update jobs."""

    async def list(
        self,
        job_id: str | None = None,
        start: When | None = None,
        end: When | None = None,
        limit: int = 50,
    ) -> list[Job]:
        """Jobs starting in [start, end] (at most `limit`, no order); today's without criteria.

        The API has no pagination: `jobs.iterate` returns every job of a range.
        """
        check_limit(limit)
        start_utc = to_utc_or_unset("start", start)
        end_utc = to_utc_or_unset("end", end)
        _check_order(start_utc, end_utc, strict=False)
        if job_id is not None:
            check_query("job_id", job_id)
        response = await self._requester.call(
            GET,
            lambda raw: get_jobs.asyncio_detailed(
                client=raw,
                job_id=UNSET if job_id is None else job_id,
                start_date=start_utc,
                end_date=end_utc,
                limit=limit,
            ),
        )
        data: list[Job] = data_of(GET, response)
        return data

    async def get(self, job_id: str) -> Job:
        """The job with this id; NotFoundError when there is none."""
        check_query("job_id", job_id)
        for job in await self.list(job_id=job_id, limit=1):
            if job.job_id == job_id:
                return job
        raise not_found("job", job_id)

    async def create(
        self,
        customer_id: str,
        start: When,
        end: When,
        line_items: Iterable[LineItemInput],
        note: str | None = None,
        lead_source: str | LegacyLeadSource | Mapping[str, Any] | None = None,
    ) -> str:
        """Create a job for an existing customer and return its id (never retried once sent)."""
        return await self._post(
            new_job(customer_id, start, end, line_items, note=note, lead_source=lead_source)
        )

    async def _post(self, body: NewJob, sending: Sending | None = None) -> str:
        if sending is not None:
            await sending()
        response = await self._requester.call(
            CREATE, lambda raw: create_job.asyncio_detailed(client=raw, body=body)
        )
        return str(data_of(CREATE, response, CreatedJobResponse).job_id)

    async def create_many(
        self, items: Sequence[Mapping[str, Any]], **options: Unpack[WriteOptions]
    ) -> CreateReport:
        """Create many jobs (each item: the keyword arguments of `create`).

        Every index ends in exactly one of `created`, `failed` (not created) or
        `outcome_unknown`. A job whose answer is lost is settled by its customer, start, end
        and line items, on proof: a search capped at the API's 100 proves nothing, so such
        a job stays `outcome_unknown`. Options: see `WriteOptions`.
        """
        check_items("items", items)
        settings = bulk_options(
            "create_many",
            options,
            client_max=self._requester.max_concurrency,
            scope=scope_of(self._requester.raw.token),
        )
        return await traced_report(
            "homebase.jobs.create_many",
            create_many(
                self._writer(settings.concurrency), items, settings, self._requester.throttle
            ),
        )

    def _writer(self, concurrency: int) -> Writer[NewJob, str]:
        return Writer(
            operation="jobs.create",
            request=CREATE.name,
            noun="jobs",
            validate=_job_item,
            identity=lambda job: f"{job.customer_id}|{job.start.isoformat()}|{job.end.isoformat()}",
            send=self._post,
            locate=lambda todo: self._locate(todo, concurrency),
        )

    async def _locate(
        self, todo: Sequence[Item[NewJob]], concurrency: int
    ) -> dict[int, Found | HomebaseError]:
        """Each lost job's search: the jobs starting at its start, by its customer."""
        starts = sorted({item.body.start for item in todo if item.body is not None})
        answers = await run_bulk(
            starts,
            lambda at: self._requester.read_again(lambda: self.list(start=at, end=at, limit=100)),
            concurrency=concurrency,
            throttle=self._requester.throttle,
        )
        by_start = dict(zip(starts, answers, strict=True))
        located: dict[int, Found | HomebaseError] = {}
        for item in todo:
            assert item.body is not None
            answer = by_start[item.body.start]
            if answer.error is not None or answer.value is None:
                located[item.index] = answer.error or Inconclusive("the search did not answer")
                continue
            try:
                # What a listing checks of an answer: only jobs of that instant prove anything.
                check_answer(answer.value, item.body.start, item.body.start)
            except UnexpectedResponseError as exc:
                located[item.index] = exc
                continue
            want = job_key(item.body)
            note = item.body.note if isinstance(item.body.note, str) else None
            # A job that existed before this item's write began is not its record.
            mine = [
                j
                for j in answer.value
                if str(j.customer_id) == item.body.customer_id and not predates(item, j.date_added)
            ]
            same = tuple(sorted(str(j.job_id) for j in mine if _same(j, want, note)))
            other = tuple(sorted(str(j.job_id) for j in mine if not _same(j, want, note)))
            # 100 jobs is the API's cap, 50 its default where `limit` is not read: more may
            # start then, this job among them.
            complete = not may_be_capped(len(answer.value), JOBS_DEFAULT_LIMIT)
            located[item.index] = Found(same, other, complete=complete)
        return located

    async def update(
        self,
        job_id: str,
        start: When | None = None,
        end: When | None = None,
        note: str | None = None,
    ) -> None:
        """Change the given fields only; None means "leave as is"."""
        check_path_id("job_id", job_id)
        body = JobUpdate(start=to_utc_or_unset("start", start), end=to_utc_or_unset("end", end))
        _check_order(body.start, body.end, strict=True)
        if note is not None:
            body.note = check_optional_str("note", note)
        if not body.to_dict():
            raise ValidationError("job_id", "nothing to update: no field was given")
        await self._requester.call(
            UPDATE, lambda raw: update_job.asyncio_detailed(job_id, client=raw, body=body)
        )

    def iterate(
        self,
        start: When,
        end: When,
        *,
        concurrency: int | None = None,
        on_progress: Progress | None = None,
        after: tuple[When, str] | None = None,
    ) -> Listing[Job]:
        """Every job whose start lies in [start, end], exactly once, in (start, jobId) order.

        `after=(start, job_id)` of the last job a previous run yielded resumes after it. The
        range is fetched as concurrent windows, each settled only by an answer of fewer than
        100 jobs, and not exactly the default 50 a server ignoring `limit` cuts at (the one
        proof of completeness the API gives); full answers guide the next
        cuts (read as the next 100 by start when listed so, else as a sample of the window).
        An answer with jobs outside its window, over 100 jobs, or times without an offset
        raises UnexpectedResponseError. A job rescheduled during the listing is yielded at most
        once. Memory holds only the windows not yet yielded and the ids yielded. A window that
        still fails after the client's retries is asked again twice if the error is transient,
        then its error is raised. Closing the listing (`async with`, `contextlib.aclosing`,
        `aclose()`) cancels what is outstanding. 100 or more jobs at one instant cannot all be
        fetched: that window yields what it got and emits TruncatedResultWarning.
        """
        start_utc, end_utc = to_utc("start", start), to_utc("end", end)
        _check_order(start_utc, end_utc, strict=False)
        resume = _check_after(after)
        width = effective_concurrency(concurrency, self._requester.max_concurrency)

        async def fetch(lo: dt.datetime, hi: dt.datetime) -> list[Job]:
            # The one place a window is re-asked: the request path's retry budget governs it.
            return await self._requester.read_again(lambda: self.list(start=lo, end=hi, limit=100))

        return Listing(
            iterate_jobs(
                fetch,
                start_utc,
                end_utc,
                concurrency=width,
                throttle=self._requester.throttle,
                on_progress=on_progress,
                stats=self._requester.stats,
                after=resume,
            ),
            name="homebase.jobs.iterate",
        )


#: What identifies a job to create: customer, start, end and line items.
JobKey = tuple[str, dt.datetime, dt.datetime, tuple[tuple[str, str, str], ...]]
_FIELDS = frozenset({"customer_id", "start", "end", "line_items", "note", "lead_source"})


def new_job(
    customer_id: str,
    start: When,
    end: When,
    line_items: Iterable[LineItemInput],
    *,
    note: str | None = None,
    lead_source: str | LegacyLeadSource | Mapping[str, Any] | None = None,
) -> NewJob:
    """A checked create body (ValidationError names the bad field)."""
    check_query("customer_id", customer_id)
    start_utc, end_utc = to_utc("start", start), to_utc("end", end)
    _check_order(start_utc, end_utc, strict=True)
    body = NewJob(
        customer_id=customer_id,
        start=start_utc,
        end=end_utc,
        line_items=parse_line_items(line_items, required=True),
    )
    if note is not None:
        body.note = check_optional_str("note", note)
    if lead_source is not None:
        body.lead_source = legacy_or_string_source(lead_source)
    return body


def _job_item(item: Mapping[str, Any]) -> NewJob:
    unknown = sorted(map(str, set(item) - _FIELDS))
    if unknown:
        raise ValidationError("items", f"unknown job field(s): {', '.join(unknown)}")
    for name in ("customer_id", "start", "end", "line_items"):
        if name not in item:
            raise ValidationError(name, "is required")
    return new_job(**item)


def _line_key(items: Sequence[LineItem]) -> tuple[tuple[str, str, str], ...]:
    return tuple(
        sorted((str(i.name), f"{float(i.quantity):g}", f"{float(i.unit_price):.2f}") for i in items)
    )


def job_key(job: NewJob) -> JobKey:
    """A create body's natural key with its line items, as a found job is compared."""
    return job.customer_id, job.start, job.end, _line_key(job.line_items)


def _same(job: Job, want: JobKey, note: str | None) -> bool:
    """Whether a found job carries every value the item sent (its note too, when it set one):
    only such a job can prove the item's create."""
    return _found_key(job) == want and (note is None or job.note == note)


def _found_key(job: Job) -> JobKey | None:
    if not isinstance(job.start, dt.datetime) or not isinstance(job.end, dt.datetime):
        return None
    lines = job.line_items if isinstance(job.line_items, list) else []
    try:
        return (
            str(job.customer_id),
            to_utc("start", job.start),
            to_utc("end", job.end),
            _line_key(lines),
        )
    except (ValueError, TypeError, OverflowError, HomebaseError):
        return None


def _check_after(after: Any) -> tuple[dt.datetime, str] | None:
    """`after=(start, job_id)`: a ValidationError naming `after` unless it is one."""
    if after is None:
        return None
    if not isinstance(after, tuple | list) or len(after) != 2:
        raise ValidationError("after", "expected (start, job_id) of the last job yielded")
    return to_utc("after", after[0]), check_text("after", after[1])
