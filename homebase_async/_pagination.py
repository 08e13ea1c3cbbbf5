"""Complete listings over an API without cursors: time windows for jobs, fan-out for leads.

Jobs: `GET /jobs?startDate&endDate` answers with at most 100 jobs, in no order, inclusive on
`start`. `iterate_jobs` cuts the range into windows meant to hold fewer than 100 each, fetches
them concurrently and yields them in time order. Windows partition the range exactly (whole
microsecond ticks, inclusive bounds), so each job belongs to one window whatever the server does;
everything below only decides where the cuts go, to spend few requests.

Where the cuts go comes from `_Model`, an estimate of how many jobs lie where:

* Shape. A full answer (100 jobs) is a sample of its window's jobs: a uniform one when the
  server picks at random, a possibly biased one otherwise, which costs requests but never
  correctness. `_shape` turns its start times into blocks: the stretches between sampled jobs,
  pooled into regimes of one density (a single stretch says little), with gaps such as nights
  or quiet weeks kept apart. These blocks replace the window's part of the model, and the window
  is planned again as a gap.
* Scale. A complete answer (under 100) is an exact count. `_Scale` keeps the recent ratio of
  counts to model mass (jobs per unit of mass) and how far counts stray from the model.
* Cuts. A window reaches as far as its expected count plus `HEADROOM` standard deviations stays
  under the cap; the deviation adds the randomness of where jobs fall, the samples' own noise
  and the scale's error, so windows are long where the model is sure and short where it is not.
  A stretch between launched windows is shared evenly among the windows it needs.

Start: one request for the whole range. If it is full, its sample gives the shape but no scale:
a survey cuts the range into `concurrency` windows of equal mass, whose samples refine the shape
everywhere; their masses, which the first coarse sample set, are then made to agree where they
meet (`_stitch`). While no complete answer has come back the front is surveyed the same way,
closer each time, until counts give the scale. After that, windows go out front first, up to
`concurrency` in flight; a full one is re-planned at once from its sample, its remainder merging
with the stretch still to plan beside it. Where the sample behind the model is too coarse to cut
windows of under 100 from (many jobs over a long range), a window of about CAP * PROBE_TO jobs
first takes a finer one. Memory holds the windows not yet yielded (at most AHEAD per unit of
concurrency) and the model's blocks ahead, never the jobs already yielded.
"""

from __future__ import annotations

import asyncio
import bisect
import datetime as dt
import itertools
import math
import statistics
import warnings
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator, Sequence

import attrs
from homebase_api.models import Job, Lead
from homebase_api.types import Unset

from ._bulk import Progress, TruncatedResultWarning
from ._ratelimit import AdaptiveLimiter, Throttle

__all__ = ["iterate_jobs", "iterate_leads"]

CAP = 100
TICK = dt.timedelta(microseconds=1)
AHEAD = 2  # windows fetched but not yet yielded, per unit of concurrency: bounds memory

# Cutting windows.
HEADROOM = 1.6  # standard deviations kept between a window's expected count and the cap
SURVEY = 16  # windows of a survey at most (fewer with less concurrency)
PROBE_FROM = 25.0  # a sample standing for more jobs per sampled job is too coarse to cut from
PROBE_TO = 12.0  # the jobs per sampled job of the finer sample then taken

# Reading samples (`_shape`).
POOL_FROM = 2.0  # pool a sample that stands for this many jobs per sampled job or more
MIN_REGIME = 3  # stretches in a regime at least
SPLIT_GAIN = 8.0  # log-likelihood a change of density must gain to split a regime
LONE = 5.0  # a stretch this many times longer than both neighbours stays out of regime fits
GAP_CHANCE = 1e-3  # how unlikely long stretches must be at a steady density to be gaps
GAP_BREAK = 1.5  # how much longer the shortest gap must be than the longest stretch of a run
RUN_ON = 8.0  # an end stretch longer than this many mean stretches ends in a gap

# Learning the scale (`_Scale`).
SCALE_FROM = 10  # jobs in complete answers before the scale is trusted
SCALE_MEMORY = 0.9  # weight of the earlier answers when a new one comes
SCALE_DRIFT = 0.05  # relative error the scale keeps however many answers back it
SCALE_PRIOR = 2.0  # weight, in answers, of the prior guess that the model is off by half

