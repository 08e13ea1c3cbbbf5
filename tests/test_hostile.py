"""The SDK against small raw servers that each break one assumption (issue 10).

Each server is an asyncio stream server on 127.0.0.1 that answers every request with one kind
of misbehaviour: protocol garbage, a success body that does not parse, a trickling body, a huge
or decompression-bomb body, a stall. Every test runs on both HTTP backends, and checks that only
`HomebaseError`s leave the SDK, that bulk helpers account for every item, that a write the
server may have performed is never `failed`, and that the API key shows in no error.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import time
import tracemalloc
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from _support import API_KEY, PING, ok

from homebase_async import (
    ClientClosedError,
    DailyLimitExceededError,
    HomebaseClient,
    HomebaseError,
    HostNotFoundError,
    RateLimitError,
    RequestTimeoutError,
    ResponseTooLargeError,
    RetryPolicy,
    ServerError,
    TransportError,
    UnexpectedResponseError,
    WriteOutcomeUnknownError,
)

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter, "Server"], Awaitable[None]]
BACKENDS = ["aiohttp", "httpx"]


class Server:
    """A raw HTTP/1.1 server on loopback; `handler` writes whatever it likes."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.requests: list[tuple[str, str, bytes]] = []
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def base_url(self) -> str:
        assert self._server is not None
        port = self._server.sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}/api/v1"

    async def read_request(self, reader: asyncio.StreamReader) -> tuple[str, str, bytes] | None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, ConnectionError):
            return None
        lines = head.decode("latin-1").split("\r\n")
        method, target, _ = lines[0].split(" ", 2)
        length = 0
        for line in lines[1:]:
            name, _, value = line.partition(":")
            if name.strip().lower() == "content-length":
                length = int(value.strip())
        body = await reader.readexactly(length) if length else b""
        request = (method, target, body)
        self.requests.append(request)
        return request

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            await self.handler(reader, writer, self)
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.CancelledError):
            pass  # the client hung up, or the test ended: either way this connection is done
        finally:
            self._tasks.discard(task)
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    async def __aenter__(self) -> Server:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._server.wait_closed()


def response(status: int, body: bytes, headers: dict[str, str] | None = None) -> bytes:
    head = [f"HTTP/1.1 {status} X", f"content-length: {len(body)}"]
    head += [f"{k}: {v}" for k, v in (headers or {}).items()]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


def every_request(answer: bytes) -> Handler:
    """A handler that reads each request on a connection and writes `answer` to it."""

    async def handler(
        reader: asyncio.StreamReader, writer: asyncio.StreamWriter, server: Server
    ) -> None:
        while await server.read_request(reader) is not None:
            writer.write(answer)
            await writer.drain()

    return handler


def once_then_close(answer: bytes) -> Handler:
    async def handler(
        reader: asyncio.StreamReader, writer: asyncio.StreamWriter, server: Server
    ) -> None:
        if await server.read_request(reader) is not None:
            writer.write(answer)
            await writer.drain()

    return handler


@contextlib.asynccontextmanager
async def client_for(server: Server, backend: str, **options: Any) -> AsyncIterator[HomebaseClient]:
    options.setdefault("timeout", 5.0)
    async with HomebaseClient(
        API_KEY, base_url=server.base_url, http_backend=backend, **options
    ) as hb:
        yield hb


def chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def assert_no_key(exc: BaseException) -> None:
    """The API key is in no repr or str of the error or anything chained to it."""
    for error in chain(exc):
        assert API_KEY not in repr(error), type(error)
        assert API_KEY not in str(error), type(error)
        for value in vars(error).values() if hasattr(error, "__dict__") else ():
            if isinstance(value, BaseException | str):
                assert API_KEY not in repr(value)


# Protocol garbage: each answer is what a broken proxy or server might send.
GARBAGE = {
    "bad status line": b"HELLO\r\n\r\n",
    "http/0.9 body": b'{"success": true}',
    "binary": bytes(range(256)) * 4,
    "bad content-length": b"HTTP/1.1 200 OK\r\ncontent-length: nope\r\n\r\n{}",
    "bad chunking": b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nZZZ\r\nxx\r\n",
    "short body": b"HTTP/1.1 200 OK\r\ncontent-length: 500\r\n\r\n{",
    "bad header": b"HTTP/1.1 200 OK\r\nno colon here\r\n\r\n",
}


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("kind", sorted(GARBAGE))
async def test_protocol_garbage_is_a_typed_error(backend: str, kind: str) -> None:
    async with (
        Server(once_then_close(GARBAGE[kind])) as server,
        client_for(server, backend, retry=None) as hb,
    ):
        with pytest.raises(HomebaseError) as read:
            await hb.ping()
        assert isinstance(read.value, TransportError | UnexpectedResponseError)
        assert_no_key(read.value)
        with pytest.raises(WriteOutcomeUnknownError) as write:
            await hb.customers.create(first_name="Ada", email="ada@example.com")
        assert_no_key(write.value)


