"""Learning the server's list order from its own answers (pure functions, no I/O).

A full answer of window [lo, hi] that is the earliest CAP jobs of it (a Firestore range query on
`start`) settles [lo, t) exactly, t being its latest start: jobs at t itself may be more than
came, so the next window starts at t, inclusive, and dedupe by jobId drops the repeats. The
latest CAP jobs (descending) settle (t, hi] with t the earliest start. Such a claim is only ever
believed after the server proved it: the window a full answer settles, asked on its own, must
come back complete and hold exactly the answer's jobs there. That check is a complete answer, so
it proves the claim for that answer whatever the server does; for the answers between checks it
is a sample, and answers are held back until a later check passes (`Trust`).

An answer is only ever read as a page if it also came sorted in the claimed direction (`agrees`):
a server that answers some requests in another order (two backends behind a balancer, a
rollout) is caught at the very answer that is not sorted, not at a later check that may pass. An
answer that goes on from a page must also hold the jobs that page saw at its edge tick (`_jobs`):
a server that returns other jobs than the earliest (latest), sorted, on some requests, is caught
there. Only the first answer of a segment has no page before it; the spot checks cover it.
"""

from __future__ import annotations

import enum
import itertools
from collections.abc import Iterable, Sequence

import attrs

from ._core import CAP

__all__ = ["Direction", "Page", "Trust", "agrees", "confirms", "guess", "settle"]


class Direction(enum.Enum):
    """Which CAP jobs of a window a full answer holds."""

    EARLIEST = "earliest"
    LATEST = "latest"


@attrs.frozen
class Page:
    """What a full answer settles, if it holds the `direction` end of window [lo, hi].

    `settled` (inclusive ticks) is known exactly; `rest` is still to fetch (None: nothing);
    `truncated` when CAP or more jobs share the one tick settled.
    """

    settled: tuple[int, int]
    rest: tuple[int, int] | None
    truncated: bool


def settle(direction: Direction, lo: int, hi: int, ticks: Sequence[int]) -> Page:
    """The page a full answer with start `ticks` (within [lo, hi]) makes in `direction`."""
    if direction is Direction.EARLIEST:
        edge = max(ticks)
        if edge == lo:  # CAP jobs at the window's first tick: all that can be had of it
            return Page((lo, lo), (lo + 1, hi) if hi > lo else None, truncated=True)
        return Page((lo, edge - 1), (edge, hi), truncated=False)
    edge = min(ticks)
    if edge == hi:
        return Page((hi, hi), (lo, hi - 1) if hi > lo else None, truncated=True)
    return Page((edge + 1, hi), (lo, edge), truncated=False)


def agrees(direction: Direction, ticks: Sequence[int]) -> bool:
    """Whether start `ticks`, in the order the answer listed them, are sorted in `direction`."""
    pairs = itertools.pairwise(ticks)
    if direction is Direction.EARLIEST:
        return all(a <= b for a, b in pairs)
    return all(a >= b for a, b in pairs)


def guess(lo: int, hi: int, listed: Sequence[int]) -> list[Direction]:
    """The directions worth checking for a full answer with start ticks `listed` (in the
    answer's order): those it is sorted in, that would settle something."""
    if lo == hi or not listed:
        return []
    ticks = sorted(listed)
    return [d for d in Direction if agrees(d, listed) and not settle(d, lo, hi, ticks).truncated]


def confirms(expected: Iterable[str], count: int, found: Iterable[str]) -> bool:
    """Whether a check's answer (`count` jobs, `found` the ids in its window) proves a page.

    Only a complete answer is exact; it proves the page when it holds exactly the page's jobs.
    """
    return count < CAP and set(found) == set(expected)


@attrs.define
class Trust:
    """Which unproven pages may be yielded: those answered before a passing check was sent.

    A server that changes its order at some moment makes every later answer and check
    disagree, so a check sent after an answer came in catches a change before that answer.
    """

    answered: int = 0  # pages taken on trust so far; each gets the next number
    confirmed: int = 0  # pages numbered up to this are confirmed
    checked_at: int = 0  # `answered` when the last check was sent

    def take(self) -> int:
        self.answered += 1
        return self.answered

    def sent(self) -> int:
        self.checked_at = self.answered
        return self.answered

    def passed(self, covers: int) -> None:
        self.confirmed = max(self.confirmed, covers)

    def ok(self, number: int) -> bool:
        return number <= self.confirmed

    def due(self, every: int) -> bool:
        return self.answered - self.checked_at >= every
