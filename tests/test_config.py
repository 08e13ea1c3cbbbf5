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


# -- one settings holder ------------------------------------------------------------------------


def test_the_client_settings_are_one_frozen_holder_its_copies_evolve() -> None:
    from homebase_async import HomebaseClient
    from homebase_async._config import Settings

    hb = HomebaseClient("k", base_url="http://127.0.0.1/api/v1", headers={"x-a": "1"})
    settings = hb.settings
    assert isinstance(settings, Settings)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        settings.max_concurrency = 3  # type: ignore[misc]
    with pytest.raises(TypeError):
        settings.headers["x-b"] = "2"  # type: ignore[index]
    copy = hb.with_options(timeout=5.0, retry=None, headers={"x-b": "2"})
    assert copy.settings == attrs.evolve(
        settings, timeout=make_timeout(5.0), retry=None, headers={"x-a": "1", "x-b": "2"}
    )
    assert copy.settings.deadline == 5.0
    assert settings.deadline == DEFAULT_TIMEOUT
    # The copy's requester reads the copy's settings; the shared state stays one.
    assert copy._requester.settings is copy.settings
    assert copy._shared is hb._shared
    assert repr(settings.api_key) == "'***'"
    assert "'k'" not in repr(settings)


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("max_concurrency", 0),
        ("max_concurrency", True),
        ("max_response_size", 10),
        ("keepalive_expiry", -1.0),
        ("keepalive_expiry", float("inf")),
        ("budget_max_age", 0),
        ("trust_env", "yes"),
        ("headers", {"x": 1}),
        ("timeout", 0),
        ("retry", 3),
    ],
)
def test_every_setting_is_checked_at_construction(option: str, value: object) -> None:
    from homebase_async import ConfigurationError, HomebaseClient

    with pytest.raises(ConfigurationError, match=option.split("_")[0]):
        HomebaseClient("k", base_url="http://127.0.0.1/api/v1", **{option: value})  # type: ignore[arg-type]
