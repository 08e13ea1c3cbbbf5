"""The density model: expected jobs per tick over the range, and its learned scale."""

from __future__ import annotations

import bisect
import itertools
import math
from collections.abc import Iterator

import attrs

from ._core import CAP
from ._shape import Block

__all__ = ["Model", "Scale", "stitch", "tridiagonal", "truncated"]

# Cutting windows.
HEADROOM = 1.6  # standard deviations kept between a window's expected count and the cap

# Learning the scale (`Scale`).
SCALE_FROM = 10  # jobs in complete answers before the scale is trusted
SCALE_MEMORY = 0.9  # weight of the earlier answers when a new one comes
SCALE_DRIFT = 0.05  # relative error the scale keeps however many answers back it
SCALE_PRIOR = 2.0  # weight, in answers, of the prior guess that the model is off by half

# Stitching the first survey (`stitch`).
STITCH_PRIOR = 0.5  # error (log) of a survey window's share taken from the first sample
STITCH_SLACK = 0.1  # error (log) of carrying a density across an edge, beyond the samples'
STITCH_CHANGE = 1.5  # a step this much beyond the noise is a change of regime at the edge
STITCH_GAPS = (0.05, 0.25)  # a regime's share of time in gaps: below, none; above, some


@attrs.define
class Scale:
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
class Model:
    """Expected jobs over the ticks of the range: sorted blocks without holes."""

    blocks: list[Block]

    def _index(self, tick: float) -> int:
        return max(0, bisect.bisect_right(self.blocks, tick, key=lambda b: b.lo) - 1)

    def parts(self, lo: float, hi: float) -> Iterator[tuple[Block, float]]:
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

    def spread(self, lo: float, hi: float, scale: Scale) -> tuple[float, float]:
        """Expected jobs in ticks [lo, hi) and the model's standard deviation of the count."""
        expected = grain = bias = 0.0
        for block, share in self.parts(lo, hi):
            jobs = scale.value * block.mass * share
            expected += jobs
            grain += block.grain(scale.value) * jobs
            bias += block.bias * jobs  # one block's error is shared: it adds up linearly
        return expected, math.sqrt(grain + bias**2 + (scale.error * expected) ** 2)

    def reach(self, lo: float, hi: float, scale: Scale) -> float:
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

    def refine(self, lo: int, hi: int, blocks: list[Block], mass: float) -> None:
        """Replace the model over ticks [lo, hi] by `blocks`, rescaled to `mass` in all."""
        factor = mass / sum(b.mass for b in blocks)
        for block in blocks:
            block.mass *= factor
            block.point *= factor
            block.unit *= factor
        first, last = self._index(lo), self._index(hi)
        head, tail = self.blocks[first], self.blocks[last]
        keep: list[Block] = []
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


def truncated(mean: float, sd: float) -> tuple[float, float]:
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


def stitch(model: Model, pieces: list[tuple[int, int]]) -> None:
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
        (edge_density(model, lo, hi, first=True), edge_density(model, lo, hi, first=False))
        for lo, hi in pieces
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
        kinds = {has_gaps(before[2]), has_gaps(after[2])}
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
    for (lo, hi), x in zip(pieces, tridiagonal(diagonal, beside, right), strict=True):
        model.rescale(lo, hi, math.exp(x))


def edge_density(
    model: Model, lo: int, hi: int, *, first: bool
) -> tuple[float, float, float] | None:
    """Density, its relative error and its regime's share of time in gaps, of the pooled run
    nearest one end of ticks [lo, hi]."""
    parts = list(model.parts(lo, hi + 1))
    for block, _ in parts if first else reversed(parts):
        if not block.point and block.mass > 0:
            return block.mass / block.width, block.bias, block.gaps
    return None


def has_gaps(share: float) -> bool | None:
    """Whether a regime has gaps, by its share of time in them; None: unclear."""
    low, high = STITCH_GAPS
    return True if share > high else False if share < low else None


def tridiagonal(diagonal: list[float], beside: list[float], right: list[float]) -> list[float]:
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
