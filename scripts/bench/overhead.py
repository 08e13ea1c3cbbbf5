"""Sections 1 and 2: the facade against the layers under it, one `customers.get` at a time.

Contenders run interleaved: every round runs each of them once (in a rotated order) on the
same ids, so a slow spell of the machine hits them all alike; figures are medians of rounds.
"""

from __future__ import annotations

import contextlib
import random
import time
from collections.abc import AsyncIterator, Iterator, Sequence
from typing import Any

import httpx
from httpx_aiohttp import AiohttpTransport

from homebase_async import HomebaseClient

from .clients import CONTENDERS, TIMEOUT, Get, drive, limits
from .report import Report, median
from .server import FakeProcess

SECTION_1 = "1 overhead"
SECTION_2 = "2 throughput"


@contextlib.asynccontextmanager
async def httpx_over_aiohttp(url: str, key: str, pool: int) -> AsyncIterator[Get]:
    """httpx's own API over the facade's default transport (issue 23's reference layer):
    request, check the status, decode the JSON, as a hand-written httpx client does."""
    transport = AiohttpTransport(limits=limits(pool))
    async with httpx.AsyncClient(
        base_url=url, headers={"x-api-key": key}, transport=transport, timeout=TIMEOUT
    ) as client:

        async def get(customer_id: str) -> Any:
            response = await client.get(
                "/customers", params={"customerId": customer_id, "limit": 1}
            )
            response.raise_for_status()
            return response.json()["data"][0]

        yield get


LAYERS: dict[str, Any] = {**CONTENDERS, "httpx over aiohttp": httpx_over_aiohttp}


async def _open(
    stack: contextlib.AsyncExitStack, fake: FakeProcess, names: Sequence[str], pool: int
) -> dict[str, Get]:
    gets = {}
    for name in names:
        gets[name] = await stack.enter_async_context(
            LAYERS[name](fake.base_url, fake.api_key, pool)
        )
    return gets


async def _interleaved(
    gets: dict[str, Get], ids: list[str], *, concurrency: int, per_round: int, rounds: int
) -> dict[str, dict[str, list[float]]]:
    """Per contender: wall seconds and client CPU seconds of each round of `per_round` gets."""
    rng = random.Random(concurrency)
    names = list(gets)
    for get in gets.values():  # warm: connections open, code paths loaded
        await drive(get, rng.choices(ids, k=max(2 * concurrency, 50)), concurrency)
    out: dict[str, dict[str, list[float]]] = {n: {"wall": [], "cpu": []} for n in names}
    for number in range(rounds):
        batch = rng.choices(ids, k=per_round)
        for name in names[number % len(names) :] + names[: number % len(names)]:
            cpu = time.process_time()
            out[name]["wall"].append(await drive(gets[name], batch, concurrency))
            out[name]["cpu"].append(time.process_time() - cpu)
    return out


async def overhead(fake: FakeProcess, report: Report, *, quick: bool) -> None:
    """2,000 gets sequentially and at 32 concurrent: facade vs generated vs bare httpx."""
    ids = [c[0] for c in fake.info["customers"]]
    total, rounds = (400, 2) if quick else (2000, 5)
    names = [
        "facade (httpx)",
        "generated",
        "bare httpx",
        "facade (aiohttp)",
        "httpx over aiohttp",
        "bare aiohttp",
    ]
    figures = report.figures.setdefault("overhead", {})
    for label, concurrency in (("sequential", 1), ("32 concurrent", 32)):
        pool = max(concurrency, 16)  # the facade's default max_concurrency is 16
        async with contextlib.AsyncExitStack() as stack:
            gets = await _open(stack, fake, names, pool)
            runs = await _interleaved(
                gets, ids, concurrency=concurrency, per_round=total // rounds, rounds=rounds
            )
        per_round = total // rounds
        walls = {name: median(r["wall"]) for name, r in runs.items()}
        figures[label] = {
            name: {
                "wall_per_round_s": r["wall"],
                "cpu_per_round_s": r["cpu"],
                "requests_per_round": per_round,
                "median_rps": per_round / walls[name],
                "median_cpu_us_per_request": median(r["cpu"]) / per_round * 1e6,
            }
            for name, r in runs.items()
        }
        for name, stats in figures[label].items():
            report.row(
                SECTION_1,
                f"{label}: {name}",
                f"{stats['median_rps']:.0f} req/s",
                f"{total} gets in {rounds} rounds; client CPU "
                f"{stats['median_cpu_us_per_request']:.0f} µs/req",
            )
        ratio = walls["facade (httpx)"] / walls["bare httpx"]
        aio = walls["facade (aiohttp)"] / walls["bare aiohttp"]
        gen = walls["generated"] / walls["bare httpx"]
        figures[label]["ratios"] = {
            "facade/httpx": ratio,
            "generated/httpx": gen,
            "facade/aiohttp": aio,
        }
        report.row(
            SECTION_1,
            f"{label}: wall time facade ÷ bare httpx",
            f"{ratio:.2f}x",
            f"generated ÷ bare httpx {gen:.2f}x; facade(aiohttp) ÷ bare aiohttp {aio:.2f}x",
        )
        if concurrency == 1:
            report.target(
                SECTION_1,
                "sequential: facade ≤ 1.10x bare httpx wall time",
                f"{ratio:.3f}x",
                ratio <= 1.10,
            )
            # Issue 23: client CPU per call, the facade on its default backend against httpx's
            # own API over the same (aiohttp) transport.
            cpu = figures[label]
            layer = (
                cpu["facade (aiohttp)"]["median_cpu_us_per_request"]
                / cpu["httpx over aiohttp"]["median_cpu_us_per_request"]
            )
            figures[label]["ratios"]["cpu facade(aiohttp)/httpx over aiohttp"] = layer
            report.target(
                SECTION_1,
                "sequential: facade CPU per call ≤ 1.10x httpx's API over the aiohttp transport",
                f"{layer:.3f}x",
                layer <= 1.10,
            )
        else:
            share = 1 / ratio
            report.target(
                SECTION_1,
                "32 concurrent: facade ≥ 0.95x bare httpx throughput",
                f"{share:.3f}x",
                share >= 0.95,
            )
            figures["httpx pool"] = await _pool_noise(fake, ids, report, quick=quick)


