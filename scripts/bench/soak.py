"""Section 5: the workloads under faults, a server that fails everything, idle connections."""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable
from typing import Any

from homebase_async import HomebaseClient, HomebaseError, RetryPolicy

from . import sync
from .bulk import identifiers, iterate_ids, lookup_signature, memory
from .report import Report
from .server import FakeProcess

SECTION = "5 fault soak"
TIMEOUT = 2.0  # the soak client's timeout; slow responses take longer than this
FAULTS: dict[str, Any] = {
    "error_rates": {503: 0.10, 429: 0.05},
    "retry_after": "seconds",
    "retry_after_value": 1.0,
    "drop_before": 0.02,
    "drop_after": 0.02,
    "slow_after": 0.01,
    "slow_delay": 3 * TIMEOUT,
    "seed": 7,
}
FAULT_TEXT = "10 % 503, 5 % 429 (Retry-After 1 s), 2 % drop before, 2 % after, 1 % slow"


def _client(fake: FakeProcess, **options: Any) -> HomebaseClient:
    options.setdefault("timeout", TIMEOUT)
    return HomebaseClient(fake.api_key, base_url=fake.base_url, **options)


async def _workloads(
    fake: FakeProcess, gets: list[str], parts: list[str], **options: Any
) -> dict[str, Any]:
    """Gets, a lookup and job iterations (`parts` of them), run at once on one client."""
    async with _client(fake, max_concurrency=32, **options) as hb:

        async def one(customer_id: str) -> Any:
            try:
                return (await hb.customers.get(customer_id)).to_dict()
            except HomebaseError as exc:
                return f"error: {type(exc).__name__}: {exc}"

        async def all_gets() -> list[Any]:
            limit = asyncio.Semaphore(16)

            async def bounded(customer_id: str) -> Any:
                async with limit:
                    return await one(customer_id)

            return list(await asyncio.gather(*(bounded(c) for c in gets)))

        async def jobs(name: str) -> Any:
            start, end, _ = fake.info["jobs"][name]
            try:
                return sorted(await iterate_ids(hb, start, end))
            except HomebaseError as exc:
                return f"error: {type(exc).__name__}: {exc}"

        async def lookup() -> Any:
            wanted = list(identifiers(fake))
            return lookup_signature(await hb.customers.lookup(wanted, concurrency=32))

        def task(part: str) -> Awaitable[Any]:
            return all_gets() if part == "gets" else lookup() if part == "lookup" else jobs(part)

        started = time.perf_counter()
        results = await asyncio.gather(*map(task, parts))
        return {
            "results": dict(zip(parts, results, strict=True)),
            "seconds": time.perf_counter() - started,
            "stats": hb.stats,
        }


def _differences(clean: dict[str, Any], faulted: dict[str, Any]) -> list[str]:
    found = []
    for name, expected in clean.items():
        got = faulted[name]
        if got == expected:
            continue
        if name == "gets":
            bad = [b for a, b in zip(expected, got, strict=True) if a != b]
            found.append(f"gets: {len(bad)} of {len(expected)} differ (first: {str(bad[0])[:90]})")
        elif name == "lookup" and isinstance(got, dict):
            found.append(
                f"lookup: {len(got['failed'])} failed, "
                f"{len(set(expected['matches']) - set(got['matches']))} matches lost"
            )
        else:
            found.append(f"{name}: {got if isinstance(got, str) else 'different jobs'}")
    return found


async def identical(fake: FakeProcess, report: Report, *, quick: bool) -> None:
    ids = [c[0] for c in fake.info["customers"]]
    gets = random.Random(5).sample(ids, 300 if quick else 1000)
    parts = ["gets", "lookup", "uniform"] if quick else ["gets", "lookup", "uniform", "bursty"]
    # Fault-free references: what the lookup and pagination sections found, else fetch now.
    cached = {"lookup": report.cache.get("lookup"), **report.cache.get("jobs", {})}
    missing = ["gets"] + [p for p in parts[1:] if cached.get(p) is None]
    clean = (await _workloads(fake, gets, missing))["results"]
    clean.update({p: cached[p] for p in parts if p not in clean})
    await fake.command("reset")
    await fake.faults(**FAULTS)
    try:
        faulted = await _workloads(fake, gets, parts)
        server = await fake.command("stats")
    finally:
        await fake.faults()
    differences = _differences(clean, faulted["results"])
    stats = faulted["stats"]
    per_call = stats["attempts"] / max(stats["calls"], 1)
    report.figures.setdefault("soak", {})["workloads"] = {
        "faulted_seconds": faulted["seconds"],
        "faulted_stats": stats,
        "server": server,
        "differences": differences,
    }
    report.row(
        SECTION,
        f"{', '.join(parts)} at once, under faults",
        f"{faulted['seconds']:.1f} s",
        f"{FAULT_TEXT}; server saw {server['by_fault']}",
    )
    report.row(
        SECTION,
        "attempts per logical call under faults",
        f"{per_call:.2f}",
        f"{stats['attempts']} attempts, {stats['calls']} calls, {stats['retries']} retries",
    )
    report.target(
        SECTION,
        "results under faults identical to the fault-free run",
        "identical" if not differences else "; ".join(differences),
        not differences,
    )


