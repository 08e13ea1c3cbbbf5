"""The contenders: one `get(customer_id)` per client stack, and the load that drives them.

Every contender fetches one customer by id (`GET /customers?customerId=...&limit=1`) and is
built with the same pool: as many kept-alive connections as requests in flight.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from typing import Any, Literal
from urllib.parse import urlsplit

import aiohttp
import httpx
from homebase_api.api.customers import get_customers

from homebase_async import HomebaseClient

Get = Callable[[str], Awaitable[Any]]
Backend = Literal["httpx", "aiohttp"]
KEEPALIVE = 5.0
TIMEOUT = 30.0


def limits(pool: int) -> httpx.Limits:
    return httpx.Limits(
        max_connections=pool, max_keepalive_connections=pool, keepalive_expiry=KEEPALIVE
    )


@contextlib.asynccontextmanager
async def facade(url: str, key: str, pool: int, backend: Backend = "httpx") -> AsyncIterator[Get]:
    async with HomebaseClient(
        key, base_url=url, max_concurrency=pool, http_backend=backend, timeout=TIMEOUT
    ) as hb:
        yield hb.customers.get


@contextlib.asynccontextmanager
async def generated(url: str, key: str, pool: int) -> AsyncIterator[Get]:
    """The generated `asyncio_detailed` on the facade's own httpx client (`hb.raw`), on httpx's
    pool like the bare httpx client it is compared with."""
    async with HomebaseClient(
        key, base_url=url, max_concurrency=pool, timeout=TIMEOUT, http_backend="httpx"
    ) as hb:
        raw = hb.raw

        async def get(customer_id: str) -> Any:
            response = await get_customers.asyncio_detailed(
                client=raw, customer_id=customer_id, limit=1
            )
            return response.parsed.data[0]  # type: ignore[union-attr]

        yield get


@contextlib.asynccontextmanager
async def bare_httpx(url: str, key: str, pool: int) -> AsyncIterator[Get]:
    """What a hand-written client does: request, check the status, decode the JSON."""
    async with httpx.AsyncClient(
        base_url=url, headers={"x-api-key": key}, limits=limits(pool), timeout=TIMEOUT
    ) as client:

        async def get(customer_id: str) -> Any:
            response = await client.get(
                "/customers", params={"customerId": customer_id, "limit": 1}
            )
            response.raise_for_status()
            return response.json()["data"][0]

        yield get


@contextlib.asynccontextmanager
async def bare_aiohttp(url: str, key: str, pool: int) -> AsyncIterator[Get]:
    connector = aiohttp.TCPConnector(limit=pool, keepalive_timeout=KEEPALIVE)
    async with aiohttp.ClientSession(
        connector=connector,
        headers={"x-api-key": key},
        timeout=aiohttp.ClientTimeout(total=TIMEOUT),
    ) as session:
        endpoint = url + "/customers"

        async def get(customer_id: str) -> Any:
            params = {"customerId": customer_id, "limit": "1"}
            async with session.get(endpoint, params=params) as response:
                response.raise_for_status()
                return (await response.json())["data"][0]

        yield get


@contextlib.asynccontextmanager
async def raw_streams(url: str, key: str, pool: int) -> AsyncIterator[Get]:
    """The physical baseline: HTTP/1.1 keep-alive over asyncio streams, bytes only (no JSON).

    Like the pools it is compared with, it drops connections idle for `KEEPALIVE` seconds
    and reconnects once when a kept-alive connection turns out closed.
    """
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    head = f"Host: {host}:{port}\r\nx-api-key: {key}\r\n\r\n".encode()
    prefix = f"GET {parts.path}/customers?limit=1&customerId=".encode()
    idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter, float]] = []

    async def connection() -> tuple[asyncio.StreamReader, asyncio.StreamWriter, bool]:
        while idle:
            reader, writer, used = idle.pop()
            if time.monotonic() - used < KEEPALIVE and not reader.at_eof():
                return reader, writer, True
            writer.close()
        reader, writer = await asyncio.open_connection(host, port)
        return reader, writer, False

    async def get(customer_id: str) -> bytes:
        request = prefix + customer_id.encode() + b" HTTP/1.1\r\n" + head
        reader, writer, reused = await connection()
        try:
            writer.write(request)
            header = await reader.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()
            if not reused:
                raise
            reader, writer = await asyncio.open_connection(host, port)
            writer.write(request)
            header = await reader.readuntil(b"\r\n\r\n")
        length = 0
        for line in header.split(b"\r\n"):
            if line[:15].lower() == b"content-length:":
                length = int(line[15:])
        body = await reader.readexactly(length)
        if header[9:12] != b"200":
            raise RuntimeError(f"status {header[9:12]!r}")
        idle.append((reader, writer, time.monotonic()))
        return body

    try:
        yield get
    finally:
        for _, writer, _ in idle:
            writer.close()


CONTENDERS: dict[str, Callable[..., contextlib.AbstractAsyncContextManager[Get]]] = {
    "facade (httpx)": facade,
    "facade (aiohttp)": lambda url, key, pool: facade(url, key, pool, "aiohttp"),
    "generated": generated,
    "bare httpx": bare_httpx,
    "bare aiohttp": bare_aiohttp,
    "raw asyncio streams": raw_streams,
}


async def drive(get: Get, ids: Iterable[str], concurrency: int) -> float:
    """Fetch every id with `concurrency` workers; the wall time in seconds."""
    pending = iter(ids)

    async def worker() -> None:
        for customer_id in pending:
            await get(customer_id)

    started = time.perf_counter()
    async with asyncio.TaskGroup() as group:
        for _ in range(concurrency):
            group.create_task(worker())
    return time.perf_counter() - started