async def _rate_rounds(
    gets: dict[str, Get], ids: list[str], *, concurrency: int, seconds: float, rounds: int
) -> dict[str, dict[str, list[float]]]:
    """Per contender: requests per second and client CPU µs per request of each round."""
    rng = random.Random(concurrency)
    names = list(gets)
    for get in gets.values():
        await drive(get, rng.choices(ids, k=2 * concurrency), concurrency)
    out: dict[str, dict[str, list[float]]] = {n: {"rps": [], "cpu_us": []} for n in names}
    for number in range(rounds):
        for name in names[number % len(names) :] + names[: number % len(names)]:
            cpu = time.process_time()
            done, wall = await _for(gets[name], ids, rng, concurrency, seconds)
            out[name]["cpu_us"].append((time.process_time() - cpu) / done * 1e6)
            out[name]["rps"].append(done / wall)
    return out


async def _for(
    get: Get, ids: list[str], rng: random.Random, concurrency: int, seconds: float
) -> tuple[int, float]:
    """Gets with `concurrency` workers until `seconds` pass: (completed, wall seconds)."""
    deadline = time.perf_counter() + seconds
    done = 0

    def until_deadline() -> Iterator[str]:
        while time.perf_counter() < deadline:
            yield rng.choice(ids)

    async def counted(customer_id: str) -> None:
        nonlocal done
        await get(customer_id)
        done += 1

    wall = await drive(counted, until_deadline(), concurrency)
    return done, wall


async def throughput(fake: FakeProcess, report: Report, *, quick: bool) -> None:
    """Gets at 20 and 100 concurrent with 10 ms added latency, per client stack."""
    ids = [c[0] for c in fake.info["customers"]]
    seconds, rounds = (0.5, 1) if quick else (0.75, 3)
    names = [
        "facade (httpx)",
        "facade (aiohttp)",
        "bare httpx",
        "bare aiohttp",
        "raw asyncio streams",
    ]
    await fake.faults(latency=0.010)
    rates: dict[int, dict[str, float]] = {}
    figures = report.figures.setdefault("throughput", {})
    try:
        for concurrency in (20, 100):
            async with contextlib.AsyncExitStack() as stack:
                gets = await _open(stack, fake, names, concurrency)
                runs = await _rate_rounds(
                    gets, ids, concurrency=concurrency, seconds=seconds, rounds=rounds
                )
            rates[concurrency] = {name: median(r["rps"]) for name, r in runs.items()}
            figures[str(concurrency)] = {"rounds": runs, "median_rps": rates[concurrency]}
            ideal = concurrency / 0.010
            for name in names:
                report.row(
                    SECTION_2,
                    f"{concurrency} concurrent: {name}",
                    f"{rates[concurrency][name]:.0f} req/s",
                    f"{rates[concurrency][name] / ideal:.0%} of latency bound {ideal:.0f}/s; "
                    f"client CPU {median(runs[name]['cpu_us']):.0f} µs/req",
                )
    finally:
        await fake.faults()
    raw = rates[20]["raw asyncio streams"]
    best = max(("httpx", "aiohttp"), key=lambda b: rates[20][f"facade ({b})"])
    share = rates[20][f"facade ({best})"] / raw
    figures["best_backend_at_20"] = best
    report.target(
        SECTION_2,
        f"20 concurrent: best facade backend ({best}) ≥ 0.85x raw streams",
        f"{share:.3f}x",
        share >= 0.85,
    )
    for backend in ("httpx", "aiohttp"):
        name = f"facade ({backend})"
        change = rates[100][name] / rates[20][name]
        report.target(
            SECTION_2,
            f"{name}: throughput at 100 ≥ at 20 concurrent (5 % noise allowed)",
            f"{change:.3f}x",
            change >= 0.95,
        )


