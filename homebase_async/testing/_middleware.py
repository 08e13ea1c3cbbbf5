"""Faults over a real server: an ASGI layer in front of the routes.

Dropping a connection needs the server's socket. Under uvicorn the ASGI `receive` callable
is a method of the request cycle that owns the asyncio transport, so the layer closes that
transport; the client then sees the connection end without a (complete) response. Under any
other server the layer raises `ConnectionDropped`, and the server closes the connection.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ._gate import Gate


class ConnectionDropped(Exception):
    """Raised to make a server without a reachable transport drop the connection."""


class FaultMiddleware:
    """Logs every request and applies the faults `gate` draws for it."""

    def __init__(self, app: ASGIApp, gate: Gate) -> None:
        self.app = app
        self.gate = gate

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        body = await _read_body(receive)
        query = scope.get("query_string", b"").decode("latin-1")
        record, decision = self.gate.enter(scope["method"], scope["path"], query, body)
        if decision.latency:
            await asyncio.sleep(decision.latency)
        if decision.kind == "error":
            headers, content = decision.error_response()
            self.gate.log.finish(record, decision.status)
            await _send_whole(send, decision.status, headers, content)
            return
        if decision.kind == "drop_before":
            self.gate.log.finish(record, None)
            await _drop(receive, send, [])
            return
        replay = _Replay(body, receive)
        if decision.kind is None:
            status = _StatusSpy(send)
            await self.app(scope, replay, status)
            self.gate.log.finish(record, status.status)
            return
        captured: list[Message] = []

        async def capture(message: Message) -> None:
            captured.append(message)

        await self.app(scope, replay, capture)
        self.gate.log.finish(record, captured[0]["status"] if captured else None)
        if decision.kind == "drop_after":
            await _drop(receive, send, captured)
        elif not await _disconnected_within(receive, decision.faults.slow_delay):
            for message in captured:
                await send(message)


async def _read_body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


class _Replay:
    """Gives the already-read body once, then defers to the server (for disconnects)."""

    def __init__(self, body: bytes, receive: Receive) -> None:
        self._body: bytes | None = body
        self._receive = receive

    async def __call__(self) -> Message:
        if self._body is None:
            return await self._receive()
        body, self._body = self._body, None
        return {"type": "http.request", "body": body, "more_body": False}


class _StatusSpy:
    def __init__(self, send: Send) -> None:
        self._send = send
        self.status: int | None = None

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
        await self._send(message)


async def _send_whole(send: Send, status: int, headers: list[tuple[str, str]], body: bytes) -> None:
    raw = [(name.encode("latin-1"), value.encode("latin-1")) for name, value in headers]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body, "more_body": False})


async def _drop(receive: Receive, send: Send, captured: list[Message]) -> None:
    """Close the connection, after the head and half the body of `captured` if any."""
    cycle: Any = getattr(receive, "__self__", None)
    transport = getattr(cycle, "transport", None)
    if not isinstance(transport, asyncio.BaseTransport):
        raise ConnectionDropped("fault injection: connection dropped")
    if captured:
        await send(captured[0])
        body = b"".join(message.get("body", b"") for message in captured[1:])
        await send(
            {"type": "http.response.body", "body": body[: len(body) // 2], "more_body": True}
        )
    transport.close()
    # Return only once uvicorn has seen the close: returning earlier makes it log an error
    # about an incomplete response.
    for _ in range(200):
        if getattr(cycle, "disconnected", True):
            return
        await asyncio.sleep(0.005)


async def _disconnected_within(receive: Receive, delay: float) -> bool:
    """Sleep `delay` seconds; stop early (True) if the client goes away meanwhile."""

    async def disconnect() -> None:
        while (await receive())["type"] != "http.disconnect":
            pass

    sleeper = asyncio.ensure_future(asyncio.sleep(delay))
    watcher = asyncio.ensure_future(disconnect())
    done, pending = await asyncio.wait({sleeper, watcher}, return_when=asyncio.FIRST_COMPLETED)
    for task in pending:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    return watcher in done
