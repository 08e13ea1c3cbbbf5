"""The pace (`_listing._pace`): where windows cut blind from a sorted server's rate end."""

from __future__ import annotations

import random

from homebase_async._listing._pace import HOUR, Pace

DAY = 24 * HOUR


def _work_weeks(weeks: int, per_hour: int = 10) -> tuple[Pace, int]:
    """A pace that saw `weeks` weeks of weekdays 08:00-18:00 (from a Monday at tick 0)."""
    rng = random.Random(7)
    pace = Pace(0)
    for day in range(weeks * 7):
        if day % 7 >= 5:
            pace.learn(day * DAY, (day + 1) * DAY - 1, [])
            continue
        starts = sorted(
            day * DAY + 8 * HOUR + rng.randrange(10 * HOUR) for _ in range(10 * per_hour)
        )
        pace.learn(day * DAY, (day + 1) * DAY - 1, starts)
    return pace, weeks * 7 * DAY


def test_a_learned_week_makes_nights_and_weekends_nearly_empty() -> None:
    pace, _ = _work_weeks(3)
    working = pace.mass(8 * HOUR, 18 * HOUR)  # Monday's working hours
    night = pace.mass(18 * HOUR, DAY + 8 * HOUR)
    weekend = pace.mass(5 * DAY, 7 * DAY)
    assert night < 0.1 * working
    assert weekend < 0.2 * working


def test_a_window_cut_at_close_of_business_reaches_over_the_night() -> None:
    pace, now = _work_weeks(3)
    # From Tuesday 17:00 (about 10 jobs left that day), 80 jobs reach Wednesday's morning,
    # not a flat 8 hours into the empty night.
    tuesday = now + DAY
    reach = pace.reach(tuesday + 17 * HOUR, 80)
    assert tuesday + DAY + 8 * HOUR < reach < tuesday + DAY + 18 * HOUR


def test_without_the_shape_the_rate_is_flat() -> None:
    pace = Pace(0, use_shape=False)
    pace.learn(0, 10 * HOUR - 1, [HOUR * i for i in range(10)])
    assert pace.level(10 * HOUR) * pace.mass(10 * HOUR, 20 * HOUR) == 10


def test_an_instant_teaches_neither_level_nor_shape() -> None:
    pace, _ = _work_weeks(1)
    before = (pace.level(7 * DAY), list(pace.counts))
    pace.learn(7 * DAY + 9 * HOUR, 7 * DAY + 9 * HOUR, [7 * DAY + 9 * HOUR] * 99)
    pace.note(7 * DAY + 10 * HOUR, 7 * DAY + 10 * HOUR, 500)
    assert (pace.level(7 * DAY), pace.counts) == before


def test_a_gap_holding_fewer_than_the_target_is_asked_whole() -> None:
    pace = Pace(0, use_shape=False)
    pace.learn(0, 10 * HOUR - 1, [HOUR * i for i in range(10)])  # one job an hour
    assert pace.cut(10 * HOUR, 60 * HOUR, 80) is None  # 50 expected
    width = pace.cut(10 * HOUR, 200 * HOUR, 80)  # 190 expected: three windows of 63
    assert width is not None
    assert abs(width - 190 / 3 * HOUR) < HOUR