# Stitching the first survey (`_stitch`).
STITCH_PRIOR = 0.5  # error (log) of a survey window's share taken from the first sample
STITCH_SLACK = 0.1  # error (log) of carrying a density across an edge, beyond the samples'
STITCH_CHANGE = 1.5  # a step this much beyond the noise is a change of regime at the edge
STITCH_GAPS = (0.05, 0.25)  # a regime's share of time in gaps: below, none; above, some

FetchJobs = Callable[[dt.datetime, dt.datetime], Awaitable[list[Job]]]


# -- Reading a sample ---------------------------------------------------------------------------


@attrs.define
class _Block:
    """Ticks [lo, hi) from the range start, holding `mass` model units of jobs evenly."""

    lo: float
    hi: float
    mass: float
    bias: float = 0.0  # relative error of `mass`, shared by the whole block
    point: float = 0.0  # mass of one sampled job, when the block stands for sampled jobs
    unit: float = 1.0  # mass of one sampled job of the sample behind it: how coarse that is
    gaps: float = 0.0  # in a pooled run: the share of its regime's time in gaps

    @property
    def width(self) -> float:
        return self.hi - self.lo

    def grain(self, scale: float) -> float:
        """Variance of the block's count per expected job.

        Jobs placed at random give 1 (Poisson). The stretch between two sampled jobs holds a
        geometric number of unsampled ones: variance w(w-1) for w jobs per sampled job.
        """
        return max(scale * self.point - 1.0, 0.25) if self.point else 1.0


def _shape(lo: int, hi: int, points: Sequence[int], *, pool: bool) -> list[_Block]:
    """Blocks covering ticks [lo, hi], one unit of mass per stretch, from sorted sampled ticks.

    k samples cut the window into k+1 stretches holding about as many jobs each; samples on one
    tick make an instant of that tick. A sparse sample is pooled (`_pool`).
    """
    blocks: list[_Block] = []
    for a, b in itertools.pairwise([lo, *points, hi + 1]):
        if a == b:
            if blocks and blocks[-1].lo == a and blocks[-1].hi == a + 1:
                blocks[-1].mass += 1.0
            else:
                blocks.append(_Block(a, a + 1, 1.0, point=1.0))
        elif blocks and blocks[-1].hi > a:  # the stretch starts on the instant just made
            if b <= blocks[-1].hi:
                blocks[-1].mass += 1.0
            else:
                blocks.append(_Block(blocks[-1].hi, b, 1.0, point=1.0))
        else:
            blocks.append(_Block(a, b, 1.0, point=1.0))
    return _pool(blocks) if pool else blocks


def _pool(stretches: list[_Block]) -> list[_Block]:
    """Give each stretch its regime's density, keeping gaps and instants apart.

    The inner stretches are split into regimes where their density changes markedly
    (`_regimes`). In each, stretches far longer than the rest (`_gap_bar`) are gaps whose jobs
    lie at their ends (`_gap`); the others get the regime's density, far steadier than their
    own lengths. The window's first and last stretches, cut short by its bounds, go with the
    regime beside them, unless it has gaps or they are too long for it: then they end in a gap.
    Two samples on one tick may be chance; more make an instant of its own.
    """
    inner = [b for b in stretches[1:-1] if b.width > 1]
    if not inner:
        return stretches
    replaced: dict[int, list[_Block]] = {}  # id of a stretch -> the blocks it becomes
    regime_of: dict[int, int] = {}
    edges: list[tuple[float, bool, float, float]] = []  # density, gappy, bias, gaps
    for number, regime in enumerate(_regimes(inner)):
        bar = _gap_bar([b.width for b in regime])
        runs = [b for b in regime if b.width <= bar]
        density = len(runs) / sum(b.width for b in runs)
        bias = len(runs) ** -0.5
        gaps = 1 - sum(b.width for b in runs) / sum(b.width for b in regime)
        edges.append((density, len(runs) < len(regime), bias, gaps))
        for block in regime:
            if block.width > bar:
                replaced[id(block)] = _gap(block, 1 / density, (True, True))
            else:
                mass = density * block.width
                replaced[id(block)] = [_Block(block.lo, block.hi, mass, bias=bias, gaps=gaps)]
                regime_of[id(block)] = number
    ends = ((stretches[0], edges[0], (False, True)), (stretches[-1], edges[-1], (True, False)))
    for block, (density, gappy, bias, gaps), sides in ends:
        if gappy or density * block.width > RUN_ON:
            replaced[id(block)] = _gap(block, 1 / density, sides)
        elif block.width > 1:
            mass = density * block.width
            replaced[id(block)] = [_Block(block.lo, block.hi, mass, bias=bias, gaps=gaps)]
    blocks: list[_Block] = []
    previous = -1
    for block in stretches:
        number = regime_of.get(id(block), -1)
        if number >= 0 and number == previous:  # the regime goes on: one block
            blocks[-1].hi = block.hi
            blocks[-1].mass += replaced[id(block)][0].mass
        else:
            blocks.extend(replaced.get(id(block), [block]))
            if block.width <= 1 and block.mass < 2:
                blocks[-1].mass = 0.0  # two samples on one tick: chance
        previous = number
    return blocks


