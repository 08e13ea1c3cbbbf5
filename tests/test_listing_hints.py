"""Order hints (`_listing._order`) and answer checks (`_listing._core.check_answer`)."""

from __future__ import annotations

import datetime as dt

import pytest
from homebase_api.models import Job

from homebase_async import UnexpectedResponseError
from homebase_async._listing._core import check_answer
from homebase_async._listing._order import Direction, exact_part, sorted_as

T0 = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
HOUR = dt.timedelta(hours=1)


def _job(job_id: str, start: str, end: str = "2025-01-01T05:00:00Z") -> Job:
    # Built directly: the strict parse already refuses times without an offset, and the
    # listing checks its answers again whatever produced them.
    return Job(
        job_id=job_id,
        start=dt.datetime.fromisoformat(start.replace("Z", "+00:00")),
        end=dt.datetime.fromisoformat(end.replace("Z", "+00:00")),
    )


@pytest.mark.parametrize(
    ("listed", "direction"),
    [
        ([1, 2, 2, 5], Direction.EARLIEST),
        ([5, 2, 2, 1], Direction.LATEST),
        ([1, 5, 2], None),
        ([3, 3, 3], None),  # one instant: no order to read, nothing before it to ask
    ],
)
def test_sorted_as_reads_the_listed_order(listed: list[int], direction: Direction | None) -> None:
    assert sorted_as(listed) is direction


def test_exact_part_is_the_ticks_before_the_last_start_or_after_the_first() -> None:
    assert exact_part(Direction.EARLIEST, 0, 100, [3, 7, 40]) == (0, 39)
    assert exact_part(Direction.LATEST, 0, 100, [40, 7, 3]) == (4, 100)


def test_check_answer_accepts_jobs_inside_the_window() -> None:
    check_answer(
        [_job("a", "2025-01-01T00:00:00Z"), _job("b", "2025-01-01T01:00:00Z")], T0, T0 + HOUR
    )


@pytest.mark.parametrize(
    ("jobs", "message"),
    [
        ([_job("a", "2025-01-01T02:00:00Z")], "job a starts at .* outside the requested window"),
        ([_job("a", "2025-01-01T00:30:00")], "job a has `start` without a UTC offset"),
        ([_job("a", "2025-01-01T00:30:00Z", "2025-01-01T03:00:00")], "`end` without a UTC"),
        ([_job("a", "2025-01-01T00:30:00Z")] * 2, "job a listed twice"),
        ([_job(str(i), "2025-01-01T00:30:00Z") for i in range(101)], "ignores `limit`"),
    ],
)
def test_check_answer_names_what_is_wrong(jobs: list[Job], message: str) -> None:
    with pytest.raises(UnexpectedResponseError, match=message):
        check_answer(jobs, T0, T0 + HOUR)
