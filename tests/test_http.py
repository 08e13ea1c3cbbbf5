"""The httpx side: base-URL safety, the pooled transport, headers, and the error seam."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from _support import API_KEY, BASE_URL, PING, ok, url
from pytest_httpx import HTTPXMock

import homebase_async
from homebase_async import (
    ConfigurationError,
    HomebaseClient,
    RequestTimeoutError,
    TransportError,
)
from homebase_async._config import DEFAULT_MAX_RESPONSE_SIZE, Settings
from homebase_async._errors import BadRequestError, RateLimitError, ServerError
from homebase_async._http import (
    _translate,
    build_httpx_client,
    build_transport,
    check_base_url,
    map_transport_error,
    raise_for_status,
    request_not_sent,
)

REQ = httpx.Request("GET", "https://x.test/")


@pytest.mark.parametrize(
    "base_url",
    [
        "https://us-central1-homebase-360.cloudfunctions.net/api/v1",
        "https://example.com",
        "http://127.0.0.1/api/v1",
        "http://127.0.0.1:8080/api/v1",
        "http://127.255.0.9/api/v1",
        "http://[::1]:8000/api/v1",
        "http://localhost:8000/api/v1",
        "http://LOCALHOST/api/v1",
    ],
)
def test_accepted_base_urls(base_url: str) -> None:
    assert check_base_url(base_url) == base_url


@pytest.mark.parametrize(
    "base_url",
    [
        "http://example.com/api/v1",
        "http://10.0.0.1/api/v1",
        "http://192.168.1.10/api/v1",
        "http://[2001:db8::1]/api/v1",
        "http://localhost.example.com/api/v1",
        "http://127.0.0.1.nip.io/api/v1",
        "ftp://127.0.0.1/api/v1",
        "ws://localhost/api/v1",
        "127.0.0.1/api/v1",
        "not a url",
        "",
        "https://",
    ],
)
def test_refused_base_urls(base_url: str) -> None:
    with pytest.raises(ConfigurationError):
        check_base_url(base_url)


def test_a_trailing_slash_is_dropped() -> None:
    assert check_base_url("https://example.com/api/v1/") == "https://example.com/api/v1"


def settings(**changes: Any) -> Settings:
    """A client's settings with the defaults, changed by `changes`."""
    base: dict[str, Any] = {
        "api_key": API_KEY,
        "base_url": BASE_URL,
        "timeout": 3.0,
        "retry": None,
        "headers": {},
        "max_concurrency": 16,
        "max_response_size": DEFAULT_MAX_RESPONSE_SIZE,
        "keepalive_expiry": 5.0,
        "budget_max_age": 300.0,
        "http_backend": "httpx",
        "proxy": None,
        "trust_env": True,
    }
    return Settings(**{**base, **changes})


@pytest.mark.parametrize("cap", [1, 7, 64])
def test_the_pool_matches_the_concurrency(cap: int) -> None:
    transport = build_transport(settings(max_concurrency=cap))
    assert isinstance(transport, httpx.AsyncHTTPTransport)
    pool = transport._pool
    assert pool._max_connections == cap
    assert pool._max_keepalive_connections == cap
    assert pool._keepalive_expiry == 5.0


def test_aiohttp_backend_pool() -> None:
    pytest.importorskip("httpx_aiohttp")
    transport = build_transport(settings(http_backend="aiohttp", max_concurrency=3))
    assert isinstance(transport, httpx.AsyncBaseTransport)


def test_unknown_backend() -> None:
    with pytest.raises(ConfigurationError):
        build_transport(settings(http_backend="requests"))


def test_the_client_never_follows_redirects() -> None:
    client = build_httpx_client(
        settings(timeout=httpx.Timeout(3.0)),
        transport=httpx.MockTransport(lambda request: httpx.Response(200)),
        user_agent="ua",
    )
    assert client.follow_redirects is False
    assert client.timeout == httpx.Timeout(3.0)


async def test_every_request_carries_the_key_and_user_agent(
    httpx_mock: HTTPXMock, hb: HomebaseClient
) -> None:
    httpx_mock.add_response(url=url("/ping"), json=ok(PING), match_headers={"x-api-key": API_KEY})
    await hb.ping()
    request = httpx_mock.get_request()
    assert request is not None
    assert request.headers["user-agent"] == f"homebase-async/{homebase_async.__version__}"
    assert "authorization" not in request.headers


