"""The httpx side: base-URL safety, the pooled transport, headers, and the error seam."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from _support import API_KEY, BASE_URL, PING, ok, url
from pytest_httpx import HTTPXMock

import homebase_async
from homebase_async import (
    ConfigurationError,
    ConnectRefusedError,
    HomebaseClient,
    ProxyError,
    RequestTimeoutError,
    TransportError,
)
from homebase_async._config import DEFAULT_MAX_RESPONSE_SIZE, Settings, check_base_url
from homebase_async._errors import BadRequestError, RateLimitError, ServerError
from homebase_async._http import RedactQueries, build_httpx_client, raise_for_status
from homebase_async._transport import (
    _translate,
    build_transport,
    map_transport_error,
    request_not_sent,
    resolve_proxy,
)
from homebase_async.testing import FakeHomebase

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


# -- connection refused: its own quick error --------------------------------------------------


def _closed_port() -> int:
    """A loopback port where nothing listens (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.mark.parametrize("backend", ["aiohttp", "httpx"])
async def test_a_refused_connection_is_its_own_error_after_two_fast_retries(backend: str) -> None:
    base_url = f"http://127.0.0.1:{_closed_port()}/api/v1"
    async with HomebaseClient(API_KEY, base_url=base_url, http_backend=backend) as hb:  # type: ignore[arg-type]
        with pytest.raises(ConnectRefusedError) as caught:
            await hb.ping()
        assert hb.stats["attempts"] == 3
        # A create that was refused was never sent: no outcome_unknown about it.
        with pytest.raises(ConnectRefusedError):
            await hb.customers.create(first_name="Ada", email="ada@example.com")
    message = str(caught.value)
    assert "\n" not in message
    assert "connection refused by 127.0.0.1:" in message
    assert API_KEY not in message


# -- proxies: a real forwarding proxy on loopback ---------------------------------------------


class Proxy:
    """proxy.py (a dev dependency) in its own process, on an ephemeral loopback port."""

    def __init__(self, tmp: Path) -> None:
        self.log = tmp / "proxy.log"
        port_file = tmp / "proxy.port"
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "proxy",
                "--hostname",
                "127.0.0.1",
                "--port",
                "0",
                "--port-file",
                str(port_file),
                "--num-workers",
                "1",
                "--num-acceptors",
                "1",
                "--log-file",
                str(self.log),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 20
        while not (port_file.exists() and port_file.read_text().strip()):
            assert self.process.poll() is None, "proxy.py exited"
            assert time.monotonic() < deadline, "proxy.py did not start"
            time.sleep(0.05)
        self.port = int(port_file.read_text())
        self.url = f"http://127.0.0.1:{self.port}"
        # Listening is not accepting yet: wait until a connection is taken.
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "proxy.py does not accept"
                time.sleep(0.05)

    def saw(self, text: str) -> bool:
        """Whether the proxy's access log has a line with `text` (it writes them shortly)."""
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            if self.log.exists() and text in self.log.read_text(errors="replace"):
                return True
            time.sleep(0.05)
        return False

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)


@pytest.fixture(scope="module")
def proxy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Proxy]:
    running = Proxy(tmp_path_factory.mktemp("proxy"))
    yield running
    running.stop()


@pytest.fixture
def no_proxy_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    return monkeypatch


BACKENDS = ["aiohttp", "httpx"]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("how", ["proxy=", "HTTP_PROXY", "ALL_PROXY"])
async def test_requests_go_through_a_real_proxy(
    proxy: Proxy, no_proxy_env: pytest.MonkeyPatch, backend: str, how: str
) -> None:
    fake = FakeHomebase(seed=1)
    async with fake.serve() as base_url:
        options: dict[str, Any] = {}
        if how == "proxy=":
            options["proxy"] = proxy.url
        else:
            no_proxy_env.setenv(how, proxy.url)
        async with HomebaseClient(
            fake.api_key, base_url=base_url, http_backend=backend, **options
        ) as hb:  # type: ignore[arg-type]
            await hb.ping()
        port = urlsplit(base_url).port
    assert proxy.saw(f"GET 127.0.0.1:{port}/api/v1/ping")
    assert [r.route for r in fake.requests] == ["/ping"]


