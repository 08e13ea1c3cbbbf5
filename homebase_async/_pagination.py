"""Complete listings over an API without cursors: time windows for jobs, fan-out for leads.

Jobs: the range is cut into windows sized from the job density seen so far (about
`TARGET_PER_WINDOW` jobs each); windows are fetched concurrently and yielded in time order.
A window that comes back full (100, the API's cap) is re-learned with a few nested prefix
probes fetched at once: the largest that is not full is kept, and the rest of the window is
re-planned from its density. Windows partition time exactly (each job belongs to the one
window containing its start), so every job is yielded once whatever order the server uses.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import math
import warnings
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence

import attrs
from homebase_api.models import Job, Lead
from homebase_api.types import Unset

from ._bulk import Progress, TruncatedResultWarning
from ._ratelimit import AdaptiveLimiter, Throttle

__all__ = ["iterate_jobs", "iterate_leads"]

CAP = 100
TARGET_PER_WINDOW = 80
FIRST_PROBES = 12  # nested prefixes after a full first answer: down to 1/4096 of the range
SURPRISE_PROBES = 6  # after a full window later on: down to 1/64 of it
TICK = dt.timedelta(microseconds=1)
REGIME = 4.0
MAX_PIECES = 32

FetchJobs = Callable[[dt.datetime, dt.datetime], Awaitable[list[Job]]]


@attrs.define
class _Window:
    lo: dt.datetime
    hi: dt.datetime
    task: asyncio.Task[list[Job]] | None = None  # None: a gap not yet cut into windows
    probes: int = SURPRISE_PROBES

    @property
    def span(self) -> dt.timedelta:
        return self.hi - self.lo


def _start(job: Job) -> dt.datetime | None:
    return None if isinstance(job.start, Unset) else job.start


@attrs.define
class _Planner:
    fetch: FetchJobs
    concurrency: int
    throttle: Throttle
    limiter: AdaptiveLimiter
    group: set[asyncio.Task[list[Job]]] = attrs.field(factory=set)
    density: float | None = None  # jobs per second near the front of the range
    seen_jobs: int = 0
    seen_seconds: float = 0.0
    requests: int = 0

    def launch(self, lo: dt.datetime, hi: dt.datetime) -> asyncio.Task[list[Job]]:
        task = asyncio.create_task(self._fetch(lo, hi))
        self.group.add(task)
        task.add_done_callback(self.group.discard)
        return task

    async def _fetch(self, lo: dt.datetime, hi: dt.datetime) -> list[Job]:
        await self.throttle.wait_if_paused()
        async with self.limiter:
            self.requests += 1
            return await self.fetch(lo, hi)

    def in_flight(self) -> int:
        return sum(1 for t in self.group if not t.done())

    def window_span(self) -> dt.timedelta:
        assert self.density is not None
        seconds = TARGET_PER_WINDOW / max(self.density, 1e-12)
        return max(TICK, dt.timedelta(seconds=min(seconds, 1e9)))

    def top_up(self, frontier: deque[_Window]) -> None:
        """Cut gaps into windows and launch them while fewer than `concurrency` are in flight.

        A gap at the head is always cut, so the next window to yield is being fetched.
        """
        index = 0
        while index < len(frontier):
            gap = frontier[index]
            if gap.lo > gap.hi:
                del frontier[index]
                continue
            if gap.task is not None:
                index += 1
                continue
            if index > 0 and self.in_flight() >= self.concurrency:
                return
            hi = min(gap.hi, gap.lo + self.window_span())
            frontier.insert(index, _Window(gap.lo, hi, self.launch(gap.lo, hi)))
            index += 1
            if hi >= gap.hi:
                del frontier[index]
            else:
                gap.lo = hi + TICK

    def learn(self, window: _Window, count: int) -> None:
        """Blend the window's own density with the average over everything fetched so far.

        The local part follows bursts; the global part damps the daily rhythm of jobs.
        """
        seconds = max(window.span.total_seconds(), 1e-6)
        self.seen_jobs += count
        self.seen_seconds += seconds
        local = (count + 1) / seconds
        overall = (self.seen_jobs + 1) / self.seen_seconds
        # A window far off the average is a change of regime (a burst begins or ends):
        # follow it at once rather than planning tiny or huge windows from the average.
        shifted = not overall / REGIME <= local <= overall * REGIME
        self.density = local if shifted else (local + overall) / 2

    def split(self, full: _Window) -> list[_Window]:
        """Equal time slices of a full window, as many as the density suggests (at least 2)."""
        expected = max((self.density or 0.0) * full.span.total_seconds(), 1.5 * CAP)
        # Capped: a window spanning a burst and a quiet spell would otherwise be cut into
        # many empty slices; a dense slice is simply split again.
        pieces = min(MAX_PIECES, max(2, math.ceil(expected / TARGET_PER_WINDOW)))
        step = max(TICK, full.span / pieces)
        self.density = max(self.density or 0.0, CAP / max(full.span.total_seconds(), 1e-6))
        windows = []
        lo = full.lo
        while lo <= full.hi:
            hi = min(full.hi, lo + step)
            windows.append(_Window(lo, hi, self.launch(lo, hi)))
            lo = hi + TICK
        return windows


def _leaf(jobs: list[Job], lo: dt.datetime, hi: dt.datetime) -> list[Job]:
    """The window's own jobs, once each, in (start, jobId) order."""
    unique: dict[str, Job] = {}
    for job in jobs:
        start = _start(job)
        if start is not None and lo <= start <= hi:
            unique.setdefault(job.job_id, job)
    return sorted(unique.values(), key=lambda j: (_start(j), j.job_id))


