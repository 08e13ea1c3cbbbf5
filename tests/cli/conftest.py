"""Fixtures of the CLI tests: a populated fake on loopback, the key in the environment."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from _cli_support import API_KEY, END, START, ServedFake
from click.testing import CliRunner

from homebase_async.testing import FakeHomebase


@pytest.fixture
def fake() -> FakeHomebase:
    fake = FakeHomebase(API_KEY, sms_daily_limit=3, seed=3)
    fake.populate(customers=40, jobs=700, leads=30, start=START, end=END)
    return fake


@pytest.fixture
def served(fake: FakeHomebase) -> Iterator[ServedFake]:
    server = ServedFake(fake)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def base_url(served: ServedFake) -> str:
    return served.url


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, base_url: str) -> dict[str, str]:
    """The key and the fake's URL in the environment, as an operator would set them."""
    monkeypatch.setenv("HOMEBASE_API_KEY", API_KEY)
    monkeypatch.setenv("HOMEBASE_BASE_URL", base_url)
    return {"HOMEBASE_API_KEY": API_KEY, "HOMEBASE_BASE_URL": base_url}


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(autouse=True)
def _no_key_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HOMEBASE_API_KEY_FILE", raising=False)
