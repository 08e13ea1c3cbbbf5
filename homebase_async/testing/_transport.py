"""Faults in process: an httpx transport that runs the app and fails the way a network does."""

from __future__ import annotations

import asyncio

import httpx
from starlette.types import ASGIApp

from ._gate import Gate


class FakeTransport(httpx.AsyncBaseTransport):
    """Calls the fake's routes in process and applies the drawn faults in httpx terms.

    httpx does not enforce timeouts on custom transports, so this one reads the request's
    read timeout: a delay longer than it sleeps that long, then raises `httpx.ReadTimeout`
    (the request is still processed, as a real server would, unless the fault says not to).
    """

    def __init__(self, app: ASGIApp, gate: Gate) -> None:
        self._app = httpx.ASGITransport(app=app)
        self._gate = gate

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        # A real network suspends the caller on every request; without this, a task that
        # makes requests in a loop never lets the event loop run timeouts or cancellations.
        await asyncio.sleep(0)
        body = await request.aread()
        query = request.url.query.decode("ascii", "replace")
        record, decision = self._gate.enter(request.method, request.url.path, query, body)
        read_timeout = _read_timeout(request)
        timed_out = await _delay(decision.latency, read_timeout)
        if decision.kind == "error":
            self._gate.log.finish(record, decision.status)
            if timed_out:
                raise _timeout(request)
            headers, content = decision.error_response()
            return httpx.Response(decision.status, headers=headers, content=content)
        if decision.kind == "drop_before":
            self._gate.log.finish(record, None)
            if timed_out:
                raise _timeout(request)
            message = "Server disconnected without sending a response."
            raise httpx.RemoteProtocolError(message, request=request)
        response = await self._call(request)
        self._gate.log.finish(record, response.status_code)
        if timed_out:
            raise _timeout(request)
        if decision.kind == "drop_after":
            message = "peer closed connection without sending complete message body"
            raise httpx.RemoteProtocolError(message, request=request)
        if decision.kind == "slow_after" and await _delay(decision.faults.slow_delay, read_timeout):
            raise _timeout(request)
        return response

    async def _call(self, request: httpx.Request) -> httpx.Response:
        response = await self._app.handle_async_request(request)
        content = await response.aread()
        return httpx.Response(response.status_code, headers=response.headers, content=content)

    async def aclose(self) -> None:
        await self._app.aclose()


async def _delay(seconds: float, limit: float | None) -> bool:
    """Sleep `seconds`, or only `limit` when that is shorter: True if the limit won."""
    if limit is not None and seconds > limit:
        await asyncio.sleep(limit)
        return True
    if seconds:
        await asyncio.sleep(seconds)
    return False


def _timeout(request: httpx.Request) -> httpx.ReadTimeout:
    return httpx.ReadTimeout(
        "fault injection: the response came after the timeout", request=request
    )


def _read_timeout(request: httpx.Request) -> float | None:
    value = request.extensions.get("timeout", {}).get("read")
    return float(value) if isinstance(value, int | float) else None