def _regimes(stretches: list[_Block]) -> list[list[_Block]]:
    """Split stretches, in order, into regimes of one density, by binary segmentation.

    k stretches of total length d have log-likelihood k*log(k/d) - k when jobs fall at random at
    a steady density. A segment is split in two, or three when a busy spell sits inside a quiet
    one, while that gains more than SPLIT_GAIN, a bar chance rarely clears; the bar rises with
    how much more the lengths vary from one stretch to the next than a steady density would
    make them (nights among daytime stretches pass for changes of density otherwise). A
    stretch far longer than both its neighbours, likely a gap, stays out of the fit.
    """
    widths = [b.width for b in stretches]
    steady = [
        i
        for i, w in enumerate(widths)
        if w <= LONE * max(widths[max(0, i - 1) : i] + widths[i + 1 : i + 2], default=w)
    ]
    prefix = list(itertools.accumulate((widths[i] for i in steady), initial=0.0))
    # For independent exponential lengths a, b, ((a - b) / (a + b))**2 averages 1/3 whatever
    # the density, so this measure of variation ignores the changes looked for.
    neighbours = [(widths[i], widths[j]) for i, j in itertools.pairwise(steady)]
    variation = 3 * statistics.fmean(((a - b) / (a + b)) ** 2 for a, b in neighbours or [(1, 1)])
    bar = SPLIT_GAIN * max(1.0, variation)

    def fit(i: int, j: int) -> float:
        k, d = j - i, prefix[j] - prefix[i]
        return k * math.log(k / d) - k if d > 0 else 0.0

    todo, cuts = [(0, len(steady))], [0]
    while todo:
        i, j = todo.pop()
        whole = fit(i, j)
        points = range(i + MIN_REGIME, j - MIN_REGIME + 1)
        one = max(((fit(i, m) + fit(m, j) - whole, m) for m in points), default=(0.0, 0))
        pairs = ((m, n) for m in points for n in range(m + MIN_REGIME, j - MIN_REGIME + 1))
        two = max(
            ((fit(i, m) + fit(m, n) + fit(n, j) - whole, m, n) for m, n in pairs),
            default=(0.0, 0, 0),
        )
        if two[0] > max(one[0], bar) + bar:
            todo += [(i, two[1]), (two[1], two[2]), (two[2], j)]
            cuts += [steady[two[1]], steady[two[2]]]
        elif one[0] > bar:
            todo += [(i, one[1]), (one[1], j)]
            cuts.append(steady[one[1]])
    bounds = [*sorted(cuts), len(stretches)]
    return [stretches[a:b] for a, b in itertools.pairwise(bounds) if b > a]


def _gap_bar(widths: Sequence[float]) -> float:
    """The length beyond which a stretch of a regime is a gap rather than part of a run.

    At a steady density, stretch lengths are exponential: a share 2**-x of them is longer than
    x times the median. Gaps show as more long stretches than that explains (by chance below
    GAP_CHANCE); the bar goes at the widest break (at least GAP_BREAK) between such stretches,
    sorted, and the rest. Infinite: no gaps.
    """
    median = statistics.median(widths)
    tail = sorted((w for w in widths if w > 3 * median), reverse=True)
    widest, bar = GAP_BREAK, math.inf
    for count, longer in enumerate(tail, start=1):
        shorter = tail[count] if count < len(tail) else 3 * median
        chance = _poisson_tail(count, len(widths) * 2.0 ** (-longer / median))
        if longer / shorter > widest and chance < GAP_CHANCE:
            widest, bar = longer / shorter, math.sqrt(longer * shorter)
    return bar


def _poisson_tail(count: int, mean: float) -> float:
    """P(X >= count) for X ~ Poisson(mean)."""
    term = below = math.exp(-mean)
    for k in range(1, count):
        term *= mean / k
        below += term
    return max(0.0, 1.0 - below) if count else 1.0