class _Load:
    """Gets from `workers` tasks until stopped; success times and failures are kept."""

    def __init__(self, hb: HomebaseClient, ids: list[str], workers: int) -> None:
        self.hb, self.ids, self.workers = hb, ids, workers
        self.ok: list[float] = []
        self.errors = 0
        self.running = True

    async def run(self) -> None:
        rng = random.Random(3)

        async def worker() -> None:
            while self.running:
                try:
                    await self.hb.customers.get(rng.choice(self.ids))
                    self.ok.append(time.perf_counter())
                except HomebaseError:
                    self.errors += 1

        await asyncio.gather(*(worker() for _ in range(self.workers)))

    def rate(self, since: float, until: float) -> float:
        return sum(1 for t in self.ok if since <= t < until) / (until - since)


async def outage(fake: FakeProcess, report: Report, *, quick: bool) -> None:
    """Every request fails 503 for a while, then the server recovers."""
    ids = [c[0] for c in fake.info["customers"]]
    healthy_s, outage_s, window = (0.5, 1.0, 0.25) if quick else (1.0, 2.0, 0.25)
    policy = RetryPolicy()
    async with _client(fake) as hb:
        load = _Load(hb, ids, workers=hb.max_concurrency)
        task = asyncio.create_task(load.run())
        await asyncio.sleep(0.3)  # warm up
        t0 = time.perf_counter()
        await asyncio.sleep(healthy_s)
        baseline = load.rate(t0, time.perf_counter())
        before = dict(hb.stats)
        await fake.faults(error_rates={503: 1.0})
        await asyncio.sleep(outage_s)
        await fake.faults()
        recovered_at = time.perf_counter()
        during = {k: hb.stats[k] - before[k] for k in before}
        back_after = None
        while time.perf_counter() - recovered_at < 10.0:
            start = time.perf_counter()
            await asyncio.sleep(window)
            if load.rate(start, time.perf_counter()) >= 0.9 * baseline:
                back_after = time.perf_counter() - recovered_at
                break
        load.running = False
        await task
    floor = policy.budget_tokens
    allowed = 1.2 * during["calls"] + floor
    report.figures.setdefault("soak", {})["outage"] = {
        "baseline_rps": baseline,
        "during": during,
        "allowed_attempts": allowed,
        "recovered_after_s": back_after,
    }
    report.row(
        SECTION,
        f"all requests 503 for {outage_s:.0f} s",
        f"{during['attempts'] / max(during['calls'], 1):.2f} attempts/call",
        f"{during['attempts']} attempts for {during['calls']} calls "
        f"(bound 1.2 x calls + {floor:.0f} = {allowed:.0f})",
    )
    report.target(
        SECTION,
        "all-503: attempts ≤ 1.2 x calls + retry budget",
        f"{during['attempts']} ≤ {allowed:.0f}",
        during["attempts"] <= allowed,
    )
    report.target(
        SECTION,
        "throughput back to ≥ 90 % within 10 s of recovery",
        "never" if back_after is None else f"{back_after:.2f} s (baseline {baseline:.0f}/s)",
        back_after is not None,
    )


async def idle_connections(report: Report, *, quick: bool) -> None:
    """A server closing idle connections after 2 s, clients keeping them 5 s."""
    idles = [1.95, 2.05] if quick else [1.9, 1.97, 2.0, 2.03, 2.1, 2.5]
    fake = await FakeProcess.start("--customers", "300", "--keep-alive-timeout", "2")
    async with fake:
        ids = [c[0] for c in fake.info["customers"]]
        variants: dict[str, HomebaseClient] = {}
        for backend in ("httpx", "aiohttp"):
            variants[backend] = _client(fake, http_backend=backend, keepalive_expiry=5.0)
            variants[f"{backend}, retry=None"] = _client(
                fake, http_backend=backend, keepalive_expiry=5.0, retry=None
            )
        errors = dict.fromkeys(variants, 0)

        async def burst(name: str, hb: HomebaseClient) -> None:
            async def one(customer_id: str) -> None:
                try:
                    await hb.customers.get(customer_id)
                except HomebaseError:
                    errors[name] += 1

            await asyncio.gather(*(one(c) for c in random.Random(1).sample(ids, 48)))

        for idle in [0.0, *idles]:
            await asyncio.sleep(idle)
            await asyncio.gather(*(burst(n, hb) for n, hb in variants.items()))
        for hb in variants.values():
            await hb.aclose()
    figures = {n: {"errors": errors[n], **hb.stats} for n, hb in variants.items()}
    report.figures.setdefault("soak", {})["idle"] = {"idles": idles, "clients": figures}
    for name, data in figures.items():
        report.row(
            SECTION,
            f"server idle timeout 2 s < client 5 s: {name}",
            f"{data['errors']} errors",
            f"{data['calls']} gets after idles of {', '.join(f'{i:g}' for i in idles)} s; "
            f"{data['retries']} retries",
        )
    visible = figures["httpx"]["errors"] + figures["aiohttp"]["errors"]
    report.target(
        SECTION,
        "idle connections closed by the server: no user-visible error on GETs",
        f"{visible} errors",
        visible == 0,
    )


async def run(fake: FakeProcess, report: Report, *, quick: bool) -> None:
    for part in (identical, outage):
        await part(fake, report, quick=quick)
    await sync.bulk_writes(fake, report, quick=quick, faults=FAULTS)
    await sync.kills(report, quick=quick)
    await sync.overlaps(report, quick=quick)
    # The idle test mostly sleeps; the memory measurement (section 4) fills that time.
    await asyncio.gather(idle_connections(report, quick=quick), memory(report, quick=quick))
