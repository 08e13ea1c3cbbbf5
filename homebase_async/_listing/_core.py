"""The correctness core of every listing: exact windows, dedupe, order, truncation, fetching.

Jobs are listed by `GET /jobs?startDate&endDate`, at most CAP a request, inclusive on `start`.
A range is cut into windows of whole microsecond ticks with inclusive bounds, so the windows
partition it exactly and each job belongs to one window, whatever the server answers. Only an
answer of fewer than CAP jobs is known complete; planners only decide where the cuts go.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import warnings
from collections.abc import Awaitable, Callable, Iterable

import attrs
from homebase_api.models import Job
from homebase_api.types import Unset

from .._bulk import TruncatedResultWarning
from .._errors import UnexpectedResponseError
from .._ratelimit import AdaptiveLimiter, Throttle

__all__ = [
    "CAP",
    "TICK",
    "After",
    "FetchJobs",
    "Fetcher",
    "after_key",
    "check_answer",
    "leaf",
    "start_of",
    "warn_truncated",
]

CAP = 100  # the API's largest answer: a full one may hide more jobs
TICK = dt.timedelta(microseconds=1)  # datetime's resolution: windows of ticks never overlap

FetchJobs = Callable[[dt.datetime, dt.datetime], Awaitable[list[Job]]]
After = tuple[dt.datetime, str]  # (start, jobId) of the last job a previous run yielded


def start_of(job: Job) -> dt.datetime | None:
    return None if isinstance(job.start, Unset) else job.start


def leaf(jobs: Iterable[Job], lo: dt.datetime, hi: dt.datetime) -> list[Job]:
    """The jobs starting in [lo, hi], once each by jobId, in (start, jobId) order."""
    unique: dict[str, Job] = {}
    for job in jobs:
        start = start_of(job)
        if start is not None and lo <= start <= hi:
            unique.setdefault(job.job_id, job)
    return sorted(unique.values(), key=lambda j: (j.start, j.job_id))


def after_key(job: Job, after: After | None) -> bool:
    """Whether `job` comes after the resume point (always, without one)."""
    if after is None:
        return True
    start = start_of(job)
    return start is not None and (start, job.job_id) > after


def check_answer(jobs: list[Job], lo: dt.datetime, hi: dt.datetime) -> None:
    """UnexpectedResponseError naming what is wrong with an answer for window [lo, hi].

    A listing reads every answer as "jobs starting in [lo, hi], at most CAP": an answer that
    breaks that (a server ignoring `endDate`, `limit`, or sending times without an offset)
    would make it plan on nonsense, split without end, or compare naive with aware times.
    """
    window = f"[{lo.isoformat()}, {hi.isoformat()}]"
    if len(jobs) > CAP:
        raise UnexpectedResponseError(
            f"getJobs: {len(jobs)} jobs for limit={CAP} in window {window}: the server "
            "ignores `limit`"
        )
    seen: set[str] = set()
    for job in jobs:
        if job.job_id in seen:
            raise UnexpectedResponseError(f"getJobs: job {job.job_id} listed twice in {window}")
        seen.add(job.job_id)
        start, end = job.start, job.end
        if isinstance(start, Unset):
            raise UnexpectedResponseError(f"getJobs: job {job.job_id} has no `start`")
        for field, value in (("start", start), ("end", end)):
            if isinstance(value, dt.datetime) and value.tzinfo is None:
                raise UnexpectedResponseError(
                    f"getJobs: job {job.job_id} has `{field}` without a UTC offset "
                    f"({value.isoformat()}) in window {window}"
                )
        if not lo <= start <= hi:
            raise UnexpectedResponseError(
                f"getJobs: job {job.job_id} starts at {start.isoformat()}, outside the "
                f"requested window {window}: the server does not filter by startDate/endDate"
            )


def warn_truncated(moment: dt.datetime, count: int = CAP) -> None:
    # `count` under CAP: an answer of exactly the default limit (a server ignoring `limit`).
    many = "100 or more" if count >= CAP else f"{count} (the default limit) or more"
    warnings.warn(
        f"{many} jobs start at {moment.isoformat()}; the API returns at most {count} for "
        "one instant, so some may be missing",
        TruncatedResultWarning,
        stacklevel=5,
    )


@attrs.define
class Fetcher:
    """Launches window requests under the listing's own limiter; cancels them all on close.

    Every request goes through the client's request path (and its permits) inside `fetch`;
    cancelling a task releases its permit, so closing leaves nothing running or held.
    """

    fetch: FetchJobs
    throttle: Throttle
    limiter: AdaptiveLimiter
    tasks: set[asyncio.Task[list[Job]]] = attrs.field(factory=set)
    requests: int = 0

    def __attrs_post_init__(self) -> None:
        self.throttle.limiters.add(self.limiter)

    def launch(self, lo: dt.datetime, hi: dt.datetime) -> asyncio.Task[list[Job]]:
        task = asyncio.create_task(self._fetch(lo, hi))
        self.tasks.add(task)
        return task

    def forget(self, task: asyncio.Task[list[Job]]) -> None:
        self.tasks.discard(task)

    async def _fetch(self, lo: dt.datetime, hi: dt.datetime) -> list[Job]:
        await self.throttle.wait_if_paused()
        async with self.limiter:
            self.requests += 1
            jobs = await self.fetch(lo, hi)
        check_answer(jobs, lo, hi)
        return jobs

    async def close(self) -> None:
        """Cancel what is outstanding and collect every task, so none logs an unread error."""
        self.throttle.limiters.discard(self.limiter)
        tasks, self.tasks = self.tasks, set()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for task in tasks:
            if not task.cancelled():
                task.exception()
