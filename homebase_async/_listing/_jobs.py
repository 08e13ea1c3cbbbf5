"""`iterate_jobs`: every job of a range once, in (start, jobId) order, at few requests.

Exactness rests on one fact only: an answer of fewer than CAP jobs is every job of its window
(the API filters by `start` within [startDate, endDate], inclusive), unless it holds exactly
the default 50 a server ignoring `limit` cuts at (`may_be_capped`: asked again as two halves).
A full answer proves no part of its window complete, whatever order it looks sorted in: a
server ordering by a field the client cannot see (end, update time, a hash) leaves the job last
in that order out of every full answer that could hold it, so only a complete answer can show
it (`_order`). The frontier is therefore settled window by window, each by a complete answer
(or, for a single tick with CAP or more jobs, by a TruncatedResultWarning naming it), and full
answers only guide where the next cuts go:

- listed by start (either way), a full answer is read as a hint: the ticks before its latest
  (after its earliest) start are asked next as one window, sure to come back complete if the
  hint is right; further windows are cut blind from the pace (`_pace`: a weekly shape and the
  level of the answers beside them) to hold about TARGET jobs, so most come back complete and
  settle their window in one request; one that overflows is, again, only a preview;
- listed otherwise, it is a sample of its window for the density model (`_density`).

Every answer is checked first (`_core.check_answer`): jobs outside the window, more than CAP,
or times without an offset end the listing with UnexpectedResponseError on that answer. And a
server whose answers stay full past STALL in a row, with no window settled, is stopped.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import math
from collections import Counter
from collections.abc import AsyncGenerator

import attrs
from homebase_api.models import Job

from .._bulk import Progress
from .._errors import UnexpectedResponseError
from .._ratelimit import AdaptiveLimiter, Throttle
from .._validation import JOBS_DEFAULT_LIMIT, may_be_capped
from ._core import CAP, TICK, After, Fetcher, FetchJobs, after_key, leaf, start_of, warn_truncated
from ._density import Density
from ._order import Direction, exact_part, sorted_as
from ._pace import WEEK, Pace

__all__ = ["iterate_jobs"]

AHEAD = 2  # windows fetched but not yet yielded, per unit of concurrency: bounds memory
# Jobs a window cut from the pace or rate is planned to hold. Counts stray from any forecast by
# Poisson noise at least (sd 9 at 80). Over the family (12 seeds, scripts/bench/listing_family
# .py), start: 60 costs 1.85x, 70 1.60x, 80 1.43-1.56x, 90 1.73-1.93x.
TARGET = 80.0
# Windows cut from the pace in flight at once: one that overflows leaves the rest of its ticks
# a sliver asked alone if the next is cut already. Over the family (12 seeds, start): 1 costs
# 1.43x, 2 1.47x, 4 1.65x, 8 1.56x; 2 keeps some overlap for latency.
DEPTH = 2
GROW = 4.0  # a window cut from the rate reaches at most this many times the last one's width
ESCAPE = 8  # the window after a near-empty one is at least this many times wider
LOST = 0.25  # a window cut from the rate answered with under this share of TARGET: rate lost
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
# Full answers in a row, none settling a window, before the listing gives up: STALL times the
# concurrency times the halvings the range allows (log2 of its ticks, 46 for two years). A
# window answered full is never asked again whole (`_narrower`), so cuts close in; a server
# that ignores `endDate` or `limit` is caught by `check_answer` on its first such answer, long
# before. Over the family no listing came near it; the density model fed samples from the back
# of each window (start_desc with hints off) does, and is stopped here rather than run on.
STALL = 4
PILE = 0.5  # the share of a full answer at one instant that makes it a pile, asked alone

Planned = tuple[float, float, float]  # mass, expected count, deviation when launched


@attrs.define(eq=False)
class Window:
    """Ticks [lo, hi] (inclusive) from the range start: a gap, a request, or an answer."""

    lo: int
    hi: int
    task: asyncio.Task[list[Job]] | None = None
    planned: Planned = (0.0, 0.0, 0.0)
    jobs: list[Job] | None = None  # its jobs, once a complete answer gave them
    exact: bool = False  # a gap a sorted-looking answer says holds under CAP: asked as it is
    rated: bool = False  # a request cut from the rate of a sorted server

    @property
    def gap(self) -> bool:
        return self.task is None and self.jobs is None


@attrs.define
class Planner:
    fetcher: Fetcher
    origin: dt.datetime
    concurrency: int
    frontier: list[Window]
    density: Density
    use_hints: bool = True  # ablation switches (scripts/bench/listing_family.py)
    use_density: bool = True
    sorted: Direction | None = None  # how the latest full answer looked listed
    pace: Pace = attrs.field(factory=lambda: Pace(0))  # jobs ahead, for cuts from the rate
    rate: float = 0.0  # jobs per tick the latest answer showed, without a model (ablation)
    width: float = 0.0  # the width of the latest window cut from the rate
    odd: bool = False  # the latest full answer was the first unsorted one from a sorted server
    lost: tuple[int, int] = (-1, 0)  # after a near-empty window: the next tick, least width
    walk: bool = False  # listed earliest first, the rate lost: ask the whole gap next
    stall: int = 0  # full answers since a window was last settled
    full: list[tuple[int, int]] = attrs.field(factory=list)  # windows known to hold CAP or more

    def time(self, tick: float) -> dt.datetime:
        return self.origin + TICK * tick

    def tick(self, moment: dt.datetime) -> int:
        return (moment - self.origin) // TICK

    # -- planning -------------------------------------------------------------------------------

    def plan(self) -> None:
        """Cut gaps into windows, front first, while the budget allows; the front always."""
        index = 0
        while index < len(self.frontier):
            gap = self.frontier[index]
            if not gap.gap:
                index += 1
                continue
            if gap.exact:
                self._launch(index, gap.hi)  # one per full answer: needs no budget
                index += 1
                continue
            if index > 0 and not self._budget():
                break
            if self.sorted is Direction.EARLIEST and self.use_density and self.walk:
                # Listed earliest first and the rate lost (a gap, a cluster): the whole gap,
                # whose answer (if the order holds) shows where the next CAP jobs are.
                self.walk = False
                self._launch(index, gap.hi)
            elif self.sorted and self.pace.known:
                if sum(1 for w in self.frontier if w.task is not None and w.rated) >= DEPTH:
                    break
                self._launch(index, self._paced(gap), rated=True)
            elif not self.use_density and self.rate > 0:
                self._launch(index, self._rated(gap), rated=True)
            elif self.density.model is None or not self.use_density:
                # Nothing known yet: the whole gap, whose answer is a sample or a hint.
                if any(w.task is not None and not w.exact for w in self.frontier):
                    break
                self._launch(index, gap.hi)
                break
            elif index > 0 and not self.density.ready:
                break
            elif not self.density.scale.known:
                for hi in self.density.survey(gap.lo, gap.hi):
                    self._launch(index, hi)
                    index += 1
                continue
            else:
                self._launch(index, self.density.cut(gap.lo, gap.hi))
            index += 1

    def _rated(self, gap: Window) -> int:
        """The last tick of a window at the front of the gap holding about TARGET jobs, at
        the latest answer's flat rate (the baseline the models are measured against)."""
        width = TARGET / self.rate
        if self.width > 0:
            width = min(width, GROW * self.width)
        self.width = width
        reach = gap.lo + max(1, math.floor(width)) - 1
        # Leave no sliver: a rest under half a window goes with this one.
        return gap.hi if gap.hi - reach < width / 2 else reach

    def _paced(self, gap: Window) -> int:
        """The last tick of a window at the front of the gap holding about TARGET jobs (at
        most GROW times as wide as the one before: a near-empty answer, a night the shape has
        not learned yet, is no licence to leap)."""
        width = self.pace.cut(gap.lo, gap.hi, TARGET)
        if width is None:
            return gap.hi
        if self.width > 0:
            width = min(width, GROW * self.width)
        self.width = width
        return min(gap.hi, gap.lo + max(1, math.floor(width)) - 1)

    def _narrower(self, lo: int, hi: int) -> int:
        """`hi`, or less where [lo, hi] holds a window already answered full: a window that
        must come back full again is not asked; the cut goes to the middle of that window, so
        a model that keeps erring (a biased sample) still closes in, by halves at worst."""
        for a, b in self.full:
            if lo <= a and b <= hi and a < b:
                hi = a + (b - a) // 2
        return max(lo, hi)

    def _budget(self) -> bool:
        in_flight = sum(1 for w in self.frontier if w.task is not None)
        waiting = sum(1 for w in self.frontier if not w.gap)
        return in_flight < self.concurrency and waiting < AHEAD * self.concurrency

    def _launch(self, index: int, hi: int, *, rated: bool = False) -> None:
        """Cut ticks [gap.lo, hi] off the front of the gap at `index` and fetch them."""
        gap = self.frontier[index]
        if gap.lo == self.lost[0] and not gap.exact:
            # Right after a near-empty window, whatever cut this one (pace, rate or density
            # model) it is ESCAPE times wider at least: a level or model learned beside a
            # dense spell (a pile) would otherwise crawl on by windows of a tick or two.
            hi = max(hi, min(gap.hi, gap.lo + self.lost[1] - 1))
        hi = self._narrower(gap.lo, hi)
        task = self.fetcher.launch(self.time(gap.lo), self.time(hi))
        window = Window(gap.lo, hi, task, self.density.forecast(gap.lo, hi), rated=rated)
        self.frontier.insert(index, window)
        gap.lo = hi + 1
        if gap.lo > gap.hi:
            del self.frontier[index + 1]

    # -- answers --------------------------------------------------------------------------------

    async def wait(self) -> None:
        """Wait for an answer unless one is in already, then take in every answer that is."""
        tasks = {w.task for w in self.frontier if w.task is not None}
        if not any(task.done() for task in tasks):
            await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        for window in [w for w in self.frontier if w.task is not None and w.task.done()]:
            self._settle(window)

    def _settle(self, window: Window) -> None:
        assert window.task is not None
        jobs = window.task.result()  # a failed request ends the iteration with its error
        self.fetcher.forget(window.task)
        window.task = None
        lo, hi = self.time(window.lo), self.time(window.hi)
        if not may_be_capped(len(jobs), JOBS_DEFAULT_LIMIT):
            # Complete: the one proof there is (see the module docstring).
            window.jobs = leaf(jobs, lo, hi)
            self.stall = 0
            self.density.complete(window.lo, window.hi, len(window.jobs), window.planned)
            starts = [self.tick(start) for j in window.jobs if (start := start_of(j)) is not None]
            self.pace.learn(window.lo, window.hi, starts)
            if window.rated and len(window.jobs) < TARGET * LOST:
                # Listed earliest first, the next request asks the whole gap (the pace lost
                # the jobs: a gap, a cluster ahead).
                self.walk = True
            if len(window.jobs) < TARGET * LOST:
                self.lost = (window.hi + 1, ESCAPE * (window.hi - window.lo + 1))
            if not self.use_density:
                width = window.hi - window.lo + 1
                self.rate = max(len(window.jobs), TARGET / GROW) / width
            return
        if window.lo == window.hi:
            # As many as an answer holds, at one instant: no narrower window exists.
            warn_truncated(lo, len(jobs))
            window.jobs = leaf(jobs, lo, hi)
            self.stall = 0
            return
        self.stall += 1
        if self.stall > STALL * self.concurrency * (self.frontier[-1].hi + 1).bit_length():
            raise UnexpectedResponseError(
                f"getJobs: {self.stall} full answers in a row, none for a window that could be "
                f"settled (the latest for [{lo.isoformat()}, {hi.isoformat()}]): the server "
                "does not answer windows as documented"
            )
        listed = [self.tick(start) for job in jobs if (start := start_of(job)) is not None]
        if len(jobs) < CAP:
            # Exactly the default limit: complete, or cut by a server ignoring `limit`. Its
            # halves settle it either way; it teaches no hint or sample (but counts as stall).
            self._split(window, sorted(listed))
            return
        self.full = [w for w in self.full if w[1] >= self.frontier[0].lo]
        self.full.append((window.lo, window.hi))
        pile, size = Counter(listed).most_common(1)[0]
        if size >= PILE * CAP:
            # Half the answer at one instant: that instant alone, and the window around it
            # planned again, whatever the order (a pile is no sample and no page to go on from).
            self._isolate(window, pile)
            return
        direction = sorted_as(listed) if self.use_hints else None
        if direction is None and window.rated and self.sorted and not self.odd:
            # Unsorted, from a sorted server: most likely a window of exactly CAP, which it
            # may list in any order (a complete answer that cannot show it is). One such does
            # not end the rate cuts: its sample is cut at its median, both halves asked.
            self.odd = True
            self._split(window, sorted(listed))
            return
        self.odd = False
        self.sorted = direction
        window.exact = False
        if direction is None:
            # Listed by end too: a sample bunched at the window's front. Halving instead cost
            # (30 seeds, end order) 3.21x / 9.14x against 3.58x / 4.55x as a sample.
            if self.use_density:
                self.density.sample(window.lo, window.hi, sorted(listed), window.planned)
            else:  # no model to cut from: halve (the baseline the model is measured against)
                self.rate, self.width = 2 * CAP / (window.hi - window.lo + 1), 0.0
            self._merge_gaps()
            return
        first, last = exact_part(direction, window.lo, window.hi, listed)
        inside = sum(1 for tick in listed if first <= tick <= last)
        self.pace.note(first, max(first, last), inside)
        self.width = 0.0
        if first > last:  # every job at the window's edge tick: nothing to ask exactly
            self._merge_gaps()
            return
        hint = Window(first, last, exact=True)
        rest = (
            Window(last + 1, window.hi)
            if direction is Direction.EARLIEST
            else Window(window.lo, first - 1)
        )
        parts = [hint, rest] if direction is Direction.EARLIEST else [rest, hint]
        index = self.frontier.index(window)
        self.frontier[index : index + 1] = parts
        self._merge_gaps()

    def _split(self, window: Window, listed: list[int]) -> None:
        """Replace `window` by two halves at the median of the starts it listed."""
        middle = listed[len(listed) // 2]
        if not window.lo < middle <= window.hi:
            middle = window.lo + (window.hi - window.lo + 1) // 2
        parts = [Window(window.lo, middle - 1, exact=True), Window(middle, window.hi, exact=True)]
        index = self.frontier.index(window)
        self.frontier[index : index + 1] = parts

    def _isolate(self, window: Window, tick: int) -> None:
        parts = [Window(tick, tick, exact=True)]
        if window.lo < tick:
            parts.insert(0, Window(window.lo, tick - 1))
        if tick < window.hi:
            parts.append(Window(tick + 1, window.hi))
        index = self.frontier.index(window)
        self.frontier[index : index + 1] = parts
        self._merge_gaps()

    def _merge_gaps(self) -> None:
        merged: list[Window] = []
        for window in self.frontier:
            last = merged[-1] if merged else None
            if last is not None and window.gap and last.gap and not (window.exact or last.exact):
                last.hi = window.hi
            else:
                merged.append(window)
        self.frontier = merged

    def pop_ready(self) -> list[Job] | None:
        """The front window's jobs, if a complete answer gave them."""
        if not self.frontier or self.frontier[0].jobs is None:
            return None
        window = self.frontier.pop(0)
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
    hints: bool = True,
    density: bool = True,
    shape: bool = True,
) -> AsyncGenerator[Job, None]:
    """Every job whose start lies in [start, end] (and after `after`), once, in order.

    A job whose start moves while the listing runs may be answered in two windows: it is
    yielded once, at the first (`hints` and `density` switch strategies off, for ablation).
    """
    if after is not None:
        start = max(start, after[0])
    last = (end - start) // TICK
    frontier = [Window(0, last)] if last >= 0 else []
    fetcher = Fetcher(fetch, throttle, AdaptiveLimiter(concurrency))
    planner = Planner(
        fetcher,
        start,
        concurrency,
        frontier,
        Density(concurrency, last if last >= 0 else None),
        use_hints=hints,
        use_density=density,
        pace=Pace((start - _EPOCH) // TICK % WEEK, use_shape=shape),
    )
    yielded: set[str] = set()
    done = 0
    try:
        while planner.frontier:
            planner.plan()
            jobs = planner.pop_ready()
            if jobs is None:
                await planner.wait()
                continue
            for job in jobs:
                if after_key(job, after) and job.job_id not in yielded:
                    yielded.add(job.job_id)
                    yield job
                    done += 1
            if on_progress is not None:
                on_progress(done, None)
    finally:
        await fetcher.close()
        if stats is not None:
            stats["requests"] = stats.get("requests", 0) + fetcher.requests
