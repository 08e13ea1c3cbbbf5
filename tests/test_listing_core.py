"""The pure parts of the listing core, the density strategy and the sample reading."""

from __future__ import annotations

import datetime as dt
import itertools
import random

import pytest
from homebase_api.models import Job

from homebase_async import TruncatedResultWarning
from homebase_async._listing._core import after_key, leaf, warn_truncated
from homebase_async._listing._density import Density
from homebase_async._listing._shape import gap_bar, poisson_tail, shape

T0 = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)


def job(job_id: str, minutes: float) -> Job:
    stamp = (T0 + dt.timedelta(minutes=minutes)).isoformat().replace("+00:00", "Z")
    return Job.from_dict({"jobId": job_id, "start": stamp})


def test_leaf_keeps_the_window_once_each_in_start_then_id_order() -> None:
    jobs = [job("b", 5), job("a", 5), job("c", 1), job("b", 5), job("z", 11), job("y", -1)]
    got = leaf(jobs, T0, T0 + dt.timedelta(minutes=10))
    assert [j.job_id for j in got] == ["c", "a", "b"]


def test_leaf_bounds_are_inclusive() -> None:
    jobs = [job("lo", 0), job("hi", 10)]
    assert len(leaf(jobs, T0, T0 + dt.timedelta(minutes=10))) == 2


def test_after_key_orders_by_start_then_id() -> None:
    mark = (T0 + dt.timedelta(minutes=5), "m")
    assert not after_key(job("a", 5), mark)
    assert not after_key(job("m", 5), mark)
    assert after_key(job("n", 5), mark)
    assert after_key(job("a", 6), mark)
    assert after_key(job("a", 0), None)


def test_truncation_warns() -> None:
    with pytest.warns(TruncatedResultWarning, match="100 or more jobs start at"):
        warn_truncated(T0)


def test_shape_blocks_cover_the_window_with_one_unit_per_stretch() -> None:
    points = sorted(random.Random(1).sample(range(10_000), 100))
    for pool in (False, True):
        blocks = shape(0, 9_999, points, pool=pool)
        assert blocks[0].lo == 0
        assert blocks[-1].hi == 10_000
        assert all(a.hi == b.lo for a, b in itertools.pairwise(blocks))
        assert sum(b.mass for b in blocks) == pytest.approx(101, rel=0.35)


def test_shape_makes_an_instant_of_repeated_ticks() -> None:
    blocks = shape(0, 100, [10, 50, 50, 50, 90], pool=False)
    instant = [b for b in blocks if (b.lo, b.hi) == (50, 51)]
    assert len(instant) == 1
    assert instant[0].mass == 2  # three samples on one tick: two stretches between them


def test_gap_bar_finds_nights_and_none_in_a_steady_run() -> None:
    rng = random.Random(2)
    steady = [rng.expovariate(1.0) for _ in range(200)]
    assert gap_bar(steady) == float("inf")
    assert gap_bar([*steady, 500.0, 600.0, 700.0]) < 500.0


def test_poisson_tail() -> None:
    assert poisson_tail(0, 3.0) == 1.0
    assert poisson_tail(1, 2.0) == pytest.approx(1 - 2.718281828**-2)


def _density_with_sample() -> Density:
    density = Density(concurrency=8)
    points = sorted(random.Random(3).sample(range(1_000_000), 100))
    density.sample(0, 999_999, points, (0.0, 0.0, 0.0))
    return density


def test_survey_partitions_the_gap_exactly() -> None:
    density = _density_with_sample()
    ends = density.survey(0, 999_999)
    assert ends[-1] == 999_999
    assert ends == sorted(set(ends))
    assert density.pieces is not None
    assert density.pieces[0][0] == 0
    assert all(a[1] + 1 == b[0] for a, b in itertools.pairwise(density.pieces))


def _learned(jobs_per_100k: int) -> Density:
    density = _density_with_sample()
    density.pieces = []
    for _ in range(3):  # complete answers teach the scale
        assert density.model is not None
        mass = density.model.mass(0, 100_000)
        density.complete(0, 99_999, jobs_per_100k, (mass, 0.0, 0.0))
    return density


def test_cut_stays_within_the_gap_and_reaches_further_with_fewer_jobs() -> None:
    dense, sparse = _learned(200), _learned(50)
    assert dense.ready
    cut = dense.cut(0, 999_999)
    assert 0 <= cut < 999_999
    assert cut < sparse.cut(0, 999_999) <= 999_999
    assert dense.cut(5, 5) == 5  # a one-tick gap is one window