def _gap(stretch: _Block, edge: float, sides: tuple[bool, bool]) -> list[_Block]:
    """A gap's jobs: a stretch's worth at each side that borders a run, fading into the gap.

    From the last sample of a run, the run goes on for an exponential length of mean `edge`
    (its mean stretch) before the gap proper, the close of a business day say: the jobs go at
    the sides in steps that follow that fall-off, and the middle holds none.
    """
    lo, hi = stretch.lo, stretch.hi
    reach = min(4 * edge, stretch.width / max(1, sum(sides)))
    left: list[_Block] = []
    right: list[_Block] = []
    for a, b in ((0.0, 0.25), (0.25, 0.5), (0.5, 1.0)):  # steps, as shares of `reach`
        share = math.exp(-a * reach / edge) - (math.exp(-b * reach / edge) if b < 1 else 0.0)
        if sides[0]:
            left.append(_Block(lo + a * reach, lo + b * reach, share, point=1.0))
        if sides[1]:
            right.insert(0, _Block(hi - b * reach, hi - a * reach, share, point=1.0))
    middle = (left[-1].hi if left else lo, right[0].lo if right else hi)
    if middle[1] > middle[0]:
        left.append(_Block(middle[0], middle[1], 0.0))
    return left + right


# -- The model ----------------------------------------------------------------------------------


@attrs.define
class _Scale:
    """Jobs per unit of model mass, and how far counts stray from the model, of late.

    Every sum decays by SCALE_MEMORY per answer, so the figures follow the recent answers.
    """

    jobs: float = 0.0
    mass: float = 0.0
    # Answers checked against the model, from a prior of SCALE_PRIOR answers that missed by
    # half: until some come, nothing says how good the model is.
    answers: float = SCALE_PRIOR
    answers2: float = SCALE_PRIOR  # sum of their squared weights, for their effective number
    misses: float = SCALE_PRIOR * 0.25  # squared misses, as log ratios of counts
    surprises: float = SCALE_PRIOR  # squared misses, in the model's standard deviations

    @property
    def known(self) -> bool:
        return self.jobs >= SCALE_FROM and self.mass > 0

    @property
    def value(self) -> float:
        return self.jobs / self.mass

    @property
    def error(self) -> float:
        """Relative standard error: of the mean of the recent ratios, and drift."""
        effective = self.answers**2 / self.answers2
        return min(1.0, math.sqrt(self.misses / self.answers / effective + SCALE_DRIFT**2))

    @property
    def spread(self) -> float:
        """How much wider counts stray than the model says: a correction of its deviations."""
        return min(2.0, max(0.5, math.sqrt(self.surprises / self.answers)))

    def learn(self, count: float, mass: float, expected: float, sd: float) -> None:
        """Take in a count, the window's mass and, if planned with a scale, its forecast."""
        m = SCALE_MEMORY
        if expected > 0 and sd > 0:
            self.answers, self.answers2 = self.answers * m + 1, self.answers2 * m * m + 1
            self.misses = self.misses * m + math.log((count + 1) / (expected + 1)) ** 2
            self.surprises = self.surprises * m + ((count - expected) / sd) ** 2
        self.jobs = self.jobs * m + count
        self.mass = self.mass * m + mass