@pytest.mark.parametrize("backend", BACKENDS)
async def test_a_malformed_response_never_aborts_a_bulk_run(backend: str) -> None:
    async with (
        Server(every_request(GARBAGE["bad status line"])) as server,
        client_for(server, backend) as hb,
    ):
        items = [{"first_name": f"C{i}", "email": f"c{i}@example.com"} for i in range(10)]
        report = await hb.customers.create_many(items, concurrency=2, settle=False)
        # Each create reached the server: none is "failed", none was sent twice.
        assert sorted(report.outcome_unknown) == list(range(10))
        assert not report.created
        assert not report.failed
        posts = [r for r in server.requests if r[0] == "POST"]
        assert len(posts) == 10
        for error in report.outcome_unknown.values():
            assert_no_key(error)

        found = await hb.customers.lookup(["a@example.com", "b@example.com"])
        assert sorted(found.failed) == ["a@example.com", "b@example.com"]
        for failure in found.failed.values():
            assert_no_key(failure)


def _send_handler(answer: bytes, stats_used: int = 0) -> Handler:
    """`/messages/stats` answers normally; every send gets `answer`."""

    async def handler(
        reader: asyncio.StreamReader, writer: asyncio.StreamWriter, server: Server
    ) -> None:
        while (request := await server.read_request(reader)) is not None:
            if request[1].endswith("/messages/stats"):
                stats = {
                    "limits": {"perDay": 500},
                    "usage": {"dailyUsed": stats_used, "dailyRemaining": 500 - stats_used},
                }
                writer.write(response(200, json.dumps(ok(stats)).encode()))
            else:
                writer.write(answer)
            await writer.drain()

    return handler


@pytest.mark.parametrize("backend", BACKENDS)
async def test_a_send_answered_2xx_without_data_is_performed_not_failed(backend: str) -> None:
    answer = response(200, b'{"success": true}')
    async with Server(_send_handler(answer)) as server, client_for(server, backend) as hb:
        items = [{"mobile_phone": "+13035550100", "message": f"hi {i}"} for i in range(4)]
        report = await hb.messages.send_many(items)
        assert sorted(report.outcome_unknown) == [0, 1, 2, 3]
        assert not report.failed
        assert all(e.performed for e in report.outcome_unknown.values())
        budget = hb.messages.budget
        assert budget is not None
        assert budget.used == 4  # counted, as the server counted them


@pytest.mark.parametrize("backend", BACKENDS)
async def test_a_cancelled_send_many_counts_every_send_that_reached_the_server(
    backend: str,
) -> None:
    received = asyncio.Event()

    async def handler(
        reader: asyncio.StreamReader, writer: asyncio.StreamWriter, server: Server
    ) -> None:
        while (request := await server.read_request(reader)) is not None:
            if request[1].endswith("/messages/stats"):
                stats = {
                    "limits": {"perDay": 500},
                    "usage": {"dailyUsed": 0, "dailyRemaining": 500},
                }
                writer.write(response(200, json.dumps(ok(stats)).encode()))
                await writer.drain()
                continue
            if sum(r[0] == "POST" for r in server.requests) >= 8:
                received.set()
            await asyncio.sleep(3600)  # the send is counted, the answer never comes

    async with Server(handler) as server, client_for(server, backend) as hb:
        items = [{"mobile_phone": "+13035550100", "message": f"hi {i}"} for i in range(32)]
        task = asyncio.create_task(hb.messages.send_many(items, concurrency=8))
        await asyncio.wait_for(received.wait(), 10)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        budget = hb.messages.budget
        assert budget is not None
        posts = sum(r[0] == "POST" for r in server.requests)
        assert posts == 8
        assert budget.used >= posts


def trickle(interval: float) -> Handler:
    async def handler(
        reader: asyncio.StreamReader, writer: asyncio.StreamWriter, server: Server
    ) -> None:
        await server.read_request(reader)
        writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: 100000\r\n\r\n")
        while True:
            writer.write(b" ")
            await writer.drain()
            await asyncio.sleep(interval)

    return handler


@pytest.mark.parametrize("backend", BACKENDS)
async def test_timeout_bounds_the_whole_request_not_each_read(backend: str) -> None:
    async with Server(trickle(0.5)) as server, client_for(server, backend, timeout=1.0) as hb:
        hb = hb.with_options(retry=None)
        started = time.monotonic()
        with pytest.raises(RequestTimeoutError):
            await hb.ping()
        assert time.monotonic() - started < 3.0
        # The permit came back: the client is not left one request short.
        assert hb._requester.permits._value == hb.max_concurrency


