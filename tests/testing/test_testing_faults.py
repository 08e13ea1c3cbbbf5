"""Fault injection through the in-process transport, and the request log."""

from __future__ import annotations

import contextlib
import email.utils
import time
from typing import Any

import httpx
import pytest
from _testing_support import MOBILE, NOW, client_for, data

from homebase_async.testing import FakeHomebase, Faults

NEW_CUSTOMER = {"firstName": "A", "phone": {"mobile": MOBILE}}


def fake_with(**faults: Any) -> FakeHomebase:
    return FakeHomebase(order="stable", now=NOW, faults=Faults(**faults))


@pytest.mark.parametrize("status", [500, 502, 503, 504, 429])
async def test_error_rates_inject_errors_without_processing(status: int) -> None:
    fake = fake_with(error_rates={status: 1.0})
    async with client_for(fake) as client:
        response = await client.post("/customers", json=NEW_CUSTOMER)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/json"
    assert response.json()["success"] is False
    assert fake.customers == {}
    assert fake.requests[0].fault == f"error_{status}"
    assert fake.requests[0].status == status


async def test_injected_429_says_too_many_requests() -> None:
    fake = fake_with(error_rates={429: 1.0})
    async with client_for(fake) as client:
        response = await client.get("/ping")
    assert response.json()["error"] == "Too many requests"
    assert response.headers["retry-after"] == "1"


@pytest.mark.parametrize(
    ("form", "value", "check"),
    [
        ("seconds", 2.5, lambda header: header == "3"),
        ("http-date", 30.0, lambda header: 29 <= _seconds_until(header) <= 31),
        (None, 1.0, lambda header: header is None),
    ],
)
async def test_retry_after_forms(form: str | None, value: float, check: Any) -> None:
    fake = fake_with(error_rates={429: 1.0}, retry_after=form, retry_after_value=value)
    async with client_for(fake) as client:
        response = await client.get("/ping")
    assert check(response.headers.get("retry-after"))


def _seconds_until(header: str) -> float:
    return email.utils.parsedate_to_datetime(header).timestamp() - time.time()


async def test_html_errors_look_like_the_google_front_end() -> None:
    fake = fake_with(error_rates={502: 1.0}, html_errors=True)
    async with client_for(fake) as client:
        response = await client.get("/ping")
    assert response.status_code == 502
    assert response.headers["content-type"].startswith("text/html")
    assert response.text.startswith("<html>")
    assert "502 Bad Gateway" in response.text
    with pytest.raises(ValueError, match="Expecting value"):
        response.json()


async def test_drop_before_does_not_process() -> None:
    fake = fake_with(drop_before=1.0)
    async with client_for(fake) as client:
        with pytest.raises(httpx.RemoteProtocolError):
            await client.post("/customers", json=NEW_CUSTOMER)
    assert fake.customers == {}
    assert (fake.requests[0].fault, fake.requests[0].status) == ("drop_before", None)


async def test_drop_after_processes_then_fails() -> None:
    fake = fake_with(drop_after=1.0)
    async with client_for(fake) as client:
        with pytest.raises(httpx.RemoteProtocolError):
            await client.post("/customers", json=NEW_CUSTOMER)
    assert len(fake.customers) == 1
    assert (fake.requests[0].fault, fake.requests[0].status) == ("drop_after", 201)


async def test_slow_after_processes_then_times_out() -> None:
    fake = fake_with(slow_after=1.0, slow_delay=60.0)
    started = time.monotonic()
    async with client_for(fake, timeout=0.2) as client:
        with pytest.raises(httpx.ReadTimeout):
            await client.post("/customers", json=NEW_CUSTOMER)
    assert 0.15 < time.monotonic() - started < 2
    assert len(fake.customers) == 1
    assert fake.requests[0].fault == "slow_after"


async def test_slow_after_within_the_timeout_just_delays() -> None:
    fake = fake_with(slow_after=1.0, slow_delay=0.05)
    async with client_for(fake, timeout=1.0) as client:
        started = time.monotonic()
        assert (await client.get("/ping")).status_code == 200
    assert time.monotonic() - started >= 0.05


async def test_latency_is_added_to_every_request() -> None:
    fake = fake_with(latency=(0.02, 0.04))
    async with client_for(fake) as client:
        started = time.monotonic()
        for _ in range(3):
            assert (await client.get("/ping")).status_code == 200
    assert time.monotonic() - started >= 0.06
    assert all(0.02 <= record.latency <= 0.04 for record in fake.requests)
    assert all(record.fault is None for record in fake.requests)