@attrs.define
class _Model:
    """Expected jobs over the ticks of the range: sorted blocks without holes."""

    blocks: list[_Block]

    def _index(self, tick: float) -> int:
        return max(0, bisect.bisect_right(self.blocks, tick, key=lambda b: b.lo) - 1)

    def parts(self, lo: float, hi: float) -> Iterator[tuple[_Block, float]]:
        """The blocks overlapping ticks [lo, hi), with the share of each that overlaps."""
        for block in itertools.islice(self.blocks, self._index(lo), None):
            if block.lo >= hi:
                return
            overlap = min(hi, block.hi) - max(lo, block.lo)
            if overlap > 0:
                yield block, overlap / block.width

    def mass(self, lo: float, hi: float) -> float:
        return sum(b.mass * share for b, share in self.parts(lo, hi))

    def bias(self, lo: float, hi: float) -> float:
        """Relative error of the mass over [lo, hi), the blocks' errors taken as one."""
        total = self.mass(lo, hi)
        return (
            sum(b.mass * share * b.bias for b, share in self.parts(lo, hi)) / total
            if total
            else 0.0
        )

    def spread(self, lo: float, hi: float, scale: _Scale) -> tuple[float, float]:
        """Expected jobs in ticks [lo, hi) and the model's standard deviation of the count."""
        expected = grain = bias = 0.0
        for block, share in self.parts(lo, hi):
            jobs = scale.value * block.mass * share
            expected += jobs
            grain += block.grain(scale.value) * jobs
            bias += block.bias * jobs  # one block's error is shared: it adds up linearly
        return expected, math.sqrt(grain + bias**2 + (scale.error * expected) ** 2)

    def reach(self, lo: float, hi: float, scale: _Scale) -> float:
        """How far past `lo` (up to `hi`) the expected count plus headroom stays under CAP."""
        s, e2, headroom = scale.value, scale.error**2, HEADROOM * scale.spread
        expected = grain = bias = 0.0

        def level(jobs: float, g: float, b: float) -> float:
            total = expected + jobs
            var = grain + g * jobs + (bias + b * jobs) ** 2 + e2 * total**2
            return total + headroom * math.sqrt(var)

        for block, share in self.parts(lo, hi):
            g, b, rate = block.grain(s), block.bias, s * block.mass / block.width
            start = max(lo, block.lo)
            jobs = s * block.mass * share
            if level(jobs, g, b) > CAP - 0.5:
                low, high = 0.0, block.width * share  # the crossing: bisect within the block
                for _ in range(40):
                    mid = (low + high) / 2
                    low, high = (low, mid) if level(rate * mid, g, b) > CAP - 0.5 else (mid, high)
                return start + low
            expected, grain, bias = expected + jobs, grain + g * jobs, bias + b * jobs
        return hi

    def at_mass(self, lo: float, hi: float, mass: float) -> float:
        """The tick past `lo` where the mass from `lo` reaches `mass` (at most `hi`)."""
        for block, share in self.parts(lo, hi):
            part = block.mass * share
            if part >= mass:
                return max(lo, block.lo) + block.width * share * (mass / part if part else 0.0)
            mass -= part
        return hi

    def refine(self, lo: int, hi: int, blocks: list[_Block], mass: float) -> None:
        """Replace the model over ticks [lo, hi] by `blocks`, rescaled to `mass` in all."""
        factor = mass / sum(b.mass for b in blocks)
        for block in blocks:
            block.mass *= factor
            block.point *= factor
            block.unit *= factor
        first, last = self._index(lo), self._index(hi)
        head, tail = self.blocks[first], self.blocks[last]
        keep: list[_Block] = []
        if head.lo < lo:
            keep.append(attrs.evolve(head, hi=lo, mass=head.mass * (lo - head.lo) / head.width))
        keep.extend(blocks)
        if tail.hi > hi + 1:
            rest = tail.mass * (tail.hi - hi - 1) / tail.width
            keep.append(attrs.evolve(tail, lo=hi + 1, mass=rest))
        self.blocks[first : last + 1] = keep

    def rescale(self, lo: int, hi: int, factor: float) -> None:
        """Multiply the mass over ticks [lo, hi], whose blocks start and end there, by `factor`."""
        for block, _ in self.parts(lo, hi + 1):
            block.mass *= factor
            block.point *= factor
            block.unit *= factor

    def forget(self, tick: float) -> None:
        """Drop the blocks wholly before `tick`: that part of the range is yielded."""
        del self.blocks[: self._index(tick)]


def _truncated(mean: float, sd: float) -> tuple[float, float]:
    """Mean and deviation of a count known to be at least CAP, from a normal forecast."""
    sd = max(sd, 1.0)
    beta = (CAP - mean) / sd
    tail = 0.5 * math.erfc(beta / math.sqrt(2))
    if tail < 1e-12:  # far in the tail, where the ratio's asymptote avoids dividing by ~0
        ratio = beta + 1 / beta
    else:
        ratio = math.exp(-(beta**2) / 2) / math.sqrt(2 * math.pi) / tail
    variance = sd**2 * max(1 + beta * ratio - ratio**2, 0.01)
    return max(float(CAP), mean + sd * ratio), math.sqrt(variance)