@pytest.mark.parametrize("backend", BACKENDS)
async def test_a_write_answered_2xx_whose_body_never_completes_was_performed(
    backend: str,
) -> None:
    # Found by review: the deadline passing in a 2xx body left `performed` None, so settling
    # could have sent the write again.
    async with Server(trickle(0.2)) as server, client_for(server, backend, timeout=0.5) as hb:
        with pytest.raises(WriteOutcomeUnknownError) as info:
            await hb.customers.create(first_name="Ada", email="ada@example.com")
    assert info.value.performed is True
    assert isinstance(info.value.cause, RequestTimeoutError)


def stream(status: int, size: int, headers: dict[str, str], chunk: bytes) -> Handler:
    async def handler(
        reader: asyncio.StreamReader, writer: asyncio.StreamWriter, server: Server
    ) -> None:
        await server.read_request(reader)
        head = [f"HTTP/1.1 {status} X", f"content-length: {size}"]
        head += [f"{k}: {v}" for k, v in headers.items()]
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode())
        sent = 0
        while sent < size:
            part = chunk[: size - sent]
            writer.write(part)
            sent += len(part)
            await writer.drain()

    return handler


_BOMB: list[bytes] = []


def gzip_bomb() -> bytes:
    """1 GiB of spaces, gzipped to about 1 MiB (made once)."""
    if not _BOMB:
        compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
        block = b" " * (1 << 20)
        parts = [compressor.compress(block) for _ in range(1024)]
        parts.append(compressor.flush())
        _BOMB.append(b"".join(parts))
    return _BOMB[0]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("body", ["plain 100 MB", "gzip bomb 1 GB"])
async def test_huge_bodies_are_refused_with_bounded_memory(backend: str, body: str) -> None:
    if body == "plain 100 MB":
        handler = stream(200, 100 * 1024 * 1024, {}, b" " * (1 << 20))
    else:
        bomb = gzip_bomb()
        handler = stream(200, len(bomb), {"content-encoding": "gzip"}, bomb)
    async with Server(handler) as server, client_for(server, backend, retry=None) as hb:
        gc.collect()
        tracemalloc.start()
        try:
            with pytest.raises(ResponseTooLargeError) as info:
                await hb.ping()
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert peak < 64 * 1024 * 1024  # the 16 MiB bound, a decoded piece and the joined copy
        assert "max_response_size" in str(info.value)


@pytest.mark.parametrize("backend", BACKENDS)
async def test_an_error_keeps_only_an_excerpt_of_a_huge_body(backend: str) -> None:
    handler = stream(500, 100 * 1024 * 1024, {}, b"x" * (1 << 20))
    async with Server(handler) as server, client_for(server, backend, retry=None) as hb:
        with pytest.raises(ServerError) as info:
            await hb.ping()
        error = info.value
        assert isinstance(error.body, str)
        assert len(error.body) <= 2_000
        assert error.response is not None
        assert len(error.response.content) <= 64 * 1024


def overloaded_then_ok(status: int, retry_after: str) -> Handler:
    async def handler(
        reader: asyncio.StreamReader, writer: asyncio.StreamWriter, server: Server
    ) -> None:
        while await server.read_request(reader) is not None:
            if len(server.requests) == 1:
                body = b'{"success": false, "error": "busy"}'
                writer.write(response(status, body, {"retry-after": retry_after}))
            else:
                writer.write(response(200, json.dumps(ok(PING)).encode()))
            await writer.drain()

    return handler


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("status", [429, 503])
async def test_retry_after_is_honoured_on_503_as_on_429(backend: str, status: int) -> None:
    waits: list[float | None] = []
    hooks = {"retry": [lambda event: waits.append(event.wait)]}
    async with (
        Server(overloaded_then_ok(status, "5")) as server,
        client_for(server, backend, event_hooks=hooks) as hb,
    ):
        await hb.ping()
        assert waits == [5.0]
        # Bulk work of the client pauses as long as the server asked.
        assert hb._requester.throttle.paused_until - time.monotonic() > 4.0


@pytest.mark.parametrize("backend", BACKENDS)
async def test_an_unreadable_retry_after_is_absent_and_never_the_sms_quota(backend: str) -> None:
    answer = response(429, b'{"success": false, "error": "slow down"}', {"retry-after": "soon"})
    async with Server(_send_handler(answer)) as server, client_for(server, backend) as hb:
        hb = hb.with_options(retry=RetryPolicy(max_attempts=1))
        with pytest.raises(RateLimitError) as info:
            await hb.messages.send(mobile_phone="+13035550100", message="hi")
        assert not isinstance(info.value, DailyLimitExceededError)
        assert info.value.retry_after is None
        # No local block: the next send goes to the server again.
        with pytest.raises(RateLimitError):
            await hb.messages.send(mobile_phone="+13035550100", message="hi")
        assert sum(r[0] == "POST" for r in server.requests) == 2
        assert hb._requester.throttle.paused_until <= time.monotonic()