@pytest.mark.parametrize("backend", BACKENDS)
async def test_no_proxy_and_trust_env_false_go_direct(
    no_proxy_env: pytest.MonkeyPatch, backend: str
) -> None:
    dead = f"http://127.0.0.1:{_closed_port()}"
    no_proxy_env.setenv("HTTP_PROXY", dead)
    fake = FakeHomebase(seed=1)
    async with fake.serve() as base_url:
        async with HomebaseClient(
            fake.api_key, base_url=base_url, http_backend=backend, trust_env=False
        ) as hb:  # type: ignore[arg-type]
            await hb.ping()
        no_proxy_env.setenv("NO_PROXY", "example.com, 127.0.0.1")
        async with HomebaseClient(fake.api_key, base_url=base_url, http_backend=backend) as hb:  # type: ignore[arg-type]
            await hb.ping()
        no_proxy_env.setenv("NO_PROXY", "example.com")
        async with HomebaseClient(fake.api_key, base_url=base_url, http_backend=backend) as hb:  # type: ignore[arg-type]
            with pytest.raises(ProxyError):
                await hb.ping()
    assert len(fake.requests) == 2


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("via", ["proxy=", "HTTP_PROXY"])
async def test_an_unreachable_proxy_is_named_without_its_credentials(
    no_proxy_env: pytest.MonkeyPatch, backend: str, via: str
) -> None:
    port = _closed_port()
    dead = f"http://proxyuser:s3cr3t-pw@127.0.0.1:{port}"
    options: dict[str, Any] = {"proxy": dead} if via == "proxy=" else {}
    if via == "HTTP_PROXY":
        no_proxy_env.setenv("HTTP_PROXY", dead)
    base_url = f"http://127.0.0.1:{_closed_port()}/api/v1"
    async with HomebaseClient(API_KEY, base_url=base_url, http_backend=backend, **options) as hb:  # type: ignore[arg-type]
        with pytest.raises(ProxyError) as caught:
            await hb.ping()
        assert "s3cr3t" not in repr(hb)
    message = str(caught.value)
    assert f"proxy http://127.0.0.1:{port}: connection refused" in message
    assert "s3cr3t" not in message
    assert "proxyuser" not in message
    assert "base URL" not in message
    assert isinstance(caught.value, TransportError)


@pytest.mark.parametrize(
    "proxy_url", ["socks5://127.0.0.1:1080", "127.0.0.1:3128", "http://", "http://h:port"]
)
def test_a_proxy_that_is_not_an_http_url_is_refused(proxy_url: str) -> None:
    with pytest.raises(ConfigurationError, match="proxy"):
        HomebaseClient(API_KEY, base_url=BASE_URL, proxy=proxy_url)


def test_the_environment_is_read_as_httpx_reads_it(no_proxy_env: pytest.MonkeyPatch) -> None:
    no_proxy_env.setenv("HTTPS_PROXY", "http://secure-proxy:3128")
    no_proxy_env.setenv("http_proxy", "plain-proxy:8080")
    assert resolve_proxy(settings(base_url="https://api.example.com/v1")) == (
        "http://secure-proxy:3128"
    )
    assert resolve_proxy(settings(base_url="http://127.0.0.1:9/v1")) == "http://plain-proxy:8080"
    assert resolve_proxy(settings(base_url="https://x.test", proxy="http://mine:1")) == (
        "http://mine:1"
    )
    assert resolve_proxy(settings(base_url="https://x.test", trust_env=False)) is None
    for no_proxy in ("*", "example.com", ".example.com", "api.example.com:443", "x, example.com"):
        no_proxy_env.setenv("NO_PROXY", no_proxy)
        assert resolve_proxy(settings(base_url="https://api.example.com:443/v1")) is None
    no_proxy_env.setenv("NO_PROXY", "ample.com")
    assert resolve_proxy(settings(base_url="https://api.example.com/v1")) is not None


# -- HTTPS through the proxy (CONNECT), from HTTPS_PROXY ---------------------------------------


class TlsPing:
    """A raw asyncio TLS server on loopback answering every request with a ping success."""

    def __init__(self, ca: Any) -> None:
        self.context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ca.issue_cert("localhost").configure_cert(self.context)
        self.requests = 0
        self.server: asyncio.Server | None = None

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        body = json.dumps(ok(PING)).encode()
        try:
            while await reader.readuntil(b"\r\n\r\n"):
                self.requests += 1
                writer.write(
                    b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
                    + f"content-length: {len(body)}\r\n\r\n".encode()
                    + body
                )
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, ssl.SSLError):
            pass
        finally:
            writer.close()

    async def __aenter__(self) -> str:
        self.server = await asyncio.start_server(self._handle, "127.0.0.1", 0, ssl=self.context)
        port = self.server.sockets[0].getsockname()[1]
        return f"https://localhost:{port}/api/v1"

    async def __aexit__(self, *exc: object) -> None:
        assert self.server is not None
        self.server.close()


