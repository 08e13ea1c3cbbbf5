"""A seeded family of job sets for judging `jobs.iterate` beyond one distribution.

Each seed picks a kind and a size (1,000 to 100,000 jobs, log-uniform) and gives the jobs as
(start, end) pairs in microseconds since the epoch (UTC), with the range to list:

- `workhours`: weekdays 08:00-18:00 on whole minutes, nights and weekends empty;
- `seasonal`: work hours, weeks weighted by a season, 80 % of jobs on a few busy days;
- `piles`: work hours plus 2-6 single-instant piles of 50-500 jobs each;
- `sparse`: a few tight clusters over two years, nothing in between;
- `hour`: everything within one hour, on whole seconds;
- `two_years`: work hours over two years.

A share (5-30 %) of every set lasts 1-10 days (multi-day jobs), the rest 30 min-4 h: a server
ordering by end sees them last. Pure data: the bench (`scripts/bench/listing_family.py`) and
the tests build servers from it.
"""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime

import attrs

__all__ = ["KINDS", "JobSet", "job_set"]

KINDS = ("workhours", "seasonal", "piles", "sparse", "hour", "two_years")
_SECOND = 1_000_000
_MINUTE = 60 * _SECOND
_HOUR = 60 * _MINUTE
_DAY = 24 * _HOUR
_BASE = int(datetime(2025, 1, 6, tzinfo=UTC).timestamp()) * _SECOND  # a Monday


@attrs.frozen
class JobSet:
    """Jobs as (start, end) microseconds, and the inclusive range [lo, hi] to list."""

    name: str
    lo: int
    hi: int
    jobs: list[tuple[int, int]]


def job_set(seed: int, *, most: int = 100_000, least: int = 1_000) -> JobSet:
    """The job set of `seed`: its kind cycles through KINDS, its size is drawn log-uniform."""
    rng = random.Random(f"jobset:{seed}")
    kind = KINDS[seed % len(KINDS)]
    count = round(math.exp(rng.uniform(math.log(least), math.log(most))))
    days = {"hour": 1, "sparse": 730, "two_years": 730}.get(kind, rng.randint(20, 250))
    starts = _STARTS[kind](rng, count, days)
    long_share = rng.uniform(0.05, 0.3)
    jobs = []
    for start in starts:
        if rng.random() < long_share:
            length = rng.randint(1, 10) * _DAY + rng.randint(0, 8) * _HOUR
        else:
            length = rng.randint(1, 8) * 30 * _MINUTE
        jobs.append((start, start + length))
    lo = _BASE
    hi = _BASE + (_HOUR if kind == "hour" else days * _DAY) - 1
    return JobSet(f"{kind}:{count}:{seed}", lo, hi, jobs)


def _working_minute(rng: random.Random, day: int) -> int:
    minute = rng.randrange(8 * 60, 18 * 60)
    if rng.random() < 0.5:
        minute -= minute % 30
    return _BASE + day * _DAY + minute * _MINUTE


def _weekdays(days: int) -> list[int]:
    return [d for d in range(days) if d % 7 < 5] or [0]


def _workhours(rng: random.Random, count: int, days: int) -> list[int]:
    weekdays = _weekdays(days)
    return [_working_minute(rng, rng.choice(weekdays)) for _ in range(count)]


def _seasonal(rng: random.Random, count: int, days: int) -> list[int]:
    weekdays = _weekdays(days)
    phase = rng.uniform(0, 2 * math.pi)
    weights = [1.2 + math.sin(phase + 2 * math.pi * d / 91) for d in weekdays]
    busy = rng.sample(weekdays, min(4, len(weekdays)))
    starts = []
    for _ in range(count):
        day = rng.choice(busy) if rng.random() < 0.8 else rng.choices(weekdays, weights)[0]
        starts.append(_working_minute(rng, day))
    return starts


def _piles(rng: random.Random, count: int, days: int) -> list[int]:
    weekdays = _weekdays(days)
    piles = []
    for _ in range(rng.randint(2, 6)):
        size = min(rng.randint(50, 500), max(1, count // 4))
        piles += [_working_minute(rng, rng.choice(weekdays))] * size
    rest = max(0, count - len(piles))
    return piles[:count] + [_working_minute(rng, rng.choice(weekdays)) for _ in range(rest)]


def _sparse(rng: random.Random, count: int, days: int) -> list[int]:
    centres = [_BASE + rng.randrange(days * _DAY) for _ in range(rng.randint(3, 12))]
    widths = [rng.choice((_HOUR, _DAY, 7 * _DAY)) for _ in centres]
    starts = []
    for _ in range(count):
        i = rng.randrange(len(centres))
        moment = centres[i] + int(rng.gauss(0, widths[i]))
        starts.append(min(max(moment, _BASE), _BASE + days * _DAY - 1) // _MINUTE * _MINUTE)
    return starts


def _hour(rng: random.Random, count: int, days: int) -> list[int]:
    return [_BASE + rng.randrange(3600) * _SECOND for _ in range(count)]


_STARTS = {
    "workhours": _workhours,
    "seasonal": _seasonal,
    "piles": _piles,
    "sparse": _sparse,
    "hour": _hour,
    "two_years": _workhours,
}