def _stitch(model: _Model, pieces: list[tuple[int, int]]) -> None:
    """Make the first survey's windows agree where they meet.

    Each survey window's share of the jobs came from the first, coarse sample, which can be far
    off (a chance cluster, a busy spell spread too wide); its own sample only gives the shape
    within it. But across the edge between two windows a run's density goes on, unless a
    change of regime falls just there. So the windows' masses are rescaled by e**x, solving by
    least squares x_(i+1) - x_i = log(density before the edge / density after) at each edge
    that allows it, against x_i = 0 (the coarse share) loosely, and x_0 = 0 firmly: the first
    window is where the scale is learned.
    """
    if not pieces:
        return
    count = len(pieces)
    ends = [
        (_end(model, lo, hi, first=True), _end(model, lo, hi, first=False)) for lo, hi in pieces
    ]
    diagonal = [1e6] + [1 / STITCH_PRIOR**2] * (count - 1)  # of the normal equations
    beside = [0.0] * count  # their off-diagonal, symmetric
    right = [0.0] * count
    for i in range(count - 1):
        before, after = ends[i][1], ends[i + 1][0]
        if pieces[i][1] + 1 != pieces[i + 1][0] or before is None or after is None:
            continue
        # Densities compare only if both samples clearly told runs from gaps alike: a run
        # spread over its nights is thinner than one that is not.
        kinds = {_has_gaps(before[2]), _has_gaps(after[2])}
        if len(kinds) > 1 or None in kinds:
            continue
        step = math.log(before[0] / after[0])
        error = math.hypot(before[1], after[1], STITCH_SLACK)
        if abs(step) > 3 * error + math.log(STITCH_CHANGE):
            continue  # a change of regime at the edge: nothing carries over
        weight = error**-2
        diagonal[i] += weight
        diagonal[i + 1] += weight
        beside[i] -= weight
        right[i] -= weight * step
        right[i + 1] += weight * step
    for (lo, hi), x in zip(pieces, _tridiagonal(diagonal, beside, right), strict=True):
        model.rescale(lo, hi, math.exp(x))


def _end(model: _Model, lo: int, hi: int, *, first: bool) -> tuple[float, float, float] | None:
    """Density, its relative error and its regime's share of time in gaps, of the pooled run
    nearest one end of ticks [lo, hi]."""
    parts = list(model.parts(lo, hi + 1))
    for block, _ in parts if first else reversed(parts):
        if not block.point and block.mass > 0:
            return block.mass / block.width, block.bias, block.gaps
    return None


def _has_gaps(share: float) -> bool | None:
    """Whether a regime has gaps, by its share of time in them; None: unclear."""
    low, high = STITCH_GAPS
    return True if share > high else False if share < low else None


def _tridiagonal(diagonal: list[float], beside: list[float], right: list[float]) -> list[float]:
    """Solve a symmetric tridiagonal system (the Thomas algorithm)."""
    n = len(diagonal)
    upper, value = [0.0] * n, [0.0] * n
    for i in range(n):
        below = beside[i - 1] if i else 0.0
        pivot = diagonal[i] - below * (upper[i - 1] if i else 0.0)
        upper[i] = beside[i] / pivot if i < n - 1 else 0.0
        value[i] = (right[i] - below * (value[i - 1] if i else 0.0)) / pivot
    x = [0.0] * n
    for i in reversed(range(n)):
        x[i] = value[i] - (upper[i] * x[i + 1] if i < n - 1 else 0.0)
    return x


# -- Planning and fetching ----------------------------------------------------------------------


@attrs.define(eq=False)
class _Window:
    """Ticks [lo, hi] (inclusive) from the range start: launched, or a gap still to plan."""

    lo: int
    hi: int
    task: asyncio.Task[list[Job]] | None = None
    mass: float = 0.0  # the model's mass when launched
    expected: float = 0.0  # and, if the scale was known, its count and deviation
    sd: float = 0.0
    jobs: list[Job] | None = None  # the complete answer, once in

    @property
    def gap(self) -> bool:
        return self.task is None and self.jobs is None


@attrs.define
class _Piece:
    """A window of the first survey, until the survey is stitched."""

    lo: int
    hi: int
    full: bool | None = None  # None: no answer yet


def _start(job: Job) -> dt.datetime | None:
    return None if isinstance(job.start, Unset) else job.start


def _leaf(jobs: list[Job], lo: dt.datetime, hi: dt.datetime) -> list[Job]:
    """The window's own jobs, once each, in (start, jobId) order."""
    unique: dict[str, Job] = {}
    for job in jobs:
        start = _start(job)
        if start is not None and lo <= start <= hi:
            unique.setdefault(job.job_id, job)
    return sorted(unique.values(), key=lambda j: (_start(j), j.job_id))


