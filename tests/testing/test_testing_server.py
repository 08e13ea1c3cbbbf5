"""The fake over loopback: uvicorn in the test's loop, a real httpx client, real sockets."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterator

import httpx
import pytest
from _testing_support import MOBILE, NOW, data

from homebase_async.testing import FakeHomebase, Faults

NEW_CUSTOMER = {"firstName": "A", "phone": {"mobile": MOBILE}}


def http(base_url: str, *, timeout: float = 5.0) -> httpx.AsyncClient:
    return httpx.AsyncClient(base_url=base_url, headers={"x-api-key": "test-key"}, timeout=timeout)


@pytest.fixture(autouse=True)
def _no_server_errors(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """uvicorn logs nothing at ERROR: faults must look like network trouble, not app crashes."""
    caplog.set_level(logging.WARNING, logger="uvicorn")
    yield
    records = caplog.get_records("setup") + caplog.get_records("call")
    assert [record.getMessage() for record in records if record.levelno >= logging.ERROR] == []


async def test_serve_answers_over_loopback(fake: FakeHomebase) -> None:
    async with fake.serve() as base_url, http(base_url) as client:
        assert base_url.startswith("http://127.0.0.1:")
        assert base_url.endswith("/api/v1")
        created = await client.post("/customers", json=NEW_CUSTOMER)
        assert created.status_code == 201
        customer_id = data(created)["customerId"]
        found = data(await client.get("/customers", params={"phone": MOBILE}))
        assert [customer["customerId"] for customer in found] == [customer_id]
        assert (await client.get("/ping", headers={"x-api-key": "nope"})).status_code == 401
    assert fake.stats.total == 3


async def test_two_fakes_serve_at_once() -> None:
    first, second = FakeHomebase(now=NOW), FakeHomebase(now=NOW, business_email="b@example.com")
    async with first.serve() as one, second.serve() as two, http(one) as a, http(two) as b:
        assert one != two
        assert data(await a.get("/ping"))["email"] == "owner@example.com"
        assert data(await b.get("/ping"))["email"] == "b@example.com"


async def test_a_busy_port_is_an_os_error(fake: FakeHomebase) -> None:
    async with fake.serve() as base_url:
        port = int(base_url.split(":")[2].split("/")[0])
        with pytest.raises(OSError):  # noqa: PT011 - errno varies by platform
            async with fake.serve(port=port):
                pass


async def test_drop_before_is_a_transport_error_and_no_write(fake: FakeHomebase) -> None:
    fake.faults = Faults(drop_before=1.0)
    async with fake.serve() as base_url, http(base_url) as client:
        with pytest.raises(httpx.RemoteProtocolError):
            await client.post("/customers", json=NEW_CUSTOMER)
    assert fake.customers == {}
    assert fake.requests[0].fault == "drop_before"


async def test_drop_after_is_a_transport_error_after_the_write(fake: FakeHomebase) -> None:
    fake.faults = Faults(drop_after=1.0)
    async with fake.serve() as base_url, http(base_url) as client:
        with pytest.raises(httpx.RemoteProtocolError):
            await client.post("/customers", json=NEW_CUSTOMER)
        # The next request opens a fresh connection and succeeds once faults are gone.
        fake.faults = None
        assert (await client.get("/ping")).status_code == 200
    assert len(fake.customers) == 1
    assert (fake.requests[0].fault, fake.requests[0].status) == ("drop_after", 201)


async def test_slow_after_times_the_client_out_after_the_write(fake: FakeHomebase) -> None:
    fake.faults = Faults(slow_after=1.0, slow_delay=30.0)
    started = time.monotonic()
    async with fake.serve() as base_url, http(base_url, timeout=0.3) as client:
        with pytest.raises(httpx.ReadTimeout):
            await client.post("/customers", json=NEW_CUSTOMER)
    # The server notices the client leaving, so shutting down does not wait 30 s.
    assert time.monotonic() - started < 5
    assert len(fake.customers) == 1


async def test_injected_errors_over_http(fake: FakeHomebase) -> None:
    fake.faults = Faults(error_rates={503: 1.0}, html_errors=True)
    async with fake.serve() as base_url, http(base_url) as client:
        response = await client.post("/customers", json=NEW_CUSTOMER)
        assert response.status_code == 503
        assert response.headers["content-type"].startswith("text/html")
        fake.faults = Faults(error_rates={429: 1.0}, retry_after="seconds", retry_after_value=2)
        response = await client.get("/ping")
        assert (response.status_code, response.headers["retry-after"]) == (429, "2")
        assert response.json() == {"success": False, "error": "Too many requests"}
    assert fake.customers == {}


async def test_latency_over_http(fake: FakeHomebase) -> None:
    fake.faults = Faults(latency=0.1)
    async with fake.serve() as base_url, http(base_url) as client:
        started = time.monotonic()
        assert (await client.get("/ping")).status_code == 200
        assert time.monotonic() - started >= 0.1


async def test_idle_connections_close_after_the_keep_alive_timeout(fake: FakeHomebase) -> None:
    async with fake.serve(keep_alive_timeout=0.2) as base_url:
        host, port = base_url.split("//")[1].split("/")[0].split(":")
        reader, writer = await asyncio.open_connection(host, int(port))
        request = f"GET /api/v1/ping HTTP/1.1\r\nHost: {host}\r\nx-api-key: test-key\r\n\r\n"
        writer.write(request.encode())
        head = await reader.readuntil(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 200")
        length = int(
            next(
                line for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")
            ).split(b":")[1]
        )
        await reader.readexactly(length)
        started = time.monotonic()
        assert await asyncio.wait_for(reader.read(), timeout=3) == b""  # closed by the server
        assert 0.1 < time.monotonic() - started < 2
        writer.close()
        await writer.wait_closed()


async def test_responses_are_not_held_back_by_delayed_acks(fake: FakeHomebase) -> None:
    # Without TCP_NODELAY on accepted sockets every response here took about 40 ms.
    async with fake.serve() as base_url, http(base_url) as client:
        await client.get("/ping")
        started = time.monotonic()
        for _ in range(20):
            await client.get("/ping")
        assert time.monotonic() - started < 0.4
