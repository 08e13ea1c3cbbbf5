"""`iterate_jobs`: every job of a range once, in (start, jobId) order, at few requests.

The frontier is a list of windows in time order covering all that is not yielded yet: gaps to
plan, requests in flight, and answers waiting to be yielded. The first full answer is checked
for an order (`_order`): if the server proves it lists the earliest or latest jobs of a window,
each full answer settles part of its window and the rest continues from where it ends, over
concurrent segments (a keyset walk); otherwise windows are cut from density (`_density`). A
failed spot check drops every unproven answer and starts the density strategy over the rest.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import math
from collections.abc import AsyncGenerator

import attrs
from homebase_api.models import Job

from .._bulk import Progress
from .._ratelimit import AdaptiveLimiter, Throttle
from ._core import CAP, TICK, After, Fetcher, FetchJobs, after_key, leaf, start_of, warn_truncated
from ._density import Density
from ._order import Direction, Page, Trust, agrees, confirms, guess, settle

__all__ = ["iterate_jobs"]

AHEAD = 2  # density windows fetched but not yet yielded, per unit of concurrency: bounds memory
PAGES_AHEAD = 6  # the same for pages of a known order (beyond it only the front segment goes on)
SEGMENT = 50  # pages a segment of a known order is cut for: each ends in one partial page;
# start/start_desc orders, 20,000 jobs: 10 cost 1.12-1.28x, 25 cost 1.09-1.14x, 50 1.07-1.10x
SPOT = 40  # pages taken on trust between spot checks: 20 cost +0.02x, 80 saves 0.01x

Planned = tuple[float, float, float]  # mass, expected count, deviation when launched


@attrs.define(eq=False)
class Window:
    """Ticks [lo, hi] (inclusive) from the range start: a gap, a request, or an answer."""

    lo: int
    hi: int
    task: asyncio.Task[list[Job]] | None = None
    planned: Planned = (0.0, 0.0, 0.0)
    jobs: list[Job] | None = None  # its jobs, once known
    trusted: int = 0  # a page taken on trust: its number (`Trust`); 0 when proven
    held: bool = False  # the answer the order tests are about: neither a gap nor done

    @property
    def gap(self) -> bool:
        # A held window must never merge with a gap: its tests settle exactly its own ticks.
        return self.task is None and self.jobs is None and not self.held


@attrs.define
class Check:
    """A request that proves a page: the page's window asked on its own."""

    task: asyncio.Task[list[Job]]
    lo: int
    hi: int
    expected: set[str]
    direction: Direction
    page: Page | None = None  # for the first test: the page it would make of the trial
    covers: int = 0  # for a spot check: the pages it confirms when it passes