@attrs.define
class _Planner:
    fetch: FetchJobs
    origin: dt.datetime
    concurrency: int
    throttle: Throttle
    limiter: AdaptiveLimiter
    frontier: list[_Window]  # in time order, covering all that is not yielded yet
    model: _Model | None = None  # None until the first full answer
    scale: _Scale = attrs.field(factory=_Scale)
    survey: float = math.inf  # the mass the next survey covers, while the scale is unknown
    pieces: list[_Piece] | None = None  # the first survey's windows, until stitched
    tasks: set[asyncio.Task[list[Job]]] = attrs.field(factory=set)
    requests: int = 0

    def time(self, tick: float) -> dt.datetime:
        return self.origin + TICK * tick

    def tick(self, moment: dt.datetime) -> int:
        return (moment - self.origin) // TICK

    def plan(self) -> None:
        """Cut gaps into windows, front first, while the budget allows; the front always.

        Until the scale is known (and the first survey stitched) only the front is planned.
        """
        index = 0
        while index < len(self.frontier):
            gap = self.frontier[index]
            if not gap.gap:
                index += 1
                continue
            if index > 0 and (not self.scale.known or self.pieces or not self._budget()):
                return
            if self.model is None:
                self._launch(index, gap.hi)  # the first request: the whole range
            elif not self.scale.known:
                self._survey(index)
            else:
                self._launch(index, self._cut(gap))
            index += 1

    def _budget(self) -> bool:
        in_flight = sum(1 for w in self.frontier if w.task is not None and not w.task.done())
        ahead = sum(1 for w in self.frontier if not w.gap)
        return in_flight < self.concurrency and ahead < AHEAD * self.concurrency

    def _launch(self, index: int, hi: int) -> None:
        """Cut ticks [gap.lo, hi] off the front of the gap at `index` and fetch them."""
        gap = self.frontier[index]
        task = asyncio.create_task(self._fetch(self.time(gap.lo), self.time(hi)))
        self.tasks.add(task)
        window = _Window(gap.lo, hi, task)
        if self.model is not None:
            window.mass = self.model.mass(gap.lo, hi + 1)
            if self.scale.known:
                window.expected, window.sd = self.model.spread(gap.lo, hi + 1, self.scale)
        self.frontier.insert(index, window)
        gap.lo = hi + 1
        if gap.lo > gap.hi:
            del self.frontier[index + 1]

    async def _fetch(self, lo: dt.datetime, hi: dt.datetime) -> list[Job]:
        await self.throttle.wait_if_paused()
        async with self.limiter:
            self.requests += 1
            return await self.fetch(lo, hi)

    def _survey(self, index: int) -> None:
        """No scale yet: cut the front of the gap into windows of equal mass.

        The first survey cuts the whole range, to sample all of it. If its windows all come
        back full, the next looks for the scale within the share of the first one, and so on.
        """
        assert self.model is not None
        gap = self.frontier[index]
        pieces = max(2, min(self.concurrency, SURVEY))
        whole = self.model.mass(gap.lo, gap.hi + 1)
        share = min(self.survey, whole) / pieces
        first = self.pieces is None
        self.pieces = self.pieces or []
        for piece in range(pieces):
            end = self.model.at_mass(gap.lo, gap.hi + 1, share)
            if piece == pieces - 1 and self.survey >= whole:
                end = gap.hi + 1  # the whole gap: leave no sliver behind
            self._launch(index, min(gap.hi, max(gap.lo, math.floor(end) - 1)))
            if first:
                self.pieces.append(_Piece(self.frontier[index].lo, self.frontier[index].hi))
            index += 1
            if index >= len(self.frontier) or self.frontier[index] is not gap:
                return

    def _cut(self, gap: _Window) -> int:
        """The last tick of the next window at the front of the gap.

        The window reaches as far as the model allows; then the gap's expected count is shared
        evenly among as many such windows as it needs, so the last is not left nearly empty.
        """
        assert self.model is not None
        lo, end = gap.lo, gap.hi + 1
        front = next(self.model.parts(lo, end), None)
        coarse = front is not None and front[0].unit * self.scale.value > PROBE_FROM
        if coarse and self.model.mass(lo, end) * self.scale.value > 1.5 * CAP * PROBE_TO:
            # A sample too sparse to cut windows of under 100 from: first take a finer one, a
            # window of about CAP * PROBE_TO jobs, which is sure to come back full.
            reach = self.model.at_mass(lo, end, CAP * PROBE_TO / self.scale.value)
            return min(gap.hi, max(lo, math.floor(reach) - 1))
        reach = self.model.reach(lo, end, self.scale)
        if reach >= end:
            return gap.hi
        first, whole = self.model.mass(lo, reach), self.model.mass(lo, end)
        if first > 0:
            reach = self.model.at_mass(lo, end, whole / math.ceil(whole / first))
        return min(gap.hi, max(lo, math.floor(reach) - 1))

    async def wait(self) -> None:
        """Wait for an answer unless one is in already, then take in every answer that is."""
        if not any(w.task is not None and w.task.done() for w in self.frontier):
            pending = {w.task for w in self.frontier if w.task is not None}
            await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
        for window in [w for w in self.frontier if w.task is not None and w.task.done()]:
            self._settle(window)
        if self.pieces and all(p.full is not None for p in self.pieces):
            assert self.model is not None
            _stitch(self.model, [(p.lo, p.hi) for p in self.pieces if p.full])
            self.pieces = []

    def _settle(self, window: _Window) -> None:
        assert window.task is not None
        jobs = window.task.result()  # a failed request ends the iteration with its error
        self.tasks.discard(window.task)
        window.task = None
        for piece in self.pieces or []:
            if (piece.lo, piece.hi) == (window.lo, window.hi):
                piece.full = len(jobs) >= CAP
        lo, hi = self.time(window.lo), self.time(window.hi)
        if len(jobs) < CAP:
            window.jobs = _leaf(jobs, lo, hi)
            if window.mass > 0:  # the first request has no model to compare with
                self.scale.learn(len(window.jobs), window.mass, window.expected, window.sd)
        elif window.lo == window.hi:
            warnings.warn(
                f"100 or more jobs start at {lo.isoformat()}; the API returns at most 100 for "
                "one instant, so some may be missing",
                TruncatedResultWarning,
                stacklevel=4,
            )
            window.jobs = _leaf(jobs, lo, hi)
        else:
            self._resample(window, jobs)

    def _resample(self, window: _Window, jobs: list[Job]) -> None:
        """A full answer: its jobs reshape the model over the window, which becomes a gap."""
        points = sorted(
            tick
            for job in jobs
            if (start := _start(job)) is not None
            and window.lo <= (tick := self.tick(start)) <= window.hi
        )
        if self.model is None:
            self.model = _Model(_shape(window.lo, window.hi, points, pool=True))
        else:
            mass = self.model.mass(window.lo, window.hi + 1)
            bias, pool = self.model.bias(window.lo, window.hi + 1), True
            if not self.scale.known:  # a later survey looks closer, within this share
                self.survey = min(self.survey, mass)
            if window.expected > 0 and points:
                # Planned with a scale: the forecast and "at least 100" give the count. It is a
                # count for the scale too, or a model too low somewhere would overflow window
                # after window.
                mean, sd = self.model.spread(window.lo, window.hi + 1, self.scale)
                count, error = _truncated(mean, sd * self.scale.spread)
                self.scale.learn(count, mass, window.expected, window.sd)
                mass, bias = count / self.scale.value, error / count
                pool = count / len(points) >= POOL_FROM
            blocks = _shape(window.lo, window.hi, points, pool=pool)
            for block in blocks:
                block.bias = math.hypot(block.bias, bias)
            self.model.refine(window.lo, window.hi, blocks, mass)
        # The window becomes a gap, one with its gap neighbours: a remainder joins the stretch
        # still to plan beside it.
        index = self.frontier.index(window)
        if index + 1 < len(self.frontier) and self.frontier[index + 1].gap:
            window.hi = self.frontier.pop(index + 1).hi
        if index > 0 and self.frontier[index - 1].gap:
            self.frontier[index - 1].hi = window.hi
            del self.frontier[index]

    def pop_ready(self) -> list[Job] | None:
        """The front window's jobs, if its complete answer is in."""
        if not self.frontier or self.frontier[0].jobs is None:
            return None
        window = self.frontier.pop(0)
        if self.model is not None:
            self.model.forget(window.hi + 1)
        return window.jobs

    async def close(self) -> None:
        """Cancel what is outstanding and collect every task, so none logs an unread error."""
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        for task in self.tasks:
            if not task.cancelled():
                task.exception()


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
    last = (end - start) // TICK
    frontier = [_Window(0, last)] if last >= 0 else []
    planner = _Planner(fetch, start, concurrency, throttle, AdaptiveLimiter(concurrency), frontier)
    throttle.limiters.add(planner.limiter)
    done = 0
    try:
        while planner.frontier:
            planner.plan()
            jobs = planner.pop_ready()
            if jobs is None:
                await planner.wait()
                continue
            for job in jobs:
                yield job
                done += 1
            if on_progress is not None:
                on_progress(done, None)
    finally:
        throttle.limiters.discard(planner.limiter)
        await planner.close()
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
