"""A lean customer-search server for the lookup's latency target, in its own process.

    python scripts/bench/lean_server.py --customers 10000 --latency 0.02

`customers.lookup`'s share of the latency ideal judges the client: against the fake (a
starlette app with validation, faults and a request log under uvicorn, one Python process)
the server's own work per 100-identifier search is a large part of the wall time. This server
does next to nothing per request, so the wall time left is latency and the client's own work:

- raw asyncio HTTP/1.1 (a `Protocol` per connection), keep-alive, any number of connections;
- `GET .../customers?identifiers=...&limit=N` (and `customerId=`) answered from JSON bytes
  rendered once at start, each customer exactly as the fake serves it (same records: a
  `FakeHomebase` populated with the same seed, rendered through the fake itself), so strict
  reading passes; matching as the fake's: ids, any phone, e-mails without case;
- every answer is written `--latency` seconds after its request arrived (a timer, not a task).

Prints one JSON line when it accepts requests (`base_url`, `api_key`, `customers` as
`[id, mobile, e-mail]`, like `fake_server.py`), then answers commands on stdin, one JSON object
a line: `{"op": "stats"}` -> requests served, connections accepted and this process's CPU seconds;
`{"op": "latency", "seconds": 0.02}` sets the latency.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import unquote_plus

import httpx

from homebase_async.testing import FakeHomebase

SCRIPT = Path(__file__)
_MAX_IDENTIFIERS = 100
_HEAD_END = b"\r\n\r\n"


def _render(fake: FakeHomebase) -> list[bytes]:
    """Every customer's JSON as the fake serves it, in the fake's order (asked through it)."""

    async def ask() -> list[bytes]:
        ids = list(fake.customers)
        out: list[bytes] = []
        async with httpx.AsyncClient(
            transport=fake.transport(),
            base_url="http://fake/api/v1",
            headers={"x-api-key": fake.api_key},
        ) as client:
            for start in range(0, len(ids), _MAX_IDENTIFIERS):
                chunk = ids[start : start + _MAX_IDENTIFIERS]
                response = await client.get(
                    "/customers", params={"identifiers": ",".join(chunk), "limit": 100}
                )
                response.raise_for_status()
                out += [
                    json.dumps(record, separators=(",", ":"), ensure_ascii=False).encode()
                    for record in response.json()["data"]
                ]
        return out

    return asyncio.run(ask())


class Index:
    """Search terms -> positions of the customers they match; the rendered customers."""

    def __init__(self, rendered: list[bytes]) -> None:
        self.rendered = rendered
        self.terms: dict[str, list[int]] = {}
        self.customers: list[list[str]] = []
        for position, body in enumerate(rendered):
            record = json.loads(body)
            keys = {record["customerId"]}
            keys.update(number for number in record["phone"].values() if number)
            keys.update(address.casefold() for address in record["email"])
            for key in keys:
                self.terms.setdefault(key, []).append(position)
            self.customers.append(
                [record["customerId"], record["phone"]["mobile"], record["email"][0]]
            )

    def search(self, terms: list[str], limit: int) -> bytes:
        found: set[int] = set()
        get = self.terms.get
        for raw in terms:
            term = raw.strip()
            if term.isdigit() and raw[:1].isspace():
                term = "+" + term  # a raw `+` arrives decoded as a space, as in the fake
            found.update(get(term, ()))
            if "@" in term:
                found.update(get(term.casefold(), ()))
        rendered = self.rendered
        data = b",".join(rendered[p] for p in sorted(found)[:limit])
        return b'{"success":true,"data":[' + data + b"]}"


def _response(status: str, body: bytes) -> bytes:
    head = f"HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {len(body)}"
    return head.encode("ascii") + _HEAD_END + body


def _error(status: str, message: str) -> bytes:
    return _response(status, json.dumps({"success": False, "error": message}).encode())


class Server:
    def __init__(self, index: Index, api_key: str, latency: float) -> None:
        self.index = index
        self.api_key = api_key.lower().encode()
        self.latency = latency
        self.requests = 0
        self.connections = 0  # accepted so far: a client that keeps its connections adds none

    def answer(self, head: bytes) -> bytes:
        """The whole response to one request head (bodies are not expected: GET only)."""
        self.requests += 1
        line, _, headers = head.partition(b"\r\n")
        method, target, _version = line.split(b" ", 2)
        if b"x-api-key: " + self.api_key not in headers.lower():
            return _error("401 Unauthorized", "Invalid API key")
        path, _, query = target.decode("latin-1").partition("?")
        if method != b"GET" or not path.endswith("/customers"):
            return _error("404 Not Found", "Not found")
        params = dict(part.split("=", 1) for part in query.split("&") if "=" in part)
        terms = [t for t in unquote_plus(params.get("identifiers", "")).split(",") if t.strip()]
        if "customerId" in params:
            terms.append(unquote_plus(params["customerId"]))
        if len(terms) > _MAX_IDENTIFIERS:
            return _error("400 Bad Request", "identifiers accepts at most 100 values")
        limit = int(params.get("limit", "25"))
        return _response("200 OK", self.index.search(terms, limit))


class _Connection(asyncio.Protocol):
    def __init__(self, server: Server) -> None:
        self.server = server
        self.buffer = b""
        self.transport: asyncio.Transport | None = None
        self.last = 0.0  # when the previous answer is due: answers leave in request order

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        self.server.connections += 1

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        loop = asyncio.get_running_loop()
        while (end := self.buffer.find(_HEAD_END)) >= 0:
            head, self.buffer = self.buffer[:end], self.buffer[end + 4 :]
            try:
                response = self.server.answer(head)
            except Exception as exc:  # a malformed request: say so, keep serving
                response = _error("400 Bad Request", type(exc).__name__)
            due = max(loop.time() + self.server.latency, self.last + 1e-6)
            self.last = due
            loop.call_at(due, self._write, response)

    def _write(self, response: bytes) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(response)

    def connection_lost(self, exc: Exception | None) -> None:
        self.transport = None


async def _control(server: Server) -> None:
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    while line := await reader.readline():
        command = json.loads(line)
        reply: Any
        if command["op"] == "stats":
            reply = {
                "requests": server.requests,
                "connections": server.connections,
                "cpu_s": time.process_time(),
            }
        elif command["op"] == "latency":
            server.latency = float(command["seconds"])
            reply = {"ok": True}
        else:
            reply = {"error": f"unknown op {command['op']!r}"}
        print(json.dumps(reply), flush=True)


async def _main(args: argparse.Namespace, index: Index, api_key: str) -> None:
    server = Server(index, api_key, args.latency)
    loop = asyncio.get_running_loop()
    listening = await loop.create_server(lambda: _Connection(server), "127.0.0.1", 0, backlog=1024)
    port = listening.sockets[0].getsockname()[1]
    ready = {
        "base_url": f"http://127.0.0.1:{port}/api/v1",
        "api_key": api_key,
        "customers": index.customers,
        "pid": os.getpid(),
    }
    print(json.dumps(ready), flush=True)
    async with listening:
        await _control(server)  # returns when stdin closes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--customers", type=int, default=10_000)
    parser.add_argument("--latency", type=float, default=0.02)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    fake = FakeHomebase(seed=args.seed)
    fake.populate(customers=args.customers)
    index = Index(_render(fake))
    asyncio.run(_main(args, index, fake.api_key))


if __name__ == "__main__":
    main()
