"""Fixtures shared by the facade tests: a clean environment, no sleeping, a client."""

from __future__ import annotations

import functools
import ssl
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import httpx._transports.default as httpx_default
import pytest
from _postgres import postgres_url
from _support import API_KEY, BASE_URL

from homebase_async import HomebaseClient, RetryPolicy
from homebase_async.testing import no_retry_sleeps

__all__ = ["postgres_url"]  # the real PostgreSQL server's session fixture (tests/_postgres.py)


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> None:
    """No test depends on the developer's HOMEBASE_* variables."""
    for name in ("HOMEBASE_API_KEY", "HOMEBASE_BASE_URL", "HOMEBASE_LOG", "HOMEBASE_HTTP_BACKEND"):
        monkeypatch.delenv(name, raising=False)
    if "httpx_mock" in request.fixturenames:
        # pytest-httpx intercepts httpx's own pool, not the default aiohttp one.
        monkeypatch.setenv("HOMEBASE_HTTP_BACKEND", "httpx")


@pytest.fixture(autouse=True)
def _no_sleep() -> Iterator[None]:
    """No backoff sleeps, while the policy's attempt count, budget and caps still apply."""
    with no_retry_sleeps():
        yield


@functools.cache
def _default_ssl_context() -> ssl.SSLContext:
    return httpx.create_ssl_context()


@pytest.fixture(autouse=True)
def _one_ssl_context(monkeypatch: pytest.MonkeyPatch) -> None:
    """Build the default TLS context once, not once per client (~40 ms each).

    Most tests run hundreds of clients whose requests never leave the process (pytest-httpx,
    the fake's transport); loading the CA bundle for each is pure cost.
    """
    original = httpx_default.create_ssl_context

    def create(*args: Any, **kwargs: Any) -> ssl.SSLContext:
        if args or kwargs not in ({}, {"verify": True, "cert": None, "trust_env": True}):
            return original(*args, **kwargs)
        return _default_ssl_context()

    monkeypatch.setattr(httpx_default, "create_ssl_context", create)


@pytest.fixture
async def hb() -> AsyncIterator[HomebaseClient]:
    """A client on the real httpx transport, so pytest-httpx intercepts its requests."""
    async with HomebaseClient(API_KEY, base_url=BASE_URL) as client:
        yield client


@pytest.fixture
def policy() -> RetryPolicy:
    """The default policy (6 attempts, budget 50 tokens)."""
    return RetryPolicy()