async def iterate_jobs(
    fetch: FetchJobs,
    start: dt.datetime,
    end: dt.datetime,
    *,
    concurrency: int,
    throttle: Throttle,
    on_progress: Progress | None = None,
    stats: dict[str, int] | None = None,
) -> AsyncIterator[Job]:
    """Every job whose start lies in [start, end], once, in (start, jobId) order."""
    planner = _Planner(fetch, concurrency, throttle, AdaptiveLimiter(concurrency))
    throttle.limiters.add(planner.limiter)
    frontier: deque[_Window] = deque(
        [_Window(start, end, planner.launch(start, end), probes=FIRST_PROBES)]
    )
    done = 0
    try:
        while frontier:
            planner.top_up(frontier)
            head = frontier.popleft()
            assert head.task is not None
            jobs = await head.task
            if len(jobs) >= CAP and head.lo < head.hi:
                frontier.extendleft(reversed(planner.split(head)))
                continue
            if len(jobs) >= CAP:
                warnings.warn(
                    f"100 or more jobs start at {head.lo.isoformat()}; the API returns at most "
                    "100 for one instant, so some may be missing",
                    TruncatedResultWarning,
                    stacklevel=2,
                )
            else:
                planner.learn(head, len(jobs))
            for job in _leaf(jobs, head.lo, head.hi):
                yield job
                done += 1
            if on_progress is not None:
                on_progress(done, None)
    finally:
        throttle.limiters.discard(planner.limiter)
        pending = [t for t in planner.group if not t.done()]
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        if stats is not None:
            stats["requests"] = stats.get("requests", 0) + planner.requests


FetchLeads = Callable[[dict[str, str]], Awaitable[list[Lead]]]


async def iterate_leads(
    fetch: FetchLeads,
    queries: Sequence[dict[str, str]],
    *,
    concurrency: int,
    throttle: Throttle,
) -> AsyncIterator[Lead]:
    """Leads of every query, once each by leadId, as the queries complete."""
    limiter = AdaptiveLimiter(concurrency)
    results: asyncio.Queue[tuple[dict[str, str], list[Lead]] | BaseException] = asyncio.Queue()
    todo: Iterable[dict[str, str]] = iter(queries)

    async def worker() -> None:
        try:
            for query in todo:
                await throttle.wait_if_paused()
                async with limiter:
                    leads = await fetch(query)
                await results.put((query, leads))
        except Exception as exc:
            await results.put(exc)

    throttle.limiters.add(limiter)
    workers = [asyncio.create_task(worker()) for _ in range(min(concurrency, len(queries)))]
    seen: set[str] = set()
    try:
        for _ in range(len(queries)):
            item = await results.get()
            if isinstance(item, BaseException):
                raise item
            query, leads = item
            if len(leads) >= CAP:
                warnings.warn(
                    f"leads query {query} hit the API's cap of 100; more may exist and the API "
                    "offers no way to reach them",
                    TruncatedResultWarning,
                    stacklevel=2,
                )
            for lead in leads:
                if lead.lead_id not in seen:
                    seen.add(lead.lead_id)
                    yield lead
    finally:
        throttle.limiters.discard(limiter)
        for task in workers:
            task.cancel()
        await asyncio.gather(*workers, return_exceptions=True)
