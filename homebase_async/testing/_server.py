"""Serving the fake over loopback with uvicorn, inside the caller's event loop."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator, Iterator
from typing import cast

import uvicorn
from starlette.types import ASGIApp

from ._common import API_PREFIX


class _Server(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        # The host process (pytest, a benchmark) owns signal handling; uvicorn's capture would
        # also restore handlers in the wrong order when several fakes serve at once.
        yield


def bind(host: str, port: int) -> socket.socket:
    """A listening socket; binding here, not in uvicorn, reports a busy port as OSError."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # An explicit IPPROTO_TCP, as getaddrinfo gives: asyncio sets TCP_NODELAY on accepted
    # sockets only when the protocol says TCP, and without it each response waits ~40 ms
    # for a delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(1024)
    except OSError:
        sock.close()
        raise
    sock.setblocking(False)
    return sock


def base_url(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}{API_PREFIX}"


def config(app: ASGIApp, *, keep_alive_timeout: float) -> uvicorn.Config:
    return uvicorn.Config(
        app,
        # uvicorn hands it to loop.call_later, so fractional seconds work despite the hint.
        timeout_keep_alive=cast(int, keep_alive_timeout),
        timeout_graceful_shutdown=1,
        http="h11",
        ws="none",
        lifespan="off",
        log_config=None,
        access_log=False,
    )


@contextlib.asynccontextmanager
async def serve(
    app: ASGIApp, *, host: str, port: int, keep_alive_timeout: float
) -> AsyncIterator[str]:
    """Run `app` on `host:port` (0 picks a free port) and yield its base URL."""
    sock = bind(host, port)
    server = _Server(config(app, keep_alive_timeout=keep_alive_timeout))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        while not server.started:
            if task.done():
                task.result()
                raise RuntimeError("uvicorn stopped before it started")
            await asyncio.sleep(0.005)
        yield base_url(sock)
    finally:
        server.should_exit = True
        await task
        sock.close()
