"""RetryPolicy and the timeout conversion."""

from __future__ import annotations

import attrs
import httpx
import pytest

from homebase_async import RetryPolicy
from homebase_async._config import (
    DEFAULT_BASE_URL,
    DEFAULT_MAX_CONCURRENCY,
    DEFAULT_TIMEOUT,
    make_timeout,
)


def test_defaults() -> None:
    policy = RetryPolicy()
    assert policy.max_attempts == 6
    assert policy.max_retry_after == 60.0
    assert policy.budget_tokens == 50.0
    assert policy.budget_refill == 0.5
    assert DEFAULT_BASE_URL.startswith("https://")
    assert DEFAULT_TIMEOUT > 0
    assert DEFAULT_MAX_CONCURRENCY >= 1


def test_frozen_and_keyword_only() -> None:
    policy = RetryPolicy(max_attempts=2)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        policy.max_attempts = 3  # type: ignore[misc]
    with pytest.raises(TypeError):
        RetryPolicy(2)  # type: ignore[misc]
    assert attrs.evolve(policy, jitter=0.0).jitter == 0.0
    assert RetryPolicy(max_attempts=2) == policy


@pytest.mark.parametrize(
    "kwargs",
    [
        {"max_attempts": 0},
        {"total_timeout": 0},
        {"initial_backoff": -1},
        {"max_backoff": -0.5},
        {"jitter": -1},
        {"max_retry_after": -1},
        {"budget_tokens": 0},
        {"budget_refill": -0.1},
        {"total_timeout": float("nan")},
        {"jitter": float("nan")},
        {"max_retry_after": float("nan")},
    ],
)
def test_invalid_policies(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError, match=next(iter(kwargs))):
        RetryPolicy(**kwargs)  # type: ignore[arg-type]


def test_max_attempts_is_a_whole_number() -> None:
    with pytest.raises(TypeError, match="max_attempts"):
        RetryPolicy(max_attempts=2.5)  # type: ignore[arg-type]


def test_make_timeout() -> None:
    assert make_timeout(30.0) == httpx.Timeout(30.0, connect=10.0, pool=30.0)
    assert make_timeout(2.0) == httpx.Timeout(2.0)
    custom = httpx.Timeout(1.0, read=5.0)
    assert make_timeout(custom) is custom
    for bad in (0, -1.0, float("nan"), "30", None, True):
        with pytest.raises(ValueError, match="timeout"):
            make_timeout(bad)  # type: ignore[arg-type]
