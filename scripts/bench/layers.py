"""Section "layers" (issue 23): client CPU layer by layer, per call and per record.

1. CPU per sequential `customers.get` against the fake in its own process, for each layer a
   call goes through: bare aiohttp (+ json.loads), httpx's own API over the aiohttp transport,
   the generated client over that transport, the facade (default backend). Interleaved rounds.
2. CPU per record: json.loads, orjson.loads and the strict model parse of Customer and Job.
3. A hand-written aiohttp lookup of 10,000 identifiers beside `customers.lookup`, at
   concurrency 32 with 20 ms of latency, against `lean_server.py` (the target: it judges the
   client) and the fake: see `wire.py`.
"""

from __future__ import annotations

import contextlib
import functools
import json
import random
import time
import timeit
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import orjson
from homebase_api.api.customers import get_customers
from homebase_api.models import Customer, Job
from httpx_aiohttp import AiohttpTransport

from homebase_async import HomebaseClient
from homebase_async._query import identifiers_query, url_with_query
from homebase_async.testing import FakeHomebase

from . import wire
from .clients import TIMEOUT, Get, bare_aiohttp, drive, limits
from .report import Report, median
from .server import FakeProcess

SECTION = "0 layers"


@contextlib.asynccontextmanager
async def httpx_over_aiohttp(url: str, key: str, pool: int) -> AsyncIterator[Get]:
    """httpx's own API (params, raise_for_status, .json()) over the facade's aiohttp transport."""
    async with httpx.AsyncClient(
        base_url=url,
        headers={"x-api-key": key},
        transport=AiohttpTransport(limits=limits(pool)),
        timeout=TIMEOUT,
    ) as client:

        async def get(customer_id: str) -> Any:
            response = await client.get(
                "/customers", params={"customerId": customer_id, "limit": 1}
            )
            response.raise_for_status()
            return response.json()["data"][0]

        yield get


@contextlib.asynccontextmanager
async def generated_over_aiohttp(url: str, key: str, pool: int) -> AsyncIterator[Get]:
    """The generated `asyncio_detailed` on the facade's own client (aiohttp backend)."""
    async with HomebaseClient(
        key, base_url=url, max_concurrency=pool, timeout=TIMEOUT, http_backend="aiohttp"
    ) as hb:
        raw = hb.raw

        async def get(customer_id: str) -> Any:
            response = await get_customers.asyncio_detailed(
                client=raw, customer_id=customer_id, limit=1
            )
            return response.parsed.data[0]  # type: ignore[union-attr]

        yield get


@contextlib.asynccontextmanager
async def facade(url: str, key: str, pool: int) -> AsyncIterator[Get]:
    async with HomebaseClient(key, base_url=url, max_concurrency=pool, timeout=TIMEOUT) as hb:
        yield hb.customers.get


LAYERS: dict[str, Callable[[str, str, int], contextlib.AbstractAsyncContextManager[Get]]] = {
    "bare aiohttp + json.loads": bare_aiohttp,
    "httpx API over the aiohttp transport": httpx_over_aiohttp,
    "generated client over that transport": generated_over_aiohttp,
    "facade (default backend)": facade,
}
BASELINE = "httpx API over the aiohttp transport"


async def _per_call(fake: FakeProcess, report: Report, *, quick: bool) -> dict[str, float]:
    ids = [c[0] for c in fake.info["customers"]]
    per_round, rounds = (300, 3) if quick else (1000, 7)
    rng = random.Random("layers")
    cpu: dict[str, list[float]] = {name: [] for name in LAYERS}
    async with contextlib.AsyncExitStack() as stack:
        gets = {
            name: await stack.enter_async_context(make(fake.base_url, fake.api_key, 1))
            for name, make in LAYERS.items()
        }
        for get in gets.values():
            await drive(get, rng.choices(ids, k=100), 1)
        names = list(gets)
        for number in range(rounds):
            batch = rng.choices(ids, k=per_round)
            for name in names[number % len(names) :] + names[: number % len(names)]:
                started = time.process_time()
                await drive(gets[name], batch, 1)
                cpu[name].append((time.process_time() - started) / per_round * 1e6)
    figures = {name: median(values) for name, values in cpu.items()}
    base = figures[BASELINE]
    for name, micros in figures.items():
        report.row(SECTION, f"per call: {name}", f"{micros:.0f} µs", f"{micros / base:.2f}x httpx")
    ratio = figures["facade (default backend)"] / base
    report.target(SECTION, "facade CPU per call ≤ 1.10x httpx's API", f"{ratio:.2f}x", ratio <= 1.1)
    return figures