def _pooled(transport: Any) -> int:
    """Connections held by httpx's own pool (httpcore's `AsyncConnectionPool`) under a
    transport, the facade's guard unwrapped."""
    inner = getattr(transport, "inner", transport)
    return len(inner._pool.connections)


async def _pool_noise(
    fake: FakeProcess, ids: list[str], report: Report, *, quick: bool
) -> dict[str, Any]:
    """Why the 32-concurrent ratio on httpx's pool wanders: per round, requests per second,
    client CPU per request and the connections httpx's pool held, for the facade and bare
    httpx, interleaved. httpcore visits every pooled connection (a readability check, a
    `getpeername`) each time it assigns a request, so its CPU per request follows how many
    connections the pool happens to hold, which drifts as idle ones expire."""
    rounds, per_round = (4, 200) if quick else (12, 400)
    rng = random.Random("pool")
    async with (
        HomebaseClient(
            fake.api_key,
            base_url=fake.base_url,
            max_concurrency=32,
            http_backend="httpx",
            timeout=TIMEOUT,
        ) as hb,
        httpx.AsyncClient(
            base_url=fake.base_url,
            headers={"x-api-key": fake.api_key},
            limits=limits(32),
            timeout=TIMEOUT,
        ) as bare,
    ):

        async def bare_get(customer_id: str) -> Any:
            response = await bare.get("/customers", params={"customerId": customer_id, "limit": 1})
            response.raise_for_status()
            return response.json()["data"][0]

        clients: dict[str, tuple[Get, Any]] = {
            "facade (httpx)": (hb.customers.get, hb.raw.get_async_httpx_client()._transport),
            "bare httpx": (bare_get, bare._transport),
        }
        for get, _ in clients.values():
            await drive(get, rng.choices(ids, k=64), 32)
        out: dict[str, dict[str, list[float]]] = {
            name: {"rps": [], "cpu_us": [], "connections": []} for name in clients
        }
        for number in range(rounds):
            batch = rng.choices(ids, k=per_round)
            for name in list(clients)[:: 1 if number % 2 == 0 else -1]:
                get, transport = clients[name]
                cpu = time.process_time()
                wall = await drive(get, batch, 32)
                out[name]["cpu_us"].append((time.process_time() - cpu) / per_round * 1e6)
                out[name]["rps"].append(per_round / wall)
                out[name]["connections"].append(_pooled(transport))
    for name, runs in out.items():
        pairs = sorted(zip(runs["connections"], runs["cpu_us"], strict=True))
        few = [cpu for held, cpu in pairs if held <= 16]
        many = [cpu for held, cpu in pairs if held > 24]
        report.row(
            SECTION_1,
            f"32 concurrent, httpx's pool: {name}",
            f"{median(runs['rps']):.0f} req/s",
            f"{min(runs['rps']):.0f} to {max(runs['rps']):.0f} over {rounds} rounds; client CPU "
            f"{median(runs['cpu_us']):.0f} µs/req; pool held "
            f"{min(runs['connections']):.0f} to {max(runs['connections']):.0f} connections; "
            f"CPU/req at ≤ 16 held {median(few):.0f} µs ({len(few)} rounds), at > 24 held "
            f"{median(many):.0f} µs ({len(many)} rounds)",
        )
    ratios = [
        f / b for f, b in zip(out["facade (httpx)"]["rps"], out["bare httpx"]["rps"], strict=True)
    ]
    report.row(
        SECTION_1,
        "32 concurrent, httpx's pool: facade ÷ bare httpx per round",
        f"{median(ratios):.2f}x",
        f"{min(ratios):.2f} to {max(ratios):.2f}x",
    )
    return {"rounds": out, "ratios": ratios}