async def test_the_timeout_reaches_every_request(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url=url("/ping"), json=ok(PING))
    async with HomebaseClient(API_KEY, base_url=BASE_URL, timeout=12.0) as hb:
        await hb.ping()
    request = httpx_mock.get_request()
    assert request is not None
    timeout = request.extensions["timeout"]
    assert timeout["read"] == 12.0
    assert timeout["write"] == 12.0
    assert timeout["pool"] == 12.0
    assert timeout["connect"] == 10.0


async def test_raise_for_status() -> None:
    await raise_for_status(httpx.Response(200, request=REQ))
    await raise_for_status(httpx.Response(201, request=REQ))
    await raise_for_status(httpx.Response(204, request=REQ))
    with pytest.raises(BadRequestError):
        await raise_for_status(httpx.Response(400, request=REQ, json={"error": "x"}))
    with pytest.raises(ServerError) as info:
        await raise_for_status(httpx.Response(520, request=REQ, text="<html>"))
    assert info.value.body == "<html>"


async def test_raise_for_status_reads_retry_after() -> None:
    response = httpx.Response(429, request=REQ, headers={"retry-after": "4"})
    with pytest.raises(RateLimitError) as info:
        await raise_for_status(response)
    assert info.value.retry_after == 4.0


@pytest.mark.parametrize(
    ("exc", "cls"),
    [
        (httpx.ConnectError("refused"), TransportError),
        (httpx.ReadError("reset"), TransportError),
        (httpx.RemoteProtocolError("closed"), TransportError),
        (httpx.ConnectTimeout("slow"), RequestTimeoutError),
        (httpx.ReadTimeout("slow"), RequestTimeoutError),
        (httpx.WriteTimeout("slow"), RequestTimeoutError),
        (httpx.PoolTimeout("busy"), RequestTimeoutError),
    ],
)
def test_map_transport_error(exc: httpx.HTTPError, cls: type[TransportError]) -> None:
    error = map_transport_error(exc)
    assert type(error) is cls
    assert error.__cause__ is exc
    assert type(exc).__name__ in str(error)


def test_map_transport_error_keeps_our_own_errors() -> None:
    error = TransportError("already mapped")
    assert map_transport_error(error) is error


@pytest.mark.parametrize(
    ("exc", "not_sent"),
    [
        (httpx.ConnectError("refused", request=REQ), True),
        (httpx.ConnectTimeout("slow", request=REQ), True),
        (httpx.PoolTimeout("busy", request=REQ), True),
        (httpx.ReadError("reset", request=REQ), False),
        (httpx.WriteError("reset", request=REQ), False),
        (httpx.ReadTimeout("slow", request=REQ), False),
        (httpx.WriteTimeout("slow", request=REQ), False),
        (httpx.RemoteProtocolError("closed", request=REQ), False),
    ],
)
def test_request_not_sent(exc: httpx.HTTPError, not_sent: bool) -> None:
    assert request_not_sent(exc) is not_sent
    assert request_not_sent(map_transport_error(exc)) is not_sent


def test_request_not_sent_without_a_cause() -> None:
    assert request_not_sent(TransportError("no cause")) is False


def test_aiohttp_errors_decide_for_the_aiohttp_backend() -> None:
    aiohttp = pytest.importorskip("aiohttp")
    # httpx-aiohttp maps every aiohttp connection error to ConnectTimeout; the transport seam
    # judges by the aiohttp error instead (this test called request_not_sent on an error with
    # an aiohttp cause, a path the seam made unreachable: it now goes through the seam).
    mapped = httpx.ConnectTimeout("mapped", request=REQ)
    mapped.__cause__ = aiohttp.ServerDisconnectedError()
    disconnected = _translate(mapped, REQ)
    assert request_not_sent(disconnected) is False
    mapped = httpx.ConnectTimeout("mapped", request=REQ)
    mapped.__cause__ = aiohttp.ConnectionTimeoutError()
    assert request_not_sent(_translate(mapped, REQ)) is True
    # A read error that aiohttp reports is a network error, not a timeout.
    error = map_transport_error(disconnected)
    assert type(error) is TransportError
