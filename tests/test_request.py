"""The one request path: a log line per attempt, PATCH as an update, unparsable successes."""

from __future__ import annotations

import logging
import re
import time
from typing import Any

import httpx
import pytest
from _support import API_KEY, BASE_URL, PING, ok, url
from homebase_api.client import AuthenticatedClient
from pytest_httpx import HTTPXMock

import homebase_async._request as request_module
from homebase_async import (
    HomebaseClient,
    RetryPolicy,
    ServerError,
    UnexpectedResponseError,
    WriteOutcomeUnknownError,
)
from homebase_async._request import Operation
from homebase_async._retry import Kind

ATTEMPT_LINE = re.compile(
    r"^(?P<method>[A-Z]+) (?P<path>/\S*) -> (?P<status>\S+) attempt=(?P<attempt>\d+) "
    r"duration=\d+\.\d{3}s$"
)


def sdk_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "homebase_async"]


async def test_a_debug_line_per_attempt_and_an_info_line_per_retry(
    httpx_mock: HTTPXMock, hb: HomebaseClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="homebase_async")
    httpx_mock.add_response(url=url("/ping"), status_code=503)
    httpx_mock.add_response(url=url("/ping"), status_code=429, headers={"retry-after": "2"})
    httpx_mock.add_exception(httpx.ConnectError("refused"), url=url("/ping"))
    httpx_mock.add_response(url=url("/ping"), json=ok(PING))
    await hb.ping()
    lines = sdk_lines(caplog)
    attempts = [m.groupdict() for line in lines if (m := ATTEMPT_LINE.match(line))]
    assert attempts == [
        {"method": "GET", "path": "/ping", "status": "503", "attempt": "1"},
        {"method": "GET", "path": "/ping", "status": "429", "attempt": "2"},
        {"method": "GET", "path": "/ping", "status": "ConnectError", "attempt": "3"},
        {"method": "GET", "path": "/ping", "status": "200", "attempt": "4"},
    ]
    sleeps = [line for line in lines if "sleep" in line]
    # Each line states the wait actually chosen: the backoff with its jitter drawn, or the
    # server's Retry-After.
    pattern = re.compile(r"^GET /ping: attempt (\d) failed \((\w+)\), sleep (\d+\.\d\d)s(.*)$")
    parsed = [m.groups() for line in sleeps if (m := pattern.match(line))]
    assert [(n, name, suffix) for n, name, _, suffix in parsed] == [
        ("1", "ServerError", ""),
        ("2", "RateLimitError", " (Retry-After)"),
        ("3", "TransportError", ""),
    ]
    waits = [float(wait) for _, _, wait, _ in parsed]
    assert 0.25 <= waits[0] <= 0.5
    assert waits[1] == 2.0
    assert 1.0 <= waits[2] <= 1.25
    # HOMEBASE_LOG=info shows the retries; =debug adds every attempt.
    for record in caplog.records:
        if record.name == "homebase_async":
            expected = logging.INFO if "sleep" in record.getMessage() else logging.DEBUG
            assert record.levelno == expected


async def test_log_lines_name_the_path_template_and_never_headers(
    httpx_mock: HTTPXMock, hb: HomebaseClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="homebase_async")
    httpx_mock.add_response(method="PUT", json=ok({"message": "Customer updated"}))
    httpx_mock.add_exception(httpx.ReadError("reset"), method="POST")
    await hb.customers.update("Ekk9AvDeDihAEU8CMT0W", notes="x")
    with pytest.raises(WriteOutcomeUnknownError):
        await hb.customers.create(first_name="Ada", email="ada@example.com")
    lines = sdk_lines(caplog)
    assert any(line.startswith("PUT /customers/{customerId} -> 200 attempt=1") for line in lines)
    assert any(line.startswith("POST /customers -> ReadError attempt=1") for line in lines)
    text = "\n".join(lines).lower()
    for secret_ish in ("x-api-key", "user-agent", "content-type", "ada@example.com"):
        assert secret_ish not in text


async def test_nothing_is_logged_above_debug_on_success(
    httpx_mock: HTTPXMock, hb: HomebaseClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="homebase_async")
    httpx_mock.add_response(url=url("/ping"), json=ok(PING))
    await hb.ping()
    assert sdk_lines(caplog) == []