@pytest.mark.parametrize("backend", BACKENDS)
async def test_https_goes_through_the_proxy_of_https_proxy(
    proxy: Proxy, no_proxy_env: pytest.MonkeyPatch, backend: str
) -> None:
    import httpx._transports.default as httpx_default
    import trustme

    ca = trustme.CA()
    trusting = ssl.create_default_context()
    ca.configure_trust(trusting)
    # Both backends build their TLS context with httpx's function: trust the test CA there.
    no_proxy_env.setattr(httpx_default, "create_ssl_context", lambda *a, **k: trusting)
    no_proxy_env.setattr(httpx, "create_ssl_context", lambda *a, **k: trusting)
    no_proxy_env.setenv("HTTPS_PROXY", proxy.url)
    no_proxy_env.setenv("HTTP_PROXY", f"http://127.0.0.1:{_closed_port()}")  # not for https
    server = TlsPing(ca)
    async with server as base_url:
        async with HomebaseClient(API_KEY, base_url=base_url, http_backend=backend) as hb:  # type: ignore[arg-type]
            await hb.ping()
        port = urlsplit(base_url).port
    assert server.requests == 1
    assert proxy.saw(f"CONNECT localhost:{port}")


# -- httpx's own INFO log never shows a query -------------------------------------------------


@pytest.mark.parametrize("backend", BACKENDS)
async def test_httpx_info_log_shows_no_identifiers(
    caplog: pytest.LogCaptureFixture, backend: str
) -> None:
    fake = FakeHomebase(seed=1)
    fake.add_customer(first_name="Ada", email="ada.private@example.com", phone="+13035550100")
    with caplog.at_level(logging.INFO):
        async with fake.serve() as base_url:
            hb = HomebaseClient(fake.api_key, base_url=base_url, http_backend=backend)  # type: ignore[arg-type]
            async with hb:
                await hb.customers.lookup(["ada.private@example.com", "+13035550100"])
                await hb.customers.search(email="ada.private@example.com")
    lines = [r.getMessage() for r in caplog.records if r.name.startswith("httpx")]
    assert any("HTTP Request: GET" in line for line in lines)  # httpx did log the requests
    text = "\n".join(lines)
    for secret in ("ada.private", "%40example", "3035550100", "example.com"):
        assert secret not in text
    assert "/api/v1/customers?…" in text


def test_the_redaction_filter_leaves_other_records_alone() -> None:
    record = logging.LogRecord("httpx", logging.INFO, __file__, 1, "closing %s", ("pool",), None)
    assert RedactQueries().filter(record)
    assert record.getMessage() == "closing pool"
    record = logging.LogRecord(
        "httpx",
        logging.INFO,
        __file__,
        1,
        "HTTP Request: %s %s",
        ("GET", "https://h/p?q=a@b"),
        None,
    )
    assert RedactQueries().filter(record)
    assert record.getMessage() == "HTTP Request: GET https://h/p?…"


async def test_the_cli_takes_proxy(proxy: Proxy, no_proxy_env: pytest.MonkeyPatch) -> None:
    fake = FakeHomebase(seed=1)
    async with fake.serve() as base_url:
        env = {**os.environ, "HOMEBASE_API_KEY": fake.api_key}
        process = await asyncio.create_subprocess_exec(
            *(sys.executable, "-m", "homebase_async", "ping"),
            *("--base-url", base_url, "--proxy", proxy.url),
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await asyncio.wait_for(process.communicate(), 60)
        port = urlsplit(base_url).port
    assert process.returncode == 0, err.decode()
    assert json.loads(out)["email"] == fake.business_email
    assert proxy.saw(f"GET 127.0.0.1:{port}/api/v1/ping")


# -- httpx's per-request work, done once ------------------------------------------------------


async def test_the_client_joins_each_path_once_and_keeps_cookies_as_httpx_does() -> None:
    seen: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(f"{request.url} cookie={request.headers.get('cookie')}")
        headers = {"set-cookie": "affinity=a1; Path=/"} if request.url.path.endswith("/b") else {}
        return httpx.Response(200, headers=headers)

    client = build_httpx_client(settings(), transport=httpx.MockTransport(answer), user_agent="ua")
    async with client:
        await client.get("/customers", params={"customerId": "x"})
        await client.get("/customers", params={"customerId": "y", "limit": 1})
        await client.get("/b")
        await client.get("/customers")
        assert client._merge_url("/customers") is client._merge_url("/customers")
        for n in range(400):  # ids in paths: the cache stays bounded
            assert str(client._merge_url(f"/jobs/{n}")) == f"{BASE_URL}/jobs/{n}"
        assert len(client._merged) <= 256  # type: ignore[attr-defined]
        client.base_url = "http://127.0.0.1:9/other"  # type: ignore[assignment]
        assert str(client._merge_url("/customers")) == "http://127.0.0.1:9/other/customers"
    assert seen == [
        f"{BASE_URL}/customers?customerId=x cookie=None",
        f"{BASE_URL}/customers?customerId=y&limit=1 cookie=None",
        f"{BASE_URL}/b cookie=None",
        f"{BASE_URL}/customers cookie=affinity=a1",  # the cookie set by /b, sent as httpx does
    ]
