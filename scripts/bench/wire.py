"""The lookup at wire speed (issue 23), part of section "layers".

`customers.lookup` of 10,000 identifiers at concurrency 32 with 20 ms latency, beside a
hand-written aiohttp lookup, against two servers in their own processes:

- `lean_server.py`, which does next to nothing per request: the target (≥ 0.4 of the latency
  ideal) judges the client, so it is measured there. That the server is not the bound is
  checked, not assumed: its own CPU per request is read from /proc, and a warm aiohttp client
  that only reads the bytes of the same 100 requests shows what the wire allows;
- the fake, as before (an extra row).

Per lookup: wall, client CPU, the cyclic garbage collector's share of it (`gc.callbacks`), the
server's CPU per request, requests, and (lean server) connections opened.
"""

from __future__ import annotations

import asyncio
import gc
import math
import os
import time
from typing import Any

import aiohttp

from homebase_async import HomebaseClient

from . import lean_server
from .bulk import LOOKUP_LATENCY, check_lookup, identifiers
from .clients import KEEPALIVE, TIMEOUT
from .report import Report, median
from .server import FakeProcess

CONCURRENCY = 32
CLIENTS = ("hand-written aiohttp", "customers.lookup")


def process_cpu(pid: int) -> float:
    """CPU seconds (user + system) process `pid` has used so far; NaN where /proc is absent."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return math.nan
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class GcClock:
    """CPU seconds the cyclic garbage collector ran while installed (`gc.callbacks`)."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.full = 0  # collections of the oldest generation
        self._started = 0.0

    def __call__(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._started = time.process_time()
        else:
            self.seconds += time.process_time() - self._started
            self.full += info["generation"] == 2

    def __enter__(self) -> GcClock:
        gc.callbacks.append(self)
        return self

    def __exit__(self, *exc: object) -> None:
        gc.callbacks.remove(self)


async def hand_written_lookup(url: str, key: str, idents: list[str]) -> dict[str, list[Any]]:
    """What a user writes instead of `customers.lookup`: chunks of 100, 32 at a time."""
    found: dict[str, list[Any]] = {}
    connector = aiohttp.TCPConnector(limit=CONCURRENCY, keepalive_timeout=KEEPALIVE)
    async with aiohttp.ClientSession(
        connector=connector,
        headers={"x-api-key": key},
        timeout=aiohttp.ClientTimeout(total=TIMEOUT),
    ) as session:
        gate = asyncio.Semaphore(CONCURRENCY)

        async def one(chunk: list[str]) -> None:
            params = {"identifiers": ",".join(chunk), "limit": "100"}
            async with gate, session.get(url + "/customers", params=params) as response:
                response.raise_for_status()
                customers = (await response.json())["data"]
            wanted = set(chunk)
            for customer in customers:
                keys = {customer["customerId"], *customer.get("email", [])}
                keys.update(customer.get("phone", {}).values())
                for hit in keys & wanted:
                    found.setdefault(hit, []).append(customer)

        chunks = [idents[i : i + 100] for i in range(0, len(idents), 100)]
        await asyncio.gather(*(one(chunk) for chunk in chunks))
    return found


async def _bytes_only(server: FakeProcess, idents: list[str], rounds: int) -> list[float]:
    """Walls of the same 100 requests, 32 at a time, on one warm aiohttp session, bodies read
    as bytes and dropped: the bound the server and the loopback leave a client."""
    chunks = [idents[i : i + 100] for i in range(0, len(idents), 100)]
    walls = []
    connector = aiohttp.TCPConnector(limit=CONCURRENCY, keepalive_timeout=KEEPALIVE)
    async with aiohttp.ClientSession(
        connector=connector, headers={"x-api-key": server.api_key}
    ) as session:
        gate = asyncio.Semaphore(CONCURRENCY)

        async def one(chunk: list[str]) -> None:
            params = {"identifiers": ",".join(chunk), "limit": "100"}
            async with gate, session.get(server.base_url + "/customers", params=params) as got:
                got.raise_for_status()
                await got.read()

        for number in range(rounds + 1):
            started = time.perf_counter()
            await asyncio.gather(*(one(chunk) for chunk in chunks))
            if number:  # the first round opens the connections
                walls.append(time.perf_counter() - started)
    return walls


async def _rounds(server: FakeProcess, rounds: int, *, lean: bool) -> dict[str, Any]:
    """Both lookups of the same 10,000 identifiers against `server`, interleaved.

    Timed: the lookup alone. The previous result is dropped before each (its freeing is not
    timed); the garbage collector runs as it would, and its time is measured.
    """
    wanted = identifiers(server)
    idents = list(wanted)  # e-mails as stored: the hand-written lookup matches them exactly
    figures: dict[str, dict[str, list[float]]] = {
        name: {
            key: [] for key in ("cpu_s", "wall_s", "gc_s", "full_gcs", "server_cpu_s", "requests")
        }
        | ({"connections": []} if lean else {})
        for name in CLIENTS
    }
    problems: list[str] = []
    async with HomebaseClient(
        server.api_key, base_url=server.base_url, max_concurrency=CONCURRENCY
    ) as hb:
        await hb.customers.lookup(idents[:200], concurrency=8)  # warm
        for number in range(rounds):
            for name in CLIENTS if number % 2 == 0 else CLIENTS[::-1]:
                result: Any = None
                opened = (await server.command("stats"))["connections"] if lean else 0
                served = process_cpu(server.pid)
                with GcClock() as clock:
                    started_cpu, started = time.process_time(), time.perf_counter()
                    if name == "customers.lookup":
                        result = await hb.customers.lookup(idents, concurrency=CONCURRENCY)
                    else:
                        result = await hand_written_lookup(server.base_url, server.api_key, idents)
                    wall = time.perf_counter() - started
                    cpu = time.process_time() - started_cpu
                figure = figures[name]
                figure["server_cpu_s"].append(process_cpu(server.pid) - served)
                figure["wall_s"].append(wall)
                figure["cpu_s"].append(cpu)
                figure["gc_s"].append(clock.seconds)
                figure["full_gcs"].append(clock.full)
                if lean:
                    stats = await server.command("stats")
                    figure["connections"].append(stats["connections"] - opened)
                if name == "customers.lookup":
                    figure["requests"].append(result.requests)
                    problems += check_lookup(result, wanted)
                else:
                    figure["requests"].append(math.ceil(len(idents) / 100))
                    # It does not split a full answer: customers sharing a phone can cut one.
                    missed = sum(1 for i, c in wanted.items() if c and i not in result)
                    figure.setdefault("missed", []).append(missed)
        frozen = await _frozen(hb, idents, rounds) if lean else None
    out: dict[str, Any] = {"identifiers": len(idents), "clients": figures, "frozen": frozen}
    if lean:
        out["bytes_only_wall_s"] = await _bytes_only(server, idents, rounds)
    out["problems"] = problems[:20]
    return out


async def _frozen(hb: HomebaseClient, idents: list[str], rounds: int) -> dict[str, list[float]]:
    """`customers.lookup` after `gc.freeze()`: what an application can do about the collector
    (its full collections then skip everything alive before; not the SDK's to decide)."""
    out: dict[str, list[float]] = {"cpu_s": [], "wall_s": [], "gc_s": []}
    gc.collect()
    gc.freeze()
    try:
        for _ in range(rounds):
            result: Any = None
            with GcClock() as clock:
                started_cpu, started = time.process_time(), time.perf_counter()
                result = await hb.customers.lookup(idents, concurrency=CONCURRENCY)
                out["wall_s"].append(time.perf_counter() - started)
                out["cpu_s"].append(time.process_time() - started_cpu)
            out["gc_s"].append(clock.seconds)
            del result
    finally:
        gc.unfreeze()
    return out


def _row(report: Report, section: str, label: str, name: str, figure: Any, ideal: float) -> None:
    wall, cpu = median(figure["wall_s"]), median(figure["cpu_s"])
    served = sum(figure["server_cpu_s"]) / sum(figure["requests"])
    opened = (
        f", {median(figure['connections']):.0f} connections opened"
        if "connections" in figure
        else ""
    )
    if max(figure.get("missed", [0])):
        opened += f"; missed {max(figure['missed'])} (a full answer it does not split)"
    report.row(
        section,
        f"lookup, {label}: {name}",
        f"{ideal / wall:.2f} of ideal",
        f"wall {wall:.3f} s ({min(figure['wall_s']):.3f} to {max(figure['wall_s']):.3f}); "
        f"client CPU {cpu:.3f} s, of it GC {median(figure['gc_s']):.3f} s; server CPU "
        f"{served * 1e3:.2f} ms/request ({served * median(figure['requests']) / wall:.0%} of "
        f"the wall); {median(figure['requests']):.0f} requests{opened}",
    )


async def lookups(fake: FakeProcess, report: Report, section: str, *, quick: bool) -> Any:
    """The lookups against the lean server (the target) and against the fake (a row)."""
    rounds = 3 if quick else 7
    out: dict[str, Any] = {}
    async with await FakeProcess.start(
        "--customers", "10000", "--latency", str(LOOKUP_LATENCY), script=lean_server.SCRIPT
    ) as lean:
        out["lean"] = await _rounds(lean, rounds, lean=True)
    await fake.faults(latency=LOOKUP_LATENCY)
    try:
        out["fake"] = await _rounds(fake, rounds, lean=False)
    finally:
        await fake.faults()
    ideal = math.ceil(out["lean"]["identifiers"] / 100) / CONCURRENCY * LOOKUP_LATENCY
    out["ideal_s"] = ideal
    walls = out["lean"]["bytes_only_wall_s"]
    report.row(
        section,
        "lookup, lean server: bytes only, warm aiohttp",
        f"{ideal / median(walls):.2f} of ideal",
        f"wall {median(walls):.3f} s ({min(walls):.3f} to {max(walls):.3f}): the same 100 "
        f"requests, bodies not parsed; 4 rounds of 32 cannot beat {ideal / 0.08:.2f}",
    )
    for server, label in (("lean", "lean server"), ("fake", "the fake")):
        for name, figure in out[server]["clients"].items():
            _row(report, section, label, name, figure, ideal)
    frozen = out["lean"]["frozen"]
    report.row(
        section,
        "lookup, lean server: customers.lookup after gc.freeze()",
        f"{ideal / median(frozen['wall_s']):.2f} of ideal",
        f"wall {median(frozen['wall_s']):.3f} s; client CPU {median(frozen['cpu_s']):.3f} s, of "
        f"it GC {median(frozen['gc_s']):.3f} s (an application's choice: not counted)",
    )
    lean_clients = out["lean"]["clients"]
    ratio = median(lean_clients["customers.lookup"]["cpu_s"]) / median(
        lean_clients["hand-written aiohttp"]["cpu_s"]
    )
    share = ideal / median(lean_clients["customers.lookup"]["wall_s"])
    report.target(section, "lookup CPU ≤ 2.5x the hand-written one", f"{ratio:.2f}x", ratio <= 2.5)
    report.target(
        section,
        "lookup ≥ 0.4 of the latency ideal (lean server; the fake's figure is a row)",
        f"{share:.2f}",
        share >= 0.4,
    )
    problems = out["lean"]["problems"] + out["fake"]["problems"]
    report.target(
        section,
        "customers.lookup: every identifier where it belongs (both servers)",
        "all correct" if not problems else f"{len(problems)} problems: {problems[0]}",
        not problems,
    )
    return out