@attrs.define
class Planner:
    fetcher: Fetcher
    origin: dt.datetime
    concurrency: int
    frontier: list[Window]
    density: Density
    direction: Direction | None = None
    tested: bool = False  # whether the first full answer was checked for an order
    trial: tuple[Window, list[Job]] | None = None  # that answer, while the tests run
    tests: list[Check] = attrs.field(factory=list)
    spot: Check | None = None
    trust: Trust = attrs.field(factory=Trust)
    rate: float = 0.0  # jobs per tick in the last page, to cut segments
    # Jobs a page saw at the tick where the rest of its window goes on: an answer in the known
    # order for a window that begins (earliest) or ends (latest) at that tick must hold them.
    edges: dict[int, set[str]] = attrs.field(factory=dict)

    def time(self, tick: float) -> dt.datetime:
        return self.origin + TICK * tick

    def tick(self, moment: dt.datetime) -> int:
        return (moment - self.origin) // TICK

    # -- planning -------------------------------------------------------------------------------

    def plan(self) -> None:
        """Cut gaps into windows, front first, while the budget allows; the front always."""
        if self.trial is not None:
            return  # the order tests decide how to go on
        index, first = 0, True
        while index < len(self.frontier):
            gap = self.frontier[index]
            if not gap.gap:
                index += 1
                continue
            if self.direction is not None:
                # The first gap always goes on: pages before it may wait for a check.
                if not first and not self._budget(PAGES_AHEAD):
                    break
                first = False
                self._launch(index, self._segment(gap))
            elif self.density.model is None:
                if index == 0:
                    self._launch(index, gap.hi)  # the first request: the whole range
                break
            elif index > 0 and not (self.density.ready and self._budget(AHEAD)):
                break
            elif not self.density.scale.known:
                for hi in self.density.survey(gap.lo, gap.hi):
                    self._launch(index, hi)
                    index += 1
                continue
            else:
                self._launch(index, self.density.cut(gap.lo, gap.hi))
            index += 1
        self._spot_check()

    def _segment(self, gap: Window) -> int:
        """The last tick of a segment of about SEGMENT pages at the front of the gap."""
        width = gap.hi - gap.lo + 1
        if self.rate <= 0:
            return gap.hi
        reach = SEGMENT * CAP / self.rate
        return gap.hi if width <= 1.5 * reach else gap.lo + max(0, math.ceil(reach) - 1)

    def _budget(self, ahead: int) -> bool:
        in_flight = sum(1 for w in self.frontier if w.task is not None)
        waiting = sum(1 for w in self.frontier if not w.gap)
        return in_flight < self.concurrency and waiting < ahead * self.concurrency

    def _launch(self, index: int, hi: int) -> None:
        """Cut ticks [gap.lo, hi] off the front of the gap at `index` and fetch them."""
        gap = self.frontier[index]
        task = self.fetcher.launch(self.time(gap.lo), self.time(hi))
        window = Window(gap.lo, hi, task, self.density.forecast(gap.lo, hi))
        self.frontier.insert(index, window)
        gap.lo = hi + 1
        if gap.lo > gap.hi:
            del self.frontier[index + 1]

    def _check(self, lo: int, hi: int, jobs: list[Job], direction: Direction) -> Check:
        task = self.fetcher.launch(self.time(lo), self.time(hi))
        ids = {job.job_id for job in leaf(jobs, self.time(lo), self.time(hi))}
        return Check(task, lo, hi, ids, direction)

    def _spot_check(self) -> None:
        """Check the latest page taken on trust, every SPOT pages or when nothing else moves."""
        if self.direction is None or self.spot is not None:
            return
        pending = [w for w in self.frontier if w.trusted and not self.trust.ok(w.trusted)]
        if not pending:
            return
        front = self.frontier[0]
        blocked = front.jobs is not None and front.trusted and not self.trust.ok(front.trusted)
        # Waiting for more pages bounds memory too: the first gap goes on regardless, so at
        # most SPOT pages pile up beyond the budget before the next check.
        stalled = blocked and not any(w.task is not None for w in self.frontier)
        if self.trust.due(SPOT) or stalled:
            page = max(pending, key=lambda w: w.trusted)
            assert page.jobs is not None
            self.spot = self._check(page.lo, page.hi, page.jobs, self.direction)
            self.spot.covers = self.trust.sent()

    # -- answers --------------------------------------------------------------------------------

    async def wait(self) -> None:
        """Wait for an answer unless one is in already, then take in every answer that is."""
        windows = {w.task for w in self.frontier if w.task is not None}
        checks = {c.task for c in [*self.tests, *([self.spot] if self.spot else [])]}
        while not (
            any(task.done() for task in windows)
            or (self.spot is not None and self.spot.task.done())
            or (self.tests and all(c.task.done() for c in self.tests))
        ):
            # Tests are taken in together: one done alone is no answer yet.
            pending = {task for task in windows | checks if not task.done()}
            await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
        if self.spot is not None and self.spot.task.done():
            self._spot_answer(self.spot)
        if self.tests and all(c.task.done() for c in self.tests):
            self._tests_answered()
        for window in [w for w in self.frontier if w.task is not None and w.task.done()]:
            if any(w is window for w in self.frontier):  # a rejected order drops windows
                self._settle(window)

    def _answer(self, check: Check) -> bool:
        jobs = check.task.result()  # a failed request ends the iteration with its error
        self.fetcher.forget(check.task)
        found = leaf(jobs, self.time(check.lo), self.time(check.hi))
        return confirms(check.expected, len(jobs), (job.job_id for job in found))

    def _spot_answer(self, check: Check) -> None:
        self.spot = None
        if self._answer(check):
            self.trust.passed(check.covers)
        elif self.direction is not None:
            self._reject()

    def _tests_answered(self) -> None:
        assert self.trial is not None
        window, jobs = self.trial
        passed = [c for c in self.tests if self._answer(c)]
        self.tests, self.trial = [], None
        window.held = False
        if passed:
            self.direction = passed[0].direction
            assert passed[0].page is not None
            self._take_page(window, jobs, passed[0].page, proven=True)
        else:
            self._sample(window, jobs)

    def _settle(self, window: Window) -> None:
        assert window.task is not None
        jobs = window.task.result()  # a failed request ends the iteration with its error
        self.fetcher.forget(window.task)
        window.task = None
        lo, hi = self.time(window.lo), self.time(window.hi)
        if len(jobs) < CAP:
            window.jobs = leaf(jobs, lo, hi)
            self.density.complete(window.lo, window.hi, len(window.jobs), window.planned)
            return
        if window.lo == window.hi:
            warn_truncated(lo)
            window.jobs = leaf(jobs, lo, hi)
            return
        listed = self._listed(window, jobs)
        ticks = sorted(listed)
        if self.direction is not None:
            # Nothing in its window, not sorted the known way, or missing jobs the page before
            # it saw at its edge: this answer is in no order we can read (a server that answers
            # some requests otherwise): start over safely.
            if not ticks or not agrees(self.direction, listed) or not self._continues(window, jobs):
                self._reject()
                return
            self._take_page(window, jobs, settle(self.direction, window.lo, window.hi, ticks))
        elif not self.tested and guess(window.lo, window.hi, listed):
            self.tested = True
            self.trial = (window, jobs)
            window.held = True
            for direction in guess(window.lo, window.hi, listed):
                page = settle(direction, window.lo, window.hi, ticks)
                test = self._check(*page.settled, jobs, direction)
                test.page = page
                self.tests.append(test)
        else:
            self._sample(window, jobs)

    def _continues(self, window: Window, jobs: list[Job]) -> bool:
        """Whether a full answer holds the jobs a page saw at the edge this window starts (ends)
        at: the earliest (latest) CAP jobs from that tick on must include them."""
        edge = window.lo if self.direction is Direction.EARLIEST else window.hi
        seen = self.edges.pop(edge, None)
        return seen is None or seen <= {job.job_id for job in jobs}

    def _listed(self, window: Window, jobs: list[Job]) -> list[int]:
        """The start ticks of the answer's jobs in its window, in the order it listed them."""
        return [
            tick
            for job in jobs
            if (start := start_of(job)) is not None
            and window.lo <= (tick := self.tick(start)) <= window.hi
        ]

    def _take_page(
        self, window: Window, jobs: list[Job], page: Page, *, proven: bool = False
    ) -> None:
        """A full answer in a known order: its settled part is done, the rest a gap again."""
        lo, hi = page.settled
        done = Window(lo, hi, jobs=leaf(jobs, self.time(lo), self.time(hi)))
        if page.truncated:
            warn_truncated(self.time(lo))
        elif not proven:
            done.trusted = self.trust.take()
        if not page.truncated and done.jobs:
            self.rate = len(done.jobs) / (hi - lo + 1)
        parts = [done]
        if page.rest is not None:
            rest = Window(*page.rest)
            if not page.truncated:
                edge = rest.lo if self.direction is Direction.EARLIEST else rest.hi
                self.edges[edge] = {
                    job.job_id
                    for job in jobs
                    if (start := start_of(job)) is not None and self.tick(start) == edge
                }
            parts = [done, rest] if self.direction is Direction.EARLIEST else [rest, done]
        index = self.frontier.index(window)
        self.frontier[index : index + 1] = parts
        self._merge_gaps()

    def _sample(self, window: Window, jobs: list[Job]) -> None:
        """A full answer in no known order: a sample for the model; the window a gap again."""
        self.density.sample(
            window.lo, window.hi, sorted(self._listed(window, jobs)), window.planned
        )
        window.task, window.jobs = None, None
        self._merge_gaps()

    def _merge_gaps(self) -> None:
        merged: list[Window] = []
        for window in self.frontier:
            if merged and window.gap and merged[-1].gap:
                merged[-1].hi = window.hi
            else:
                merged.append(window)
        self.frontier = merged

    def _reject(self) -> None:
        """The order did not hold: keep what is proven, plan the rest again from density.

        The next sorted full answer is tested again: a server that answered one request
        otherwise (two backends behind a balancer) is learned again for one or two requests.
        """
        self.direction = None
        self.tested = False
        self.edges.clear()
        keep = 0
        while keep < len(self.frontier):
            window = self.frontier[keep]
            if window.jobs is None or (window.trusted and not self.trust.ok(window.trusted)):
                break
            keep += 1
        for window in self.frontier[keep:]:
            if window.task is not None:
                window.task.cancel()
        if keep < len(self.frontier):
            self.frontier[keep:] = [Window(self.frontier[keep].lo, self.frontier[-1].hi)]
        self.density = Density(self.concurrency)

    def pop_ready(self) -> list[Job] | None:
        """The front window's jobs, if they are known (and proven, for a page on trust)."""
        if not self.frontier:
            return None
        window = self.frontier[0]
        if window.jobs is None or (window.trusted and not self.trust.ok(window.trusted)):
            return None
        del self.frontier[0]
        self.density.forget(window.hi + 1)
        return window.jobs


async def iterate_jobs(
    fetch: FetchJobs,
    start: dt.datetime,
    end: dt.datetime,
    *,
    concurrency: int,
    throttle: Throttle,
    on_progress: Progress | None = None,
    stats: dict[str, int] | None = None,
    after: After | None = None,
) -> AsyncGenerator[Job, None]:
    """Every job whose start lies in [start, end] (and after `after`), once, in order."""
    if after is not None:
        start = max(start, after[0])
    last = (end - start) // TICK
    frontier = [Window(0, last)] if last >= 0 else []
    fetcher = Fetcher(fetch, throttle, AdaptiveLimiter(concurrency))
    planner = Planner(fetcher, start, concurrency, frontier, Density(concurrency))
    done = 0
    try:
        while planner.frontier:
            planner.plan()
            jobs = planner.pop_ready()
            if jobs is None:
                await planner.wait()
                continue
            for job in jobs:
                if after_key(job, after):
                    yield job
                    done += 1
            if on_progress is not None:
                on_progress(done, None)
    finally:
        await fetcher.close()
        if stats is not None:
            stats["requests"] = stats.get("requests", 0) + fetcher.requests
