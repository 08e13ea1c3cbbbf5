"""Reading a sample: a full answer's start times turned into blocks of expected jobs.

A full answer (100 jobs) from a server that picks at random is a uniform sample of its window:
the stretches between sampled jobs hold about as many jobs each. Pooling them into regimes of one
density (a single stretch says little), with gaps such as nights kept apart, makes the model far
steadier than the raw stretches. A biased sample (a server with an order) costs requests, never
jobs: the windows cut from it are exact whatever it says.
"""

from __future__ import annotations

import itertools
import math
import statistics
from collections.abc import Sequence

import attrs

__all__ = ["Block", "gap_bar", "poisson_tail", "shape"]

# Reading samples (`shape`).
MIN_REGIME = 3  # stretches in a regime at least
SPLIT_GAIN = 8.0  # log-likelihood a change of density must gain to split a regime
LONE = 5.0  # a stretch this many times longer than both neighbours stays out of regime fits
GAP_CHANCE = 1e-3  # how unlikely long stretches must be at a steady density to be gaps
GAP_BREAK = 1.5  # how much longer the shortest gap must be than the longest stretch of a run
RUN_ON = 8.0  # an end stretch longer than this many mean stretches ends in a gap


@attrs.define
class Block:
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


def shape(lo: int, hi: int, points: Sequence[int], *, pool: bool) -> list[Block]:
    """Blocks covering ticks [lo, hi], one unit of mass per stretch, from sorted sampled ticks.

    k samples cut the window into k+1 stretches holding about as many jobs each; samples on one
    tick make an instant of that tick. A sparse sample is pooled (`pool_runs`).
    """
    blocks: list[Block] = []
    for a, b in itertools.pairwise([lo, *points, hi + 1]):
        if a == b:
            if blocks and blocks[-1].lo == a and blocks[-1].hi == a + 1:
                blocks[-1].mass += 1.0
            else:
                blocks.append(Block(a, a + 1, 1.0, point=1.0))
        elif blocks and blocks[-1].hi > a:  # the stretch starts on the instant just made
            if b <= blocks[-1].hi:
                blocks[-1].mass += 1.0
            else:
                blocks.append(Block(blocks[-1].hi, b, 1.0, point=1.0))
        else:
            blocks.append(Block(a, b, 1.0, point=1.0))
    return pool_runs(blocks) if pool else blocks


def pool_runs(stretches: list[Block]) -> list[Block]:
    """Give each stretch its regime's density, keeping gaps and instants apart.

    The inner stretches are split into regimes where their density changes markedly
    (`regimes`). In each, stretches far longer than the rest (`gap_bar`) are gaps whose jobs
    lie at their ends (`_gap`); the others get the regime's density, far steadier than their
    own lengths. The window's first and last stretches, cut short by its bounds, go with the
    regime beside them, unless it has gaps or they are too long for it: then they end in a gap.
    Two samples on one tick may be chance; more make an instant of its own.
    """
    inner = [b for b in stretches[1:-1] if b.width > 1]
    if not inner:
        return stretches
    replaced: dict[int, list[Block]] = {}  # id of a stretch -> the blocks it becomes
    regime_of: dict[int, int] = {}
    edges: list[tuple[float, bool, float, float]] = []  # density, gappy, bias, gaps
    for number, regime in enumerate(regimes(inner)):
        bar = gap_bar([b.width for b in regime])
        runs = [b for b in regime if b.width <= bar]
        density = len(runs) / sum(b.width for b in runs)
        bias = len(runs) ** -0.5
        gaps = 1 - sum(b.width for b in runs) / sum(b.width for b in regime)
        edges.append((density, len(runs) < len(regime), bias, gaps))
        for block in regime:
            if block.width > bar:
                replaced[id(block)] = gap(block, 1 / density, (True, True))
            else:
                mass = density * block.width
                replaced[id(block)] = [Block(block.lo, block.hi, mass, bias=bias, gaps=gaps)]
                regime_of[id(block)] = number
    ends = ((stretches[0], edges[0], (False, True)), (stretches[-1], edges[-1], (True, False)))
    for block, (density, gappy, bias, gaps), sides in ends:
        if gappy or density * block.width > RUN_ON:
            replaced[id(block)] = gap(block, 1 / density, sides)
        elif block.width > 1:
            mass = density * block.width
            replaced[id(block)] = [Block(block.lo, block.hi, mass, bias=bias, gaps=gaps)]
    blocks: list[Block] = []
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


def regimes(stretches: list[Block]) -> list[list[Block]]:
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


def gap_bar(widths: Sequence[float]) -> float:
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
        chance = poisson_tail(count, len(widths) * 2.0 ** (-longer / median))
        if longer / shorter > widest and chance < GAP_CHANCE:
            widest, bar = longer / shorter, math.sqrt(longer * shorter)
    return bar


def poisson_tail(count: int, mean: float) -> float:
    """P(X >= count) for X ~ Poisson(mean)."""
    term = below = math.exp(-mean)
    for k in range(1, count):
        term *= mean / k
        below += term
    return max(0.0, 1.0 - below) if count else 1.0


def gap(stretch: Block, edge: float, sides: tuple[bool, bool]) -> list[Block]:
    """A gap's jobs: a stretch's worth at each side that borders a run, fading into the gap.

    From the last sample of a run, the run goes on for an exponential length of mean `edge`
    (its mean stretch) before the gap proper, the close of a business day say: the jobs go at
    the sides in steps that follow that fall-off, and the middle holds none.
    """
    lo, hi = stretch.lo, stretch.hi
    reach = min(4 * edge, stretch.width / max(1, sum(sides)))
    left: list[Block] = []
    right: list[Block] = []
    for a, b in ((0.0, 0.25), (0.25, 0.5), (0.5, 1.0)):  # steps, as shares of `reach`
        share = math.exp(-a * reach / edge) - (math.exp(-b * reach / edge) if b < 1 else 0.0)
        if sides[0]:
            left.append(Block(lo + a * reach, lo + b * reach, share, point=1.0))
        if sides[1]:
            right.insert(0, Block(hi - b * reach, hi - a * reach, share, point=1.0))
    middle = (left[-1].hi if left else lo, right[0].lo if right else hi)
    if middle[1] > middle[0]:
        left.append(Block(middle[0], middle[1], 0.0))
    return left + right
