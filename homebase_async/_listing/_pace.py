"""How many jobs lie ahead of the front: a weekly shape times a recent level (no I/O).

Windows cut from a rate are asked blind: each should come back complete (one request, proof in
itself) yet hold as many jobs as it safely can. Most calendars repeat weekly (work hours, empty
nights and weekends), so a flat rate cut after a busy afternoon reaches into the night and comes
back near empty, and one cut after a night overflows the next morning. The shape is therefore
learned from complete answers: jobs per hour of the week against the time each hour was
covered, shrunk towards the mean where little was seen. The level (jobs per unit of shape) is
that of the latest windows behind the point cut from, so seasons and bursts move it quickly.

What is learned only decides where cuts go: a wrong shape or level costs requests, never jobs.
"""

from __future__ import annotations

import bisect
import itertools
import math

import attrs

__all__ = ["Pace"]

HOUR = 3_600_000_000  # ticks (microseconds)
BINS = 168  # hours of the week
WEEK = BINS * HOUR
PRIOR = 0.15  # hours of the mean rate an hour of the week is taken to have seen, before data
LEVEL_JOBS = 150  # jobs the level is taken over, at least (the latest windows first)
LEVEL_WINDOWS = 4  # ... and windows at most
MEMORY = 32  # windows kept for the level


@attrs.define
class Pace:
    """Expected jobs per tick over the range; ticks count from the range start."""

    phase: int  # ticks from the epoch to the range start, modulo a week: any fixed origin will do
    use_shape: bool = True
    counts: list[float] = attrs.field(factory=lambda: [0.0] * BINS)
    seen: list[float] = attrs.field(factory=lambda: [0.0] * BINS)  # ticks covered, per hour
    cumulative: list[float] = attrs.field(
        factory=lambda: [float(h * HOUR) for h in range(BINS + 1)]
    )
    recent: list[tuple[int, int, float]] = attrs.field(factory=list)  # lo, hi, jobs

    @property
    def known(self) -> bool:
        return bool(self.recent)

    def learn(self, lo: int, hi: int, starts: list[int]) -> None:
        """A complete answer for ticks [lo, hi]: its jobs' start ticks teach the shape.

        One instant (a pile asked alone) is no rate: it would make the level near it so high
        that windows beside it shrink to a tick each, and no shape either."""
        if lo == hi:
            return
        self.note(lo, hi, len(starts))
        if not self.use_shape:
            return
        for tick in starts:
            self.counts[(tick + self.phase) % WEEK // HOUR] += 1
        a, b = lo + self.phase, hi + 1 + self.phase
        weeks = (b - a) // WEEK
        a += weeks * WEEK
        for hour in range(BINS):
            self.seen[hour] += weeks * HOUR
        while a < b:  # the part under a week, hour by hour
            edge = min(b, (a // HOUR + 1) * HOUR)
            self.seen[a % WEEK // HOUR] += edge - a
            a = edge
        self._reshape()

    def note(self, lo: int, hi: int, jobs: float) -> None:
        """Jobs [lo, hi] holds, or is guessed to (a hint): for the level only."""
        if lo == hi:
            return
        self.recent.append((lo, hi, jobs))
        self.recent.sort(key=lambda r: r[1])
        del self.recent[:-MEMORY]

    def _reshape(self) -> None:
        total, time = sum(self.counts), sum(self.seen)
        if not total or not time:
            return
        mean = total / time
        rates = [
            (c + PRIOR * mean * HOUR) / (s + PRIOR * HOUR)
            for c, s in zip(self.counts, self.seen, strict=True)
        ]
        norm = sum(rates) / BINS
        self.cumulative = [0.0, *itertools.accumulate(r / norm * HOUR for r in rates)]

    def _mass_to(self, tick: float) -> float:
        """Shape mass from the epoch to `tick` (absolute, from that Monday)."""
        weeks, rest = divmod(tick, WEEK)
        hour = int(rest // HOUR)
        share = (self.cumulative[hour + 1] - self.cumulative[hour]) / HOUR
        return weeks * self.cumulative[-1] + self.cumulative[hour] + share * (rest - hour * HOUR)

    def mass(self, lo: float, hi: float) -> float:
        """Shape mass of ticks [lo, hi)."""
        return self._mass_to(hi + self.phase) - self._mass_to(lo + self.phase)

    def level(self, at: int) -> float:
        """Jobs per unit of mass over the windows nearest tick `at` (a gap reopened behind
        windows further on goes by what lies beside it, not by the furthest answers)."""
        jobs = mass = 0.0
        near = sorted(self.recent, key=lambda r: (max(0, r[0] - at, at - r[1]), -r[1]))
        for number, (lo, hi, count) in enumerate(near):
            jobs, mass = jobs + count, mass + self.mass(lo, hi + 1)
            if jobs >= LEVEL_JOBS or number + 1 >= LEVEL_WINDOWS:
                break
        return jobs / mass if mass > 0 else 0.0

    def reach(self, lo: int, jobs: float) -> float:
        """The tick past `lo` before which `jobs` are expected (infinite at a level of 0)."""
        level = self.level(lo)
        if level <= 0:
            return math.inf
        start = lo + self.phase
        goal = self._mass_to(start) + jobs / level
        weeks, rest = divmod(goal, self.cumulative[-1])
        hour = max(0, min(BINS - 1, bisect.bisect_right(self.cumulative, rest) - 1))
        width = self.cumulative[hour + 1] - self.cumulative[hour]
        inside = (rest - self.cumulative[hour]) / width * HOUR if width > 0 else 0.0
        return weeks * WEEK + hour * HOUR + inside - self.phase

    def cut(self, lo: int, hi: int, jobs: float) -> float | None:
        """The width of a window from `lo` expected to hold about `jobs` (None: all of ticks
        [lo, hi] does). The gap's expected jobs are shared evenly among as many windows as it
        needs, so the last is no sliver."""
        whole = self.level(lo) * self.mass(lo, hi + 1)
        if whole <= jobs:
            return None
        return self.reach(lo, whole / math.ceil(whole / jobs)) - lo