@pytest.mark.parametrize("backend", BACKENDS)
async def test_a_bare_429_on_send_is_still_the_quota(backend: str) -> None:
    answer = response(429, b'{"success": false, "error": "limit reached"}')
    async with Server(_send_handler(answer)) as server, client_for(server, backend) as hb:
        with pytest.raises(DailyLimitExceededError):
            await hb.messages.send(mobile_phone="+13035550100", message="hi")


@pytest.mark.parametrize("backend", BACKENDS)
async def test_aclose_before_the_first_request(backend: str) -> None:
    async with Server(every_request(response(200, json.dumps(ok(PING)).encode()))) as server:
        hb = HomebaseClient(API_KEY, base_url=server.base_url, http_backend=backend)
        await hb.aclose()
        assert hb.closed
        with pytest.raises(ClientClosedError):
            await hb.ping()
        with pytest.raises(ClientClosedError):
            await hb.with_options(timeout=2.0).customers.get("c1")
        assert server.requests == []


@pytest.mark.parametrize("backend", BACKENDS)
async def test_use_after_close(backend: str) -> None:
    async with Server(every_request(response(200, json.dumps(ok(PING)).encode()))) as server:
        async with client_for(server, backend) as hb:
            await hb.ping()
        with pytest.raises(ClientClosedError, match="closed"):
            await hb.ping()
        assert len(server.requests) == 1


def test_a_client_used_from_another_event_loop() -> None:
    hb = HomebaseClient(API_KEY, base_url="http://127.0.0.1:9/api/v1", retry=None)

    async def first() -> None:
        with contextlib.suppress(TransportError):
            await hb.ping()  # binds the client to this loop (connection refused is fine)
        # The pool belongs to this loop: close it here (aclose() itself is tested above).
        await hb._shared.transport.aclose()

    async def second() -> None:
        with pytest.raises(ClientClosedError, match="event loop"):
            await hb.ping()

    asyncio.run(first())
    asyncio.run(second())


async def test_the_fakes_transport_lets_timeouts_fire() -> None:
    from homebase_async.testing import FakeHomebase

    fake = FakeHomebase()
    transport = fake.transport()
    async with HomebaseClient(fake.api_key, base_url=fake.base_url, transport=transport) as hb:
        calls = 0

        async def forever() -> None:
            nonlocal calls
            while True:
                await hb.ping()
                calls += 1

        # Before the fix the loop never yielded, so the timeout never fired (issue 10, item 7).
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(forever(), 0.05)
        assert calls > 0


@pytest.mark.parametrize("backend", BACKENDS)
async def test_deeply_nested_json_is_a_typed_error(backend: str) -> None:
    body = b'{"success": true, "data": ' + b"[" * 200_000 + b"]" * 200_000 + b"}"
    async with (
        Server(_send_handler(response(200, body))) as server,
        client_for(server, backend, retry=None) as hb,
    ):
        with pytest.raises(UnexpectedResponseError):
            await hb.customers.search(customer_id="c1")
        with pytest.raises(WriteOutcomeUnknownError) as info:
            await hb.messages.send(mobile_phone="+13035550100", message="hi")
        assert info.value.performed is True


@pytest.mark.parametrize("backend", BACKENDS)
async def test_a_request_id_reaches_the_error(backend: str) -> None:
    answer = response(
        404, b'{"success": false, "error": "nope"}', {"function-execution-id": "abc123"}
    )
    async with (
        Server(every_request(answer)) as server,
        client_for(server, backend, retry=None) as hb,
    ):
        with pytest.raises(HomebaseError) as info:
            await hb.customers.update("c1", notes="x")
        assert getattr(info.value, "request_id", None) == "abc123"
        assert "abc123" in str(info.value)


@pytest.mark.parametrize("backend", BACKENDS)
async def test_an_unresolvable_host_fails_fast_and_once(backend: str) -> None:
    events: list[str] = []
    hooks = {"retry": [lambda event: events.append(event.kind)]}
    async with HomebaseClient(
        API_KEY,
        base_url="https://no-such-host.invalid/api/v1",
        http_backend=backend,
        event_hooks=hooks,
    ) as hb:
        with pytest.raises(HostNotFoundError, match=r"no-such-host\.invalid") as info:
            await hb.ping()
        assert events == []  # a name that does not resolve is not retried
        assert_no_key(info.value)
