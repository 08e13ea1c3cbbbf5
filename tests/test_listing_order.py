"""The pure parts of order learning (`_listing._order`)."""

from __future__ import annotations

import itertools

import pytest

from homebase_async._listing._order import (
    Direction,
    Page,
    Trust,
    agrees,
    confirms,
    guess,
    settle,
)

EARLIEST, LATEST = Direction.EARLIEST, Direction.LATEST


@pytest.mark.parametrize(
    ("direction", "ticks", "page"),
    [
        # The earliest 100 of [0, 1000] end at 40: [0, 39] is settled, 40 may hold more.
        (EARLIEST, [5, 10, 40], Page((0, 39), (40, 1000), truncated=False)),
        # The latest 100 begin at 900: (900, 1000] is settled, 900 goes on with the rest.
        (LATEST, [900, 950, 999], Page((901, 1000), (0, 900), truncated=False)),
        # 100 at the window's first (last) tick: that tick is all there is to have.
        (EARLIEST, [0, 0, 0], Page((0, 0), (1, 1000), truncated=True)),
        (LATEST, [1000, 1000], Page((1000, 1000), (0, 999), truncated=True)),
    ],
)
def test_settle(direction: Direction, ticks: list[int], page: Page) -> None:
    assert settle(direction, 0, 1000, ticks) == page


def test_settle_a_one_tick_window_leaves_nothing() -> None:
    assert settle(EARLIEST, 7, 7, [7]) == Page((7, 7), None, truncated=True)
    assert settle(LATEST, 7, 7, [7]) == Page((7, 7), None, truncated=True)


def test_settled_and_rest_partition_the_window() -> None:
    for direction in Direction:
        for ticks in ([3, 50], [0, 99], [1, 100], [100, 100], [0, 0]):
            page = settle(direction, 0, 100, ticks)
            parts = sorted([page.settled, *([page.rest] if page.rest else [])])
            assert parts[0][0] == 0
            assert parts[-1][1] == 100
            assert all(a[1] + 1 == b[0] for a, b in itertools.pairwise(parts))


def test_guess_skips_directions_that_settle_nothing_new() -> None:
    assert guess(0, 100, [10, 50, 50, 90]) == [EARLIEST]
    assert guess(0, 100, [90, 50, 10]) == [LATEST]
    assert guess(0, 100, [40, 40]) == [EARLIEST, LATEST]  # one instant: either may hold
    assert guess(0, 100, [0, 0]) == [LATEST]
    assert guess(0, 100, [100, 100]) == [EARLIEST]
    assert guess(5, 5, [5]) == []


def test_guess_takes_no_direction_an_answer_is_not_listed_in() -> None:
    # A shuffled answer is no page in either direction, whatever it holds: no test is spent.
    assert guess(0, 100, [10, 90, 50]) == []


@pytest.mark.parametrize(
    ("direction", "listed", "sorted_that_way"),
    [
        (EARLIEST, [1, 2, 2, 3], True),
        (EARLIEST, [1, 3, 2], False),
        (LATEST, [3, 2, 2, 1], True),
        (LATEST, [3, 1, 2], False),
        (EARLIEST, [], True),
        (LATEST, [4], True),
    ],
)
def test_agrees_reads_the_order_the_answer_listed(
    direction: Direction, listed: list[int], sorted_that_way: bool
) -> None:
    assert agrees(direction, listed) is sorted_that_way


def test_confirms_needs_a_complete_answer_with_exactly_the_pages_jobs() -> None:
    assert confirms({"a", "b"}, 2, ["b", "a"])
    assert not confirms({"a", "b"}, 3, ["a", "b", "c"])  # a job the page missed
    assert not confirms({"a", "b"}, 1, ["a"])  # a job the server no longer lists there
    assert not confirms({"a", "b"}, 100, ["a", "b"])  # full: proves nothing


def test_trust_confirms_only_pages_answered_before_a_passing_check_was_sent() -> None:
    trust = Trust()
    first, second = trust.take(), trust.take()
    covers = trust.sent()
    third = trust.take()
    assert not trust.ok(first)
    trust.passed(covers)
    assert trust.ok(first)
    assert trust.ok(second)
    assert not trust.ok(third)
    assert not trust.due(2)
    trust.take()
    assert trust.due(2)