async def test_latency_past_the_timeout_is_a_timeout() -> None:
    fake = fake_with(latency=0.5)
    async with client_for(fake, timeout=0.05) as client:
        with pytest.raises(httpx.ReadTimeout):
            await client.post("/customers", json=NEW_CUSTOMER)


async def test_faults_are_deterministic_for_a_seed() -> None:
    async def outcomes(seed: int) -> list[str | None]:
        fake = fake_with(error_rates={503: 0.3, 500: 0.1}, drop_before=0.1, seed=seed)
        async with client_for(fake) as client:
            for _ in range(60):
                with contextlib.suppress(httpx.TransportError):
                    await client.get("/ping")
        return [record.fault for record in fake.requests]

    first = await outcomes(1)
    assert first == await outcomes(1)
    assert first != await outcomes(2)
    assert {"error_503", "error_500", "drop_before", None} == set(first)


async def test_rates_are_roughly_honoured() -> None:
    fake = fake_with(error_rates={503: 0.25})
    async with client_for(fake) as client:
        statuses = [(await client.get("/ping")).status_code for _ in range(400)]
    assert 60 < statuses.count(503) < 140


async def test_paths_and_methods_limit_the_faults() -> None:
    fake = fake_with(error_rates={503: 1.0}, paths={"/jobs"}, methods={"POST"})
    async with client_for(fake) as client:
        assert (await client.get("/jobs")).status_code == 200
        assert (await client.get("/ping")).status_code == 200
        assert (await client.post("/jobs", json={})).status_code == 503


async def test_faults_can_change_at_runtime() -> None:
    fake = FakeHomebase()
    async with client_for(fake) as client:
        fake.faults = Faults(error_rates={503: 1.0})
        assert (await client.get("/ping")).status_code == 503
        fake.set_faults(None)
        assert (await client.get("/ping")).status_code == 200
        with fake.faults_applied(Faults(error_rates={500: 1.0})):
            assert (await client.get("/ping")).status_code == 500
        assert (await client.get("/ping")).status_code == 200
        assert fake.faults is None


async def test_the_log_records_every_request(fake: FakeHomebase, customer_id: str) -> None:
    fake.faults = Faults(error_rates={503: 1.0}, paths={"/messages"})
    async with client_for(fake) as client:
        await client.get("/customers", params={"phone": MOBILE, "limit": "5"})
        await client.put(f"/customers/{customer_id}", json={"notes": "x"})
        await client.post("/messages/send", json={"customerId": customer_id, "message": "hi"})
        await client.get("/customers/")
    first, second, third, fourth = fake.requests
    assert (first.method, first.path, first.route) == ("GET", "/api/v1/customers", "/customers")
    assert first.query == {"phone": MOBILE, "limit": "5"}
    assert (first.status, first.fault, first.body) == (200, None, None)
    assert (second.route, second.body, second.status) == (
        "/customers/{customerId}",
        {"notes": "x"},
        200,
    )
    assert (third.status, third.fault) == (503, "error_503")
    assert (fourth.route, fourth.status) == (None, 404)
    stats = fake.stats
    assert stats.total == 4
    assert stats.by_route[("GET", "/customers")] == 1
    assert stats.by_route[("PUT", "/customers/{customerId}")] == 1
    assert stats.by_status == {200: 2, 503: 1, 404: 1}
    assert stats.by_fault == {"error_503": 1}
    fake.reset_log()
    assert fake.requests == []
    assert fake.stats.total == 0


@pytest.mark.parametrize(
    "kwargs",
    [
        {"error_rates": {503: 1.5}},
        {"error_rates": {200: 0.1}},
        {"error_rates": {503: 0.6}, "drop_after": 0.5},
        {"drop_before": -0.1},
        {"latency": -1.0},
        {"latency": (2.0, 1.0)},
        {"retry_after": "minutes"},
        {"slow_delay": -1.0},
    ],
)
def test_invalid_faults_are_refused(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - each case has its own message
        Faults(**kwargs)


def test_faults_are_frozen_and_keyword_only() -> None:
    faults = Faults(error_rates={503: 0.1})
    with pytest.raises(AttributeError):
        faults.seed = 3  # type: ignore[misc]
    with pytest.raises(TypeError):
        Faults(0.1)  # type: ignore[call-arg]
    assert faults == Faults(error_rates={503: 0.1})


async def test_data_still_flows_under_faults(fake: FakeHomebase, customer_id: str) -> None:
    fake.faults = Faults(latency=0.001)
    async with client_for(fake) as client:
        assert data(await client.get("/customers", params={"customerId": customer_id}))
