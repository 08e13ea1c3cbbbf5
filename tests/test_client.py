"""HomebaseClient: configuration, secrecy of the key, copies, lifecycle and concurrency."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import httpx
import pytest
from _support import API_KEY, BASE_URL, PING, fail, ok, url
from httpx_aiohttp import AiohttpTransport
from pytest_httpx import HTTPXMock

from homebase_async import (
    AuthenticationError,
    ClientClosedError,
    ConfigurationError,
    HomebaseClient,
    HomebaseError,
    RateLimitError,
    RetryPolicy,
    ServerError,
    WriteOutcomeUnknownError,
)
from homebase_async._config import DEFAULT_BASE_URL
from homebase_async._transport import GuardedTransport


class CountingTransport(httpx.AsyncBaseTransport):
    """Answers every request with a ping success and counts how many are in flight at once."""

    def __init__(self) -> None:
        self.in_flight = 0
        self.peak = 0
        self.total = 0
        self.closed = False

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.in_flight += 1
        self.total += 1
        self.peak = max(self.peak, self.in_flight)
        try:
            # Yield to the loop a few times, so every request that could run concurrently does.
            for _ in range(5):
                await asyncio.sleep(0)
        finally:
            self.in_flight -= 1
        return httpx.Response(200, json=ok(PING))

    async def aclose(self) -> None:
        self.closed = True


# -- configuration -------------------------------------------------------------------------


async def test_api_key_from_the_environment(
    httpx_mock: HTTPXMock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOMEBASE_API_KEY", "key-from-env")
    httpx_mock.add_response(
        url=url("/ping"), json=ok(PING), match_headers={"x-api-key": "key-from-env"}
    )
    async with HomebaseClient(base_url=BASE_URL) as hb:
        await hb.ping()


async def test_an_explicit_api_key_wins(
    httpx_mock: HTTPXMock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOMEBASE_API_KEY", "key-from-env")
    httpx_mock.add_response(url=url("/ping"), json=ok(PING), match_headers={"x-api-key": API_KEY})
    async with HomebaseClient(API_KEY, base_url=BASE_URL) as hb:
        await hb.ping()


@pytest.mark.parametrize("env_key", [None, ""])
def test_no_api_key(monkeypatch: pytest.MonkeyPatch, env_key: str | None) -> None:
    if env_key is not None:
        monkeypatch.setenv("HOMEBASE_API_KEY", env_key)
    with pytest.raises(ConfigurationError, match="HOMEBASE_API_KEY"):
        HomebaseClient()
    with pytest.raises(ConfigurationError):
        HomebaseClient("")


def test_base_url_from_the_environment_then_production(monkeypatch: pytest.MonkeyPatch) -> None:
    assert HomebaseClient(API_KEY).base_url == DEFAULT_BASE_URL
    monkeypatch.setenv("HOMEBASE_BASE_URL", "https://staging.example.com/api/v1")
    assert HomebaseClient(API_KEY).base_url == "https://staging.example.com/api/v1"
    assert HomebaseClient(API_KEY, base_url="http://localhost:9/api/v1").base_url == (
        "http://localhost:9/api/v1"
    )


@pytest.mark.parametrize("base_url", ["http://api.example.com/api/v1", "http://10.1.2.3/api/v1"])
def test_plain_http_is_refused_except_to_loopback(
    monkeypatch: pytest.MonkeyPatch, base_url: str
) -> None:
    with pytest.raises(ConfigurationError, match="https") as info:
        HomebaseClient(API_KEY, base_url=base_url)
    assert API_KEY not in str(info.value)
    monkeypatch.setenv("HOMEBASE_BASE_URL", base_url)
    with pytest.raises(ConfigurationError):
        HomebaseClient(API_KEY)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"max_concurrency": 0},
        {"max_concurrency": -3},
        {"max_concurrency": True},
        {"max_concurrency": 2.5},
        {"retry": "fast"},
        {"retry": 3},
        {"timeout": 0},
        {"timeout": -1.0},
        {"timeout": "30"},
        {"timeout": float("nan")},
        {"http_backend": "requests"},
    ],
)
def test_bad_settings(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ConfigurationError):
        HomebaseClient(API_KEY, base_url=BASE_URL, **kwargs)


def test_settings_are_exposed() -> None:
    hb = HomebaseClient(API_KEY, base_url=BASE_URL + "/", max_concurrency=5)
    assert hb.base_url == BASE_URL
    assert hb.max_concurrency == 5


# -- the key stays secret -------------------------------------------------------------------


def test_reprs_never_show_the_key() -> None:
    hb = HomebaseClient(API_KEY, base_url=BASE_URL)
    for text in (repr(hb), str(hb), repr(hb.raw), str(hb.raw), repr(hb.with_options(retry=None))):
        assert API_KEY not in text
    assert "HomebaseClient" in repr(hb)


def _chain(exc: BaseException | None) -> list[BaseException]:
    seen: list[BaseException] = []
    while exc is not None and exc not in seen:
        seen.append(exc)
        exc = exc.__cause__ or exc.__context__
    return seen


async def test_the_key_never_reaches_logs_or_errors(
    httpx_mock: HTTPXMock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    errors: list[BaseException] = []
    # A read that meets every kind of trouble before it succeeds.
    httpx_mock.add_response(
        url=url("/ping"), status_code=503, text="<html>Service Unavailable</html>"
    )
    httpx_mock.add_response(url=url("/ping"), status_code=429, headers={"retry-after": "1"})
    httpx_mock.add_exception(httpx.ConnectError("connection refused"), url=url("/ping"))
    httpx_mock.add_response(url=url("/ping"), json=ok(PING))
    # A write whose outcome is unknown, a bad key, a too-long Retry-After, and a read that
    # runs out of retries.
    httpx_mock.add_exception(httpx.ReadTimeout("timed out"), method="POST")
    httpx_mock.add_response(
        url=url("/messages/stats"), status_code=401, json=fail("Invalid API key")
    )
    httpx_mock.add_response(url=url("/ping"), status_code=429, headers={"retry-after": "9999"})
    for _ in range(4):
        httpx_mock.add_response(url=url("/ping"), status_code=500)
    policy = RetryPolicy(max_attempts=4, budget_tokens=100)
    async with HomebaseClient(API_KEY, base_url=BASE_URL, retry=policy) as hb:
        await hb.ping()
        with pytest.raises(WriteOutcomeUnknownError) as unknown:
            await hb.customers.create(first_name="Ada", email="ada@example.com")
        errors.append(unknown.value)
        with pytest.raises(AuthenticationError) as auth:
            await hb.messages.stats()
        errors.append(auth.value)
        with pytest.raises(RateLimitError) as limited:
            await hb.ping()
        errors.append(limited.value)
        with pytest.raises(ServerError) as server:
            await hb.ping()
        errors.append(server.value)
    assert caplog.records, "the run logs at DEBUG"
    for record in caplog.records:
        message = record.getMessage()
        assert API_KEY not in message
        assert "x-api-key" not in message.lower()
        assert API_KEY not in repr(record.args)
        assert API_KEY not in repr(vars(record))  # extras, as stamina's instrumentation adds
    assert API_KEY not in caplog.text
    for error in errors:
        for link in _chain(error):
            assert API_KEY not in str(link)
            assert API_KEY not in repr(link)
            assert API_KEY not in repr(getattr(link, "args", ()))


# -- copies ---------------------------------------------------------------------------------


async def test_with_options_changes_timeout_and_retry(httpx_mock: HTTPXMock) -> None:
    async with HomebaseClient(API_KEY, base_url=BASE_URL, timeout=20.0) as hb:
        fast = hb.with_options(timeout=2.0, retry=None)
        assert isinstance(fast, HomebaseClient)
        assert fast.base_url == hb.base_url
        httpx_mock.add_response(url=url("/ping"), status_code=503)
        with pytest.raises(ServerError):
            await fast.ping()
        httpx_mock.add_response(url=url("/ping"), status_code=503)
        httpx_mock.add_response(url=url("/ping"), json=ok(PING))
        await hb.ping()
        same_retry = fast.with_options(timeout=3.0)
        httpx_mock.add_response(url=url("/ping"), status_code=503)
        with pytest.raises(ServerError):
            await same_retry.ping()
    reads = [r.extensions["timeout"]["read"] for r in httpx_mock.get_requests()]
    assert reads == [2.0, 20.0, 20.0, 3.0]


def test_copies_share_the_connection_pool() -> None:
    hb = HomebaseClient(API_KEY, base_url=BASE_URL)
    copy = hb.with_options(timeout=1.0, retry=None).with_options(retry=RetryPolicy())
    pool = hb.raw.get_async_httpx_client()._transport
    assert isinstance(pool, GuardedTransport)
    assert isinstance(pool.inner, AiohttpTransport)  # the default backend
    assert copy.raw.get_async_httpx_client()._transport is pool
    assert copy.max_concurrency == hb.max_concurrency


@pytest.mark.parametrize(
    ("argument", "env", "expected"),
    [
        (None, None, AiohttpTransport),
        ("httpx", None, httpx.AsyncHTTPTransport),
        (None, "httpx", httpx.AsyncHTTPTransport),
        ("aiohttp", "httpx", AiohttpTransport),
    ],
)
def test_http_backend_from_argument_then_environment(
    monkeypatch: pytest.MonkeyPatch, argument: str | None, env: str | None, expected: type
) -> None:
    if env is not None:
        monkeypatch.setenv("HOMEBASE_HTTP_BACKEND", env)
    hb = HomebaseClient(API_KEY, base_url=BASE_URL, http_backend=argument)  # type: ignore[arg-type]
    transport = hb.raw.get_async_httpx_client()._transport
    assert isinstance(transport, GuardedTransport)
    assert type(transport.inner) is expected


def test_unknown_http_backend_in_the_environment_is_a_configuration_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HOMEBASE_HTTP_BACKEND", "requests")
    with pytest.raises(ConfigurationError, match="http_backend"):
        HomebaseClient(API_KEY, base_url=BASE_URL)


async def test_with_options_refuses_bad_settings() -> None:
    hb = HomebaseClient(API_KEY, base_url=BASE_URL)
    with pytest.raises(ConfigurationError):
        hb.with_options(retry="never")
    for timeout in (-1, 0, float("nan"), "30"):
        with pytest.raises(ConfigurationError, match="timeout"):
            hb.with_options(timeout=timeout)


async def test_copies_share_the_concurrency_cap() -> None:
    transport = CountingTransport()
    hb = HomebaseClient(API_KEY, base_url=BASE_URL, transport=transport, max_concurrency=2)
    copy = hb.with_options(timeout=5.0, retry=RetryPolicy(max_attempts=2))
    await asyncio.gather(*(client.ping() for client in (hb, copy) * 10))
    assert transport.total == 20
    assert transport.peak == 2


@pytest.mark.parametrize("cap", [1, 3, 8])
async def test_max_concurrency_caps_requests_in_flight(cap: int) -> None:
    transport = CountingTransport()
    async with HomebaseClient(
        API_KEY, base_url=BASE_URL, transport=transport, max_concurrency=cap
    ) as hb:
        results = await asyncio.gather(*(hb.ping() for _ in range(25)))
    assert len(results) == 25
    assert transport.total == 25
    # Never more than the cap, and the cap is actually used.
    assert transport.peak == cap


async def test_the_cap_spans_every_resource() -> None:
    transport = CountingTransport()
    hb = HomebaseClient(API_KEY, base_url=BASE_URL, transport=transport, max_concurrency=2)
    calls: list[Any] = [hb.ping() for _ in range(5)]
    calls += [hb.customers.search(customer_id="x") for _ in range(5)]
    calls += [hb.messages.stats() for _ in range(5)]
    await asyncio.gather(*calls, return_exceptions=True)
    assert transport.total == 15
    assert transport.peak == 2


# -- lifecycle ------------------------------------------------------------------------------


async def test_a_given_transport_is_left_open() -> None:
    transport = CountingTransport()
    async with HomebaseClient(API_KEY, base_url=BASE_URL, transport=transport) as hb:
        await hb.ping()
    assert not transport.closed


async def test_aclose_is_idempotent_across_copies(httpx_mock: HTTPXMock) -> None:
    hb = HomebaseClient(API_KEY, base_url=BASE_URL)
    copy = hb.with_options(retry=None)
    httpx_mock.add_response(url=url("/ping"), json=ok(PING))
    await copy.ping()
    await copy.aclose()
    await hb.aclose()
    await hb.aclose()


async def test_ping(httpx_mock: HTTPXMock, hb: HomebaseClient) -> None:
    httpx_mock.add_response(method="GET", url=url("/ping"), json=ok(PING))
    data = await hb.ping()
    assert data.email == "your-business-email@example.com"
    assert data.message == "API authentication successful"
    assert data.timestamp is not None
    assert data.timestamp.year == 2023


async def test_stats_count_calls_attempts_and_retries(
    httpx_mock: HTTPXMock, hb: HomebaseClient
) -> None:
    httpx_mock.add_response(url=url("/ping"), status_code=502)
    httpx_mock.add_response(url=url("/ping"), json=ok(PING))
    httpx_mock.add_response(url=url("/ping"), json=ok(PING))
    await hb.ping()
    await hb.ping()
    assert hb.stats == {"calls": 2, "attempts": 3, "retries": 1}


def test_every_error_is_a_homebase_error() -> None:
    assert issubclass(ConfigurationError, HomebaseError)


# -- the key is checked at construction, never quoted ---------------------------------------


@pytest.mark.parametrize(
    "key",
    [
        API_KEY + "\n",  # open(f).read()
        " " + API_KEY,
        API_KEY + "\r\n",
        API_KEY[:5] + "\x00" + API_KEY[5:],
        API_KEY[:5] + "\t" + API_KEY[5:],
        API_KEY[:5] + " " + API_KEY[5:],
        API_KEY + "é",
    ],
)
@pytest.mark.parametrize("backend", ["httpx", "aiohttp"])
def test_a_key_with_whitespace_or_control_characters_is_refused_unquoted(
    key: str, backend: str
) -> None:
    with pytest.raises(ConfigurationError) as caught:
        HomebaseClient(key, base_url=BASE_URL, http_backend=backend)  # type: ignore[arg-type]
    text = f"{caught.value} {caught.value!r}"
    assert API_KEY not in text
    assert API_KEY[:5] not in text
    assert API_KEY[5:] not in text
    assert "API key" in str(caught.value)


def test_a_key_from_the_environment_with_its_newline_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HOMEBASE_API_KEY", API_KEY + "\n")
    with pytest.raises(ConfigurationError, match="whitespace") as caught:
        HomebaseClient(base_url=BASE_URL)
    assert API_KEY not in str(caught.value)


def test_a_key_that_reaches_httpx_anyway_is_scrubbed_from_its_error() -> None:
    # Defence in depth: h11 quotes an illegal header value in full in its error.
    from homebase_async._transport import _translate

    request = httpx.Request("GET", BASE_URL + "/ping", headers={"x-api-key": API_KEY})
    raw = httpx.LocalProtocolError(f"Illegal header value b'{API_KEY}\\n'")
    assert API_KEY not in str(_translate(raw, request))


# -- user code cannot break a call ------------------------------------------------------------


def _sync_hook(message: Any) -> None:
    pass


async def _async_hook(event: Any) -> None:
    pass


@pytest.mark.parametrize(
    "hooks",
    [
        {"request": [_sync_hook]},  # httpx awaits it: a plain function fails every request
        {"response": [lambda response: None]},
        {"retry": [_async_hook]},  # called inline: its coroutine would never run
        {"give_up": ["not callable"]},
        {"pause": _sync_hook},  # not a list
    ],
)
def test_a_hook_of_the_wrong_kind_is_refused_at_construction(hooks: Any) -> None:
    with pytest.raises(ConfigurationError, match="event_hooks"):
        HomebaseClient(API_KEY, base_url=BASE_URL, event_hooks=hooks)


async def test_raising_hooks_are_logged_once_and_change_no_outcome(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    from homebase_async import _logging
    from homebase_async.testing import FakeHomebase, Faults

    monkeypatch.setattr(_logging, "_reported", set())
    calls: list[str] = []

    def on_retry(event: Any) -> None:
        calls.append("retry")
        raise RuntimeError("the retry hook broke")

    async def on_response(response: httpx.Response) -> None:
        calls.append("response")
        raise RuntimeError("the response hook broke")

    async def on_request(request: httpx.Request) -> None:
        calls.append("request")
        raise ValueError("the request hook broke")

    fake = FakeHomebase(seed=1)
    hooks: Any = {"retry": [on_retry], "response": [on_response], "request": [on_request]}
    items = [{"first_name": f"C{i}", "email": f"c{i}@example.com"} for i in range(4)]
    with caplog.at_level(logging.DEBUG, logger="homebase_async"):
        async with HomebaseClient(
            fake.api_key, base_url=fake.base_url, transport=fake.transport(), event_hooks=hooks
        ) as hb:
            report = await hb.customers.create_many(items)
            failing = fake.faults_applied(Faults(error_rates={503: 1.0}, retry_after=None))
            with failing, pytest.raises(ServerError):
                await hb.ping()  # retried, and every retry's hook raises
    assert sorted(report.created) == [0, 1, 2, 3]
    assert {"retry", "response", "request"} <= set(calls)
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    # One WARNING per hook, with its traceback; the repeats are DEBUG lines.
    assert sorted(r.getMessage().split(" raised")[0] for r in warnings) == [
        "event hook test_raising_hooks_are_logged_once_and_change_no_outcome.<locals>.on_request"
        " ('request')",
        "event hook test_raising_hooks_are_logged_once_and_change_no_outcome.<locals>.on_response"
        " ('response')",
        "event hook test_raising_hooks_are_logged_once_and_change_no_outcome.<locals>.on_retry"
        " ('retry')",
    ]
    assert all(r.exc_info for r in warnings)


# -- aclose() with calls in flight -------------------------------------------------------------


class Silent:
    """A raw asyncio server on loopback that reads requests and never answers."""

    def __init__(self) -> None:
        self.connections = 0
        self.server: asyncio.Server | None = None

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            while await reader.read(65536):
                pass
        except ConnectionError:
            pass
        finally:
            writer.close()

    async def __aenter__(self) -> str:
        self.server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        port = self.server.sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}/api/v1"

    async def __aexit__(self, *exc: object) -> None:
        assert self.server is not None
        self.server.close()


@pytest.mark.parametrize("backend", ["aiohttp", "httpx"])
async def test_aclose_ends_calls_in_flight_promptly(backend: str) -> None:
    async with Silent() as base_url:
        hb = HomebaseClient(API_KEY, base_url=base_url, http_backend=backend, timeout=20.0)  # type: ignore[arg-type]
        read = asyncio.create_task(hb.ping())
        write = asyncio.create_task(hb.customers.create(first_name="Ada", email="a@example.com"))
        for _ in range(200):  # until both requests are on the wire
            await asyncio.sleep(0.005)
            if len(hb._shared.state.calls) == 2:
                break
        await asyncio.sleep(0.05)
        await hb.aclose()
        # Bounded far below the 20 s timeout: closing ended them, not their deadline.
        done, _ = await asyncio.wait({read, write}, timeout=5.0)
    assert done == {read, write}, "the calls did not end"
    assert isinstance(read.exception(), ClientClosedError)
    unknown = write.exception()
    assert isinstance(unknown, WriteOutcomeUnknownError)
    assert isinstance(unknown.cause, ClientClosedError)
    assert unknown.performed is None
    assert not hb._shared.state.calls
    assert not hb._shared.state.cancelled


async def test_aclose_during_a_retry_wait_ends_the_call(httpx_mock: HTTPXMock) -> None:
    from homebase_async._retry import replace_retry_sleep

    httpx_mock.add_response(url=url("/ping"), status_code=503, json=fail("down"))
    sleeping = asyncio.Event()

    async def long_sleep(seconds: float) -> None:
        sleeping.set()
        await asyncio.sleep(30)

    async with HomebaseClient(API_KEY, base_url=BASE_URL) as hb:
        with replace_retry_sleep(long_sleep):
            call = asyncio.create_task(hb.ping())
            await asyncio.wait_for(sleeping.wait(), 2)
            await hb.aclose()
            with pytest.raises(ClientClosedError):
                await asyncio.wait_for(call, 2)


async def test_a_caller_cancelling_its_call_still_gets_a_cancellation(
    httpx_mock: HTTPXMock,
) -> None:
    async def slow(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(10)
        return httpx.Response(200, json=ok(PING))

    httpx_mock.add_callback(slow, url=url("/ping"))
    async with HomebaseClient(API_KEY, base_url=BASE_URL) as hb:
        call = asyncio.create_task(hb.ping())
        await asyncio.sleep(0.05)
        call.cancel()
        with pytest.raises(asyncio.CancelledError):
            await call
        assert not hb._shared.state.calls
    httpx_mock.reset()