PATCH = Operation("patchCustomer", "PATCH", "/customers/{customerId}", Kind.UPDATE)


async def _patch(raw: AuthenticatedClient) -> Any:
    return await raw.get_async_httpx_client().patch("/customers/c1", json={"notes": "x"})


async def test_patch_is_retried_like_put(httpx_mock: HTTPXMock, hb: HomebaseClient) -> None:
    httpx_mock.add_response(method="PATCH", status_code=503)
    httpx_mock.add_exception(httpx.ReadTimeout("slow"), method="PATCH")
    httpx_mock.add_exception(
        httpx.RemoteProtocolError("Server disconnected without sending a response."),
        method="PATCH",
    )
    httpx_mock.add_response(method="PATCH", json=ok({"message": "Customer updated"}))
    response = await hb._requester.call(PATCH, _patch)
    assert response.status_code == 200
    assert [r.method for r in httpx_mock.get_requests()] == ["PATCH"] * 4


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b'{"success": true, "data": [{"firstName": "no id"}]}',
        b'{"success": true, "data": "a string"}',
        b"[]",
    ],
)
async def test_an_unparsable_success_is_not_retried(
    httpx_mock: HTTPXMock, hb: HomebaseClient, body: bytes
) -> None:
    httpx_mock.add_response(method="GET", content=body)
    with pytest.raises(UnexpectedResponseError):
        await hb.customers.search(customer_id="c1")
    assert len(httpx_mock.get_requests()) == 1


@pytest.mark.parametrize("status", [200, 201, 202])
@pytest.mark.parametrize("body", [b'{"success": true, "data": {"id": "wrong key"}}', b"<html>"])
async def test_an_unparsable_created_body(
    httpx_mock: HTTPXMock, hb: HomebaseClient, status: int, body: bytes
) -> None:
    # The create happened (2xx); only its id is unreadable. Issue 10 decided this is an
    # unknown outcome that is known to be performed (never "failed", never sent again).
    httpx_mock.add_response(method="POST", status_code=status, content=body)
    with pytest.raises(WriteOutcomeUnknownError) as info:
        await hb.customers.create(first_name="Ada", email="ada@example.com")
    assert info.value.performed is True
    assert isinstance(info.value.cause, UnexpectedResponseError)
    assert len(httpx_mock.get_requests()) == 1


async def test_the_last_failure_is_not_counted_or_logged_as_a_retry(
    httpx_mock: HTTPXMock, hb: HomebaseClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="homebase_async")
    for _ in range(6):
        httpx_mock.add_response(url=url("/ping"), status_code=503)
    with pytest.raises(ServerError):
        await hb.ping()
    assert hb.stats == {"calls": 1, "attempts": 6, "retries": 5}
    sleeps = [line for line in sdk_lines(caplog) if "sleep" in line]
    assert [line.split(":")[1].split(",")[0] for line in sleeps] == [
        " attempt 1 failed (ServerError)",
        " attempt 2 failed (ServerError)",
        " attempt 3 failed (ServerError)",
        " attempt 4 failed (ServerError)",
        " attempt 5 failed (ServerError)",
    ]


class _SteppingClock:
    """Stands in for the `time` module of the request path: each reading is 10 s later."""

    def __init__(self) -> None:
        self.now = 0.0

    def monotonic(self) -> float:
        self.now += 10.0
        return self.now

    @staticmethod
    def perf_counter() -> float:
        return time.perf_counter()


async def test_total_timeout_stops_retrying(
    httpx_mock: HTTPXMock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(request_module, "time", _SteppingClock())
    policy = RetryPolicy(max_attempts=10, total_timeout=15.0)
    httpx_mock.add_response(url=url("/ping"), status_code=503)
    httpx_mock.add_response(url=url("/ping"), status_code=503)
    async with HomebaseClient(API_KEY, base_url=BASE_URL, retry=policy) as hb:
        with pytest.raises(ServerError):
            await hb.ping()
    # Started at 10 s: the failure read at 20 s is retried, the one at 30 s is past 15 s.
    assert len(httpx_mock.get_requests()) == 2


def test_retries_print_nothing_where_the_program_configures_no_logging() -> None:
    import subprocess
    import sys

    code = (
        "import logging, homebase_async\n"
        "logging.getLogger('homebase_async').warning('homebase_async line')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stderr == ""