async def sample_bodies() -> tuple[bytes, bytes]:
    """A page of 100 customers and one of 100 jobs, as the fake serves them."""
    fake = FakeHomebase()
    fake.populate(customers=300, jobs=600)
    async with httpx.AsyncClient(
        transport=fake.transport(),
        base_url="http://fake/api/v1",
        headers={"x-api-key": fake.api_key},
    ) as client:
        ids = ",".join(list(fake.customers)[:100])
        customers = await client.get("/customers", params={"identifiers": ids, "limit": 100})
        window = {"startDate": "2000-01-01T00:00:00Z", "endDate": "2100-01-01T00:00:00Z"}
        jobs = await client.get("/jobs", params={**window, "limit": 100})
    return customers.content, jobs.content


def _each(parse: Callable[[Any], object], values: list[Any]) -> None:
    for value in values:
        parse(value)


def per_record(customers: bytes, jobs: bytes, *, quick: bool) -> dict[str, dict[str, float]]:
    """µs per record of each parse stage (best of repeats: the least disturbed figure)."""
    repeat, number = (3, 5) if quick else (7, 20)
    out: dict[str, dict[str, float]] = {}
    for label, body, model in (("Customer", customers, Customer), ("Job", jobs, Job)):
        records = [json.dumps(r).encode() for r in json.loads(body)["data"]]
        dicts = [json.loads(r) for r in records]
        read: type[Customer] | type[Job] = model

        def best(run: Callable[[], object], count: int = len(records)) -> float:
            total = min(timeit.repeat(run, number=number, repeat=repeat))
            return total / number / count * 1e6

        stages = {
            "json.loads": best(functools.partial(_each, json.loads, records)),
            "orjson.loads": best(functools.partial(_each, orjson.loads, records)),
            "from_dict": best(functools.partial(_each, read.from_dict, dicts)),
        }
        stages["orjson + from_dict"] = stages["orjson.loads"] + stages["from_dict"]
        out[label] = stages
    return out


def url_building(*, quick: bool) -> dict[str, float]:
    """µs to build one lookup request of 100 e-mails: httpx from `params`, and the SDK's way."""
    chunk = [f"customer{i:04d}@example.com" for i in range(100)]
    client = httpx.AsyncClient(base_url="http://127.0.0.1:8000/api/v1")
    endpoint = client.base_url.join("customers")
    params: dict[str, str | int] = {"identifiers": ",".join(chunk), "limit": 100}
    number = 50 if quick else 200

    def best(run: Callable[[], object]) -> float:
        return min(timeit.repeat(run, number=number, repeat=5)) / number * 1e6

    return {
        "httpx, params=": best(lambda: client.build_request("GET", "/customers", params=params)),
        "SDK, URL built once": best(
            lambda: client.build_request(
                "GET", url_with_query(endpoint, identifiers_query(chunk, 100))
            )
        ),
    }


async def run(fake: FakeProcess, report: Report, *, quick: bool) -> None:
    figures: dict[str, Any] = report.figures.setdefault("layers", {})
    figures["per_call_cpu_us"] = await _per_call(fake, report, quick=quick)
    customers, jobs = await sample_bodies()
    records = per_record(customers, jobs, quick=quick)
    figures["per_record_us"] = records
    for label, stages in records.items():
        report.row(
            SECTION,
            f"per record: {label}",
            f"{stages['orjson + from_dict']:.1f} µs",
            ", ".join(f"{stage} {micros:.1f}" for stage, micros in stages.items()),
        )
    building = url_building(quick=quick)
    figures["url_building_us"] = building
    report.row(
        SECTION,
        "building a 100-e-mail lookup request",
        f"{building['SDK, URL built once']:.0f} µs",
        f"httpx from params= {building['httpx, params=']:.0f} µs",
    )
    figures["lookup"] = await wire.lookups(fake, report, SECTION, quick=quick)
