"""Reading a full answer's order as a hint for the next cut (pure functions, no I/O).

No full answer proves which jobs of its window are missing: a server may order by a field the
client never sees (end, update time, a hash), and a job last in that order is left out of every
full answer whose window holds it, sorted by start or not. Only an answer of fewer than CAP
jobs is complete. So an order is never trusted, only used: a full answer listed by start
(ascending) holds the earliest CAP jobs *if* the server sorts by start; then the ticks before
its latest start hold exactly the jobs it showed there, fewer than CAP, and that window asked on
its own comes back complete in one request. If the server sorts otherwise, that request is one
more full answer, cut again: a request lost, never a job.
"""

from __future__ import annotations

import enum
import itertools
from collections.abc import Sequence

__all__ = ["Direction", "agrees", "exact_part", "sorted_as"]


class Direction(enum.Enum):
    """Which CAP jobs of a window a full answer holds, if its order is what it looks like."""

    EARLIEST = "earliest"
    LATEST = "latest"


def agrees(direction: Direction, ticks: Sequence[int]) -> bool:
    """Whether start `ticks`, in the order the answer listed them, are sorted in `direction`."""
    pairs = itertools.pairwise(ticks)
    if direction is Direction.EARLIEST:
        return all(a <= b for a, b in pairs)
    return all(a >= b for a, b in pairs)


def sorted_as(listed: Sequence[int]) -> Direction | None:
    """The direction a full answer with start ticks `listed` looks sorted in, if any."""
    if len(set(listed)) < 2:
        return None
    for direction in Direction:
        if agrees(direction, listed):
            return direction
    return None


def exact_part(direction: Direction, lo: int, hi: int, ticks: Sequence[int]) -> tuple[int, int]:
    """The ticks of [lo, hi] that hold only the answer's jobs there, if it holds the
    `direction` end of the window (`ticks`: its starts in the window, at least two distinct)."""
    if direction is Direction.EARLIEST:
        return lo, max(ticks) - 1
    return min(ticks) + 1, hi
